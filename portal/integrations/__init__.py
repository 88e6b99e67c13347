"""Outside systems (BRP, KVK, ...), each behind a small interface: a local and an http version."""


class IntegrationUnavailable(Exception):
    """An outside system could not be reached or answered unusably; the user gets a clear page."""

    def __init__(self, system: str, reason: str) -> None:
        super().__init__(f"{system}: {reason}")
        self.system = system
        self.reason = reason
