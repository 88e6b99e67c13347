"""What a finished form becomes: files kept, the case's details, the receipt PDF."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session

from auth.identity import Identity
from formulieren import FormDefinition, UploadedFile
from formulieren.runner import StepResult, SummarySection
from formulieren.text import resolve
from portal.aanvragen import service
from portal.aanvragen.models import Draft
from portal.aanvragen.web import now, store_for, upload_sources
from portal.producten import service as producten_service
from portal.producten.schemas import Product
from portal.settings import Settings
from portal.templating import render_pdf, render_string
from portal.zaken import service as zaken_service


def product_for(form: FormDefinition) -> Product | None:
    return producten_service.get_product(form.product)


def login_urls(form: FormDefinition, product: Product | None) -> dict[str, str]:
    """Where the start page's login buttons go (per provider), asking for the level needed."""
    providers = {
        "digid": ["digid"],
        "eherkenning": ["eherkenning"],
        "digid_of_eherkenning": ["digid", "eherkenning"],
    }.get(form.login, [])
    urls = {}
    for provider in providers:
        level = product.minimum_loa_for(provider) if product else form.minimum_loa
        query = {"next": f"/formulieren/{form.slug}"}
        if level:
            query["niveau"] = level
        urls[provider] = f"/auth/{provider}/login?{urlencode(query)}"
    return urls


def keep_files(
    db: Session,
    settings: Settings,
    draft: Draft,
    result: StepResult,
    files: dict[str, list[UploadedFile]],
) -> None:
    """Store accepted uploads now (even when the step has errors) and drop removed ones."""
    store = store_for(settings)
    sources = upload_sources(files)
    for field_name, accepted in result.accepted_files.items():
        for item in accepted:
            source = sources[item.upload.ref]
            assert source.fileobj is not None
            stored = store.save(source.fileobj, stored_name=item.upload.ref)
            service.add_upload(
                db,
                draft=draft,
                field_name=field_name,
                descriptor=item.descriptor,
                sha256=stored.sha256,
                now=now(),
            )
    for removed in result.removed_files:
        service.remove_upload(db, draft=draft, ref=str(removed.get("ref", "")))


def initiator_for(identity: Identity | None, name: str) -> zaken_service.Initiator:
    if identity is not None and identity.is_resident:
        return zaken_service.Initiator(kind="natuurlijk_persoon", bsn=identity.bsn, name=name)
    if identity is not None and identity.is_company:
        return zaken_service.Initiator(
            kind="niet_natuurlijk_persoon",
            kvk=identity.kvk,
            vestiging=identity.vestiging,
            name=name,
        )
    return zaken_service.Initiator(kind="anoniem", name=name)


def contact_email(answers: dict[str, Any]) -> str | None:
    """The e-mail address the resident gave in the form (the first `email` answer)."""
    for step_answers in answers.values():
        for key, value in (step_answers or {}).items():
            if "email" in key and isinstance(value, str) and "@" in value:
                return value
    return None


def build_submission(
    form: FormDefinition,
    product: Product | None,
    identity: Identity | None,
    answers: dict[str, Any],
    *,
    name: str,
    language: str,
    portal_url: str,
    registratie_zaaktype: str | None = None,
    sections: list[SummarySection] | None = None,
) -> service.Submission:
    """The case's details: type, description, initiator, norms, and the confirmation e-mail.
    With `registratie_zaaktype` it goes to the case system, with the answers as `sections`."""
    title = resolve(form.title, "nl")
    doorlooptijd = product.doorlooptijd if product else None
    norm_days = doorlooptijd.servicenorm_dagen if doorlooptijd else None
    body = render_string(
        "aanvragen/email_ontvangen.txt", name=name, norm_days=norm_days, portal_url=portal_url
    )
    return service.Submission(
        zaaktype=form.product,
        omschrijving=title,
        initiator=initiator_for(identity, name),
        contact_email=contact_email(answers),
        confirmation_subject="Wij hebben uw aanvraag ontvangen",
        confirmation_body=str(body),
        registratie_zaaktype=registratie_zaaktype,
        summary=[summary_json(section) for section in sections or []],
    )


def summary_json(section: SummarySection) -> dict[str, Any]:
    """A check-answers section as stored for the case system's PDF (the receipt's shape)."""
    return {
        "title": section.title,
        "rows": [{"label": row.label, "lines": row.lines} for row in section.rows],
    }


def receipt_pdf(
    form: FormDefinition,
    sections: list[SummarySection],
    *,
    reference: str,
    received: str,
    title: str,
) -> bytes:
    """The receipt of the answers as PDF (weasyprint), for the resident's own records."""
    return render_pdf(
        "aanvragen/ontvangstbewijs.html",
        form=form,
        sections=sections,
        reference=reference,
        received=received,
        title=title,
    )
