"""The engine's error and display messages, in Dutch and English, by key.

Handlers build errors with `message("te_lang", label=field.label, max=200)`; a form author can
replace the message of a field's validation with `validation.message` (min/max/length/pattern)
or `validation.required_message`, both `Text` with the same `{placeholders}`.
"""

from __future__ import annotations

from typing import Any

from formulieren.text import LocalizedText, Message, Text

_T = LocalizedText

MESSAGES: dict[str, LocalizedText] = {
    # Required answers
    "verplicht": _T(nl="Vul ‘{label}’ in", en="Enter ‘{label}’"),
    "verplicht_keuze": _T(
        nl="Kies een antwoord bij ‘{label}’", en="Select an answer for ‘{label}’"
    ),
    "verplicht_bestand": _T(
        nl="Voeg een bestand toe bij ‘{label}’", en="Upload a file for ‘{label}’"
    ),
    # Text
    "te_kort": _T(
        nl="‘{label}’ moet minstens {min} tekens hebben",
        en="‘{label}’ must be {min} characters or more",
    ),
    "te_lang": _T(
        nl="‘{label}’ mag maximaal {max} tekens hebben",
        en="‘{label}’ must be {max} characters or fewer",
    ),
    "patroon": _T(
        nl="‘{label}’ heeft niet de juiste vorm", en="‘{label}’ is not in the right format"
    ),
    "ongeldige_tekens": _T(
        nl="‘{label}’ bevat tekens die niet zijn toegestaan",
        en="‘{label}’ contains characters that are not allowed",
    ),
    "email": _T(
        nl="Vul een e-mailadres in zoals naam@voorbeeld.nl",
        en="Enter an email address in the correct format, like name@example.com",
    ),
    "telefoon": _T(
        nl="Vul een telefoonnummer in zoals 06 12345678 of +31 50 123 4567",
        en="Enter a telephone number, like 06 12345678 or +44 20 7946 0958",
    ),
    # Numbers and amounts
    "getal": _T(nl="‘{label}’ moet een getal zijn", en="‘{label}’ must be a number"),
    "heel_getal": _T(
        nl="‘{label}’ moet een heel getal zijn", en="‘{label}’ must be a whole number"
    ),
    "decimalen": _T(
        nl="‘{label}’ mag maximaal {decimals} cijfers achter de komma hebben",
        en="‘{label}’ must have {decimals} decimal places or fewer",
    ),
    "minimum": _T(nl="‘{label}’ moet {min} of meer zijn", en="‘{label}’ must be {min} or more"),
    "maximum": _T(nl="‘{label}’ moet {max} of minder zijn", en="‘{label}’ must be {max} or less"),
    "bedrag": _T(
        nl="‘{label}’ moet een bedrag zijn, zoals 12,50 of 1.250",
        en="‘{label}’ must be an amount of money, like 12.50 or 1,250",
    ),
    "bedrag_centen": _T(
        nl="‘{label}’ mag maximaal 2 cijfers achter de komma hebben",
        en="‘{label}’ must have 2 decimal places or fewer",
    ),
    # Dates
    "datum_ontbreekt": _T(
        nl="‘{label}’ moet een {parts} bevatten", en="‘{label}’ must include a {parts}"
    ),
    "datum_echt": _T(
        nl="‘{label}’ moet een bestaande datum zijn", en="‘{label}’ must be a real date"
    ),
    "datum_jaar": _T(
        nl="Het jaar bij ‘{label}’ moet uit 4 cijfers bestaan",
        en="The year in ‘{label}’ must include 4 numbers",
    ),
    "datum_na": _T(
        nl="‘{label}’ moet op of na {date} liggen",
        en="‘{label}’ must be the same as or after {date}",
    ),
    "datum_voor": _T(
        nl="‘{label}’ moet op of voor {date} liggen",
        en="‘{label}’ must be the same as or before {date}",
    ),
    # Choices
    "keuze_onbekend": _T(
        nl="Kies een van de antwoorden bij ‘{label}’", en="Select one of the answers for ‘{label}’"
    ),
    "te_weinig_keuzes": _T(
        nl="Kies minstens {min} antwoorden bij ‘{label}’",
        en="Select at least {min} answers for ‘{label}’",
    ),
    "te_veel_keuzes": _T(
        nl="Kies maximaal {max} antwoorden bij ‘{label}’",
        en="Select at most {max} answers for ‘{label}’",
    ),
    # Address
    "postcode_leeg": _T(nl="Vul de postcode in", en="Enter the postcode"),
    "postcode": _T(nl="Vul een postcode in zoals 9751 AN", en="Enter a postcode like 9751 AN"),
    "huisnummer_leeg": _T(nl="Vul het huisnummer in", en="Enter the house number"),
    "huisnummer": _T(
        nl="Het huisnummer moet een getal van 1 tot en met 99999 zijn",
        en="The house number must be a number from 1 to 99999",
    ),
    "huisletter": _T(
        nl="De huisletter moet één letter zijn", en="The house letter must be a single letter"
    ),
    "toevoeging": _T(
        nl="De toevoeging mag maximaal 4 letters of cijfers hebben",
        en="The addition must be at most 4 letters or numbers",
    ),
    "straat_leeg": _T(nl="Vul de straatnaam in", en="Enter the street name"),
    "woonplaats_leeg": _T(nl="Vul de woonplaats in", en="Enter the town or city"),
    # Identifiers
    "bsn_lengte": _T(
        nl="Een burgerservicenummer heeft 9 cijfers",
        en="A citizen service number (BSN) has 9 digits",
    ),
    "bsn": _T(
        nl="Dit is geen geldig burgerservicenummer. Controleer het nummer",
        en="This is not a valid citizen service number (BSN). Check the number",
    ),
    "kvk": _T(nl="Een KVK-nummer heeft 8 cijfers", en="A KVK number has 8 digits"),
    "iban": _T(
        nl="Vul een IBAN in zoals NL91 ABNA 0417 1643 00",
        en="Enter an IBAN like NL91 ABNA 0417 1643 00",
    ),
    "iban_controle": _T(
        nl="Dit IBAN klopt niet. Controleer het nummer",
        en="This IBAN is not correct. Check the number",
    ),
    "kenteken": _T(
        nl="Vul een Nederlands kenteken in zoals 12-ABC-3",
        en="Enter a Dutch licence plate like 12-ABC-3",
    ),
    # Repeating group
    "groep_min": _T(
        nl="Voeg minstens {min} toe bij ‘{label}’", en="Add at least {min} to ‘{label}’"
    ),
    "groep_max": _T(
        nl="U kunt maximaal {max} toevoegen bij ‘{label}’",
        en="You can add at most {max} to ‘{label}’",
    ),
    # Uploads
    "bestand_leeg": _T(nl="Het bestand ‘{name}’ is leeg", en="The file ‘{name}’ is empty"),
    "bestand_te_groot": _T(
        nl="Het bestand ‘{name}’ is te groot. Een bestand mag maximaal {max} zijn",
        en="The file ‘{name}’ is too big. A file must be {max} or smaller",
    ),
    "bestand_naam": _T(
        nl="De bestandsnaam ‘{name}’ is niet toegestaan. Geef het bestand een eenvoudige naam",
        en="The file name ‘{name}’ is not allowed. Give the file a simple name",
    ),
    "bestand_extensie": _T(
        nl="De bestandsnaam ‘{name}’ heeft een extensie die niet is toegestaan",
        en="The file name ‘{name}’ has an extension that is not allowed",
    ),
    "bestand_type": _T(
        nl="Het bestand ‘{name}’ is geen toegestaan bestandstype. Toegestaan: {types}",
        en="The file ‘{name}’ is not an allowed file type. Allowed: {types}",
    ),
    "bestand_markup": _T(
        nl="Het bestand ‘{name}’ is een SVG- of HTML-bestand. Die zijn niet toegestaan",
        en="The file ‘{name}’ is an SVG or HTML file. These are not allowed",
    ),
    "bestand_zip": _T(
        nl="Het bestand ‘{name}’ kunnen we niet veilig openen",
        en="We cannot safely open the file ‘{name}’",
    ),
    "bestand_regels": _T(
        nl="Toegestaan: {types}. Maximaal {max} per bestand, hoogstens {count} bestand(en).",
        en="Allowed: {types}. At most {max} per file, {count} file(s) at most.",
    ),
    "bestand_max": _T(
        nl="U kunt maximaal {max} bestanden toevoegen bij ‘{label}’",
        en="You can upload at most {max} files for ‘{label}’",
    ),
    # Locked prefill
    "vergrendeld_brp": _T(
        nl="Dit gegeven komt uit de Basisregistratie Personen en kunt u hier niet wijzigen",
        en="This information comes from the Personal Records Database (BRP) and cannot be "
        "changed here",
    ),
    "vergrendeld_kvk": _T(
        nl="Dit gegeven komt uit het Handelsregister van de KVK en kunt u hier niet wijzigen",
        en="This information comes from the KVK Business Register and cannot be changed here",
    ),
    "herkomst_brp": _T(
        nl="Deze gegevens komen uit de Basisregistratie Personen",
        en="This information comes from the Personal Records Database (BRP)",
    ),
    "herkomst_kvk": _T(
        nl="Deze gegevens komen uit het Handelsregister van de KVK",
        en="This information comes from the KVK Business Register",
    ),
    # Check answers
    "verklaring": _T(
        nl="Bevestig dat u de vragen naar waarheid hebt beantwoord",
        en="Confirm that the information you have given is true",
    ),
    "niet_ingevuld": _T(nl="Niet ingevuld", en="Not provided"),
    "ja": _T(nl="Ja", en="Yes"),
    "nee": _T(nl="Nee", en="No"),
}


def message(key: str, **params: Any) -> Message:
    """The catalogue message `key` with its parameters."""
    return Message(key=key, template=MESSAGES[key], params=params)


def custom_or(custom: Text | None, key: str, **params: Any) -> Message:
    """The author's own message when the definition gives one, else the catalogue's `key`."""
    if custom is None:
        return message(key, **params)
    template = LocalizedText(nl=custom) if isinstance(custom, str) else custom
    return Message(key=key, template=template, params=params)


def text(key: str) -> LocalizedText:
    """A catalogue text without parameters, such as "Niet ingevuld"."""
    return MESSAGES[key]
