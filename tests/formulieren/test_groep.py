"""The repeating group: items, add and remove buttons, minimum and maximum."""

from __future__ import annotations

from typing import Any

from formulieren import FormDefinition, process_step
from formulieren.fields import get_handler

from .conftest import TODAY, make_field, parse

SUBFIELDS = [
    {"name": "naam", "type": "tekst", "label": "Naam"},
    {"name": "geboortedatum", "type": "datum", "label": "Geboortedatum"},
]


def group(**attributes: Any) -> Any:
    return make_field("groep", fields=SUBFIELDS, **attributes)


def item(
    index: int, naam: str, day: str = "1", month: str = "2", year: str = "2010"
) -> dict[str, str]:
    prefix = f"veld-{index}"
    return {
        f"{prefix}-naam": naam,
        f"{prefix}-geboortedatum-dag": day,
        f"{prefix}-geboortedatum-maand": month,
        f"{prefix}-geboortedatum-jaar": year,
    }


def test_items_are_parsed() -> None:
    posted = {"veld-aantal": "2", **item(0, "Jan"), **item(1, "Piet", "3", "4", "2012")}
    assert parse(group(), posted).value == [
        {"naam": "Jan", "geboortedatum": "2010-02-01"},
        {"naam": "Piet", "geboortedatum": "2012-04-03"},
    ]


def test_errors_point_at_the_input_inside_the_item() -> None:
    posted = {"veld-aantal": "2", **item(0, "Jan"), **item(1, "", "31", "2", "2012")}
    ids = [error.input_id for error in parse(group(), posted).errors]
    assert ids == ["veld-1-naam", "veld-1-geboortedatum-dag"]


def test_empty_items_are_dropped_and_minimum_counts() -> None:
    posted = {"veld-aantal": "2", **item(0, "Jan"), **item(1, "", "", "", "")}
    assert parse(group(), posted).value == [{"naam": "Jan", "geboortedatum": "2010-02-01"}]
    errors = parse(group(min_items=2), posted).errors
    assert [(e.input_id, e.message.resolve("nl")) for e in errors] == [
        ("veld", "Voeg minstens 2 toe bij ‘Veld’")
    ]


def test_required_group_without_items() -> None:
    assert [e.message.resolve("nl") for e in parse(group(), {"veld-aantal": "1"}).errors] == [
        "Vul ‘Veld’ in"
    ]
    assert parse(group(required=False), {"veld-aantal": "1"}).value is None


def test_maximum() -> None:
    posted = {"veld-aantal": "3", **item(0, "A"), **item(1, "B"), **item(2, "C")}
    errors = parse(group(max_items=2), posted).errors
    assert [e.message.resolve("nl") for e in errors] == ["U kunt maximaal 2 toevoegen bij ‘Veld’"]


def test_count_is_capped() -> None:
    posted = {"veld-aantal": "100000", **item(0, "A")}
    assert len(parse(group(), posted).value) == 1


def test_display_one_line_per_item() -> None:
    value = [{"naam": "Jan", "geboortedatum": "2010-02-01"}]
    assert (
        get_handler("groep").display(group(), value, "nl")
        == "Naam: Jan; Geboortedatum: 1 februari 2010"
    )


def _posted(form: FormDefinition, extra: dict[str, str]) -> dict[str, list[str]]:
    base = {
        "nieuw_adres-postcode": "9751AN",
        "nieuw_adres-huisnummer": "1",
        "nieuw_adres-straat": "Rijksstraatweg",
        "nieuw_adres-woonplaats": "Haren",
        "verhuisdatum-dag": "1",
        "verhuisdatum-maand": "7",
        "verhuisdatum-jaar": "2024",
        "woonsituatie": "koop",
        "meeverhuizers": "ja",
        "personen-aantal": "1",
        "personen-0-naam": "Jan",
    }
    return {key: [value] for key, value in {**base, **extra}.items()}


def test_add_button_shows_one_more_item_and_no_errors(form: FormDefinition) -> None:
    posted = _posted(form, {"actie": "toevoegen:personen"})
    result = process_step(form, "adres", posted, {}, {}, "nl", today=TODAY)
    assert result.action is not None
    assert result.action.kind == "toevoegen"
    assert not result.ok
    assert result.errors == []
    assert len(result.form_values["personen"]) == 2
    assert result.form_values["personen"][0]["naam"] == "Jan"
    assert result.form_values["nieuw_adres"]["postcode"] == "9751AN"  # what was typed stays


def test_add_button_stops_at_the_maximum(form: FormDefinition) -> None:
    extra = {
        "actie": "toevoegen:personen",
        "personen-aantal": "3",
        "personen-1-naam": "B",
        "personen-2-naam": "C",
    }
    result = process_step(form, "adres", _posted(form, extra), {}, {}, "nl", today=TODAY)
    assert len(result.form_values["personen"]) == 3


def test_remove_button_removes_that_item(form: FormDefinition) -> None:
    extra = {"actie": "verwijderen:personen:0", "personen-aantal": "2", "personen-1-naam": "Piet"}
    result = process_step(form, "adres", _posted(form, extra), {}, {}, "nl", today=TODAY)
    assert [item["naam"] for item in result.form_values["personen"]] == ["Piet"]


def test_unknown_action_is_an_ordinary_submit(form: FormDefinition) -> None:
    extra = {
        "actie": "toevoegen:nieuw_adres",
        "personen-0-geboortedatum-dag": "1",
        "personen-0-geboortedatum-maand": "1",
        "personen-0-geboortedatum-jaar": "2000",
    }
    result = process_step(form, "adres", _posted(form, extra), {}, {}, "nl", today=TODAY)
    assert result.action is None
    assert result.ok, result.errors
    assert result.values["personen"] == [{"naam": "Jan", "geboortedatum": "2000-01-01"}]
