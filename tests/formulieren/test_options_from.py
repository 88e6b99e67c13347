"""Choice fields whose options come from prefill (`options_from`): loading, validation against
the prefilled options, labels on the check page, and skipping the field when there are none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from formulieren import (
    FormDefinition,
    FormDefinitionError,
    clean_answers,
    first_incomplete_step,
    is_complete,
    load_definitions,
    process_step,
    step_fields,
    summary,
    text_resolver,
    visible_steps,
)
from formulieren.options import prefilled_options, with_prefilled_options

from .conftest import TODAY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

FORM = """
title = "Verhuizing"
product = "verhuizing"
login = "digid"
prefill_sources = ["brp"]

[[steps]]
slug = "mee"
title = "Wie verhuizen er mee?"

[[steps.fields]]
name = "meeverhuizers"
type = "janee"
label = "Verhuizen er mensen met u mee?"

[[steps.fields]]
name = "wie"
type = "checkboxes"
label = {nl = "Wie verhuizen er met u mee?", en = "Who is moving with you?"}
options_from = "brp.huisgenoten"
condition = {field = "meeverhuizers", equals = "ja"}

[[steps]]
slug = "contact"
title = "Contact"

[[steps.fields]]
name = "contactpersoon"
type = "radio"
label = "Wie is de contactpersoon?"
options_from = "brp.huisgenoten"

[[steps.fields]]
name = "slaapkamer"
type = "keuzelijst"
label = "Wie krijgt de grootste slaapkamer?"
required = false
options_from = "brp.huisgenoten"

