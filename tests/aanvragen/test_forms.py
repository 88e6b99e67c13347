"""Every form of the portal: it loads, it belongs to its catalogue product, it speaks English
too, and it can be filled in end to end through the portal by the right person.

`fill_in` is a generic "fill in valid answers" helper: per step it reads the page as a browser
would (which questions are shown, which options they offer), answers every visible question
with a valid value for its type, and posts the step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from formulieren import FieldDefinition, FormDefinition, LocalizedText, load_definitions
from formulieren.dates import resolve_bound, today
from portal.aanvragen.models import Draft, DraftUpload
from portal.aanvragen.web import DEFINITIONS_DIR, form_definitions
from portal.producten import service as producten
from portal.settings import Settings
from tests.aanvragen.helpers import begin, hidden_fields, page
from tests.conftest import make_settings

FORMS = load_definitions(DEFINITIONS_DIR)
REFERENCE = re.compile(r"^HRN-\d{4}-\d{6}$")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,"

# Who fills in a form with this login.
LOGIN_FOR = {
    "digid": "suzanne",
    "digid_of_eherkenning": "suzanne",
    "eherkenning": "dagobert",
    "geen": None,
    "optioneel": None,
}
# Deliberate differences between a form's login and its catalogue product's login.
LOGIN_DEVIATIONS = {
    # The form is the residents' permit (address from the BRP); a business permit with
    # eHerkenning would be a second form.
    "parkeervergunning": ("digid", "digid_of_eherkenning"),
    # Anyone may ask; logging in only adds who is asking.
    "vraag": ("optioneel", "geen"),
}
# Valid answers for text questions with a pattern.
PATTERN_SAMPLES = {"zaaknummer": "HRN-2026-000123"}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Uploads go to a folder of this test only, so "nothing stored" can be checked."""
    return make_settings(database_url, data_dir=tmp_path)


# Definitions and catalogue ---------------------------------------------------------------
def test_every_definition_loads() -> None:
    files = sorted(path.stem for path in DEFINITIONS_DIR.glob("*.toml"))
    assert sorted(FORMS) == files
    assert form_definitions().keys() == FORMS.keys()
    assert len(FORMS) >= 8


@pytest.mark.parametrize("slug", sorted(FORMS))
def test_form_belongs_to_its_catalogue_product(slug: str) -> None:
    form = FORMS[slug]
    product = producten.get_product(form.product)
    assert product is not None, f"{slug}: no product '{form.product}' in the catalogue"
    assert product.formulier == slug
    assert product.online
    expected = LOGIN_DEVIATIONS.get(slug, (product.login, product.login))
    assert (form.login, product.login) == expected


def test_every_online_product_has_a_form() -> None:
    missing = [
        f"{product.slug} (formulier '{product.formulier}')"
        for product in producten.list_products()
        if product.online and product.formulier not in FORMS
    ]
    assert missing == []


def _texts(form: FormDefinition) -> Iterator[tuple[str, Any]]:
    yield "title", form.title
    for name in ("intro", "declaration", "confirmation"):
        if getattr(form, name) is not None:
            yield name, getattr(form, name)
    for step in form.steps:
        yield f"{step.slug}.title", step.title
        if step.intro is not None:
            yield f"{step.slug}.intro", step.intro
        for field in step.fields:
            yield from _field_texts(f"{step.slug}.{field.name}", field)


def _field_texts(where: str, field: FieldDefinition) -> Iterator[tuple[str, Any]]:
    for name in ("label", "hint", "item_label", "content"):
        value = getattr(field, name)
        if value:
            yield f"{where}.{name}", value
    for name in ("message", "required_message"):
        value = getattr(field.validation, name)
        if value is not None:
            yield f"{where}.validation.{name}", value
    for option in field.options:
        yield f"{where}.{option.value}", option.label
        if option.hint is not None:
            yield f"{where}.{option.value}.hint", option.hint
    for sub in field.fields:
        yield from _field_texts(f"{where}.{sub.name}", sub)


@pytest.mark.parametrize("slug", sorted(FORMS))
def test_every_text_has_dutch_and_english(slug: str) -> None:
    untranslated = [
        where
        for where, text in _texts(FORMS[slug])
        if not isinstance(text, LocalizedText) or not text.en or not text.nl
    ]
    assert untranslated == []


