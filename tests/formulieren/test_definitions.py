"""Loading definitions: valid files load, invalid ones name file, step and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from formulieren import FormDefinition, FormDefinitionError, load_definitions
from formulieren.fields import FieldHandler, field_types, get_handler, register, unregister

from .conftest import DEFINITIONS

HEADER = """
title = "Verhuizing"
product = "verhuizing"
login = "digid"
prefill_sources = ["brp"]
"""


def load(
    tmp_path: Path, body: str, *, header: str = HEADER, name: str = "verhuizing.toml"
) -> FormDefinition:
    (tmp_path / name).write_text(header + body, encoding="utf-8")
    return load_definitions(tmp_path)[Path(name).stem]


def error(tmp_path: Path, body: str, **kwargs: str) -> str:
    with pytest.raises(FormDefinitionError) as caught:
        load(tmp_path, body, **kwargs)
    return str(caught.value)


def step(slug: str, fields: str, extra: str = "") -> str:
    return f'\n[[steps]]\nslug = "{slug}"\ntitle = "Stap"\n{extra}\n{fields}'


def field(name: str, type_name: str, extra: str = "") -> str:
    return f'\n[[steps.fields]]\nname = "{name}"\ntype = "{type_name}"\nlabel = "Label"\n{extra}\n'


def test_the_test_form_loads() -> None:
    forms = load_definitions(DEFINITIONS)
    form = forms["verhuizing"]
    assert form.slug == "verhuizing"
    assert form.login == "digid"
    assert {f.type for _, f in form.iter_fields()} | {"tekst", "datum"} >= field_types() - {"groep"}
    assert form.field("personen").fields[1].type == "datum"
    assert form.field("bewijs").max_size == 5_000_000
    assert form.prefill_keys() == ["brp.bsn", "brp.geboortedatum", "brp.naam"]


def test_unknown_field_type_names_file_step_and_field(tmp_path: Path) -> None:
    message = error(tmp_path, step("adres", field("postcode", "postcod")))
    assert message == "verhuizing.toml, stap 'adres', veld 'postcode': onbekend veldtype 'postcod'"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            step("a", field("naam", "tekst") + field("naam", "tekst")),
            "verhuizing.toml, stap 'a', veld 'naam': deze veldnaam komt al eerder in het "
            "formulier voor",
        ),
        (
            step("a", field("naam", "tekst")) + step("b", field("naam", "email")),
            "verhuizing.toml, stap 'b', veld 'naam': deze veldnaam komt al eerder in het "
            "formulier voor",
        ),
        (
            step(
                "a",
                field("x", "tekst", 'condition = {field = "y", equals = "ja"}')
                + field("y", "janee"),
            ),
            "verhuizing.toml, stap 'a', veld 'x': 'condition' verwijst naar 'y', dat geen "
            "eerder veld is",
        ),
        (
            step("a", field("x", "tekst", 'required_if = {field = "onbekend", is_filled = true}')),
            "verhuizing.toml, stap 'a', veld 'x': 'required_if' verwijst naar 'onbekend', dat "
            "geen eerder veld is",
        ),
        (
            step("a", field("x", "tekst"), 'condition = {field = "x", equals = "1"}'),
            "verhuizing.toml, stap 'a': 'condition' verwijst naar 'x', dat geen eerder veld is",
        ),
        (
            step(
                "a",
                field("uitleg", "inhoud", 'content = "Tekst"')
                + field("x", "tekst", 'condition = {field = "uitleg", is_filled = true}'),
            ),
            "verhuizing.toml, stap 'a', veld 'x': 'condition' verwijst naar 'uitleg', dat geen "
            "waarde heeft",
        ),
        (
            step(
                "a",
                field(
                    "keus",
                    "radio",
                    'options = [{value = "a", label = "A"}, {value = "a", label = "B"}]',
                ),
            ),
            "verhuizing.toml, stap 'a', veld 'keus': optie 'a' komt twee keer voor",
        ),
        (
            step("a", field("keus", "radio")),
            "verhuizing.toml, stap 'a', veld 'keus': 'options' ontbreekt (of 'options_from')",
        ),
        (
            step("a", field("naam", "tekst", 'prefill = "brp..naam"')),
            "verhuizing.toml, stap 'a', veld 'naam': ongeldige prefill-sleutel 'brp..naam' "
            "(zoals 'brp.naam' of 'kvk.naam')",
        ),
        (
            step("a", field("naam", "tekst", 'prefill = "kvk.naam"')),
            "verhuizing.toml, stap 'a', veld 'naam': prefill uit 'kvk' staat niet in "
            "'prefill_sources'",
        ),
        (
            step("a", field("naam", "tekst", "locked = true")),
            "verhuizing.toml, stap 'a', veld 'naam': 'locked' kan alleen bij een veld met "
            "'prefill'",
        ),
        (
            step("a", field("naam", "tekst", "requird = false")),
            "verhuizing.toml, stap 'a', veld 'naam': onbekende sleutel 'requird'",
        ),
        (
            step("a", field("naam", "tekst", 'validation = {pattern = "[a-"}')),
            "verhuizing.toml, stap 'a', veld 'naam': ongeldig patroon: unterminated character "
            "set at position 0",
        ),
        (
            step("a", field("datum", "datum", 'validation = {min = "morgen"}')),
            "verhuizing.toml, stap 'a', veld 'datum': 'min' is geen datum (bijvoorbeeld "
            '"vandaag", "-18y" of "2024-01-01")',
        ),
        (
            step("a", field("bewijs", "bestand", 'accept = ["pdf", "svg"]')),
            "verhuizing.toml, stap 'a', veld 'bewijs': 'svg' is nooit toegestaan (SVG en HTML "
            "kunnen scripts bevatten)",
        ),
        (
            step("a", field("Naam", "tekst")),
            "verhuizing.toml, stap 'a', veld 'Naam': een veldnaam begint met een kleine letter "
            "en bevat alleen a-z, 0-9 en '_'",
        ),
        (
            step("a", field("actie", "tekst")),
            "verhuizing.toml, stap 'a', veld 'actie': de naam 'actie' is gereserveerd",
        ),
        (
            step("a", field("x", "tekst")) + step("a", field("y", "tekst")),
            "verhuizing.toml, stap 'a': deze stap-slug komt twee keer voor",
        ),
        (
            step(
                "a",
                field("kinderen", "groep")
                + '\n[[steps.fields.fields]]\nname = "naam"\ntype = "tekts"\nlabel = "Naam"\n',
            ),
            "verhuizing.toml, stap 'a', veld 'kinderen': 'naam': onbekend veldtype 'tekts'",
        ),
        (
            step(
                "a",
                field("kinderen", "groep")
                + '\n[[steps.fields.fields]]\nname = "naam"\nlabel = "Naam"\n',
            ),
            "verhuizing.toml, stap 'a', veld 'kinderen.naam': 'type' ontbreekt",
        ),
        (
            step("a", field("x", "tekst", 'condition = {field = "y"}')),
            "verhuizing.toml, stap 'a', veld 'x': 'condition': Value error, een voorwaarde "
            "heeft precies één operator (equals, not_equals, in, is_filled, greater_than, "
            "less_than, all of any)",
        ),
    ],
)
def test_definition_errors(tmp_path: Path, body: str, expected: str) -> None:
    assert error(tmp_path, body) == expected


def test_form_level_errors(tmp_path: Path) -> None:
    assert error(
        tmp_path, step("a", field("x", "tekst")), header='title = "T"\nlogin = "digid"\n'
    ) == ("verhuizing.toml: 'product' ontbreekt")
    assert error(tmp_path, "", header=HEADER) == "verhuizing.toml: 'steps' ontbreekt"
    assert error(tmp_path, "steps = []\n", header=HEADER) == (
        "verhuizing.toml: 'steps': List should have at least 1 item after validation, not 0"
    )
    no_login = HEADER.replace('login = "digid"', 'login = "geen"')
    assert error(tmp_path, step("a", field("x", "tekst")), header=no_login) == (
        "verhuizing.toml: prefill uit 'brp' kan niet met login 'geen'"
    )
    assert error(tmp_path, step("a", field("x", "tekst")), header=HEADER + 'slug = "anders"\n') == (
        "verhuizing.toml: slug 'anders' moet gelijk zijn aan de bestandsnaam"
    )
    assert error(tmp_path, "[[steps]\n").startswith("verhuizing.toml: geen geldige TOML")


def test_sizes_in_units(tmp_path: Path) -> None:
    form = load(tmp_path, step("a", field("b", "bestand", 'max_size = "2 MiB"')))
    assert form.field("b").max_size == 2 * 1024 * 1024


def test_new_types_plug_in_through_the_registry(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    class Postbus(FieldHandler):
        type_name = "postbusnummer_test"

    register(Postbus())
    request.addfinalizer(lambda: unregister("postbusnummer_test"))
    assert (
        get_handler("postbusnummer_test").template == "formulieren/fields/postbusnummer_test.html"
    )
    form = load(tmp_path, step("a", field("postbus", "postbusnummer_test")))
    assert form.field("postbus").type == "postbusnummer_test"
    with pytest.raises(ValueError, match="already registered"):
        register(Postbus())