[[steps.fields]]
name = "opmerking"
type = "tekst"
label = "Opmerking"
required = false
"""

HUISGENOTEN = [
    {"value": "999990860", "label": "Anna de Vries"},
    {"value": "999990871", "label": {"nl": "Bram (zoon)", "en": "Bram (son)"}},
    {"value": "999990883", "label": "Cato de Vries"},
]
LANCE = {"brp.naam": "Lance de Vries", "brp.huisgenoten": HUISGENOTEN}
ALONE: dict[str, Any] = {"brp.naam": "Suzanne Moulin", "brp.huisgenoten": []}


@pytest.fixture
def form(tmp_path: Path) -> FormDefinition:
    (tmp_path / "verhuizing.toml").write_text(FORM, encoding="utf-8")
    return load_definitions(tmp_path)["verhuizing"]


def error(tmp_path: Path, fields: str, sources: str = '["brp"]') -> str:
    header = (
        f'title = "T"\nproduct = "p"\nlogin = "digid"\nprefill_sources = {sources}\n'
        '[[steps]]\nslug = "a"\ntitle = "A"\n'
    )
    (tmp_path / "f.toml").write_text(header + fields, encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        load_definitions(tmp_path)
    return str(caught.value)


def field(type_name: str, extra: str) -> str:
    return f'[[steps.fields]]\nname = "x"\ntype = "{type_name}"\nlabel = "X"\n{extra}\n'


def post(values: dict[str, str | list[str]]) -> dict[str, list[str]]:
    return {key: [value] if isinstance(value, str) else value for key, value in values.items()}


# Loading ------------------------------------------------------------------------------------
def test_definition_loads_and_asks_for_the_key(form: FormDefinition) -> None:
    assert form.field("wie").options_from == "brp.huisgenoten"
    assert form.field("wie").options_source == "brp"
    assert form.field("wie").options == []
    assert form.prefill_keys() == ["brp.huisgenoten"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            field("checkboxes", 'options_from = "brp..huisgenoten"'),
            "ongeldige options_from-sleutel 'brp..huisgenoten' (zoals 'brp.huisgenoten')",
        ),
        (
            field("checkboxes", 'options_from = "huisgenoten"'),
            "ongeldige options_from-sleutel 'huisgenoten'",
        ),
        (
            field("radio", 'options_from = "kvk.vestigingen"'),
            "options_from uit 'kvk' staat niet in 'prefill_sources'",
        ),
        (
            field(
                "radio",
                'options_from = "brp.huisgenoten"\noptions = [{value = "a", label = "A"}]',
            ),
            "geef 'options' of 'options_from', niet allebei",
        ),
        (field("radio", ""), "'options' ontbreekt (of 'options_from')"),
        (
            field("tekst", 'options_from = "brp.huisgenoten"'),
            "alleen radio, keuzelijst en checkboxes kunnen 'options_from' hebben",
        ),
        (
            field("janee", 'options_from = "brp.huisgenoten"'),
            "'janee' heeft vaste opties ja en nee",
        ),
        (
            field("groep", "")
            + '[[steps.fields.fields]]\nname = "wie"\ntype = "radio"\nlabel = "Wie"\n'
            'options_from = "brp.huisgenoten"\n',
            "'wie': velden in een groep hebben geen 'options_from'",
        ),
    ],
)
def test_definition_errors(tmp_path: Path, fields: str, expected: str) -> None:
    message = error(tmp_path, fields)
    assert message.startswith("f.toml, stap 'a', veld 'x': ")
    assert expected in message


# The options in the prefill value ---------------------------------------------------------
def test_unusable_items_are_left_out() -> None:
    raw = [
        {"value": "1", "label": "Een"},
        {"value": "1", "label": "Een, nog eens"},
        {"value": 2, "label": "Twee"},
        {"value": "", "label": "Leeg"},
        {"value": "3"},
        {"value": "4", "label": "  "},
        {"value": "5", "label": {"nl": "Vijf", "en": "Five"}, "hint": "Vijfde"},
        {"value": True, "label": "Waar"},
        {"value": "6", "label": "Zes", "extra": "genegeerd"},
        "7",
        None,
    ]
    options = prefilled_options(raw)
    assert [option.value for option in options] == ["1", "2", "5", "6"]
    assert options[2].hint == "Vijfde"
    assert prefilled_options(None) == prefilled_options("1,2") == prefilled_options({}) == []


def test_field_gets_a_copy_with_the_options(form: FormDefinition) -> None:
    definition = form.field("wie")
    copy = with_prefilled_options(definition, LANCE)
    assert copy is not None
    assert copy is not definition
    assert [option.value for option in copy.options] == ["999990860", "999990871", "999990883"]
    assert definition.options == []  # the loaded definition is never changed
    assert with_prefilled_options(definition, ALONE) is None
    assert with_prefilled_options(definition, {}) is None
    ordinary = form.field("opmerking")
    assert with_prefilled_options(ordinary, {}) is ordinary


# Posting -------------------------------------------------------------------------------------
def test_chosen_values_are_checked_against_the_prefilled_options(form: FormDefinition) -> None:
    chosen = post({"meeverhuizers": "ja", "wie": ["999990883", "999990860"]})
    result = process_step(form, "mee", chosen, {}, LANCE, "nl", today=TODAY)
    assert result.ok, result.errors
    assert result.values == {"meeverhuizers": "ja", "wie": ["999990860", "999990883"]}
    stranger = post({"meeverhuizers": "ja", "wie": ["999990860", "999993653"]})
    result = process_step(form, "mee", stranger, {}, LANCE, "nl", today=TODAY)
    assert [(e.field_id, e.message) for e in result.errors] == [
        ("wie", "Kies een van de antwoorden bij ‘Wie verhuizen er met u mee?’")
    ]
    assert result.form_values["wie"] == ["999990860", "999993653"]
    result = process_step(form, "mee", post({"meeverhuizers": "ja"}), {}, LANCE, "en", today=TODAY)
    assert [e.message for e in result.errors] == ["Select an answer for ‘Who is moving with you?’"]


def test_single_choices_from_prefill(form: FormDefinition) -> None:
    answers = {"mee": {"meeverhuizers": "nee"}}
    posted = post({"contactpersoon": "999990871", "slaapkamer": "999990860"})
    result = process_step(form, "contact", posted, {}, LANCE, "nl", answers=answers, today=TODAY)
    assert result.values == {
        "contactpersoon": "999990871",
        "slaapkamer": "999990860",
        "opmerking": None,
    }
    posted = post({"contactpersoon": "iemand", "slaapkamer": "999990860"})
    result = process_step(form, "contact", posted, {}, LANCE, "nl", answers=answers, today=TODAY)
    assert [e.field_id for e in result.errors] == ["contactpersoon"]


def test_without_options_the_field_is_skipped_not_broken(form: FormDefinition) -> None:
    for prefill in (ALONE, {}, {"brp.huisgenoten": None}, {"brp.huisgenoten": "x"}):
        result = process_step(
            form, "mee", post({"meeverhuizers": "ja"}), {}, prefill, "nl", today=TODAY
        )
        assert result.ok, result.errors
        assert result.values == {"meeverhuizers": "ja"}
        posted = post({"wie": ["999990860"], "meeverhuizers": "ja"})  # tampered: ignored
        assert process_step(form, "mee", posted, {}, prefill, "nl", today=TODAY).values == {
            "meeverhuizers": "ja"
        }
    answers = {"mee": {"meeverhuizers": "ja"}}
    result = process_step(form, "contact", post({}), {}, ALONE, "nl", answers=answers, today=TODAY)
    assert result.ok, result.errors  # the required radio is skipped too
    answers["contact"] = result.values
    assert answers["contact"] == {"opmerking": None}
    assert is_complete(form, answers, today=TODAY)  # prefill unknown: the saved answers decide
    assert is_complete(form, answers, today=TODAY, prefill=ALONE)
    assert clean_answers(form, answers, today=TODAY) == answers


def test_hidden_condition_still_wins(form: FormDefinition) -> None:
    posted = post({"meeverhuizers": "nee", "wie": ["999990860"]})
    result = process_step(form, "mee", posted, {}, LANCE, "nl", today=TODAY)
    assert result.values == {"meeverhuizers": "nee"}


# Completeness ---------------------------------------------------------------------------------
def test_prefill_decides_completeness_when_given(form: FormDefinition) -> None:
    saved_alone: dict[str, dict[str, Any]] = {
        "mee": {"meeverhuizers": "ja"},
        "contact": {"opmerking": None},
    }
    assert first_incomplete_step(form, saved_alone, today=TODAY) is None
    # The household is known now: the skipped questions must be answered after all.
    reopened = first_incomplete_step(form, saved_alone, today=TODAY, prefill=LANCE)
    assert reopened is not None
    assert reopened.slug == "mee"
    assert [s.slug for s in visible_steps(form, saved_alone, today=TODAY, prefill=LANCE)] == [
        "mee",
        "contact",
    ]


def test_a_choice_that_is_no_longer_offered_reopens_the_step(form: FormDefinition) -> None:
    answers: dict[str, dict[str, Any]] = {
        "mee": {"meeverhuizers": "ja", "wie": ["999990860", "999990899"]},
        "contact": {"contactpersoon": "999990860", "slaapkamer": None, "opmerking": None},
    }
    assert is_complete(form, answers, today=TODAY)  # prefill unknown: nothing to compare with
    step = first_incomplete_step(form, answers, today=TODAY, prefill=LANCE)
    assert step is not None
    assert step.slug == "mee"
    answers["mee"] = {"meeverhuizers": "ja", "wie": ["999990860"]}
    assert is_complete(form, answers, today=TODAY, prefill=LANCE)


# Check answers ---------------------------------------------------------------------------------
def test_summary_shows_the_labels(form: FormDefinition) -> None:
    answers: dict[str, dict[str, Any]] = {
        "mee": {"meeverhuizers": "ja", "wie": ["999990860", "999990871"]},
        "contact": {"contactpersoon": "999990871", "slaapkamer": None, "opmerking": None},
    }
    rows = {
        row.field_name: row
        for section in summary(form, answers, "en", prefill=LANCE, today=TODAY)
        for row in section.rows
    }
    assert rows["wie"].lines == ["Anna de Vries", "Bram (son)"]
    assert rows["wie"].change_anchor == "wie"
    assert rows["contactpersoon"].display_value == "Bram (son)"
    assert rows["slaapkamer"].display_value == "Not provided"
    # Without the prefill the values are all there is.
    rows = {
        row.field_name: row
        for section in summary(form, answers, "nl", today=TODAY)
        for row in section.rows
    }
    assert rows["wie"].lines == ["999990860", "999990871"]


def test_summary_leaves_out_skipped_fields(form: FormDefinition) -> None:
    answers: dict[str, dict[str, Any]] = {
        "mee": {"meeverhuizers": "ja"},
        "contact": {"opmerking": "Graag snel"},
    }
    names = [
        row.field_name
        for section in summary(form, answers, "nl", prefill=ALONE, today=TODAY)
        for row in section.rows
    ]
    assert names == ["meeverhuizers", "opmerking"]


# Rendering --------------------------------------------------------------------------------------
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
    prefill: dict[str, Any],
    *,
    answers: dict[str, Any] | None = None,
    language: str = "nl",
) -> BeautifulSoup:
    views = step_fields(
        form,
        form.step(step),
        language=language,
        prefill=prefill,
        answers=answers or {},
        today=TODAY,
    )
    html = env.get_template("formulieren/_step_fields.html").render(
        step_fields=views, t=text_resolver(language), language=language
    )
    return BeautifulSoup(html, "html.parser")


def test_options_are_rendered_with_their_labels(env: Environment, form: FormDefinition) -> None:
    answers = {"mee": {"meeverhuizers": "ja", "wie": ["999990871"]}}
    soup = render(env, form, "mee", LANCE, answers=answers, language="en")
    boxes = soup.select("input[type=checkbox][name=wie]")
    assert [box["value"] for box in boxes] == ["999990860", "999990871", "999990883"]
    labels = [soup.select_one(f"label[for='{box['id']}']").get_text(strip=True) for box in boxes]  # type: ignore[union-attr]
    assert labels == ["Anna de Vries", "Bram (son)", "Cato de Vries"]
    assert [box["value"] for box in boxes if box.has_attr("checked")] == ["999990871"]
    wrapper = soup.select_one("[data-formulieren-toon-als]:has(input[name=wie])")
    assert wrapper is not None
    assert wrapper["data-formulieren-toon-als"] == "meeverhuizers"
    soup = render(env, form, "contact", LANCE, answers={"mee": {"meeverhuizers": "nee"}})
    assert len(soup.select("input[type=radio][name=contactpersoon]")) == 3
    assert [o["value"] for o in soup.select("select#slaapkamer option")] == [
        "",
        "999990860",
        "999990871",
        "999990883",
    ]


def test_without_options_nothing_is_rendered(env: Environment, form: FormDefinition) -> None:
    soup = render(env, form, "mee", ALONE)
    assert soup.select("input[name=meeverhuizers]")
    assert not soup.select("[name=wie]")
    assert not soup.select("#wie")
    soup = render(env, form, "contact", {}, answers={"mee": {"meeverhuizers": "nee"}})
    assert [element["name"] for element in soup.select("input, select")] == ["opmerking"]
