"""The portal's scenarios and what they need: sessions, drafts and completed drafts."""

from __future__ import annotations

import html
import queue
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from .definition import (
    EXPECTED_FIELDS,
    FORM_SLUG,
    RESIDENT_BSN,
    STEP_SLUG,
    check_step_page,
    posted_values,
)
from .load import Client, Exhausted, expect, new_http_client
from .servers import Server

_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_-]+)" value="([^"]*)">')


def hidden_inputs(page: str) -> dict[str, str]:
    """The hidden inputs of a page, as a browser would send them back."""
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(page)}


def database_label(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else url.split("+", 1)[0].split(":", 1)[0]


def safe_url(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


class Portal:
    """What the load needs of one portal server: its settings, database and drafts."""

    def __init__(self, database_url: str, server: Server, settings: Any) -> None:
        from formulieren import dates
        from portal.database import make_engine

        self.database_url = database_url
        self.server = server
        self.settings = settings
        self.engine = make_engine(database_url)
        self.answers: dict[str, Any] = {}
        self.tokens: list[str] = []
        self.submit_queue: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self.since = datetime.now(UTC) - timedelta(seconds=1)  # a reused database has older cases
        self.posted = posted_values(dates.today())  # the engine's today (Europe/Amsterdam)

    def close(self) -> None:
        self.remove_open_drafts()
        self.end_sessions()
        self.engine.dispose()

    def remove_open_drafts(self) -> None:
        """Unsent drafts of the bench form (left by an earlier run, or prepared and not used).

        Otherwise starting the form would resume one of them instead of beginning anew.
        """
        from sqlalchemy import delete
        from sqlmodel import Session, col

        from portal.aanvragen.models import Draft

        with Session(self.engine) as db:
            db.execute(
                delete(Draft).where(
                    col(Draft.form_slug) == FORM_SLUG, col(Draft.submitted_at).is_(None)
                )
            )
            db.commit()

    def end_sessions(self) -> None:
        from sqlmodel import Session

        from auth.sessions import end_session

        with Session(self.engine) as db:
            for token in self.tokens:
                end_session(db, token=token)
            db.commit()

    def step_url(self, draft_id: str) -> str:
        return f"/formulieren/{FORM_SLUG}/{draft_id}/stap/{STEP_SLUG}"

    def check_url(self, draft_id: str) -> str:
        return f"/formulieren/{FORM_SLUG}/{draft_id}/controleren"

    def log_in(self, count: int) -> list[str]:
        """`count` server-side sessions of the resident, as tests/conftest.py's `login` makes."""
        from sqlmodel import Session

        from auth.dependencies import session_policy
        from auth.identity import DIGID_LEVELS, Identity
        from auth.sessions import create_session

        identity = Identity(
            provider="digid", subject=RESIDENT_BSN, bsn=RESIDENT_BSN, loa=DIGID_LEVELS[1]
        )
        with Session(self.engine) as db:
            tokens = [
                create_session(
                    db, identity=identity, id_token="", policy=session_policy(self.settings)
                )
                for _ in range(count)
            ]
            db.commit()
        self.tokens += tokens
        return tokens

    def new_drafts(self, count: int, answers: dict[str, Any]) -> list[tuple[str, str]]:
        """`count` drafts of the resident holding `answers`: (id, submission token) each."""
        return insert_drafts(
            self.engine, self.settings, count, answers, form_slug=FORM_SLUG, bsn=RESIDENT_BSN
        )

    def draft_answers(self, draft_id: str) -> dict[str, Any]:
        from sqlmodel import Session

        from portal.aanvragen.models import Draft

        with Session(self.engine) as db:
            draft = db.get(Draft, draft_id)
            assert draft is not None
            return dict(draft.answers)

    def walk_through_once(self, token: str) -> None:
        """The whole form over HTTP once, checking every page; keeps the saved answers."""
        cookie = session_cookie(self.settings)
        with new_http_client(self.server.url, {cookie: token}) as http:
            start = http.get(f"/formulieren/{FORM_SLUG}")
            assert start.status_code == 200, start.text[:300]
            begun = http.post(f"/formulieren/{FORM_SLUG}", data=hidden_inputs(start.text))
            assert begun.status_code == 303, begun.text[:300]
            step_url = begun.headers["location"]
            assert step_url.endswith(f"/stap/{STEP_SLUG}"), step_url
            step = http.get(step_url)
            assert step.status_code == 200, step.text[:300]
            check_step_page(step.text)
            posted = {**hidden_inputs(step.text), **self.posted}
            saved = http.post(step_url, data=posted)
            assert saved.status_code == 303, error_summary(saved.text)
            check_url = saved.headers["location"]
            assert check_url.endswith("/controleren"), check_url
            check = http.get(check_url)
            assert check.status_code == 200, check.text[:300]
            assert "Rijksstraatweg 42" in check.text, check.text[:300]
            assert "12-ABC-3" in check.text, check.text[:300]
            draft_id = check_url.split("/")[-2]
            self.answers = self.draft_answers(draft_id)
            assert len(self.answers[STEP_SLUG]) >= EXPECTED_FIELDS - 1, self.answers
            fields = {**hidden_inputs(check.text), "verklaring": "ja"}
            sent = http.post(check_url, data=fields)
            assert sent.status_code == 303, sent.text[:300]
            confirmation = http.get(sent.headers["location"])
            assert confirmation.status_code == 200, confirmation.text[:300]
            assert re.search(r"HRN-\d{4}-", confirmation.text), confirmation.text[:300]
        # A cloned draft's check page hands out the token the submit scenario will send.
        (draft_id, submission_token), *_ = self.new_drafts(1, self.answers)
        with new_http_client(self.server.url, {cookie: token}) as http:
            page = http.get(self.check_url(draft_id))
            assert page.status_code == 200, page.text[:300]
            assert hidden_inputs(page.text)["indieningstoken"] == submission_token

    def clients(self, count: int) -> list[Client]:
        """`count` logged-in visitors, each with an empty draft of its own and a CSRF token."""
        cookie = session_cookie(self.settings)
        drafts = self.new_drafts(count, {})
        made = []
        for token, (draft_id, _) in zip(self.log_in(count), drafts, strict=True):
            client = Client(new_http_client(self.server.url, {cookie: token}))
            client.step_url = self.step_url(draft_id)
            page = client.http.get(client.step_url)  # also fills the session's BRP cache
            assert page.status_code == 200, page.text[:300]
            client.hidden = hidden_inputs(page.text)  # csrf_token and the locked name
            made.append(client)
        return made

    def show_step(self, client: Client) -> str | None:
        return expect(client.http.get(client.step_url), 200)

    def save_step(self, client: Client) -> str | None:
        data = {**client.hidden, **self.posted}
        return expect(client.http.post(client.step_url, data=data), 303, "/controleren")

    def submit(self, client: Client) -> str | None:
        try:
            draft_id, submission_token = self.submit_queue.get_nowait()
        except queue.Empty:
            raise Exhausted from None
        data = {"csrf_token": client.csrf, "indieningstoken": submission_token, "verklaring": "ja"}
        response = client.http.post(self.check_url(draft_id), data=data)
        return expect(response, 303, f"/{draft_id}/bevestiging")

    def check_cases(self, expected: int) -> None:
        """Exactly once: one case per successful submit (and one e-mail each)."""
        from sqlalchemy import func
        from sqlmodel import Session, col, select

        from portal.berichten.models import OutboxMessage
        from portal.zaken.models import Zaak

        with Session(self.engine) as db:
            cases = db.exec(
                select(func.count())
                .select_from(Zaak)
                .where(col(Zaak.form_slug) == FORM_SLUG, col(Zaak.received_at) >= self.since)
            ).one()
            mails = db.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(col(OutboxMessage.created_at) >= self.since)
            ).one()
        print(f"  {database_label(self.database_url)}: {cases} cases, {mails} e-mails queued")
        assert cases == expected, f"{cases} cases for {expected} successful submits"

    def fill_submit_queue(self, count: int) -> None:
        for item in self.new_drafts(count, self.answers):
            self.submit_queue.put(item)

    def empty_submit_queue(self) -> None:
        while not self.submit_queue.empty():
            self.submit_queue.get_nowait()


def insert_drafts(
    engine: Any,
    settings: Any,
    count: int,
    answers: dict[str, Any],
    *,
    form_slug: str,
    bsn: str,
) -> list[tuple[str, str]]:
    """`count` drafts of `form_slug` of the resident `bsn` holding `answers`: (id, submission
    token) each. A resident has one open draft per form when going through the portal; the
    benchmarks need many, to give every client its own.

    The rows are what `service.start_draft` and `service.save_answers` write, inserted in one
    batch (a flush per draft would make preparing thousands slow).
    """
    from sqlmodel import Session

    from portal.aanvragen import web
    from portal.aanvragen.models import Draft

    now = datetime.now(UTC)
    drafts = [
        Draft(
            id=secrets.token_hex(16),
            form_slug=form_slug,
            owner=f"bsn:{bsn}",
            answers=answers,
            current_step="",
            created_at=now,
            updated_at=now,
            expires_at=now + web.draft_lifetime(settings),
            submission_token=secrets.token_urlsafe(32),
        )
        for _ in range(count)
    ]
    made = [(draft.id, draft.submission_token) for draft in drafts]
    with Session(engine) as db:
        db.add_all(drafts)
        db.commit()
    return made


def session_cookie(settings: Any) -> str:
    from auth.dependencies import session_cookie_name

    return str(session_cookie_name(settings))


def error_summary(page: str) -> str:
    found = re.findall(r'<a href="#([^"]+)"[^>]*>([^<]+)</a>', page)
    return "; ".join(f"{anchor}: {text.strip()}" for anchor, text in found) or page[:500]
