"""The ports through which the engine talks to the rest of the portal.

The engine never imports the portal: the portal implements these and passes them in.

- `PrefillSource`: resolves prefill keys such as "brp.naam" or "kvk.naam" for the logged-in
  person or company. The engine only needs the resulting `{key: value}` mapping; the runner's
  functions take that mapping, so call `source.values(form.prefill_keys())` once, at the start.
- `UploadedFile`: what the engine needs to know about an uploaded file to validate it. The engine
  never stores files; it reads `head` (and, for ZIP-based formats, the whole file through `path`
  or `fileobj`) and tells the portal which uploads it accepted.
- `SubmissionSink`: receives a completed form and returns the reference shown to the resident.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from formulieren.definitions import FormDefinition
    from formulieren.runner import SummarySection

HEAD_SIZE = 8 * 1024
"""How many leading bytes of an upload the portal reads into `UploadedFile.head`."""


class PrefillSource(Protocol):
    """Values the municipality already knows, by prefill key ("brp.naam", "kvk.adres")."""

    def values(self, keys: Sequence[str]) -> Mapping[str, Any]:
        """The known values for `keys`; a key without a value is left out."""
        ...


@dataclass(frozen=True)
class UploadedFile:
    """One uploaded file as the engine sees it. Name and `content_type` are never trusted.

    - `filename`: the name the browser sent (checked, never used as a path).
    - `content_type`: the type the browser declared (recorded, never used to decide).
    - `size`: the real size in bytes, as counted by the portal while spooling.
    - `head`: the first `HEAD_SIZE` bytes (fewer for a smaller file), used for content sniffing.
    - `ref`: the portal's own key for this upload (for example the name of its spooled or
      quarantined copy); copied into the answer so the portal finds the file again.
    - `path` or `fileobj`: the whole file, needed only to look inside ZIP-based formats (DOCX,
      ODT). A file object is read from the start and left at the start.
    """

    filename: str
    content_type: str
    size: int
    head: bytes
    ref: str = ""
    path: Path | None = None
    fileobj: IO[bytes] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_bytes(
        cls,
        filename: str,
        data: bytes,
        content_type: str = "application/octet-stream",
        ref: str = "",
    ) -> UploadedFile:
        """An upload held in memory (tests, small files)."""
        return cls(
            filename=filename,
            content_type=content_type,
            size=len(data),
            head=data[:HEAD_SIZE],
            ref=ref,
            fileobj=io.BytesIO(data),
        )

    @contextmanager
    def open(self) -> Iterator[IO[bytes] | None]:
        """The whole file for reading, or None when the portal gave neither path nor object."""
        if self.path is not None:
            with self.path.open("rb") as handle:
                yield handle
        elif self.fileobj is not None:
            self.fileobj.seek(0)
            try:
                yield self.fileobj
            finally:
                self.fileobj.seek(0)
        else:
            yield None


class SubmissionSink(Protocol):
    """Where completed forms go (a case in the ZGW Zaken API, a row, an e-mail)."""

    def submit(
        self,
        form: FormDefinition,
        answers: Mapping[str, Mapping[str, Any]],
        *,
        summary: Sequence[SummarySection],
        submission_id: str,
    ) -> str:
        """Deliver the answers (already passed through `clean_answers`) and return the reference.

        `submission_id` is the portal's idempotency key: delivering the same id twice must not
        create a second case.
        """
        ...
