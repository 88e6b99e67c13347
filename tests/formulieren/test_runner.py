"""The runner and path finder on the test form: skipping, prefill, hidden fields, summary."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from formulieren import (
    FormDefinition,
    StepNotFound,
    UploadedFile,
    check_declaration,
    clean_answers,
    first_incomplete_step,
    initial_values,
    is_complete,
    next_step,
    previous_step,
    process_step,
    summary,
    visible_steps,
)

from .conftest import SUZANNE, TODAY

PERSOON = {
    "naam": "Suzanne Moulin",
    "bsn": "999993653",
    "geboortedatum": "1985-03-27",
    "email": None,
    "telefoon": "+31612345678",
}
ADRES_KOOP = {
    "nieuw_adres": {
        "postcode": "9751 AN",
        "huisnummer": 1,
        "huisletter": "",
        "toevoeging": "",
        "straat": "Rijksstraatweg",
        "woonplaats": "Haren",
    },
    "verhuisdatum": "2024-07-01",
    "woonsituatie": "koop",
    "meeverhuizers": "nee",
}
OVERIG = {
    "kamers": 3,
    "voorzieningen": ["tuin"],
    "reden": "werk",
    "iban": None,
    "bewijs": [{"ref": "r1", "naam": "akte.pdf", "type": "application/pdf", "grootte": 2048}],
}
COMPLETE: dict[str, dict[str, Any]] = {"persoon": PERSOON, "adres": ADRES_KOOP, "overig": OVERIG}


def post(values: Mapping[str, str | list[str]]) -> dict[str, list[str]]:
    return {key: [value] if isinstance(value, str) else value for key, value in values.items()}


def slugs(steps: list[Any]) -> list[str]:
    return [step.slug for step in steps]


PERSOON_POST = {
    "naam": "Suzanne Moulin",
    "bsn": "999993653",
    "geboortedatum-dag": "27",
    "geboortedatum-maand": "3",
    "geboortedatum-jaar": "1985",
    "telefoon": "06 12345678",
}


# Navigation ----------------------------------------------------------------------------------
def test_rented_home_adds_the_landlord_step(form: FormDefinition) -> None:
    assert slugs(visible_steps(form, COMPLETE, today=TODAY)) == ["persoon", "adres", "overig"]
    huur = {**COMPLETE, "adres": {**ADRES_KOOP, "woonsituatie": "huur"}}
    assert slugs(visible_steps(form, huur, today=TODAY)) == [
        "persoon",
        "adres",
        "verhuurder",
        "overig",
    ]


def test_next_and_previous_skip_hidden_steps(form: FormDefinition) -> None:
    assert next_step(form, COMPLETE, "adres", today=TODAY).slug == "overig"  # type: ignore[union-attr]
    assert previous_step(form, COMPLETE, "overig", today=TODAY).slug == "adres"  # type: ignore[union-attr]
    huur = {**COMPLETE, "adres": {**ADRES_KOOP, "woonsituatie": "huur"}}
    assert next_step(form, huur, "adres", today=TODAY).slug == "verhuurder"  # type: ignore[union-attr]
    assert next_step(form, COMPLETE, "overig", today=TODAY) is None
    assert previous_step(form, COMPLETE, "persoon", today=TODAY) is None
    with pytest.raises(StepNotFound):
        next_step(form, COMPLETE, "bestaat-niet")


def test_first_incomplete_step_and_is_complete(form: FormDefinition) -> None:
    assert first_incomplete_step(form, {}, today=TODAY).slug == "persoon"  # type: ignore[union-attr]
    assert first_incomplete_step(form, {"persoon": PERSOON}, today=TODAY).slug == "adres"  # type: ignore[union-attr]
    assert is_complete(form, COMPLETE, today=TODAY)
    huur = {**COMPLETE, "adres": {**ADRES_KOOP, "woonsituatie": "huur"}}
    assert first_incomplete_step(form, huur, today=TODAY).slug == "verhuurder"  # type: ignore[union-attr]
    missing = {**COMPLETE, "overig": {**OVERIG, "reden": None}}
    assert first_incomplete_step(form, missing, today=TODAY).slug == "overig"  # type: ignore[union-attr]


def test_required_if_counts_for_completeness(form: FormDefinition) -> None:
    parking = {**COMPLETE, "overig": {**OVERIG, "voorzieningen": ["parkeerplaats"]}}
    assert not is_complete(form, parking, today=TODAY)  # 3 rooms: kenteken required
    few_rooms = {**COMPLETE, "overig": {**OVERIG, "voorzieningen": ["parkeerplaats"], "kamers": 2}}
    assert is_complete(form, few_rooms, today=TODAY)


def test_clean_answers_drops_what_became_hidden(form: FormDefinition) -> None:
    answers = {
        **COMPLETE,
        "adres": {**ADRES_KOOP, "meeverhuizers": "nee", "personen": [{"naam": "Jan"}]},
        "verhuurder": {"huur": "750.00"},
        "overig": {**OVERIG, "kenteken": "12-ABC-3"},
    }
    cleaned = clean_answers(form, answers, today=TODAY)
    assert "verhuurder" not in cleaned
    assert "personen" not in cleaned["adres"]
    assert "kenteken" not in cleaned["overig"]
    assert cleaned["persoon"] == PERSOON


# Posting a step --------------------------------------------------------------------------------
def test_valid_step(form: FormDefinition) -> None:
    result = process_step(form, "persoon", post(PERSOON_POST), {}, SUZANNE, "nl", today=TODAY)
    assert result.ok, result.errors
    assert result.values == PERSOON


def test_locked_prefill_cannot_be_changed(form: FormDefinition) -> None:
    tampered = post({**PERSOON_POST, "naam": "Iemand Anders"})
    result = process_step(form, "persoon", tampered, {}, SUZANNE, "nl", today=TODAY)
    assert result.error_pairs == [
        ("naam", "Dit gegeven komt uit de Basisregistratie Personen en kunt u hier niet wijzigen")
    ]
    assert result.values["naam"] == "Suzanne Moulin"
    assert result.form_values["naam"] == "Suzanne Moulin"


def test_locked_prefill_left_out_is_refused_too(form: FormDefinition) -> None:
    without = post({key: value for key, value in PERSOON_POST.items() if key != "bsn"})
    result = process_step(form, "persoon", without, {}, SUZANNE, "en", today=TODAY)
    assert result.error_pairs == [
        (
            "bsn",
            "This information comes from the Personal Records Database (BRP) and cannot be "
            "changed here",
        )
    ]


def test_locked_field_without_prefill_is_an_ordinary_field(form: FormDefinition) -> None:
    result = process_step(
        form, "persoon", post({**PERSOON_POST, "naam": "S. Moulin"}), {}, {}, "nl", today=TODAY
    )
    assert result.ok
    assert result.values["naam"] == "S. Moulin"


def test_editable_prefill_is_the_initial_value(form: FormDefinition) -> None:
    states = initial_values(form, form.step("persoon"), SUZANNE)
    assert states["naam"] == "Suzanne Moulin"
    assert states["geboortedatum"] == {"dag": "27", "maand": "3", "jaar": "1985"}
    assert states["email"] == ""
    saved = initial_values(
        form, form.step("persoon"), SUZANNE, {"persoon": {"geboortedatum": "1990-01-02"}}
    )
    assert saved["geboortedatum"] == {"dag": "2", "maand": "1", "jaar": "1990"}


def test_errors_come_in_page_order_and_keep_the_input(form: FormDefinition) -> None:
    posted = post(
        {**PERSOON_POST, "geboortedatum-dag": "31", "geboortedatum-maand": "2", "telefoon": "12"}
    )
    result = process_step(form, "persoon", posted, {}, SUZANNE, "nl", today=TODAY)
    assert [error.field_id for error in result.errors] == ["geboortedatum-dag", "telefoon"]
    assert result.form_values["geboortedatum"] == {"dag": "31", "maand": "2", "jaar": "1985"}
    assert result.form_values["telefoon"] == "12"


def test_hidden_fields_are_not_validated_and_not_echoed(form: FormDefinition) -> None:
    posted = post(
        {"kamers": "3", "voorzieningen": ["tuin"], "kenteken": "<script>", "reden": "werk"}
    )
    answers: dict[str, dict[str, Any]] = {"persoon": PERSOON, "adres": ADRES_KOOP}
    result = process_step(form, "overig", posted, {}, {}, "nl", answers=answers, today=TODAY)
    assert result.errors == [FieldErrorLike("bewijs")]
    assert "kenteken" not in result.values
    assert "kenteken" not in result.form_values


def test_conditional_field_on_the_same_step_is_validated_when_shown(form: FormDefinition) -> None:
    posted = post({"kamers": "3", "voorzieningen": ["parkeerplaats"], "reden": "werk"})
    result = process_step(form, "overig", posted, {}, {}, "nl", today=TODAY)
    assert [error.field_id for error in result.errors] == ["kenteken", "bewijs"]
    posted["kamers"] = ["2"]  # required_if no longer holds: optional
    result = process_step(form, "overig", posted, {}, {}, "nl", today=TODAY)
    assert [error.field_id for error in result.errors] == ["bewijs"]
    assert result.values["kenteken"] is None


def test_a_skipped_step_cannot_be_posted(form: FormDefinition) -> None:
    with pytest.raises(StepNotFound):
        process_step(
            form, "verhuurder", post({"huur": "750"}), {}, {}, "nl", answers=COMPLETE, today=TODAY
        )
    with pytest.raises(StepNotFound):
        process_step(form, "onbekend", {}, {}, {}, "nl")


def test_uploads_through_the_runner(form: FormDefinition) -> None:
    pdf = UploadedFile.from_bytes(
        "akte.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf", ref="opslag-1"
    )
    posted = post({"kamers": "2", "reden": "werk"})
    result = process_step(form, "overig", posted, {"bewijs": [pdf]}, {}, "nl", today=TODAY)
    assert result.ok, result.errors
    assert [file.upload.ref for file in result.accepted_files["bewijs"]] == ["opslag-1"]
    assert (
        result.values["bewijs"]
        == result.file_values["bewijs"]
        == [{"ref": "opslag-1", "naam": "akte.pdf", "type": "application/pdf", "grootte": 15}]
    )


def test_accepted_upload_is_kept_when_another_field_has_an_error(form: FormDefinition) -> None:
    pdf = UploadedFile.from_bytes("akte.pdf", b"%PDF-1.7\n", ref="opslag-1")
    result = process_step(
        form, "overig", post({"kamers": "nul"}), {"bewijs": [pdf]}, {}, "nl", today=TODAY
    )
    assert not result.ok
    assert result.file_values["bewijs"][0]["ref"] == "opslag-1"
    assert result.form_values["bewijs"][0]["naam"] == "akte.pdf"


def test_remove_file_button(form: FormDefinition) -> None:
    answers = {**COMPLETE}
    posted = post({"kamers": "2", "reden": "werk", "actie": "verwijderen:bewijs:0"})
    ignored = UploadedFile.from_bytes("nieuw.pdf", b"%PDF-1.7\n", ref="opslag-2")
    result = process_step(
        form, "overig", posted, {"bewijs": [ignored]}, {}, "nl", answers=answers, today=TODAY
    )
    assert result.action is not None
    assert result.removed_files == OVERIG["bewijs"]
    assert result.file_values["bewijs"] is None
    assert result.accepted_files == {}
    assert result.errors == []


# Check answers --------------------------------------------------------------------------------
def test_summary_has_one_row_per_visible_answer(form: FormDefinition) -> None:
    sections = summary(form, COMPLETE, "nl", prefill=SUZANNE, today=TODAY)
    assert [section.step_slug for section in sections] == ["persoon", "adres", "overig"]
    rows = {row.field_name: row for section in sections for row in section.rows}
    assert list(rows) == [
        "naam", "bsn", "geboortedatum", "email", "telefoon",
        "nieuw_adres", "verhuisdatum", "woonsituatie", "meeverhuizers",
        "kamers", "voorzieningen", "reden", "iban", "bewijs",
    ]  # fmt: skip
    assert rows["naam"].change_anchor is None  # locked: nothing to change
    assert rows["geboortedatum"].change_anchor == "geboortedatum-dag"
    assert rows["geboortedatum"].display_value == "27 maart 1985"
    assert rows["nieuw_adres"].change_anchor == "nieuw_adres-postcode"
    assert rows["nieuw_adres"].lines == ["Rijksstraatweg 1", "9751 AN Haren"]
    assert rows["woonsituatie"].change_anchor == "woonsituatie"
    assert rows["woonsituatie"].display_value == "In een koopwoning"
    assert rows["email"].display_value == "Niet ingevuld"
    assert rows["telefoon"].display_value == "06 12345678"
    assert rows["bewijs"].display_value == "akte.pdf (2 kB)"


def test_summary_follows_conditions_and_language(form: FormDefinition) -> None:
    answers = {
        **COMPLETE,
        "adres": {
            **ADRES_KOOP,
            "woonsituatie": "huur",
            "meeverhuizers": "ja",
            "personen": [{"naam": "Jan", "geboortedatum": "2010-02-01"}],
        },
        "verhuurder": {"verhuurder_kvk": "69599084", "huur": "750.00", "toelichting": None},
    }
    sections = summary(form, answers, "en", today=TODAY)
    assert next(section.title for section in sections) == "Your details"
    rows = {row.field_name: row for section in sections for row in section.rows}
    assert "uitleg" not in rows  # content blocks have no answer
    assert rows["personen"].display_value == "Naam: Jan; Geboortedatum: 1 February 2010"
    assert rows["personen"].change_anchor == "personen"
    assert rows["huur"].display_value == "€750.00"
    assert rows["toelichting"].display_value == "Not provided"
    assert rows["woonsituatie"].display_value == "In a rented home"
    assert rows["naam"].change_anchor is None


def test_declaration(form: FormDefinition) -> None:
    assert check_declaration(form, post({"verklaring": "ja"}), "nl") == []
    [error] = check_declaration(form, {}, "nl")
    assert (error.field_id, error.message) == (
        "verklaring",
        "Bevestig dat u de vragen naar waarheid hebt beantwoord",
    )


class FieldErrorLike:
    """Compares equal to a FieldError for the given field id."""

    def __init__(self, field_id: str) -> None:
        self.field_id = field_id

    def __eq__(self, other: object) -> bool:
        return getattr(other, "field_id", None) == self.field_id

    __hash__ = None  # type: ignore[assignment]


class MultiDict(Mapping[str, Any]):
    """Like Starlette's FormData: a mapping to the last value, `getlist` for all of them."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs

    def getlist(self, key: str) -> list[Any]:
        return [value for name, value in self.pairs if name == key]

    def __getitem__(self, key: str) -> Any:
        return self.getlist(key)[-1]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(key for key, _ in self.pairs))

    def __len__(self) -> int:
        return len(dict.fromkeys(key for key, _ in self.pairs))


def test_a_multidict_can_be_posted_as_it_is(form: FormDefinition) -> None:
    pairs: list[tuple[str, Any]] = [
        ("kamers", "2"),
        ("voorzieningen", "tuin"),
        ("voorzieningen", "lift"),
        ("reden", "werk"),
    ]
    pairs.append(("bewijs", object()))  # an uploaded file object in the form data is ignored
    result = process_step(
        form, "overig", MultiDict(pairs), {}, {}, "nl", answers=COMPLETE, today=TODAY
    )
    assert result.ok, result.errors
    assert result.values["voorzieningen"] == ["lift", "tuin"]
