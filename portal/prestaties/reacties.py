"""What residents tell us: one reaction per closed case or attended appointment, the
comments staff read (without the person unless they allowed it), and the reactions in the
person's own data export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.afspraken import service as afspraken_service
from portal.afspraken.models import Appointment
from portal.gegevens import service as gegevens_service
from portal.prestaties.models import Feedback
from portal.prestaties.service import month_of
from portal.zaken.models import Zaak

FEEDBACK_COMMENT_MAX = 1000
COMMENTS_PAGE_SIZE = 25


class FeedbackExists(Exception):
    """This case or appointment already has its one answer (the unique constraint said so)."""


def feedback_for(db: Session, *, subject_kind: str, subject_id: int) -> Feedback | None:
    query = select(Feedback).where(
        col(Feedback.subject_kind) == subject_kind, col(Feedback.subject_id) == subject_id
    )
    return db.exec(query).first()


def give_feedback(
    db: Session,
    *,
    subject_kind: str,
    subject_id: int,
    product: str,
    month: str,
    score: int,
    comment: str,
    share_identity: bool,
    owner_bsn: str | None,
    owner_kvk: str | None,
    now: datetime,
) -> Feedback:
    """Store the one answer about a case or appointment; FeedbackExists when there is one.

    No check-then-insert: the insert itself is the check (in a savepoint, so the request's
    transaction stays usable), which also decides between two posts at the same moment."""
    feedback = Feedback(
        subject_kind=subject_kind,
        subject_id=subject_id,
        product=product[:80],
        month=month,
        score=score,
        comment=comment[:FEEDBACK_COMMENT_MAX],
        share_identity=share_identity,
        owner_bsn=owner_bsn,
        owner_kvk=owner_kvk,
        created_at=now,
    )
    try:
        with db.begin_nested():
            db.add(feedback)
            db.flush()
    except IntegrityError as taken:
        raise FeedbackExists(f"{subject_kind}:{subject_id}") from taken
    return feedback


def case_feedback_month(zaak: Zaak) -> str:
    """The month a case's answer counts in: the month it closed (in Haren)."""
    if zaak.closed_month:
        return zaak.closed_month
    assert zaak.closed_at is not None
    return month_of(zaak.closed_at)


def appointment_feedback_product(appointment: Appointment) -> str:
    """An appointment's answer counts for its first product, as its no-show does."""
    return appointment.product_codes[0] if appointment.product_codes else "afspraak"


@dataclass
class Comment:
    """One answer as staff see it: the person only when they allowed it."""

    feedback: Feedback
    reference: str | None = None  # case or appointment reference, only when shared
    name: str | None = None
    bsn: str | None = None
    kvk: str | None = None


@dataclass
class CommentPage:
    comments: list[Comment]
    page: int
    total: int
    page_size: int = COMMENTS_PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def comments_page(db: Session, *, page: int = 1) -> CommentPage:
    """The answers with a comment, newest first, COMMENTS_PAGE_SIZE per page; who wrote one
    only where the resident allowed it (two small look-ups per page, never per comment)."""
    has_comment = col(Feedback.comment) != ""
    total = int(db.exec(select(func.count()).where(has_comment)).one())
    rows = list(
        db.exec(
            select(Feedback)
            .where(has_comment)
            .order_by(col(Feedback.created_at).desc(), col(Feedback.id).desc())
            .offset((page - 1) * COMMENTS_PAGE_SIZE)
            .limit(COMMENTS_PAGE_SIZE)
        ).all()
    )
    shared_cases = [f.subject_id for f in rows if f.share_identity and f.subject_kind == "zaak"]
    shared_visits = [
        f.subject_id for f in rows if f.share_identity and f.subject_kind == "afspraak"
    ]
    cases = {z.id: z for z in db.exec(select(Zaak).where(col(Zaak.id).in_(shared_cases))).all()}
    visits = afspraken_service.appointments_by_id(db, shared_visits)
    comments = []
    for feedback in rows:
        comment = Comment(feedback)
        if feedback.share_identity:
            comment.bsn, comment.kvk = feedback.owner_bsn, feedback.owner_kvk
            zaak = cases.get(feedback.subject_id) if feedback.subject_kind == "zaak" else None
            visit = visits.get(feedback.subject_id) if feedback.subject_kind == "afspraak" else None
            if zaak is not None:
                comment.reference, comment.name = zaak.reference, zaak.initiator_name
            elif visit is not None:
                comment.reference, comment.name = visit.reference, visit.name
        comments.append(comment)
    return CommentPage(comments, page, total)


EXPORT_TABLES = ("tevredenheid",)


def export_personal_data(db: Session, identity: Identity) -> list[gegevens_service.ExportSection]:
    """What the person told us about our service, for "Download mijn gegevens"."""
    if identity.bsn:
        condition = col(Feedback.owner_bsn) == identity.bsn
    elif identity.kvk:
        condition = col(Feedback.owner_kvk) == identity.kvk
    else:
        return []
    rows = db.exec(select(Feedback).where(condition).order_by(col(Feedback.created_at))).all()
    return [
        gegevens_service.ExportSection(
            key="reacties",
            title="Uw reacties op onze dienstverlening",
            description="Wat u ons liet weten na een zaak of een afspraak.",
            fields={
                "over": "zaak of afspraak",
                "product": "het product",
                "maand": "de maand (JJJJ-MM)",
                "cijfer": "uw cijfer van 1 tot 5",
                "opmerking": "uw opmerking",
                "naam_zichtbaar": "true: de medewerker mag zien dat de reactie van u is",
                "gegeven_op": "wanneer (UTC)",
            },
            records=[
                {
                    "over": row.subject_kind,
                    "product": row.product,
                    "maand": row.month,
                    "cijfer": row.score,
                    "opmerking": row.comment,
                    "naam_zichtbaar": row.share_identity,
                    "gegeven_op": gegevens_service.iso(row.created_at),
                }
                for row in rows
            ],
        )
    ]
