"""Every Dutch text in the templates and code has an English translation, and nothing is fuzzy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests.conftest import project_root

CATALOGUE = project_root() / "portal" / "locale" / "en" / "LC_MESSAGES" / "messages.po"


def extracted_messages(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    command = [str(pybabel), "extract", "-F", "babel.cfg", "-o", str(pot), "--no-location", "."]
    subprocess.run(command, cwd=project_root(), check=True, capture_output=True)
    with pot.open("rb") as file:
        return {str(m.id) for m in read_po(file) if m.id}


def test_every_text_has_an_english_translation(tmp_path: Path) -> None:
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file, locale="en")
    translated = {
        str(m.id)
        for m in catalogue
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(extracted_messages(tmp_path) - translated)
    assert missing == [], "untranslated (run `make translations`, then translate):\n" + "\n".join(
        missing
    )
