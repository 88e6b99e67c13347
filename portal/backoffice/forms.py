"""Checking what staff typed in the back-office forms. Each check returns the errors by field id
(the error summary links to them); no error means the input is clean and may be used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from starlette.datastructures import UploadFile

from formulieren.fields.nummers import is_valid_bsn
from formulieren.ports import HEAD_SIZE
from formulieren.uploads import KINDS, name_problem, printable_name, sniff, stored_name
from portal.templating import gettext as _

Errors = dict[str, str]

NOTE_MAX = 2000
QUESTION_MAX = 2000
MESSAGE_MAX = 4000
CONTACT_QUESTION_MAX = 4000
TITLE_MAX = 200
NAME_MAX = 200
LETTER_MAX_SIZE = 10 * 1024 * 1024
# Form fields are bounded generously so an oversized post is refused outright (400) while a
# text that is merely too long gets a clear message (422).
FORM_LIMIT = 20_000
REQUEST_KINDS = ("vraag", "documenten")
LETTER_KINDS = ("besluit", "medewerker")
CHANNELS = ("telefoon", "balie", "post")
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,63}$")
_STAFF_SUBJECT = re.compile(r"^[A-Za-z0-9._@-]{1,100}$")
_DIGITS = re.compile(r"[\s.\-]")


def too_long(errors: Errors, field_id: str, value: str, limit: int, label: str) -> None:
    if len(value) > limit:
        errors[field_id] = _("%(label)s mag hoogstens %(max)s tekens lang zijn.") % {
            "label": label,
            "max": limit,
        }


def parse_date(text: str) -> date | None:
    """A date as 15-3-2026, 15/03/2026 or 2026-03-15 (what a date input sends)."""
    text = text.strip()
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DUTCH_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def check_status(status: str, allowed: set[str], note: str, internal: str) -> Errors:
    errors: Errors = {}
    if status not in allowed:
        errors["status-status"] = _("Kies de nieuwe status.")
    too_long(errors, "status-bericht", note, NOTE_MAX, _("Het bericht voor de inwoner"))
    too_long(errors, "status-intern", internal, NOTE_MAX, _("De interne notitie"))
    return errors


def check_request(
    kind: str, question: str, deadline_text: str, internal: str, *, today: date
) -> tuple[date | None, Errors]:
    errors: Errors = {}
    if kind not in REQUEST_KINDS:
        errors["verzoek-soort"] = _("Kies of u een vraag stelt of om documenten vraagt.")
    if not question.strip():
        errors["verzoek-vraag"] = _("Schrijf wat u van de inwoner wilt weten of krijgen.")
    too_long(errors, "verzoek-vraag", question, QUESTION_MAX, _("De vraag"))
    deadline = parse_date(deadline_text)
    if not deadline_text.strip():
        errors["verzoek-termijn"] = _("Vul de uiterste datum in, bijvoorbeeld %(example)s.") % {
            "example": (today + timedelta(days=14)).strftime("%d-%m-%Y")
        }
    elif deadline is None:
        errors["verzoek-termijn"] = _(
            "Vul de uiterste datum in als dag-maand-jaar, bijvoorbeeld %(example)s."
        ) % {"example": (today + timedelta(days=14)).strftime("%d-%m-%Y")}
    elif deadline <= today:
        errors["verzoek-termijn"] = _("De uiterste datum moet na vandaag liggen.")
    elif deadline > today + timedelta(days=365):
        errors["verzoek-termijn"] = _("De uiterste datum mag hoogstens een jaar na vandaag liggen.")
    too_long(errors, "verzoek-intern", internal, NOTE_MAX, _("De interne notitie"))
    return (deadline if not errors else None), errors


@dataclass(frozen=True)
class Letter:
    """An uploaded letter that passed the checks: a PDF with a safe name."""

    upload: UploadFile
    filename: str
    size: int


def check_letter(upload: UploadFile | None, title: str, kind: str) -> tuple[Letter | None, Errors]:
    """A PDF only, by its content; the name and size as the form engine checks them."""
    errors: Errors = {}
    letter: Letter | None = None
    if upload is None or not upload.filename:
        errors["brief-bestand"] = _("Kies de brief die u wilt toevoegen (een PDF-bestand).")
    else:
        name = printable_name(upload.filename)
        upload.file.seek(0)
        head = upload.file.read(HEAD_SIZE)
        upload.file.seek(0)
        size = int(upload.size or 0)
        if name_problem(upload.filename) is not None:
            errors["brief-bestand"] = _(
                "De naam van %(name)s kan niet: kies een ander bestand."
            ) % {"name": name}
        elif size <= 0 or not head:
            errors["brief-bestand"] = _("%(name)s is leeg.") % {"name": name}
        elif size > LETTER_MAX_SIZE:
            errors["brief-bestand"] = _("%(name)s is groter dan 10 MB.") % {"name": name}
        elif sniff(head) != "pdf":
            errors["brief-bestand"] = _("%(name)s is geen PDF-bestand. Kies een PDF.") % {
                "name": name
            }
        else:
            letter = Letter(upload, stored_name(upload.filename, KINDS["pdf"]), size)
    if not title.strip():
        errors["brief-titel"] = _("Vul de titel van de brief in.")
    too_long(errors, "brief-titel", title, TITLE_MAX, _("De titel"))
    if kind not in LETTER_KINDS:
        errors["brief-soort"] = _("Kies of dit het besluit is of een andere brief.")
    return (letter if not errors else None), errors


def check_close(result: str, allowed: list[str], note: str, internal: str) -> Errors:
    errors: Errors = {}
    if result not in allowed:
        errors["afsluiten-resultaat"] = _("Kies het resultaat.")
    too_long(errors, "afsluiten-bericht", note, NOTE_MAX, _("Het bericht voor de inwoner"))
    too_long(errors, "afsluiten-intern", internal, NOTE_MAX, _("De interne notitie"))
    return errors


def check_message(body: str) -> Errors:
    errors: Errors = {}
    if not body.strip():
        errors["bericht-tekst"] = _("Schrijf uw bericht.")
    too_long(errors, "bericht-tekst", body, MESSAGE_MAX, _("Het bericht"))
    return errors


def check_assign(target: str, allowed: set[str]) -> Errors:
    if target and target not in allowed:
        return {"toewijzen-medewerker": _("Kies een behandelaar van dit product.")}
    return {}


@dataclass(frozen=True)
class Contact:
    kind: str  # natuurlijk_persoon | niet_natuurlijk_persoon
    number: str
    name: str
    channel: str
    question: str
    email: str | None
    product: str


def check_contact(
    *,
    who: str,
    number: str,
    name: str,
    channel: str,
    question: str,
    email: str,
    product: str,
    products: set[str],
) -> tuple[Contact | None, Errors]:
    errors: Errors = {}
    digits = _DIGITS.sub("", number)
    if who not in ("bsn", "kvk"):
        errors["contact-wie"] = _("Kies of de vraag van een inwoner of van een bedrijf komt.")
    elif not digits:
        errors["contact-nummer"] = _("Vul het BSN of het KVK-nummer in.")
    elif who == "bsn" and not is_valid_bsn(digits.zfill(9) if len(digits) == 8 else digits):
        errors["contact-nummer"] = _("Dit is geen geldig BSN. Een BSN heeft 9 cijfers.")
    elif who == "kvk" and (len(digits) != 8 or not digits.isdigit() or digits == "00000000"):
        errors["contact-nummer"] = _("Een KVK-nummer heeft 8 cijfers.")
    if not name.strip():
        errors["contact-naam"] = _("Vul de naam in.")
    too_long(errors, "contact-naam", name, NAME_MAX, _("De naam"))
    if channel not in CHANNELS:
        errors["contact-kanaal"] = _("Kies hoe de vraag binnenkwam.")
    if not question.strip():
        errors["contact-vraag"] = _("Schrijf de vraag op.")
    too_long(errors, "contact-vraag", question, CONTACT_QUESTION_MAX, _("De vraag"))
    email = email.strip()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        errors["contact-email"] = _("Vul een e-mailadres in als naam@voorbeeld.nl.")
    if product and product not in products:
        errors["contact-product"] = _("Kies een product uit de lijst.")
    if errors:
        return None, errors
    if who == "bsn" and len(digits) == 8:
        digits = "0" + digits
    return (
        Contact(
            kind="natuurlijk_persoon" if who == "bsn" else "niet_natuurlijk_persoon",
            number=digits,
            name=" ".join(name.split()),
            channel=channel,
            question=question.strip(),
            email=email or None,
            product=product or "vraag",
        ),
        {},
    )


def parse_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) <= 6 else None


@dataclass(frozen=True)
class Terms:
    norm_days: int
    legal_days: int | None
    pause_allowed: bool
    results: list[str]


def check_terms(
    norm: str, legal: str, pause: bool, results: list[str], known_results: set[str]
) -> tuple[Terms | None, Errors]:
    errors: Errors = {}
    norm_days = parse_int(norm)
    if norm_days is None or not 1 <= norm_days <= 365:
        errors["zaaktype-norm"] = _(
            "Vul voor de servicenorm een aantal werkdagen in van 1 tot en met 365."
        )
    legal_days = parse_int(legal) if legal.strip() else None
    if legal.strip() and (legal_days is None or not 1 <= legal_days <= 730):
        errors["zaaktype-wettelijk"] = _(
            "Vul voor de wettelijke termijn een aantal dagen in van 1 tot en met 730, "
            "of laat het leeg."
        )
    chosen = [code for code in results if code in known_results]
    if not chosen or len(chosen) != len(results):
        errors["zaaktype-resultaten"] = _("Kies ten minste een mogelijk resultaat.")
    if errors or norm_days is None:
        return None, errors
    return Terms(norm_days, legal_days, pause, chosen), {}


@dataclass(frozen=True)
class StepTexts:
    code: str
    name: str
    name_en: str
    explanation: str
    explanation_en: str
    resident_can_upload: bool
    notifies_resident: bool


def check_step(step: StepTexts) -> Errors:
    errors: Errors = {}
    prefix = f"stap-{step.code}"
    for suffix, value, limit, label in (
        ("naam", step.name, 100, _("De naam")),
        ("naam-en", step.name_en, 100, _("De Engelse naam")),
        ("uitleg", step.explanation, 500, _("De uitleg")),
        ("uitleg-en", step.explanation_en, 500, _("De Engelse uitleg")),
    ):
        if not value.strip():
            errors[f"{prefix}-{suffix}"] = _("%(label)s mag niet leeg zijn.") % {"label": label}
        too_long(errors, f"{prefix}-{suffix}", value, limit, label)
    return errors


def check_staff(subject: str, name: str, products: list[str], known: set[str]) -> Errors:
    errors: Errors = {}
    if not _STAFF_SUBJECT.match(subject.strip()):
        errors["medewerker-id"] = _(
            "Vul de inlognaam van de medewerker in: letters, cijfers, punt, streepje of @."
        )
    if not name.strip():
        errors["medewerker-naam"] = _("Vul de naam van de medewerker in.")
    too_long(errors, "medewerker-naam", name, NAME_MAX, _("De naam"))
    if any(product not in known for product in products):
        errors["medewerker-producten"] = _("Kies producten uit de lijst.")
    return errors
