"""The baseline: a bare FastAPI app rendering one Jinja2 page about the size of a portal page.

Served by `portal.cli.run_server` (the options of `mijn-haren serve`) through the entry point's
hidden `--serve-bare` mode, so it runs with the same processes, event loop and HTTP parser as the
portal. The page extends a layout with a header, navigation and footer and lists 40 items: about
8 KB, like the portal's pages (the home page is 7 KB, the search 8 KB); the report prints both.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import DictLoader, Environment, select_autoescape

LAYOUT = """\
<!DOCTYPE html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ title }} - Kale pagina</title>
  <link rel="stylesheet" href="/static/css/page.css">
  <script src="/static/js/page.js" defer></script>
</head>
<body class="page">
  <a class="skip-link" href="#inhoud">Naar de inhoud</a>
  <header class="page-header">
    <a class="logo" href="/">Kale pagina</a>
    <nav aria-label="Hoofdmenu"><ul class="nav-list">
      {% for link in navigation %}
      <li class="nav-list__item">
        <a class="nav-list__link" href="{{ link.href }}">{{ link.label }}</a>
      </li>
      {% endfor %}
    </ul></nav>
  </header>
  <main id="inhoud" class="page-content">{% block content %}{% endblock %}</main>
  <footer class="page-footer">
    <p class="paragraph">Kale pagina, gemaakt met FastAPI en Jinja2 als vergelijking.</p>
  </footer>
</body>
</html>
"""

PAGE = """\
{% extends "layout.html" %}
{% block content %}
<h1 class="heading-1">{{ title }}</h1>
<p class="paragraph paragraph--lead">{{ lead }}</p>
<ul class="item-list">
  {% for item in items %}
  <li class="item-list__item" id="item-{{ loop.index }}">
    <a class="link" href="/items/{{ item.slug }}">{{ item.name }}</a>
    <span class="item-list__value">{{ item.value }}</span>
  </li>
  {% endfor %}
</ul>
{% endblock %}
"""

ITEMS = 40


def create_app() -> FastAPI:
    """The bare app (an app factory, as uvicorn's `--factory` and `workers` need)."""
    environment = Environment(
        loader=DictLoader({"layout.html": LAYOUT, "page.html": PAGE}),
        autoescape=select_autoescape(),
    )
    templates = Jinja2Templates(env=environment)
    context = {
        "title": "Kale pagina",
        "lead": "Een pagina zonder database, sessie of middleware, als ondergrens.",
        "navigation": [
            {"href": f"/{slug}", "label": slug.capitalize()}
            for slug in ("home", "producten", "afspraken", "contact")
        ],
        "items": [
            {"slug": f"product-{i}", "name": f"Product nummer {i} van de lijst", "value": i * 7}
            for i in range(1, ITEMS + 1)
        ],
    }
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "page.html", context)

    return app
