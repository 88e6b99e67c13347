"""Back-office fixtures (defined in helpers.py, next to the functions that write cases)."""

from tests.backoffice.helpers import behandelaar, post, settings

__all__ = ["behandelaar", "post", "settings"]
