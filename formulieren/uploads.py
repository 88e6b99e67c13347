"""Checking uploaded files: what they really are, and whether their names are safe.

The engine only validates; the portal stores. What a file *is* comes from its content (magic
bytes), never from its name or the type the browser declared:

- PDF: starts with `%PDF-`. PNG: the 8-byte PNG signature. JPEG: `FF D8 FF`.
- HEIC/HEIF: an ISO-BMFF `ftyp` box with a HEIF brand (heic, heix, hevc, hevx, heim, heis,
  mif1, msf1).
- DOCX: a ZIP holding `[Content_Types].xml` with the WordprocessingML main part and
  `word/document.xml`, without macros (`word/vbaProject.bin`).
- ODT: a ZIP whose first entry `mimetype` says `application/vnd.oasis.opendocument.text`.

ZIP files are opened with `zipfile` only after their central directory passes the bomb checks:
at most `MAX_ZIP_ENTRIES` entries, at most `MAX_ZIP_UNCOMPRESSED` bytes in total, and no entry
over 1 MiB compressed more than `MAX_ZIP_RATIO` times; the entries are then decompressed in
chunks to make sure the directory did not lie.

SVG and HTML are refused outright, as is anything unrecognised (a GIF, a text file, an
executable). A *polyglot* decision: a file that starts with `%PDF-` is a PDF, whatever its name
or declared type; it is accepted only when PDF is allowed, and its stored name gets the `.pdf`
extension so nothing downstream opens it as an image.

Names are refused (not repaired) when empty, longer than 255 characters, or holding a path
separator, NUL or another control character, or a bidirectional override (such as U+202E,
which makes "gpj.exe" look like "exe.jpg"); or when any of their extensions is executable or
markup (`x.pdf.exe`, `x.exe.pdf`, `x.svg`).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO, Any

from formulieren.fields.base import BIDI_CONTROLS, has_control_characters
from formulieren.ports import UploadedFile

MAX_ZIP_ENTRIES = 1000
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
_RATIO_FLOOR = 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    """An accepted file type."""

    name: str
    content_type: str
    extensions: tuple[str, ...]
    label: str


KINDS: dict[str, FileKind] = {
    kind.name: kind
    for kind in (
        FileKind("pdf", "application/pdf", ("pdf",), "PDF"),
        FileKind("png", "image/png", ("png",), "PNG"),
        FileKind("jpeg", "image/jpeg", ("jpg", "jpeg"), "JPG"),
        FileKind("heic", "image/heic", ("heic", "heif"), "HEIC"),
        FileKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ("docx",),
            "DOCX",
        ),
        FileKind("odt", "application/vnd.oasis.opendocument.text", ("odt",), "ODT"),
    )
}
DEFAULT_ACCEPT = ("pdf", "jpeg", "png")
NEVER_ACCEPTED = frozenset({"svg", "html", "htm", "xhtml", "xml"})

DANGEROUS_EXTENSIONS = frozenset(
    {
        "exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "dll", "cpl", "jar", "js", "jse",
        "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "sh", "bash", "zsh", "php", "phtml", "py", "pl",
        "rb", "cgi", "asp", "aspx", "jsp", "hta", "lnk", "reg", "app", "apk", "dmg", "iso",
        "html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "xsl", "swf", "docm", "xlsm",
    }
)  # fmt: skip
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
_MARKUP_STARTS = (
    b"<?xml",
    b"<svg",
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<!--",
)
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class ZipRefused(Exception):
    """A ZIP that is not safe to open (a bomb, corrupt, or unreadable)."""


def sniff(head: bytes) -> str | None:
    """ "pdf", "png", "jpeg", "heic", "zip", "markup", or None, from the first bytes."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heic"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n\x00").lower()
    if stripped.startswith(_MARKUP_STARTS) or b"<svg" in head.lower() or b"<html" in head.lower():
        return "markup"
    return None


