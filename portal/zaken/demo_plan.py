"""What the demo people and companies have going on: one script per case, played by demo.py.

Each step happens `after` the case was received; dates are relative to the moment of loading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

# Actions: behandelen (status in_behandeling), vragen (information request; open unless an
# `antwoorden` follows), antwoorden (the resident answers), bericht_inwoner, bericht_medewerker,
# besluit (close with `result`, with a decision letter unless the result is geen_besluit),
# intrekken (the resident withdraws with `text` as reason).


@dataclass(frozen=True)
class Step:
    action: str
    after: timedelta
    text: str = ""
    result: str = ""


@dataclass(frozen=True)
class DemoCase:
    product: str
    days_ago: float
    steps: tuple[Step, ...] = ()
    assigned_to: str | None = None  # a demo staff subject
    vestiging: str | None = None
    form_slug: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoOwner:
    name: str
    bsn: str | None = None
    kvk: str | None = None
    email: str | None = None
    email_off: frozenset[str] = frozenset()  # e-mail kinds this person switched off
    cases: tuple[DemoCase, ...] = ()


def days(number: float) -> timedelta:
    return timedelta(days=number)


def hours(number: float) -> timedelta:
    return timedelta(hours=number)


def _address(street: str, number: int, postcode: str) -> dict[str, Any]:
    return {
        "postcode": postcode,
        "huisnummer": str(number),
        "huisletter": "",
        "toevoeging": "",
        "straat": street,
        "woonplaats": "Haren",
    }


def _wish(text: str, email: str | None) -> dict[str, Any]:
    """Answers of a short application: what the person asks, and how to reach them."""
    return {"aanvraag": {"toelichting": text}, "contact": {"email": email or ""}}


SUZANNE_EMAIL = "suzanne.moulin@example.nl"
KENTEKEN_QUESTION = "Stuur ons een kopie van het kentekenbewijs"

OWNERS: tuple[DemoOwner, ...] = (
    DemoOwner(
        name="Suzanne Moulin",
        bsn="999993653",
        email=SUZANNE_EMAIL,
        cases=(
            # The case the "Done means" journey starts from: received today, nobody has it yet.
            DemoCase(
                product="verhuizing-doorgeven",
                days_ago=0,
                form_slug="verhuizing",
                answers={
                    "uw-gegevens": {
                        "naam": "Suzanne Moulin",
                        "huidig_adres": _address("Rijksstraatweg", 120, "9752 BL"),
                        "email": SUZANNE_EMAIL,
                        "telefoon": "0612345678",
                    },
                    "nieuw-adres": {
                        "nieuw_adres": _address("Kerklaan", 12, "9751 NN"),
                        "verhuisdatum": "+14d",  # made a date relative to loading
                        "woonsituatie": "huur",
                    },
                    "meeverhuizers": {"meeverhuizers": "nee"},
                },
            ),
            DemoCase(
                product="parkeervergunning",
                days_ago=9,
                assigned_to="behandelaar",
                answers=_wish("Parkeervergunning voor mijn auto, kenteken 12-ABC-3", SUZANNE_EMAIL),
                steps=(
                    Step("behandelen", days(1), "Wij controleren uw aanvraag."),
                    Step("bericht_inwoner", days(2), "Kan ik de vergunning ook digitaal krijgen?"),
                    Step("bericht_medewerker", days(3), "Ja, de vergunning is digitaal."),
                    Step("vragen", days(4), KENTEKEN_QUESTION),
                ),
            ),
            DemoCase(
                product="kapvergunning",
                days_ago=45,
                assigned_to="behandelaar-beheerder",
                answers=_wish("Een zieke berk in de achtertuin kappen", SUZANNE_EMAIL),
                steps=(
                    Step("behandelen", days(1)),
                    Step("bericht_medewerker", days(3), "Wij komen de boom bekijken op dinsdag."),
                    Step("bericht_inwoner", days(4), "Dank u, ik ben dan thuis."),
                    Step("besluit", days(15), "U mag de boom kappen.", result="toegekend"),
                ),
            ),
            DemoCase(
                product="grofvuil",
                days_ago=70,
                answers=_wish("Een oude bank en twee stoelen", SUZANNE_EMAIL),
                steps=(Step("intrekken", days(1), "Ik breng het zelf naar de milieustraat."),),
            ),
        ),
    ),
    DemoOwner(
        name="Lance Smit",
        bsn="999990858",
        email="lance.smit@example.nl",
        email_off=frozenset({"status_changed"}),
        cases=(
            DemoCase(
                product="hondenbelasting",
                days_ago=6,
                assigned_to="behandelaar-beheerder",
                answers=_wish("Wij hebben sinds kort een hond, Bobby.", "lance.smit@example.nl"),
                steps=(Step("behandelen", days(2)),),
            ),
            DemoCase(
                product="melding-openbare-ruimte",
                days_ago=16,
                answers=_wish("Losse stoeptegels voor Meerweg 8", "lance.smit@example.nl"),
            ),
            DemoCase(
                product="uittreksel-brp",
                days_ago=25,
                answers=_wish("Uittreksel voor mijn werkgever", "lance.smit@example.nl"),
                steps=(
                    Step("behandelen", hours(20)),
                    Step("besluit", days(2), "Het uittreksel is verstuurd.", result="toegekend"),
                ),
            ),
        ),
    ),
    DemoOwner(
        name="Marianne de Jong",
        bsn="999990949",
        email="marianne.dejong@example.nl",
        cases=(
            DemoCase(
                product="wmo-ondersteuning",
                days_ago=12,
                assigned_to="behandelaar",
                answers=_wish("Hulp bij het huishouden", "marianne.dejong@example.nl"),
                steps=(
                    Step("behandelen", days(2)),
                    Step(
                        "vragen", days(5), "Wanneer kunnen wij bij u langskomen voor een gesprek?"
                    ),
                ),
            ),
            DemoCase(
                product="bijzondere-bijstand",
                days_ago=50,
                answers=_wish(
                    "Vergoeding voor een nieuwe wasmachine", "marianne.dejong@example.nl"
                ),
                steps=(
                    Step("behandelen", days(3)),
                    Step(
                        "vragen", days(5), "Stuur ons uw bankafschriften van de laatste 3 maanden"
                    ),
                    Step("antwoorden", days(8), "De afschriften zijn bijgevoegd."),
                    Step("besluit", days(20), "Uw inkomen is te hoog.", result="afgewezen"),
                ),
            ),
        ),
    ),
    DemoOwner(
        name="Peter-Jan van der Meijden",
        bsn="999993872",
        email="pj.vandermeijden@example.nl",
        cases=(
            DemoCase(
                product="geheimhouding-gegevens",
                days_ago=80,
                answers=_wish("Geen gegevens aan derden", "pj.vandermeijden@example.nl"),
                steps=(
                    Step("behandelen", days(1)),
                    Step("besluit", days(4), "De geheimhouding is ingesteld.", result="toegekend"),
                ),
            ),
            DemoCase(
                product="correctie-gegevens",
                days_ago=4,
                assigned_to="behandelaar",
                answers=_wish("Mijn tweede voornaam is verkeerd gespeld", None),
                steps=(Step("behandelen", days(1)),),
            ),
        ),
    ),
    DemoOwner(
        name="Adrianus Hendrikus Holthuizen",
        bsn="999990421",
        email="a.holthuizen@example.nl",
        cases=(
            DemoCase(
                product="kwijtschelding",
                days_ago=20,
                answers=_wish("Kwijtschelding afvalstoffenheffing", "a.holthuizen@example.nl"),
                steps=(Step("behandelen", days(5)),),
            ),
        ),
    ),
    DemoOwner(
        name="Gerrit den Braber",
        bsn="999994542",
        email="gerrit.denbraber@example.nl",
        cases=(
            DemoCase(
                product="gehandicaptenparkeerkaart",
                days_ago=15,
                answers=_wish("Kaart als bestuurder", "gerrit.denbraber@example.nl"),
                steps=(
                    Step("behandelen", days(1)),
                    Step("vragen", days(3), "Stuur ons een recente pasfoto"),
                ),
            ),
            DemoCase(
                product="vraag",
                days_ago=30,
                answers=_wish("Wanneer wordt het oud papier opgehaald?", None),
                steps=(
                    Step("bericht_medewerker", days(1), "Elke tweede dinsdag van de maand."),
                    Step("besluit", days(1), result="geen_besluit"),
                ),
            ),
        ),
    ),
    DemoOwner(
        name="Cornelia Francisca Wiegman",
        bsn="999990676",
        cases=(
            DemoCase(
                product="afvalcontainer", days_ago=2, answers=_wish("Een grotere groenbak", None)
            ),
        ),
    ),
    DemoOwner(
        name="Test EMZ Dagobert",
        kvk="69599084",
        email="info@dagobert.example",
        cases=(
            DemoCase(
                product="terrasvergunning",
                days_ago=18,
                vestiging="000038509504",
                assigned_to="behandelaar",
                answers=_wish("Terras van 6 bij 4 meter voor de zaak", "info@dagobert.example"),
                steps=(Step("behandelen", days(2), "Wij bekijken de tekening van het terras."),),
            ),
            DemoCase(
                product="alcoholvergunning",
                days_ago=24,
                answers=_wish("Vergunning voor het café", "info@dagobert.example"),
                steps=(
                    Step("behandelen", days(1)),
                    Step("vragen", days(6), "Stuur ons de verklaring sociale hygiëne"),
                ),
            ),
            DemoCase(
                product="standplaatsvergunning",
                days_ago=60,
                answers=_wish("Standplaats op de weekmarkt", "info@dagobert.example"),
                steps=(
                    Step("behandelen", days(2)),
                    Step("besluit", days(12), "U mag op donderdag staan.", result="toegekend"),
                ),
            ),
        ),
    ),
    DemoOwner(
        name="Test BV Donald",
        kvk="68750110",
        email="vergunningen@donald.example",
        cases=(
            DemoCase(
                product="evenementenvergunning",
                days_ago=10,
                assigned_to="behandelaar",
                answers=_wish("Zomerfestival op het Raadhuisplein", "vergunningen@donald.example"),
                steps=(Step("behandelen", days(1)),),
            ),
            DemoCase(
                product="kapvergunning",
                days_ago=90,
                answers=_wish("Drie eiken op het bedrijfsterrein", "vergunningen@donald.example"),
                steps=(
                    Step("behandelen", days(3)),
                    Step("besluit", days(30), "De eiken zijn beschermd.", result="afgewezen"),
                ),
            ),
        ),
    ),
    DemoOwner(
        name="Test NV Katrien",
        kvk="90004760",
        email="balie@katrien.example",
        cases=(
            DemoCase(
                product="ligplaatsvergunning",
                days_ago=1,
                answers=_wish("Ligplaats voor een rondvaartboot", "balie@katrien.example"),
            ),
            DemoCase(
                product="terrasvergunning",
                days_ago=40,
                answers=_wish("Terras aan het water", "balie@katrien.example"),
                steps=(
                    Step("behandelen", days(2)),
                    Step("besluit", days(20), "Een kleiner terras mag.", result="deels_toegekend"),
                ),
            ),
        ),
    ),
)
