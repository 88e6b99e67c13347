"""Contact details kept by the portal: an e-mail address or phone number is used only after the
person typed the one-time code we sent there.

A code is six digits, kept only as an HMAC bound to the owner, the channel and the address; it
expires after `verification_code_minutes` and stops working after `verification_code_max_attempts`
wrong tries. Only the newest code of an owner and channel works. Every refusal leaves the
contact details as they were.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import structlog
from sqlalchemy import CursorResult, update
from sqlmodel import Session, col, select

from formulieren.fields.tekst import normalise_email as normalise_email_address
from formulieren.fields.tekst import normalise_phone as normalise_phone_number
from portal.berichten import service as berichten_service
from portal.berichten.models import OutboxMessage
from portal.gegevens.models import ContactDetails, VerificationCode
from portal.settings import Settings

log = structlog.get_logger("mijnharen.gegevens")

EMAIL = "email"
PHONE = "telefoon"
CODE_LENGTH = 6
# Dutch mobile and landline numbers, or an international number with +.
_CODE_PATTERN = re.compile(r"^\d{6}$")
USED_CODE_TEXT = "[De code is gebruikt en daarom uit dit bericht verwijderd.]"


class CodeRefused(Exception):
    """The code did not verify anything; `reason` says why (for a clear message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # geen_code | verlopen | te_vaak | onjuist | ongeldig


def normalise_email(value: str) -> str | None:
    """The address trimmed, its domain in lower case; None when it is not an e-mail address
    (the form engine's rule, so an address accepted in a form is accepted here)."""
    return normalise_email_address(value.strip())


def normalise_phone(value: str) -> str | None:
    """The number in E.164 ("+31612345678"); None when it is not a phone number."""
    return normalise_phone_number(value.strip())


def _code_hash(settings: Settings, *, owner: str, channel: str, address: str, code: str) -> str:
    # Bound to owner, channel and address: another person's code, or a code for another
    # address, never matches even if the digits are the same.
    message = f"{owner}\x1f{channel}\x1f{address.lower()}\x1f{code}".encode()
    key = hashlib.sha256(f"verificatiecode:{settings.secret_key}".encode()).digest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class PhoneCodeSender(Protocol):
    """Sends a verification code by text message. There is no SMS gateway yet: the local
    implementation writes the message to a file, as the e-mail outbox does in development."""

    def send_code(self, *, number: str, text: str) -> None: ...


class LocalPhoneCodeSender:
    """Writes each text message to <data_dir>/sms/ (a stand-in for an SMS gateway)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send_code(self, *, number: str, text: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(4)}.txt"
        (self.folder / name).write_text(f"To: {number}\n\n{text}\n", encoding="utf-8")
        log.info("sms_written", channel=PHONE)


def phone_sender_for(settings: Settings) -> PhoneCodeSender:
    return LocalPhoneCodeSender(settings.data_dir / "sms")


@dataclass(frozen=True)
class IssuedCode:
    channel: str
    address: str
    expires_at: datetime


def issue_code(
    db: Session,
    *,
    owner: str,
    bsn: str | None,
    kvk: str | None,
    channel: str,
    address: str,
    settings: Settings,
    phone_sender: PhoneCodeSender,
    now: datetime,
    texts: dict[str, str],
) -> IssuedCode:
    """Make a new code for this address (older codes of this channel stop working) and send it:
    an e-mail through the outbox, a text message through the phone sender.

    `texts` holds the translated `subject` and `body` (with %(code)s and %(minutes)s)."""
    db.execute(
        update(VerificationCode)
        .where(col(VerificationCode.owner) == owner, col(VerificationCode.channel) == channel)
        .where(col(VerificationCode.used_at).is_(None))
        .values(expires_at=now)
    )
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    minutes = settings.verification_code_minutes
    row = VerificationCode(
        owner=owner,
        channel=channel,
        address=address,
        code_hash=_code_hash(settings, owner=owner, channel=channel, address=address, code=code),
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    body = texts["body"] % {"code": code, "minutes": minutes}
    if channel == EMAIL:
        # Not in the person's message log (recipient without BSN/KVK): the code must be read
        # in the mailbox, or the check would prove nothing.
        message = berichten_service.queue_message(
            db,
            kind="verification_code",
            recipient=berichten_service.Recipient(email=address, exact=True),
            subject=texts["subject"],
            body_text=body,
            now=now,
        )
        row.outbox_id = message.id
    else:
        phone_sender.send_code(number=address, text=body)
    db.add(row)
    db.flush()
    return IssuedCode(channel=channel, address=address, expires_at=row.expires_at)


def pending_code(
    db: Session, *, owner: str, channel: str, now: datetime
) -> VerificationCode | None:
    """The newest unused code of this channel, if it can still be used."""
    code = db.exec(
        select(VerificationCode)
        .where(col(VerificationCode.owner) == owner, col(VerificationCode.channel) == channel)
        .where(col(VerificationCode.used_at).is_(None))
        .order_by(col(VerificationCode.created_at).desc(), col(VerificationCode.id).desc())
    ).first()
    if code is None or _aware(code.expires_at) <= now:
        return None
    return code


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def verify_code(
    db: Session,
    *,
    owner: str,
    channel: str,
    typed: str,
    settings: Settings,
    now: datetime,
) -> tuple[str, str | None]:
    """Check the typed code; on success store the address as verified and return it with the
    address it replaced. Raises CodeRefused, changing nothing but the try counter."""
    typed = re.sub(r"\s", "", typed)
    if not _CODE_PATTERN.match(typed):
        raise CodeRefused("ongeldig")
    code = db.exec(
        select(VerificationCode)
        .where(col(VerificationCode.owner) == owner, col(VerificationCode.channel) == channel)
        .where(col(VerificationCode.used_at).is_(None))
        .order_by(col(VerificationCode.created_at).desc(), col(VerificationCode.id).desc())
    ).first()
    if code is None:
        raise CodeRefused("geen_code")
    if _aware(code.expires_at) <= now:
        raise CodeRefused("verlopen")
    maximum = settings.verification_code_max_attempts
    # Counted with a conditional UPDATE, so parallel guesses cannot exceed the maximum.
    counted: CursorResult[Any] = db.execute(  # type: ignore[assignment]
        update(VerificationCode)
        .where(col(VerificationCode.id) == code.id, col(VerificationCode.attempts) < maximum)
        .where(col(VerificationCode.used_at).is_(None))
        .values(attempts=VerificationCode.attempts + 1)
    )
    if counted.rowcount != 1:
        raise CodeRefused("te_vaak")
    expected = _code_hash(settings, owner=owner, channel=channel, address=code.address, code=typed)
    if not hmac.compare_digest(expected, code.code_hash):
        db.refresh(code)
        raise CodeRefused("te_vaak" if code.attempts >= maximum else "onjuist")
    used: CursorResult[Any] = db.execute(  # type: ignore[assignment]
        update(VerificationCode)
        .where(col(VerificationCode.id) == code.id, col(VerificationCode.used_at).is_(None))
        .values(used_at=now)
    )
    if used.rowcount != 1:
        raise CodeRefused("geen_code")
    if code.outbox_id is not None:
        # The code has done its work; it need not stay readable in the outbox.
        db.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == code.outbox_id)
            .values(body_text=USED_CODE_TEXT)
        )
    details = db.get(ContactDetails, owner) or ContactDetails(owner=owner, updated_at=now)
    previous: str | None
    if channel == EMAIL:
        previous = details.email if details.email_verified_at else None
        details.email, details.email_verified_at = code.address, now
    else:
        previous = details.phone if details.phone_verified_at else None
        details.phone, details.phone_verified_at = code.address, now
    details.updated_at = now
    db.add(details)
    db.flush()
    return code.address, previous


def notify_old_address(
    db: Session,
    *,
    old: str,
    bsn: str | None,
    kvk: str | None,
    subject: str,
    body: str,
    now: datetime,
) -> None:
    """Tell the old address that the e-mail address changed (someone else may have done it)."""
    berichten_service.queue_message(
        db,
        kind="email_changed",
        recipient=berichten_service.Recipient(email=old, bsn=bsn, kvk=kvk, exact=True),
        subject=subject,
        body_text=body,
        now=now,
    )


def set_paper_post(db: Session, *, owner: str, paper: bool, now: datetime) -> None:
    """Digital only (False) or also letters on paper (True)."""
    details = db.get(ContactDetails, owner) or ContactDetails(owner=owner, updated_at=now)
    details.paper_post = paper
    details.updated_at = now
    db.add(details)
    db.flush()
