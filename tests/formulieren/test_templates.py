"""Every field template renders, with labels, hints and errors wired for assistive technology."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from formulieren import FieldError, FormDefinition, process_step, step_fields, text_resolver
from formulieren.fields import field_types

from .conftest import SUZANNE, TODAY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture(scope="module")
def env() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
    )
    environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return environment


def render(
    env: Environment,
    form: FormDefinition,
    step: str,
    *,
    language: str = "nl",
    answers: dict[str, Any] | None = None,
    prefill: dict[str, Any] | None = None,
    result: Any = None,
) -> BeautifulSoup:
    views = step_fields(
        form,
        form.step(step),
        language=language,
        prefill=SUZANNE if prefill is None else prefill,
        answers=answers or {},
        form_values=result.form_values if result else None,
        errors=result.errors if result else (),
        today=TODAY,
    )
    html = env.get_template("formulieren/_step_fields.html").render(
        step_fields=views, t=text_resolver(language), language=language
    )
    return BeautifulSoup(html, "html.parser")


def one(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    found = soup.select(selector)
    assert len(found) == 1, f"{selector}: {len(found)} matches"
    return found[0]


def describedby(element: Tag) -> list[str]:
    return str(element.get("aria-describedby", "")).split()


ALL_STEPS = ["persoon", "adres", "verhuurder", "overig"]
RENTED_WITH_PEOPLE = {"adres": {"woonsituatie": "huur", "meeverhuizers": "ja"}}


def test_every_field_type_is_rendered(env: Environment, form: FormDefinition) -> None:
    rendered = set()
    for step in ALL_STEPS:
        views = step_fields(
            form, form.step(step), language="nl", answers=RENTED_WITH_PEOPLE, today=TODAY
        )
        rendered |= {view.field.type for view in views}
        rendered |= {child.field.type for view in views for row in view.children for child in row}
        render(env, form, step, answers=RENTED_WITH_PEOPLE)
    assert rendered == field_types()


@pytest.mark.parametrize("step", ALL_STEPS)
def test_no_required_no_inline_style_no_script(
    env: Environment, form: FormDefinition, step: str
) -> None:
    soup = render(env, form, step, answers=RENTED_WITH_PEOPLE)
    assert soup.select("[required]") == []
    assert soup.select("[style]") == []
    assert soup.select("script") == []
    assert [tag for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)] == []


@pytest.mark.parametrize("step", ALL_STEPS)
def test_every_input_has_a_label_or_is_hidden(
    env: Environment, form: FormDefinition, step: str
) -> None:
    soup = render(env, form, step, answers=RENTED_WITH_PEOPLE)
    for control in soup.select("input:not([type=hidden]), select, textarea"):
        assert control.get("id"), control
        assert soup.select(f"label[for='{control['id']}']"), f"no label for {control['id']}"
        assert control.get("name"), control


def test_text_input_with_hint_and_error(env: Environment, form: FormDefinition) -> None:
    soup = render(env, form, "persoon")
    field = one(soup, "#telefoon")
    assert (
        one(soup, "label.utrecht-form-label[for=telefoon]").get_text(strip=True) == "Telefoonnummer"
    )
    assert describedby(field) == ["telefoon-hint"]
    assert (
        one(soup, "#telefoon-hint.utrecht-form-field-description")
        .get_text(strip=True)
        .startswith("We bellen")
    )
    assert field["type"] == "tel"
    assert field["autocomplete"] == "tel"
    assert "aria-invalid" not in field.attrs

    result = process_step(
        form,
        "persoon",
        {"naam": ["Suzanne Moulin"], "bsn": ["999993653"], "telefoon": ["12"]},
        {},
        SUZANNE,
        "nl",
        today=TODAY,
    )
    soup = render(env, form, "persoon", result=result)
    field = one(soup, "#telefoon")
    assert describedby(field) == ["telefoon-hint", "telefoon-error"]
    assert field["aria-invalid"] == "true"
    assert field["value"] == "12"
    error = one(soup, "#telefoon-error.utrecht-form-field-error-message")
    assert one(error, ".haren-visually-hidden").get_text(strip=True) == "Fout:"
    assert "Vul een telefoonnummer in" in error.get_text()
    wrapper = field.find_parent(class_="utrecht-form-field")
    assert wrapper is not None
    assert "utrecht-form-field--invalid" in wrapper["class"]


def test_every_error_links_to_an_element_on_the_page(
    env: Environment, form: FormDefinition
) -> None:
    cases = [
        ("persoon", {"naam": ["x"], "telefoon": ["12"], "email": ["nee"]}, {}),
        (
            "adres",
            {
                "nieuw_adres-postcode": ["0000"],
                "woonsituatie": ["?"],
                "meeverhuizers": ["ja"],
                "personen-aantal": ["1"],
                "personen-0-naam": ["Jan"],
            },
            {},
        ),
        ("verhuurder", {"verhuurder_kvk": ["1"], "huur": ["veel"]}, RENTED_WITH_PEOPLE),
        (
            "overig",
            {"kamers": ["0"], "voorzieningen": ["parkeerplaats"], "reden": ["?"], "iban": ["NL00"]},
            {},
        ),
    ]
    for step, posted, answers in cases:
        result = process_step(form, step, posted, {}, SUZANNE, "nl", answers=answers, today=TODAY)
        assert result.errors
        soup = render(env, form, step, answers=answers, result=result)
        for error in result.errors:
            target = soup.select_one(f"#{error.field_id}")
            assert target is not None, f"{step}: nothing with id {error.field_id}"


def test_optional_fields_say_so(env: Environment, form: FormDefinition) -> None:
    soup = render(env, form, "persoon")
    assert one(soup, "label[for=email]").get_text(" ", strip=True) == "E-mailadres (niet verplicht)"
    assert "niet verplicht" not in one(soup, "label[for=telefoon]").get_text()


def test_locked_prefill_is_text_with_provenance_and_a_hidden_input(
    env: Environment, form: FormDefinition
) -> None:
    soup = render(env, form, "persoon")
    assert soup.select("input#naam, input[name=naam]:not([type=hidden])") == []
    locked = one(soup, ".haren-field--locked:has(#naam)")
    assert one(locked, "#naam").get_text(strip=True) == "Suzanne Moulin"
    assert "Deze gegevens komen uit de Basisregistratie Personen" in locked.get_text()
    assert one(locked, "input[type=hidden][name=naam]")["value"] == "Suzanne Moulin"
    assert one(soup, "input[type=hidden][name=bsn]")["value"] == "999993653"


def test_locked_tamper_error_is_shown_on_the_locked_field(
    env: Environment, form: FormDefinition
) -> None:
    result = process_step(
        form, "persoon", {"naam": ["Ander"], "bsn": ["999993653"]}, {}, SUZANNE, "nl", today=TODAY
    )
    assert result.errors[0] == FieldError(
        "naam",
        "Dit gegeven komt uit de Basisregistratie Personen en kunt u hier niet wijzigen",
        "naam",
    )
    soup = render(env, form, "persoon", result=result)
    assert describedby(one(soup, "#naam")) == ["naam-error"]
    assert one(soup, "input[type=hidden][name=naam]")["value"] == "Suzanne Moulin"


def test_without_prefill_a_locked_field_is_an_input(env: Environment, form: FormDefinition) -> None:
    soup = render(env, form, "persoon", prefill={})
    assert one(soup, "input#naam.utrecht-textbox")["name"] == "naam"


def test_date_input(env: Environment, form: FormDefinition) -> None:
    soup = render(env, form, "persoon")
    fieldset = one(soup, "fieldset:has(#geboortedatum-dag)")
    assert (
        one(fieldset, "legend.utrecht-form-fieldset__legend").get_text(strip=True)
        == "Geboortedatum"
    )
    assert describedby(fieldset) == ["geboortedatum-hint"]
    for part, token, value in [
        ("dag", "day", "27"),
        ("maand", "month", "3"),
        ("jaar", "year", "1985"),
    ]:
        box = one(fieldset, f"input#geboortedatum-{part}")
        assert box["name"] == f"geboortedatum-{part}"
        assert box["inputmode"] == "numeric"
        assert box["autocomplete"] == f"bday-{token}"
        assert box["value"] == value
        assert one(fieldset, f"label[for=geboortedatum-{part}]")


def test_date_error_marks_only_the_wrong_part(env: Environment, form: FormDefinition) -> None:
    posted = {
        "naam": ["Suzanne Moulin"],
        "bsn": ["999993653"],
        "telefoon": ["0612345678"],
        "geboortedatum-dag": ["1"],
        "geboortedatum-maand": ["13"],
        "geboortedatum-jaar": ["1985"],
    }
    result = process_step(form, "persoon", posted, {}, SUZANNE, "nl", today=TODAY)
    soup = render(env, form, "persoon", result=result)
    assert describedby(one(soup, "fieldset:has(#geboortedatum-dag)")) == [
        "geboortedatum-hint",
        "geboortedatum-error",
    ]
    assert one(soup, "#geboortedatum-maand").get("aria-invalid") == "true"
    assert one(soup, "#geboortedatum-dag").get("aria-invalid") is None
    assert one(soup, "#geboortedatum-maand")["value"] == "13"


def test_address_parts(env: Environment, form: FormDefinition) -> None:
    result = process_step(
        form,
        "adres",
        {"nieuw_adres-postcode": ["12"], "nieuw_adres-huisnummer": ["1"]},
        {},
        {},
        "nl",
        today=TODAY,
    )
    soup = render(env, form, "adres", result=result)
    fieldset = one(soup, "fieldset:has(#nieuw_adres-postcode)")
    assert one(fieldset, "legend").get_text(strip=True) == "Nieuw adres"
    postcode = one(fieldset, "#nieuw_adres-postcode")
    assert postcode["autocomplete"] == "postal-code"
    assert postcode["aria-invalid"] == "true"
    assert describedby(postcode) == ["nieuw_adres-postcode-error"]
    assert "Vul een postcode in" in one(soup, "#nieuw_adres-postcode-error").get_text()
    assert one(fieldset, "#nieuw_adres-huisnummer")["inputmode"] == "numeric"
    assert one(fieldset, "#nieuw_adres-huisnummer").get("aria-invalid") is None
    assert one(fieldset, "#nieuw_adres-woonplaats")["autocomplete"] == "address-level2"
    assert "(niet verplicht)" in one(fieldset, "label[for=nieuw_adres-huisletter]").get_text()


def test_radios_in_a_fieldset(env: Environment, form: FormDefinition) -> None:
    soup = render(env, form, "adres", answers={"adres": {"woonsituatie": "huur"}})
    fieldset = one(soup, "fieldset.utrecht-form-fieldset:has(input[name=woonsituatie])")
    assert (
        one(fieldset, "legend.utrecht-form-fieldset__legend").get_text(strip=True)
        == "Hoe gaat u wonen?"
    )
    radios = fieldset.select("input.utrecht-radio-button[type=radio]")
    assert [radio["id"] for radio in radios] == ["woonsituatie", "woonsituatie-2", "woonsituatie-3"]
    assert [radio["value"] for radio in radios if radio.has_attr("checked")] == ["huur"]
    assert describedby(radios[1]) == ["woonsituatie-2-hint"]
    assert one(fieldset, "#woonsituatie-2-hint").get_text(strip=True) == "Ook sociale huur"
    janee = one(soup, "fieldset:has(input[name=meeverhuizers])")
    assert [label.get_text(strip=True) for label in janee.select("label")] == ["Ja", "Nee"]


def test_choice_error_on_the_fieldset_and_inputs(env: Environment, form: FormDefinition) -> None:
    result = process_step(form, "adres", {}, {}, {}, "nl", today=TODAY)
    soup = render(env, form, "adres", result=result)
    fieldset = one(soup, "fieldset:has(input[name=woonsituatie])")
    assert describedby(fieldset) == ["woonsituatie-error"]
    assert all(radio["aria-invalid"] == "true" for radio in fieldset.select("input"))


def test_checkboxes_select_and_textarea(env: Environment, form: FormDefinition) -> None:
    soup = render(
        env,
        form,
        "overig",
        answers={"overig": {"voorzieningen": ["tuin", "lift"], "reden": "studie"}},
    )
    boxes = soup.select("input.utrecht-checkbox[name=voorzieningen]")
    assert [box["id"] for box in boxes] == ["voorzieningen", "voorzieningen-2", "voorzieningen-3"]
    assert [box["value"] for box in boxes if box.has_attr("checked")] == ["lift", "tuin"]
    select = one(soup, "select.utrecht-select#reden")
    assert one(select, "option[selected]")["value"] == "studie"
    assert one(soup, "#kamers")["inputmode"] == "numeric"
    soup = render(env, form, "verhuurder", answers=RENTED_WITH_PEOPLE)
    assert one(soup, "textarea.utrecht-textarea#toelichting")["name"] == "toelichting"
    assert one(soup, "#huur")["inputmode"] == "decimal"
    assert one(soup, "h2.utrecht-heading-2").get_text(strip=True) == "Over uw huur"
    assert len(soup.select(".haren-content p.utrecht-paragraph")) == 2


def test_same_step_condition_is_rendered_for_progressive_enhancement(
    env: Environment, form: FormDefinition
) -> None:
    soup = render(env, form, "overig")
    wrapper = one(soup, "[data-formulieren-toon-als]:has(#kenteken)")
    assert wrapper["data-formulieren-toon-als"] == "voorzieningen"


def test_repeating_group(env: Environment, form: FormDefinition) -> None:
    answers = {
        "adres": {
            "meeverhuizers": "ja",
            "personen": [
                {"naam": "Jan", "geboortedatum": "2010-02-01"},
                {"naam": "Piet", "geboortedatum": None},
            ],
        }
    }
    soup = render(env, form, "adres", answers=answers)
    group = one(soup, "fieldset#personen")
    assert one(group, "input[type=hidden][name=personen-aantal]")["value"] == "2"
    items = group.select("fieldset.haren-group__item")
    assert [one(item, ":scope > legend").get_text(strip=True) for item in items] == [
        "Persoon 1",
        "Persoon 2",
    ]
    assert one(items[0], "input#personen-0-naam")["value"] == "Jan"
    assert one(items[0], "label[for=personen-0-naam]").get_text(strip=True) == "Naam"
    assert (
        one(items[1], "input#personen-1-geboortedatum-dag")["name"]
        == "personen-1-geboortedatum-dag"
    )
    remove = one(items[1], "button[name=actie]")
    assert remove["value"] == "verwijderen:personen:1"
    assert one(remove, ".haren-visually-hidden").get_text(strip=True) == "Persoon 2"
    assert one(group, "button[value='toevoegen:personen']")["type"] == "submit"


def test_group_child_errors(env: Environment, form: FormDefinition) -> None:
    posted = {
        "meeverhuizers": ["ja"],
        "personen-aantal": ["1"],
        "personen-0-naam": ["Jan"],
        "personen-0-geboortedatum-dag": ["40"],
        "personen-0-geboortedatum-maand": ["1"],
        "personen-0-geboortedatum-jaar": ["2000"],
    }
    result = process_step(form, "adres", posted, {}, {}, "nl", today=TODAY)
    assert "personen-0-geboortedatum-dag" in [error.field_id for error in result.errors]
    soup = render(env, form, "adres", result=result)
    child = one(
        soup, "fieldset:has(#personen-0-geboortedatum-dag):not(#personen, .haren-group__item)"
    )
    assert describedby(child) == ["personen-0-geboortedatum-error"]
    assert one(soup, "#personen-0-geboortedatum-dag")["aria-invalid"] == "true"
    assert soup.select("#personen-error") == []  # the group itself is fine


def test_file_upload(env: Environment, form: FormDefinition) -> None:
    answers = {
        "overig": {
            "bewijs": [{"ref": "r1", "naam": "akte.pdf", "type": "application/pdf", "grootte": 10}]
        }
    }
    soup = render(env, form, "overig", answers=answers)
    upload = one(soup, "input[type=file]#bewijs")
    assert upload["name"] == "bewijs"
    assert upload.has_attr("multiple")
    assert ".pdf" in upload["accept"]
    assert "image/png" in upload["accept"]
    assert describedby(upload) == ["bewijs-regels"]
    assert "Maximaal 4,8 MB per bestand" in one(soup, "#bewijs-regels").get_text()
    remove = one(soup, "button[value='verwijderen:bewijs:0']")
    assert "akte.pdf" in remove.get_text()


def test_english(env: Environment, form: FormDefinition) -> None:
    soup = render(env, form, "persoon", language="en", prefill={})
    assert one(soup, "label[for=naam]").get_text(strip=True) == "Name"


def test_declaration(env: Environment, form: FormDefinition) -> None:
    template = env.get_template("formulieren/_declaration.html")
    soup = BeautifulSoup(
        template.render(form=form, t=text_resolver("nl"), declaration_error="Bevestig"),
        "html.parser",
    )
    box = one(soup, "input.utrecht-checkbox#verklaring")
    assert box["value"] == "ja"
    assert box["aria-invalid"] == "true"
    assert describedby(box) == ["verklaring-error"]
    assert one(soup, "label[for=verklaring]").get_text(strip=True).startswith("Ik verklaar")


def test_whole_date_errors_mark_every_part(env: Environment, form: FormDefinition) -> None:
    posted = {"naam": ["Suzanne Moulin"], "bsn": ["999993653"], "telefoon": ["0612345678"]}
    for extra in (
        {},
        {"geboortedatum-dag": ["1"], "geboortedatum-maand": ["1"], "geboortedatum-jaar": ["2030"]},
    ):
        result = process_step(form, "persoon", {**posted, **extra}, {}, SUZANNE, "nl", today=TODAY)
        assert [error.field_id for error in result.errors] == ["geboortedatum-dag"]
        soup = render(env, form, "persoon", result=result)
        for part in ("dag", "maand", "jaar"):
            assert one(soup, f"#geboortedatum-{part}")["aria-invalid"] == "true"


def test_empty_required_address_shows_its_error_at_the_postcode(
    env: Environment, form: FormDefinition
) -> None:
    result = process_step(form, "adres", {}, {}, {}, "nl", today=TODAY)
    assert result.errors[0].field_id == "nieuw_adres-postcode"
    soup = render(env, form, "adres", result=result)
    postcode = one(soup, "#nieuw_adres-postcode")
    assert describedby(postcode) == ["nieuw_adres-postcode-error"]
    assert (
        one(soup, "#nieuw_adres-postcode-error").get_text(" ", strip=True)
        == "Fout: Vul ‘Nieuw adres’ in"
    )
