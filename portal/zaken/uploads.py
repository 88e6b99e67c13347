"""Files a resident sends with an answer: checked by the form engine's upload rules (content,
name, size, number), then kept in the file store as documents of the case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session
from starlette.datastructures import UploadFile

from formulieren.definitions import FieldDefinition
from formulieren.fields.base import FieldInput
from formulieren.fields.bestand import BestandHandler
from formulieren.ports import UploadedFile
from formulieren.uploads import KINDS, AcceptedFile
from portal.files import describe_upload, file_store
from portal.settings import Settings
from portal.zaken import service
from portal.zaken.models import Zaak, ZaakDocument, ZaakVerzoek

MAX_FILES = 5
ACCEPT = ["pdf", "jpeg", "png"]
ACCEPT_ATTRIBUTE = ",".join(
    f".{extension}" for name in ACCEPT for extension in KINDS[name].extensions
)


def received_files(parts: Sequence[UploadFile | str]) -> list[UploadedFile]:
    """The chosen files of a file input, described for the engine's checks."""
    described = (describe_upload(part) for part in parts if not isinstance(part, str))
    return [upload for upload in described if upload is not None]


def check_files(
    files: list[UploadedFile], *, label: str, required: bool, language: str
) -> tuple[list[AcceptedFile], list[str]]:
    """The files that passed, and the messages for those that did not (nothing passes then)."""
    field = FieldDefinition(
        name="bestanden",
        type="bestand",
        label=label,
        required=required,
        accept=ACCEPT,
        max_files=MAX_FILES,
    )
    parsed = BestandHandler().parse(
        field,
        FieldInput(prefix="bestanden", posted={}, files={"bestanden": files}, required=required),
    )
    messages = [error.message.resolve(language) for error in parsed.errors]
    return ([] if messages else list(parsed.accepted_files)), messages


def store_answer_files(
    db: Session,
    settings: Settings,
    *,
    zaak: Zaak,
    verzoek: ZaakVerzoek,
    accepted: list[AcceptedFile],
    added_by: str,
    now: datetime,
) -> list[ZaakDocument]:
    """Keep each accepted file and attach it to the case as sent by the resident."""
    assert zaak.id is not None
    store = file_store(settings.data_dir)
    documents = []
    for item in accepted:
        source = item.upload.fileobj
        assert source is not None
        stored = store.save(source, stored_name=item.upload.ref)
        documents.append(
            service.add_document(
                db,
                zaak_id=zaak.id,
                title=item.name,
                filename=item.name,
                content_type=item.kind.content_type,
                size=stored.size,
                stored_name=stored.stored_name,
                sha256=stored.sha256,
                now=now,
                source="inwoner",
                added_by=added_by,
                verzoek_id=verzoek.id,
            )
        )
    return documents
