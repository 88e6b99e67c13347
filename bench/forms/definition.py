"""The synthetic form: one step with 30 fields of mixed types, and valid answers to post."""

from __future__ import annotations

import re
from datetime import date, timedelta

FORM_SLUG = "bench-dertig-velden"
STEP_SLUG = "gegevens"
RESIDENT_BSN = "999993653"  # Suzanne Moulin in the local BRP demo data
RESIDENT_NAME = "Suzanne Moulin"
EXPECTED_FIELDS = 30

FORM_TOML = """\
# Synthetic form for bench/bench_forms.py: one step with 30 fields of mixed types.
title = {nl = "Benchmarkformulier", en = "Benchmark form"}
product = "verhuizing-doorgeven"
login = "digid"
prefill_sources = ["brp"]
intro = "Een formulier met dertig velden, alleen voor de benchmark."
declaration = {nl = "Ik verklaar dat ik dit formulier naar waarheid heb ingevuld.", \
en = "I declare that the information I have given is true."}
confirmation = "We verwerken uw aanvraag binnen 5 werkdagen."

[[steps]]
slug = "gegevens"
title = {nl = "Uw gegevens", en = "Your details"}
intro = {nl = "Vul alle vragen in.", en = "Answer every question."}

[[steps.fields]]
name = "naam"
type = "tekst"
label = {nl = "Naam", en = "Name"}
prefill = "brp.naam"
locked = true

[[steps.fields]]
name = "voornamen"
type = "tekst"
label = {nl = "Voornamen", en = "First names"}
validation = {max_length = 100}

[[steps.fields]]
name = "achternaam"
type = "tekst"
label = {nl = "Achternaam", en = "Surname"}
autocomplete = "family-name"

[[steps.fields]]
name = "email"
type = "email"
label = {nl = "E-mailadres", en = "Email address"}
hint = {nl = "We sturen u een bevestiging.", en = "We send you a confirmation."}

[[steps.fields]]
name = "telefoon"
type = "telefoon"
label = {nl = "Telefoonnummer", en = "Phone number"}

[[steps.fields]]
name = "geboortedatum"
type = "datum"
label = {nl = "Geboortedatum", en = "Date of birth"}
validation = {max = "vandaag"}

[[steps.fields]]
name = "postadres"
type = "adres"
label = {nl = "Postadres", en = "Postal address"}

[[steps.fields]]
name = "nieuw_adres"
type = "adres"
label = {nl = "Nieuw adres", en = "New address"}

[[steps.fields]]
name = "ingangsdatum"
type = "datum"
label = {nl = "Ingangsdatum", en = "Start date"}
validation = {min = "-1y", max = "+4w"}

[[steps.fields]]
name = "woonsituatie"
type = "radio"
label = {nl = "Hoe gaat u wonen?", en = "How will you live there?"}
options = [
  {value = "koop", label = {nl = "In een koopwoning", en = "In a home I own"}},
  {value = "huur", label = {nl = "In een huurwoning", en = "In a rented home"}, hint = "Sociaal"},
  {value = "inwonend", label = {nl = "Bij iemand in", en = "Living with someone"}},
]

[[steps.fields]]
name = "reden"
type = "keuzelijst"
label = {nl = "Reden", en = "Reason"}
options = [
  {value = "werk", label = "Werk"},
  {value = "studie", label = "Studie"},
  {value = "gezin", label = "Gezin"},
  {value = "zorg", label = "Zorg"},
  {value = "anders", label = "Anders"},
]

[[steps.fields]]
name = "eerder_gewoond"
type = "janee"
label = {nl = "Woonde u eerder in een andere gemeente?", en = "Did you live elsewhere before?"}

[[steps.fields]]
name = "vorige_gemeente"
type = "tekst"
label = {nl = "Vorige gemeente", en = "Previous municipality"}
condition = {field = "eerder_gewoond", equals = "ja"}

[[steps.fields]]
name = "voorzieningen"
type = "checkboxes"
label = {nl = "Welke voorzieningen heeft de woning?", en = "What does the home have?"}
required = false
options = [
  {value = "lift", label = "Lift"},
  {value = "tuin", label = "Tuin"},
  {value = "balkon", label = "Balkon"},
  {value = "parkeerplaats", label = "Parkeerplaats"},
  {value = "berging", label = "Berging"},
]

[[steps.fields]]
name = "kamers"
type = "getal"
label = {nl = "Aantal kamers", en = "Number of rooms"}
validation = {min = 1, max = 20}

[[steps.fields]]
name = "oppervlakte"
type = "getal"
label = {nl = "Oppervlakte in m2", en = "Floor area in m2"}
validation = {min = 10, max = 1000, decimals = 1}

[[steps.fields]]
name = "huur"
type = "bedrag"
label = {nl = "Kale huur per maand", en = "Basic rent per month"}
validation = {min = 0, max = 5000}

[[steps.fields]]
name = "servicekosten"
type = "bedrag"
label = {nl = "Servicekosten per maand", en = "Service charges per month"}

[[steps.fields]]
name = "iban"
type = "iban"
label = {nl = "IBAN", en = "IBAN"}

[[steps.fields]]
name = "rekeninghouder"
type = "tekst"
label = {nl = "Naam rekeninghouder", en = "Account holder"}

[[steps.fields]]
name = "kenteken"
type = "kenteken"
label = {nl = "Kenteken", en = "Licence plate"}
condition = {field = "voorzieningen", in = ["parkeerplaats"]}
required_if = {field = "kamers", greater_than = 2}

[[steps.fields]]
name = "tweede_kenteken"
type = "kenteken"
label = {nl = "Tweede kenteken", en = "Second licence plate"}
required = false

[[steps.fields]]
name = "bsn_partner"
type = "bsn"
label = {nl = "BSN van uw partner", en = "Your partner's citizen service number"}

[[steps.fields]]
name = "kvk_werkgever"
type = "kvk"
label = {nl = "KVK-nummer van uw werkgever", en = "Your employer's KVK number"}

[[steps.fields]]
name = "toelichting"
type = "tekstvak"
label = {nl = "Toelichting", en = "Explanation"}
validation = {max_length = 1000}

[[steps.fields]]
name = "contact_voorkeur"
type = "radio"
label = {nl = "Hoe wilt u bericht krijgen?", en = "How do you want to hear from us?"}
options = [
  {value = "email", label = "E-mail"},
  {value = "post", label = "Post"},
  {value = "telefoon", label = "Telefoon"},
]

[[steps.fields]]
name = "nieuwsbrief"
type = "janee"
label = {nl = "Wilt u de nieuwsbrief?", en = "Do you want the newsletter?"}

[[steps.fields]]
name = "onderwerpen"
type = "checkboxes"
label = {nl = "Over welke onderwerpen?", en = "Which topics?"}
condition = {field = "nieuwsbrief", equals = "ja"}
options = [
  {value = "wonen", label = "Wonen"},
  {value = "verkeer", label = "Verkeer"},
  {value = "afval", label = "Afval"},
  {value = "cultuur", label = "Cultuur"},
]

[[steps.fields]]
name = "startdatum_werk"
type = "datum"
label = {nl = "Startdatum nieuwe baan", en = "Start date of the new job"}

[[steps.fields]]
name = "opmerkingen"
type = "tekstvak"
label = {nl = "Opmerkingen", en = "Remarks"}
required = false
"""


