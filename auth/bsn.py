"""The BSN elfproef (standards.md §5)."""

from __future__ import annotations

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def bsn_is_valid(bsn: str) -> bool:
    """Whether `bsn` is nine digits that pass the elfproef (last weight -1)."""
    if len(bsn) != 9 or not bsn.isdigit() or bsn == "000000000":
        return False
    return sum(int(digit) * weight for digit, weight in zip(bsn, _WEIGHTS, strict=True)) % 11 == 0
