"""Rules for applications in progress: drafts owned by one person, saved per step, sent once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.aanvragen.models import Draft, DraftUpload, FormMonth
from portal.berichten import service as berichten_service
from portal.gegevens import service as gegevens_service
from portal.zaaksysteem import inzage as zaaksysteem_inzage
from portal.zaaksysteem import registratie as zaaksysteem
from portal.zaken import service as zaken_service


class DraftNotFound(LookupError):
    """No draft with this id belongs to this person (or it has expired): answer 404."""


class SubmissionRefused(Exception):
    """The submission token does not belong to this draft (a forged or stale form)."""


def owner_key(identity: Identity | None, anonymous_id: str | None) -> str:
    """Who owns a draft: the resident (BSN), the company (KVK and branch), or one browser."""
    if identity is not None and identity.is_resident:
        return f"bsn:{identity.bsn}"
    if identity is not None and identity.is_company:
        return f"kvk:{identity.kvk}:{identity.vestiging or ''}"
    if anonymous_id:
        return f"anon:{anonymous_id}"
    raise DraftNotFound("no owner")


def start_draft(
    db: Session, *, form_slug: str, owner: str, now: datetime, lifetime: timedelta
) -> Draft:
    """A new, empty draft with its own submission token."""
    draft = Draft(
        id=secrets.token_hex(16),
        form_slug=form_slug,
        owner=owner,
        answers={},
        created_at=now,
        updated_at=now,
        expires_at=now + lifetime,
        submission_token=secrets.token_urlsafe(32),
    )
    db.add(draft)
    db.flush()
    _count(db, form_slug=form_slug, started_at=now, column="started")
    return draft


HAREN_TIME = ZoneInfo("Europe/Amsterdam")


def _count(db: Session, *, form_slug: str, started_at: datetime, column: str) -> None:
    """One more form started (or, counted in the month it was started, submitted)."""
    month = f"{started_at.astimezone(HAREN_TIME):%Y-%m}"
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    table: Any = FormMonth.__table__  # type: ignore[attr-defined]
    db.execute(
        dialect.insert(table)
        .values({"form_slug": form_slug, "month": month, "started": 0, "submitted": 0, column: 1})
        .on_conflict_do_update(
            index_elements=["form_slug", "month"], set_={column: table.c[column] + 1}
        )
    )


def add_form_counts(
    db: Session, *, form_slug: str, month: str, started: int, submitted: int
) -> None:
    """Add past counts (the demo's year of history)."""
    row = db.get(FormMonth, (form_slug, month)) or FormMonth(form_slug=form_slug, month=month)
    row.started += started
    row.submitted += submitted
    db.add(row)


def form_months(db: Session, *, months: list[str]) -> list[FormMonth]:
    """How many forms were started in each of these months, and how many of those were sent."""
    query = select(FormMonth).where(col(FormMonth.month).in_(months))
    return list(db.exec(query).all())


def find_open_draft(db: Session, *, form_slug: str, owner: str, now: datetime) -> Draft | None:
    """The newest unfinished draft of this form for this owner, if any."""
    query = (
        select(Draft)
        .where(col(Draft.form_slug) == form_slug, col(Draft.owner) == owner)
        .where(col(Draft.submitted_at).is_(None), col(Draft.expires_at) > now)
        .order_by(col(Draft.updated_at).desc())
    )
    return db.exec(query).first()


def get_draft(db: Session, *, draft_id: str, owner: str, now: datetime) -> Draft:
    """The draft if it belongs to `owner`; another person's draft is indistinguishable from none."""
    draft = db.get(Draft, draft_id)
    if draft is None or not secrets.compare_digest(draft.owner, owner):
        raise DraftNotFound(draft_id)
    if draft.submitted_at is None and draft.expires_at <= now:
        raise DraftNotFound(draft_id)
    return draft


def list_drafts(db: Session, *, owner: str, now: datetime) -> list[Draft]:
    """Unfinished drafts of this owner, newest first."""
    query = (
        select(Draft)
        .where(col(Draft.owner) == owner, col(Draft.submitted_at).is_(None))
        .where(col(Draft.expires_at) > now)
        .order_by(col(Draft.updated_at).desc())
    )
    return list(db.exec(query).all())


def save_answers(
    db: Session,
    *,
    draft: Draft,
    answers: dict[str, Any],
    current_step: str,
    now: datetime,
    lifetime: timedelta,
) -> None:
    """Store the answers so far; every save gives the draft its full lifetime again."""
    draft.answers = answers
    draft.current_step = current_step
    draft.updated_at = now
    draft.expires_at = now + lifetime
    db.add(draft)
    db.flush()


def add_upload(
    db: Session,
    *,
    draft: Draft,
    field_name: str,
    descriptor: dict[str, Any],
    sha256: str,
    now: datetime,
) -> None:
    """Record an accepted upload (the file itself is already in the store)."""
    db.add(
        DraftUpload(
            id=str(descriptor["ref"]),
            draft_id=draft.id,
            field_name=field_name,
            filename=str(descriptor.get("naam", ""))[:200],
            content_type=str(descriptor.get("type", "application/octet-stream"))[:100],
            size=int(descriptor.get("grootte", 0)),
            sha256=sha256,
            created_at=now,
        )
    )
    db.flush()


def remove_upload(db: Session, *, draft: Draft, ref: str) -> None:
    """Forget an upload the resident removed; the file sweep removes the file itself."""
    upload = db.get(DraftUpload, ref)
    if upload is not None and upload.draft_id == draft.id:
        db.delete(upload)
        db.flush()


def get_upload(db: Session, *, draft: Draft, ref: str) -> DraftUpload | None:
    upload = db.get(DraftUpload, ref)
    return upload if upload is not None and upload.draft_id == draft.id else None


def delete_draft(db: Session, *, draft: Draft) -> None:
    """Throw a draft away with its uploads (the resident chose to stop).

    Rows go now, in the request's transaction; files go with the next sweep, so a failed
    commit can never leave a row whose file is gone.
    """
    uploads = db.exec(select(DraftUpload).where(col(DraftUpload.draft_id) == draft.id)).all()
    for upload in uploads:
        db.delete(upload)
    db.flush()
    db.delete(draft)
    db.flush()


@dataclass(frozen=True)
class Submission:
    """What the case needs to know beyond the answers."""

    zaaktype: str
    omschrijving: str
    initiator: zaken_service.Initiator
    contact_email: str | None
    confirmation_subject: str
    confirmation_body: str
    # Set when the product's submissions go to the case system: its zaaktype URL, and the
    # answers as shown on the check-answers page (for the PDF the case system keeps).
    registratie_zaaktype: str | None = None
    summary: list[dict[str, Any]] = field(default_factory=list)


def submit_draft(
    db: Session,
    *,
    draft: Draft,
    token: str,
    submission: Submission,
    answers: dict[str, Any],
    now: datetime,
) -> str:
    """Turn the draft into a case exactly once; every repeat gets the same reference.

    The conditional UPDATE is the guard: of any number of concurrent submits (in any number
    of processes) exactly one sees `submitted_at IS NULL`; the others wait for it and then
    read its reference. A unique constraint on the case's token is the second guard.
    """
    if not secrets.compare_digest(token, draft.submission_token):
        raise SubmissionRefused("token does not belong to this draft")
    claimed: CursorResult[Any] = db.execute(  # type: ignore[assignment]
        update(Draft)
        .where(col(Draft.id) == draft.id, col(Draft.submitted_at).is_(None))
        .values(submitted_at=now)
    )
    if claimed.rowcount != 1:
        db.refresh(draft)
        if draft.zaak_reference is None:
            raise SubmissionRefused("submitted elsewhere without a case")
        return draft.zaak_reference
    if submission.registratie_zaaktype:
        reference = _queue_for_case_system(db, draft=draft, submission=submission, now=now)
    else:
        reference = _create_own_case(
            db, draft=draft, submission=submission, answers=answers, now=now
        )
    _count(db, form_slug=draft.form_slug, started_at=draft.created_at, column="submitted")
    db.execute(update(Draft).where(col(Draft.id) == draft.id).values(zaak_reference=reference))
    if submission.contact_email or submission.initiator.bsn or submission.initiator.kvk:
        berichten_service.queue_message(
            db,
            kind="submission_received",
            recipient=berichten_service.Recipient(
                email=submission.contact_email,
                bsn=submission.initiator.bsn,
                kvk=submission.initiator.kvk,
            ),
            subject=submission.confirmation_subject,
            body_text=submission.confirmation_body.replace("{reference}", reference),
            now=now,
            zaak_reference=reference,
        )
    db.refresh(draft)
    return reference


def _create_own_case(
    db: Session, *, draft: Draft, submission: Submission, answers: dict[str, Any], now: datetime
) -> str:
    """The portal's own case, handled in its back office."""
    zaak = zaken_service.create_zaak(
        db,
        zaaktype=submission.zaaktype,
        omschrijving=submission.omschrijving,
        initiator=submission.initiator,
        answers=answers,
        submission_token=draft.submission_token,
        received_at=now,
        form_slug=draft.form_slug,
        contact_email=submission.contact_email,
    )
    assert zaak.id is not None
    _move_uploads_to_case(db, draft=draft, zaak_id=zaak.id, now=now)
    return zaak.reference


def _queue_for_case_system(
    db: Session, *, draft: Draft, submission: Submission, now: datetime
) -> str:
    """A registration for the worker to take to the case system; the uploads go with it."""
    assert submission.registratie_zaaktype is not None
    reference = zaken_service.next_reference(db, year=now.year)
    uploads = db.exec(
        select(DraftUpload)
        .where(col(DraftUpload.draft_id) == draft.id)
        .order_by(col(DraftUpload.created_at), col(DraftUpload.id))
    ).all()
    initiator = submission.initiator
    zaaksysteem.queue_registration(
        db,
        zaaksysteem.NewRegistration(
            reference=reference,
            submission_token=draft.submission_token,
            form_slug=draft.form_slug,
            product=submission.zaaktype,
            zaaktype_url=submission.registratie_zaaktype,
            omschrijving=submission.omschrijving[:200],
            initiator_kind=initiator.kind,
            initiator_bsn=initiator.bsn,
            initiator_kvk=initiator.kvk,
            initiator_vestiging=initiator.vestiging,
            initiator_name=initiator.name[:200],
            contact_email=submission.contact_email,
            received_at=now,
            summary=submission.summary,
        ),
        [zaaksysteem.Upload(u.filename, u.content_type, u.id) for u in uploads],
    )
    for upload in uploads:
        db.delete(upload)
    db.flush()
    return reference


def _move_uploads_to_case(db: Session, *, draft: Draft, zaak_id: int, now: datetime) -> None:
    uploads = db.exec(select(DraftUpload).where(col(DraftUpload.draft_id) == draft.id)).all()
    for upload in uploads:
        zaken_service.add_document(
            db,
            zaak_id=zaak_id,
            title=upload.filename,
            filename=upload.filename,
            content_type=upload.content_type,
            size=upload.size,
            stored_name=upload.id,
            sha256=upload.sha256,
            now=now,
        )
        db.delete(upload)
    db.flush()


def purge_expired_drafts(db: Session, *, now: datetime) -> int:
    """Delete drafts past their lifetime, with their uploads (run by the worker)."""
    expired = db.exec(
        select(Draft).where(col(Draft.submitted_at).is_(None), col(Draft.expires_at) <= now)
    ).all()
    for draft in expired:
        delete_draft(db, draft=draft)
    return len(expired)


def referenced_files(db: Session) -> set[str]:
    """Every stored file a row still refers to (draft uploads and case documents)."""
    return (
        set(db.exec(select(DraftUpload.id)).all())
        | zaken_service.stored_document_names(db)
        | zaaksysteem_inzage.stored_file_names(db)
    )


EXPORT_TABLES = ("aanvraag_draft", "aanvraag_upload")


def _drafts_of(identity: Identity) -> Any:
    """A company login without a branch owns the drafts of all its branches (as its cases)."""
    if identity.is_company and not identity.vestiging:
        return col(Draft.owner).startswith(f"kvk:{identity.kvk}:", autoescape=True)
    return col(Draft.owner) == owner_key(identity, None)


def export_personal_data(db: Session, identity: Identity) -> list[gegevens_service.ExportSection]:
    """Forms the person started (sent or not), with their answers and uploaded files."""
    iso = gegevens_service.iso
    drafts = db.exec(
        select(Draft).where(_drafts_of(identity)).order_by(col(Draft.created_at))
    ).all()
    ids = [d.id for d in drafts]
    uploads = (
        db.exec(select(DraftUpload).where(col(DraftUpload.draft_id).in_(ids))).all() if ids else []
    )
    by_draft: dict[str, list[DraftUpload]] = {}
    for upload in uploads:
        by_draft.setdefault(upload.draft_id, []).append(upload)
    records: list[dict[str, Any]] = []
    files: list[gegevens_service.ExportFile] = []
    for draft in drafts:
        draft_files = []
        for upload in by_draft.get(draft.id, []):
            name = gegevens_service.safe_file_name(upload.filename)
            path = f"aanvragen/{draft.id[:8]}/{upload.id[:8]}-{name}"
            files.append(gegevens_service.ExportFile(path=path, stored_name=upload.id))
            draft_files.append({"naam": upload.filename, "grootte": upload.size, "bestand": path})
        records.append(
            {
                "formulier": draft.form_slug,
                "antwoorden": draft.answers,
                "bestanden": draft_files,
                "begonnen_op": iso(draft.created_at),
                "gewijzigd_op": iso(draft.updated_at),
                "verloopt_op": iso(draft.expires_at) if draft.submitted_at is None else None,
                "verstuurd_op": iso(draft.submitted_at),
                "zaak": draft.zaak_reference,
            }
        )
    return [
        gegevens_service.ExportSection(
            key="aanvragen",
            title="Formulieren die u invulde",
            description="Formulieren die u begon, verstuurd of nog niet, met uw antwoorden.",
            fields={
                "formulier": "welk formulier",
                "antwoorden": "uw antwoorden per stap",
                "bestanden": "bestanden die u nog niet verstuurde; 'bestand' is de plek in de ZIP",
                "begonnen_op": "wanneer u begon (UTC)",
                "verloopt_op": "wanneer wij een niet verstuurd formulier weggooien (UTC)",
                "verstuurd_op": "wanneer u het verstuurde (UTC)",
                "zaak": "het zaaknummer dat het formulier kreeg",
            },
            records=records,
            files=files,
        )
    ]