def posted_values(today: date) -> dict[str, str | list[str]]:
    """Valid answers for every field of the synthetic step, as a browser would post them."""
    start = today - timedelta(days=7)
    return {
        "voornamen": "Suzanne Maria",
        "achternaam": "Moulin",
        "email": "suzanne@example.nl",
        "telefoon": "06 12345678",
        "geboortedatum-dag": "27",
        "geboortedatum-maand": "3",
        "geboortedatum-jaar": "1985",
        "postadres-postcode": "9751 AN",
        "postadres-huisnummer": "10",
        "postadres-huisletter": "",
        "postadres-toevoeging": "",
        "postadres-straat": "Raadhuisplein",
        "postadres-woonplaats": "Haren",
        "nieuw_adres-postcode": "9752 CD",
        "nieuw_adres-huisnummer": "42",
        "nieuw_adres-huisletter": "a",
        "nieuw_adres-toevoeging": "2",
        "nieuw_adres-straat": "Rijksstraatweg",
        "nieuw_adres-woonplaats": "Haren",
        "ingangsdatum-dag": str(start.day),
        "ingangsdatum-maand": str(start.month),
        "ingangsdatum-jaar": str(start.year),
        "woonsituatie": "huur",
        "reden": "werk",
        "eerder_gewoond": "ja",
        "vorige_gemeente": "Groningen",
        "voorzieningen": ["tuin", "parkeerplaats"],
        "kamers": "4",
        "oppervlakte": "85,5",
        "huur": "€ 1.234,56",
        "servicekosten": "45,-",
        "iban": "NL91 ABNA 0417 1643 00",
        "rekeninghouder": "S. Moulin",
        "kenteken": "12-abc-3",
        "tweede_kenteken": "",
        "bsn_partner": "999990858",
        "kvk_werkgever": "69599084",
        "toelichting": "Ik verhuis vanwege mijn nieuwe baan.\nDe sleutel krijg ik op vrijdag.",
        "contact_voorkeur": "email",
        "nieuwsbrief": "ja",
        "onderwerpen": ["wonen", "afval"],
        "startdatum_werk-dag": "1",
        "startdatum_werk-maand": "9",
        "startdatum_werk-jaar": str(today.year + 1),
        "opmerkingen": "",
    }


def check_step_page(html: str) -> None:
    """The step page renders every one of the 30 fields (the locked name as text)."""
    names = re.findall(r'^name = "([a-z_]+)"$', FORM_TOML, flags=re.MULTILINE)
    assert len(names) == EXPECTED_FIELDS, names
    missing = [n for n in names[1:] if f'name="{n}' not in html]
    assert not missing, f"fields not rendered: {missing}"
    assert RESIDENT_NAME in html, "prefilled name missing"