@pytest.mark.parametrize("slug", sorted(FORMS))
def test_every_form_says_what_happens_next(slug: str) -> None:
    form = FORMS[slug]
    assert form.confirmation is not None
    assert form.intro is not None
    if form.login != "geen" and slug != "vraag":
        assert form.declaration is not None


# The generic "fill in valid answers" helper ---------------------------------------------
def bound(spec: object) -> date | None:
    """A datum field's `min`/`max` as a date (None when there is none)."""
    if spec is None:
        return None
    assert isinstance(spec, str | date), spec
    return resolve_bound(spec, today())


def valid_date(field: FieldDefinition) -> date:
    """A date inside the field's bounds: halfway, else on the one bound, else today."""
    low, high = bound(field.validation.min), bound(field.validation.max)
    if low is not None and high is not None:
        return low + (high - low) // 2
    return high or low or today()


def answer(field: FieldDefinition, prefix: str, html: BeautifulSoup) -> dict[str, str]:
    """Valid posted values for one question (`prefix` is its input name)."""
    kind = field.type
    if kind == "tekst":
        return {prefix: PATTERN_SAMPLES.get(field.name, "Test")}
    if kind == "tekstvak":
        return {prefix: "Test"}
    if kind == "datum":
        day = valid_date(field)
        return {f"{prefix}-dag": str(day.day), f"{prefix}-maand": str(day.month),
                f"{prefix}-jaar": str(day.year)}  # fmt: skip
    if kind == "adres":
        return {f"{prefix}-postcode": "9751 AN", f"{prefix}-huisnummer": "10",
                f"{prefix}-huisletter": "", f"{prefix}-toevoeging": "",
                f"{prefix}-straat": "Raadhuisplein", f"{prefix}-woonplaats": "Haren"}  # fmt: skip
    simple = {"bsn": "999993653", "kvk": "69599084", "iban": "NL91ABNA0417164300",
              "kenteken": "12-ABC-3", "email": "test@example.nl", "telefoon": "0612345678",
              "bedrag": "100", "getal": "1", "janee": "nee"}  # fmt: skip
    if kind in simple:
        return {prefix: simple[kind]}
    if kind in ("radio", "checkboxes"):
        first = html.select_one(f"input[name='{prefix}']")
        assert first is not None, f"no options for {prefix}"
        return {prefix: str(first["value"])}
    if kind == "keuzelijst":
        options = [o for o in html.select(f"select[name='{prefix}'] option") if o.get("value")]
        return {prefix: str(options[0]["value"])}
    raise AssertionError(f"no answer for type {kind}")


def _is_shown(field: FieldDefinition, html: BeautifulSoup) -> bool:
    """Whether the step page asks this question (locked and skipped ones are not asked)."""
    for element in html.select(f"main [name='{field.name}'], main [name^='{field.name}-']"):
        if element.get("type") != "hidden":
            return True
    return False


def step_answers(
    form: FormDefinition, step_slug: str, html: BeautifulSoup
) -> tuple[dict[str, str], list[tuple[str, tuple[str, bytes, str]]]]:
    """Valid answers for every question shown on the step, and the files to upload."""
    values: dict[str, str] = {}
    files: list[tuple[str, tuple[str, bytes, str]]] = []
    for field in form.step(step_slug).fields:
        if field.type == "inhoud" or not _is_shown(field, html):
            continue
        if field.type == "bestand":
            if field.required or field.required_if is not None:
                files.append((field.name, upload_for(field)))
        elif field.type == "groep":
            if field.required or (field.min_items or 0) > 0:
                values[f"{field.name}-aantal"] = "1"
                for sub in field.fields:
                    values.update(answer(sub, f"{field.name}-0-{sub.name}", html))
        else:
            values.update(answer(field, field.name, html))
    return values, files


def upload_for(field: FieldDefinition) -> tuple[str, bytes, str]:
    """A small valid file of a kind the field accepts: a PDF, else a PNG."""
    if not field.accept or "pdf" in field.accept:
        return ("bewijs.pdf", PDF, "application/pdf")
    assert "png" in field.accept, field.accept
    return ("foto.png", PNG, "image/png")


