"""bestand: content sniffing, names, sizes, ZIP bombs, polyglots.

Polyglot decision (documented in formulieren.uploads): content decides. A file that starts with
`%PDF-` is a PDF whatever it is called or declared as; it is accepted only when PDF is allowed,
and stored with a `.pdf` name and type application/pdf.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from formulieren.fields import get_handler
from formulieren.ports import UploadedFile
from formulieren.uploads import MAX_ZIP_ENTRIES, sniff

from .conftest import make_field, parse

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 40
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 20
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
DOCX_TYPES = (
    b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def zipped(entries: dict[str, bytes], *, first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries.items()):
            kind = zipfile.ZIP_STORED if first_stored and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": DOCX_TYPES, "word/document.xml": b"<w:document/>"})
ODT = zipped(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"},
    first_stored=True,
)
ALL_KINDS = ["pdf", "png", "jpeg", "heic", "docx", "odt"]


def upload(
    name: str, data: bytes, content_type: str = "application/octet-stream", ref: str = "r1"
) -> UploadedFile:
    return UploadedFile.from_bytes(name, data, content_type, ref=ref)


def check(file: UploadedFile, **attributes: Any) -> tuple[Any, list[str]]:
    definition = make_field("bestand", **{"accept": ALL_KINDS, **attributes})
    parsed = parse(definition, {}, files={"veld": [file]})
    return parsed.value, [error.message.resolve("nl") for error in parsed.errors]


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("brief.pdf", PDF, "application/pdf"),
        ("foto.png", PNG, "image/png"),
        ("foto.jpg", JPEG, "image/jpeg"),
        ("foto.heic", HEIC, "image/heic"),
        (
            "brief.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("brief.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_kinds_are_accepted(name: str, data: bytes, content_type: str) -> None:
    value, errors = check(upload(name, data))
    assert errors == []
    assert value == [{"ref": "r1", "naam": name, "type": content_type, "grootte": len(data)}]


def test_accepted_files_are_handed_to_the_portal() -> None:
    file = upload("brief.pdf", PDF)
    parsed = parse(make_field("bestand"), {}, files={"veld": [file]})
    [accepted] = parsed.accepted_files
    assert accepted.upload is file
    assert accepted.kind.name == "pdf"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            upload("foto.png", GIF, "image/png"),
            "Het bestand ‘foto.png’ is geen toegestaan bestandstype. Toegestaan: PDF, PNG, "
            "JPG, HEIC, DOCX, ODT",
        ),
        (
            upload("virus.txt", EICAR, "text/plain"),
            "Het bestand ‘virus.txt’ is geen toegestaan bestandstype. Toegestaan: PDF, PNG, "
            "JPG, HEIC, DOCX, ODT",
        ),
        (upload("leeg.pdf", b"", "application/pdf"), "Het bestand ‘leeg.pdf’ is leeg"),
        (
            upload("../etc/passwd", PDF),
            "De bestandsnaam ‘../etc/passwd’ is niet toegestaan. Geef het bestand een "
            "eenvoudige naam",
        ),
        (
            upload("..\\boot.ini", PDF),
            "De bestandsnaam ‘..\\boot.ini’ is niet toegestaan. Geef het bestand een "
            "eenvoudige naam",
        ),
        (
            upload("brief\x00.pdf", PDF),
            "De bestandsnaam ‘brief\ufffd.pdf’ is niet toegestaan. Geef het bestand een "
            "eenvoudige naam",
        ),
        (
            upload("factuur\u202efdp.exe", PDF),
            "De bestandsnaam ‘factuur\ufffdfdp.exe’ is niet toegestaan. Geef het bestand een "
            "eenvoudige naam",
        ),
        (
            upload("brief\n.pdf", PDF),
            "De bestandsnaam ‘brief\ufffd.pdf’ is niet toegestaan. Geef het bestand een "
            "eenvoudige naam",
        ),
        (
            upload("x.pdf.exe", PDF),
            "De bestandsnaam ‘x.pdf.exe’ heeft een extensie die niet is toegestaan",
        ),
        (
            upload("x.exe.pdf", PDF),
            "De bestandsnaam ‘x.exe.pdf’ heeft een extensie die niet is toegestaan",
        ),
        (
            upload("tekening.svg", SVG, "image/svg+xml"),
            "De bestandsnaam ‘tekening.svg’ heeft een extensie die niet is toegestaan",
        ),
        (
            upload("tekening.png", SVG, "image/png"),
            "Het bestand ‘tekening.png’ is een SVG- of HTML-bestand. Die zijn niet toegestaan",
        ),
        (
            upload("pagina.pdf", HTML, "application/pdf"),
            "Het bestand ‘pagina.pdf’ is een SVG- of HTML-bestand. Die zijn niet toegestaan",
        ),
        (
            upload("kapot.docx", b"PK\x03\x04" + b"\x00" * 100),
            "Het bestand ‘kapot.docx’ kunnen we niet veilig openen",
        ),
    ],
)
def test_refused_uploads(file: UploadedFile, message: str) -> None:
    value, errors = check(file)
    assert value is None
    assert errors == [message]


def test_oversize_by_one_byte() -> None:
    limit = 1024
    assert check(upload("a.pdf", PDF + b"\x00" * (limit - len(PDF))), max_size=limit)[1] == []
    errors = check(upload("a.pdf", PDF + b"\x00" * (limit + 1 - len(PDF))), max_size=limit)[1]
    assert errors == ["Het bestand ‘a.pdf’ is te groot. Een bestand mag maximaal 1 kB zijn"]


def test_declared_size_is_what_counts() -> None:
    file = UploadedFile("a.pdf", "application/pdf", size=10 * 1024 * 1024 + 1, head=PDF)
    assert check(file)[1] == [
        "Het bestand ‘a.pdf’ is te groot. Een bestand mag maximaal 10 MB zijn"
    ]


def test_zip_bomb_named_docx_is_refused() -> None:
    bomb = zipped(
        {"[Content_Types].xml": DOCX_TYPES, "word/document.xml": b"0" * (50 * 1024 * 1024)}
    )
    assert len(bomb) < 1024 * 1024
    assert check(upload("bom.docx", bomb))[1] == [
        "Het bestand ‘bom.docx’ kunnen we niet veilig openen"
    ]


def test_zip_with_too_many_entries_is_refused() -> None:
    many = zipped({f"word/{index}.xml": b"x" for index in range(MAX_ZIP_ENTRIES + 1)})
    assert check(upload("veel.docx", many))[1] == [
        "Het bestand ‘veel.docx’ kunnen we niet veilig openen"
    ]


def test_macro_document_and_plain_zip_are_not_docx() -> None:
    macro = zipped(
        {"[Content_Types].xml": DOCX_TYPES, "word/document.xml": b"x", "word/vbaProject.bin": b"x"}
    )
    assert "geen toegestaan bestandstype" in check(upload("macro.docx", macro))[1][0]
    plain = zipped({"a.txt": b"hallo"})
    assert "geen toegestaan bestandstype" in check(upload("archief.docx", plain))[1][0]


def test_zip_without_access_to_the_whole_file_is_refused() -> None:
    file = UploadedFile("brief.docx", "application/zip", size=len(DOCX), head=DOCX[:8192])
    assert check(file)[1] == ["Het bestand ‘brief.docx’ kunnen we niet veilig openen"]


def test_zip_read_through_a_path(tmp_path: Any) -> None:
    path = tmp_path / "spooled"
    path.write_bytes(DOCX)
    file = UploadedFile(
        "brief.docx", "application/zip", size=len(DOCX), head=DOCX[:8192], path=path
    )
    assert check(file)[1] == []


def test_polyglot_pdf_declared_as_png_is_a_pdf() -> None:
    value, errors = check(upload("foto.png", PDF, "image/png"), accept=["pdf", "png"])
    assert errors == []
    assert value[0]["type"] == "application/pdf"
    assert value[0]["naam"] == "foto.pdf"


def test_polyglot_pdf_is_refused_when_only_images_are_allowed() -> None:
    assert check(upload("foto.png", PDF, "image/png"), accept=["png"])[1] == [
        "Het bestand ‘foto.png’ is geen toegestaan bestandstype. Toegestaan: PNG"
    ]


def test_missing_extension_gets_one() -> None:
    assert check(upload("scan", PDF))[0][0]["naam"] == "scan.pdf"


def test_max_files_counts_earlier_uploads() -> None:
    earlier = [{"ref": "a", "naam": "a.pdf", "type": "application/pdf", "grootte": 10}]
    definition = make_field("bestand", max_files=1)
    parsed = parse(definition, {}, files={"veld": [upload("b.pdf", PDF)]}, existing=earlier)
    assert [e.message.resolve("nl") for e in parsed.errors] == [
        "U kunt maximaal 1 bestanden toevoegen bij ‘Veld’"
    ]
    assert parsed.accepted_files == ()
    assert parsed.value == earlier


def test_earlier_uploads_satisfy_required_and_new_ones_are_added() -> None:
    earlier = [{"ref": "a", "naam": "a.pdf", "type": "application/pdf", "grootte": 10}]
    definition = make_field("bestand", max_files=3)
    assert parse(definition, {}, existing=earlier).value == earlier
    parsed = parse(
        definition, {}, files={"veld": [upload("b.pdf", PDF, ref="b")]}, existing=earlier
    )
    assert [item["ref"] for item in parsed.value] == ["a", "b"]


def test_empty_file_part_means_no_file_chosen() -> None:
    nothing = UploadedFile("", "application/octet-stream", size=0, head=b"")
    parsed = parse(make_field("bestand"), {}, files={"veld": [nothing]})
    assert [e.message.resolve("nl") for e in parsed.errors] == ["Voeg een bestand toe bij ‘Veld’"]


def test_sniff() -> None:
    assert sniff(PDF) == "pdf"
    assert sniff(b"\xef\xbb\xbf  <svg>") == "markup"
    assert sniff(b"\x00\x00\x00\x18ftypisom") is None  # an MP4, not HEIF
    assert sniff(GIF) is None


def test_display_lists_names_and_sizes() -> None:
    value = [{"ref": "a", "naam": "brief.pdf", "type": "application/pdf", "grootte": 1536 * 1024}]
    assert (
        get_handler("bestand").display(make_field("bestand"), value, "nl") == "brief.pdf (1,5 MB)"
    )
