/*
 * Mijn Haren: small progressive enhancements. Every journey also works without this file.
 *
 * 1. Session time-out warning (WCAG 2.2.1): <body data-session-expires-in data-session-warning>
 *    opens <dialog id="sessie-waarschuwing"> `warning` seconds before the session ends; its form
 *    (POST /sessie/verlengen) is sent with fetch so the page stays as it is. When time is up the
 *    browser goes to /sessie-verlopen. Every htmx response with X-Session-Expires-In restarts the
 *    clock, and tabs tell each other when the session was extended.
 * 2. After an htmx swap, focus moves to [data-focus-after-swap] (or the error summary) in the new
 *    content, so keyboard and screen-reader users land on what changed.
 */
(function () {
  "use strict";

  var EXPIRED_PATH = "/sessie-verlopen";
  var FOCUS_SELECTOR = "[data-focus-after-swap], .haren-error-summary";

  function focusElement(element) {
    if (!element) {
      return;
    }
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  /* 1. Session time-out ----------------------------------------------------------------- */

  function sessionTimeout(body) {
    var expiresIn = parseInt(body.getAttribute("data-session-expires-in") || "", 10);
    var warning = parseInt(body.getAttribute("data-session-warning") || "120", 10);
    var dialog = document.getElementById("sessie-waarschuwing");
    if (isNaN(expiresIn) || !dialog || typeof dialog.showModal !== "function") {
      return;
    }
    var form = dialog.querySelector("form");
    var endsAt = dialog.querySelector("[data-session-ends-at]");
    var deadline = 0;
    var warnTimer = 0;
    var expireTimer = 0;
    var returnFocusTo = null;
    var channel = null;
    try {
      channel = new BroadcastChannel("mijnharen-sessie");
    } catch (error) {
      channel = null;
    }

    function closeDialog() {
      if (dialog.open) {
        dialog.close();
      }
    }

    function openDialog() {
      if (dialog.open) {
        return;
      }
      if (endsAt) {
        endsAt.textContent = new Date(deadline).toLocaleTimeString(
          document.documentElement.lang || "nl",
          { hour: "2-digit", minute: "2-digit" }
        );
      }
      returnFocusTo = document.activeElement;
      // showModal() moves focus to the first control; the dialog's name and description
      // (aria-labelledby, aria-describedby) are read out when focus enters it.
      dialog.showModal();
      var button = dialog.querySelector("[data-session-extend]");
      if (button) {
        button.focus();
      }
    }

    function expire() {
      var here = window.location.pathname + window.location.search;
      window.location.assign(EXPIRED_PATH + "?next=" + encodeURIComponent(here));
    }

    function schedule(seconds, tellOtherTabs) {
      var left = Math.max(0, seconds);
      deadline = Date.now() + left * 1000;
      window.clearTimeout(warnTimer);
      window.clearTimeout(expireTimer);
      if (left > warning) {
        closeDialog();
        warnTimer = window.setTimeout(openDialog, (left - warning) * 1000);
      } else {
        openDialog();
      }
      expireTimer = window.setTimeout(check, left * 1000);
      if (tellOtherTabs && channel) {
        channel.postMessage({ deadline: deadline });
      }
    }

    // Timers sleep in background tabs; check the real clock when the tab comes back.
    function check() {
      var left = (deadline - Date.now()) / 1000;
      if (left <= 0) {
        expire();
      } else {
        schedule(left, false);
      }
    }

    function scheduleFromHeader(value) {
      var seconds = parseInt(value || "", 10);
      if (!isNaN(seconds)) {
        schedule(seconds, true);
      }
    }

    dialog.addEventListener("close", function () {
      if (returnFocusTo && document.contains(returnFocusTo)) {
        returnFocusTo.focus();
      }
      returnFocusTo = null;
    });

    if (form) {
      form.addEventListener("submit", function (event) {
        var tokenField = form.querySelector("input[name=csrf_token]");
        event.preventDefault();
        fetch(form.action, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            Accept: "application/json",
            "X-CSRF-Token": tokenField ? tokenField.value : "",
          },
          body: new URLSearchParams(new FormData(form)),
        })
          .then(function (response) {
            if (!response.ok) {
              // The session has already ended (or the form expired): say so on its own page.
              expire();
              return;
            }
            var header = response.headers.get("X-Session-Expires-In");
            closeDialog();
            if (header) {
              scheduleFromHeader(header);
            }
          })
          .catch(function () {
            // No connection through fetch: fall back to the ordinary form post.
            form.submit();
          });
      });
    }

    document.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail && event.detail.xhr;
      if (xhr) {
        scheduleFromHeader(xhr.getResponseHeader("X-Session-Expires-In"));
      }
    });

    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        check();
      }
    });

    if (channel) {
      channel.onmessage = function (message) {
        var data = message.data || {};
        if (typeof data.deadline === "number" && data.deadline > deadline) {
          schedule((data.deadline - Date.now()) / 1000, false);
        }
      };
    }

    schedule(expiresIn, true);
  }

  /* 2. Focus after htmx swaps ------------------------------------------------------------ */

  // htmx fires htmx:afterSettle on each element it swapped in: look inside that element.
  function focusAfterSwap(event) {
    var scope = event.target;
    if (!scope || scope.nodeType !== 1 || !document.contains(scope)) {
      return;
    }
    focusElement(scope.matches(FOCUS_SELECTOR) ? scope : scope.querySelector(FOCUS_SELECTOR));
  }

  function start() {
    sessionTimeout(document.body);
    document.addEventListener("htmx:afterSettle", focusAfterSwap);
    // A page that comes back with errors (also without htmx) starts at its error summary.
    focusElement(document.querySelector(".haren-error-summary"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