def answer_steps(
    client: TestClient, form: FormDefinition, url: str, *, stop_at: str | None = None
) -> str:
    """Answer every step from `url` on, until the check-answers page (or step `stop_at`);
    returns the URL reached."""
    for _ in range(len(form.steps) + 1):
        if url.endswith("/controleren") or (stop_at and url.endswith(f"/stap/{stop_at}")):
            return url
        current = client.get(url)
        assert current.status_code == 200, (url, current.text[:300])
        values, files = step_answers(form, url.rsplit("/", 1)[1], page(current))
        response = client.post(url, data={**hidden_fields(current), **values}, files=files or None)
        if response.status_code != 303:
            errors = [
                li.get_text(" ", strip=True)
                for li in page(response).select(".haren-error-summary li")
            ]
            raise AssertionError(f"{url}: {response.status_code} {errors}")
        url = str(response.headers["location"])
    raise AssertionError(f"{form.slug}: no check-answers page after {len(form.steps)} steps")


def fill_in(client: TestClient, form: FormDefinition) -> str:
    """Start the form and answer every step; returns the check-answers URL."""
    return answer_steps(client, form, begin(client, form.slug))


def send(client: TestClient, form: FormDefinition, check_url: str) -> Response:
    """Send the form from the check-answers page; returns the confirmation page."""
    check = client.get(check_url)
    assert check.status_code == 200, check.text[:300]
    fields = hidden_fields(check)
    if form.declaration is not None:
        fields["verklaring"] = "ja"
    response = client.post(check_url, data=fields)
    assert response.status_code == 303, page(response).get_text(" ", strip=True)[:500]
    assert response.headers["location"].endswith("/bevestiging")
    confirmation: Response = client.get(response.headers["location"])
    assert confirmation.status_code == 200
    return confirmation


def reference_on(confirmation: Response) -> str:
    reference = page(confirmation).select_one(".haren-reference")
    assert reference is not None
    return reference.get_text(strip=True)


# End to end -----------------------------------------------------------------------------
@pytest.mark.parametrize("slug", sorted(FORMS))
def test_form_can_be_completed_end_to_end(
    slug: str, client: TestClient, login: Callable[[str], Any], db_engine: Any
) -> None:
    form = FORMS[slug]
    who = LOGIN_FOR[form.login]
    if who is not None:
        login(who)
    confirmation = send(client, form, fill_in(client, form))
    reference = reference_on(confirmation)
    assert REFERENCE.fullmatch(reference), reference
    assert reference.startswith(f"HRN-{today().year}-")
    with Session(db_engine) as db:
        draft = db.exec(select(Draft)).one()
        assert draft.zaak_reference == reference
        assert draft.form_slug == slug


def test_optional_login_form_with_a_resident(client: TestClient, login: Any) -> None:
    login("suzanne")
    form = FORMS["vraag"]
    url = begin(client, "vraag")
    url = client.post(url, data={**hidden_fields(client.get(url)), "onderwerp": "afval",
                                 "vraag": "Wanneer?"}).headers["location"]  # fmt: skip
    html = page(client.get(url))
    assert html.select_one("input[name='naam'][type=text]") is None  # known: not asked
    assert "Suzanne Moulin" in html.select_one("main").get_text()  # type: ignore[union-attr]
    check_url = answer_steps(client, form, url)
    assert REFERENCE.fullmatch(reference_on(send(client, form, check_url)))


# Co-movers from the BRP household -------------------------------------------------------
def _co_mover_step(client: TestClient) -> str:
    return answer_steps(
        client, FORMS["verhuizing"], begin(client, "verhuizing"), stop_at="meeverhuizers"
    )


def test_lance_chooses_co_movers_from_his_household(client: TestClient, login: Any) -> None:
    login("lance")
    url = _co_mover_step(client)
    current = client.get(url)
    html = page(current)
    boxes = html.select("input[type=checkbox][name=wie]")
    labels = {
        str(box["value"]): html.select_one(f"label[for='{box['id']}']").get_text(strip=True)  # type: ignore[union-attr]
        for box in boxes
    }
    assert labels == {
        "999990949": "Marianne de Jong",
        "999992879": "Lonneke Smit",
        "999993525": "Koos Smit",
    }
    wrapper = html.select_one("[data-formulieren-toon-als]:has(input[name=wie])")
    assert wrapper is not None
    assert wrapper["data-formulieren-toon-als"] == "meeverhuizers"
    # "Ja" without choosing anyone is refused; someone outside the household too.
    refused = client.post(url, data={**hidden_fields(current), "meeverhuizers": "ja"})
    assert refused.status_code == 422
    assert [a["href"] for a in page(refused).select(".haren-error-summary a")] == ["#wie"]
    stranger = {**hidden_fields(current), "meeverhuizers": "ja", "wie": ["999993653"]}
    assert client.post(url, data=stranger).status_code == 422
    chosen = {**hidden_fields(current), "meeverhuizers": "ja", "wie": ["999993525", "999990949"]}
    response = client.post(url, data=chosen)
    assert response.status_code == 303
    check = client.get(response.headers["location"])
    rows = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text("\n", strip=True)  # type: ignore[union-attr]
        for row in page(check).select(".haren-summary-list__row")
    }
    assert rows["Wie verhuizen er met u mee?"].split("\n") == ["Marianne de Jong", "Koos Smit"]
    confirmation = send(client, FORMS["verhuizing"], response.headers["location"])
    assert REFERENCE.fullmatch(reference_on(confirmation))