def inspect_zip(handle: IO[bytes]) -> str | None:
    """ "docx" or "odt" for a safe document of that kind, None for another ZIP.

    Raises ZipRefused for bombs (too many entries, too large, too compressed) and broken files.
    """
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
            _check_directory(entries)
            names = {entry.filename for entry in entries}
            _check_content(archive, entries)
            if (
                entries[0].filename == "mimetype"
                and archive.read("mimetype").strip() == _ODT_MIMETYPE
            ):
                return "odt"
            if {
                "[Content_Types].xml",
                "word/document.xml",
            } <= names and "word/vbaProject.bin" not in names:
                types = archive.read("[Content_Types].xml")
                if b"wordprocessingml.document.main+xml" in types and b"macroEnabled" not in types:
                    return "docx"
            return None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        RuntimeError,
        ValueError,
    ) as exc:
        raise ZipRefused(str(exc)) from exc


def _check_directory(entries: list[zipfile.ZipInfo]) -> None:
    if not entries or len(entries) > MAX_ZIP_ENTRIES:
        raise ZipRefused(f"{len(entries)} entries")
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_ZIP_UNCOMPRESSED:
            raise ZipRefused("too large uncompressed")
        if entry.file_size > _RATIO_FLOOR and entry.file_size > MAX_ZIP_RATIO * max(
            entry.compress_size, 1
        ):
            raise ZipRefused(f"ratio of {entry.filename}")


def _check_content(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Decompress every entry in chunks; refuse when the directory understated the sizes."""
    total = 0
    for entry in entries:
        seen = 0
        with archive.open(entry) as member:
            while chunk := member.read(_CHUNK):
                seen += len(chunk)
                total += len(chunk)
                if seen > entry.file_size or total > MAX_ZIP_UNCOMPRESSED:
                    raise ZipRefused(f"{entry.filename} larger than declared")


def name_problem(filename: str) -> str | None:
    """The message key of what is wrong with a file name, or None."""
    if not filename.strip() or len(filename) > 255 or filename.strip(". ") == "":
        return "bestand_naam"
    if "/" in filename or "\\" in filename or has_control_characters(filename):
        return "bestand_naam"
    extensions = [part.lower().strip() for part in filename.split(".")[1:]]
    if any(extension in DANGEROUS_EXTENSIONS for extension in extensions):
        return "bestand_extensie"
    return None


def printable_name(filename: str) -> str:
    """The name made safe to show in a message: controls and overrides replaced, shortened."""
    shown = "".join(
        "\ufffd" if (char in BIDI_CONTROLS or has_control_characters(char)) else char
        for char in filename
    )
    return shown if len(shown) <= 80 else shown[:77] + "..."


def stored_name(filename: str, kind: FileKind) -> str:
    """The name to keep: the original, with an extension that matches the content."""
    stem, dot, extension = filename.rpartition(".")
    if dot and extension.lower() in kind.extensions:
        return filename
    known = {ext for each in KINDS.values() for ext in each.extensions}
    base = stem if dot and extension.lower() in known else filename
    return f"{base}.{kind.extensions[0]}"


@dataclass(frozen=True)
class AcceptedFile:
    """An upload that passed; the portal stores `upload` and keeps `descriptor` as the answer."""

    upload: UploadedFile
    kind: FileKind
    name: str

    @property
    def descriptor(self) -> dict[str, Any]:
        """The JSON answer for this file: ref, naam, type, grootte."""
        return {
            "ref": self.upload.ref,
            "naam": self.name,
            "type": self.kind.content_type,
            "grootte": self.upload.size,
        }


def detect(upload: UploadedFile) -> str | None:
    """The kind name of an upload's content ("pdf", "docx", "markup", ...), or None.

    Raises ZipRefused for a ZIP that must not be opened.
    """
    found = sniff(upload.head)
    if found != "zip":
        return found
    with upload.open() as handle:
        if handle is None:
            raise ZipRefused("no file to look inside")
        return inspect_zip(handle)
