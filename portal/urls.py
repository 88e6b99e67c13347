"""Safe handling of return addresses (`next`): only our own paths, never another site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_PATH_LENGTH = 500  # the column that keeps it during a login
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9/_\-.~%?=&+]*$")


def safe_next_path(candidate: str | None, *, default: str) -> str:
    """`candidate` if it is a path on this site, else `default` (RFC 9700 §4.11.1)."""
    if not candidate or len(candidate) > MAX_PATH_LENGTH or not _SAFE_PATH.match(candidate):
        return default
    if candidate.startswith("//") or "\\" in candidate or "/../" in candidate:
        return default
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc:
        return default
    return candidate