def test_without_a_household_the_co_mover_question_is_skipped(
    client: TestClient, login: Any, db_engine: Any
) -> None:
    login("suzanne")
    url = _co_mover_step(client)
    current = client.get(url)
    assert page(current).select("input[name=wie]") == []
    response = client.post(url, data={**hidden_fields(current), "meeverhuizers": "ja"})
    assert response.status_code == 303
    assert response.headers["location"].endswith("/controleren")
    assert client.get(response.headers["location"]).status_code == 200
    with Session(db_engine) as db:
        assert db.exec(select(Draft)).one().answers["meeverhuizers"] == {"meeverhuizers": "ja"}


# Without login ---------------------------------------------------------------------------
def test_report_without_login_belongs_to_this_browser_only(
    client: TestClient, app: FastAPI
) -> None:
    form = FORMS["melding-openbare-ruimte"]
    first = begin(client, form.slug)
    check_url = fill_in(client, form)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as other:
        assert other.get(first).status_code == 404
        assert other.get(check_url).status_code == 404
        assert other.post(check_url, data={}).status_code in (403, 404)
    assert REFERENCE.fullmatch(reference_on(send(client, form, check_url)))


# Uploads ---------------------------------------------------------------------------------
def _photo_step(client: TestClient) -> str:
    form = FORMS["melding-openbare-ruimte"]
    return answer_steps(client, form, begin(client, form.slug), stop_at="fotos")


def test_a_gif_named_png_is_refused_and_nothing_is_stored(
    client: TestClient, db_engine: Any, settings: Settings
) -> None:
    url = _photo_step(client)
    current = client.get(url)
    assert page(current).select_one("main form[enctype='multipart/form-data']") is not None
    response = client.post(
        url, data=hidden_fields(current), files=[("fotos", ("foto.png", GIF, "image/png"))]
    )
    assert response.status_code == 422
    html = page(response)
    summary = [a.get_text(" ", strip=True) for a in html.select(".haren-error-summary a")]
    assert summary == [
        "Het bestand ‘foto.png’ is geen toegestaan bestandstype. Toegestaan: JPG, PNG, HEIC"
    ]
    assert [a["href"] for a in html.select(".haren-error-summary a")] == ["#fotos"]
    assert html.select_one("#fotos[aria-invalid=true]") is not None
    with Session(db_engine) as db:
        assert db.exec(select(DraftUpload)).all() == []
        assert not (db.exec(select(Draft)).one().answers.get("fotos") or {}).get("fotos")
    stored = settings.data_dir / "bestanden"
    assert not stored.exists() or [p for p in stored.iterdir()] == []


def test_a_real_photo_is_kept(client: TestClient, db_engine: Any, settings: Settings) -> None:
    url = _photo_step(client)
    current = client.get(url)
    response = client.post(
        url, data=hidden_fields(current), files=[("fotos", ("lamp.png", PNG, "image/png"))]
    )
    assert response.status_code == 303
    with Session(db_engine) as db:
        assert [u.filename for u in db.exec(select(DraftUpload)).all()] == ["lamp.png"]
    assert len(list((settings.data_dir / "bestanden").iterdir())) == 1


def test_valid_date_helper_stays_within_bounds() -> None:
    for form in FORMS.values():
        for _, field in form.iter_fields():
            for candidate in [field, *field.fields]:
                if candidate.type != "datum":
                    continue
                day = valid_date(candidate)
                low, high = bound(candidate.validation.min), bound(candidate.validation.max)
                assert low is None or day >= low
                assert high is None or day <= high
    assert valid_date(FieldDefinition(name="d", type="datum", label="D")) == today()
