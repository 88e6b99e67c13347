"""Property-based tests (hypothesis): BSN and IBAN checks, and no handler ever crashes.

No example database is kept (`database=None`), so runs leave nothing in the work tree.
"""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from formulieren.fields import get_handler  # noqa: E402
from formulieren.fields.nummers import BSN_WEIGHTS, iban_checksum_ok, is_valid_bsn  # noqa: E402

from .conftest import make_field, parse, value_of  # noqa: E402


def _weighted(digits: list[int]) -> int:
    return sum(d * w for d, w in zip(digits, BSN_WEIGHTS, strict=True))


@settings(database=None, max_examples=200)
@given(st.lists(st.integers(0, 9), min_size=9, max_size=9))
def test_bsn_elfproef_property(digits: list[int]) -> None:
    number = "".join(map(str, digits))
    expected = _weighted(digits) % 11 == 0 and number != "000000000"
    assert is_valid_bsn(number) is expected


@settings(database=None, max_examples=200)
@given(st.lists(st.integers(0, 9), min_size=8, max_size=8), st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_of_a_valid_bsn_breaks_it(
    prefix: list[int], position: int, delta: int
) -> None:
    # Complete 8 digits to a valid BSN when the check digit can be 0-9, then change one digit.
    check = _weighted([*prefix, 0]) % 11
    if check > 9 or prefix == [0] * 8:
        return
    digits = [*prefix, check]
    assert is_valid_bsn("".join(map(str, digits)))
    digits[position] = (digits[position] + delta) % 10
    assert not is_valid_bsn("".join(map(str, digits)))


@settings(database=None, max_examples=200)
@given(st.integers(0, 17), st.integers(1, 9))
def test_any_single_digit_change_to_a_valid_iban_is_caught(position: int, delta: int) -> None:
    iban = "NL91ABNA0417164300"
    if not iban[position].isdigit():
        return
    changed = iban[:position] + str((int(iban[position]) + delta) % 10) + iban[position + 1 :]
    assert not iban_checksum_ok(changed)


@settings(database=None, max_examples=200)
@given(
    st.text(alphabet="0123456789", min_size=10, max_size=10),
    st.sampled_from(["ABNA", "INGB", "RABO"]),
)
def test_computed_check_digits_always_validate(account: str, bank: str) -> None:
    # ISO 13616: check digits = 98 - (number with "00" as check digits) mod 97.
    base = f"{bank}{account}NL00"
    digits = int("".join(str(int(char, 36)) for char in base))
    check = 98 - digits % 97
    assert value_of("iban", f"NL{check:02d}{bank}{account}") == f"NL{check:02d}{bank}{account}"


SINGLE_INPUT = [
    "tekst",
    "tekstvak",
    "email",
    "telefoon",
    "getal",
    "bedrag",
    "bsn",
    "kvk",
    "iban",
    "kenteken",
]
PARTS = {
    "datum": ["dag", "maand", "jaar"],
    "adres": ["postcode", "huisnummer", "huisletter", "toevoeging", "straat", "woonplaats"],
}


@settings(database=None, max_examples=200)
@given(st.sampled_from(SINGLE_INPUT), st.text(max_size=40))
def test_single_input_handlers_never_crash(type_name: str, raw: str) -> None:
    definition = make_field(type_name)
    parsed = parse(definition, {"veld": raw})
    if parsed.ok and parsed.value is not None:
        handler = get_handler(type_name)
        assert isinstance(handler.display(definition, parsed.value, "nl"), str)
        # What a handler shows on the form parses back to the same value.
        again = parse(definition, {"veld": handler.form_state(definition, parsed.value)})
        assert again.value == parsed.value


@settings(database=None, max_examples=200)
@given(st.sampled_from(sorted(PARTS)), st.lists(st.text(max_size=8), min_size=6, max_size=6))
def test_multi_input_handlers_never_crash(type_name: str, texts: list[str]) -> None:
    posted = {f"veld-{part}": text for part, text in zip(PARTS[type_name], texts, strict=False)}
    parse(make_field(type_name), posted)


@settings(database=None, max_examples=200)
@given(st.text(max_size=6))
def test_group_count_never_crashes(count: str) -> None:
    fields = [{"name": "naam", "type": "tekst", "label": "Naam"}]
    parse(make_field("groep", fields=fields), {"veld-aantal": count, "veld-0-naam": "Jan"})
