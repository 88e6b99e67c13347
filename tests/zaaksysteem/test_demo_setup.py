"""`make run-zaaksysteem` points the portal at the demo case system by fixed URLs: they must be
the demo catalogue's."""

from __future__ import annotations

import re

from portal.integrations.zgw import demo
from tests.conftest import project_root

DEMO_ORIGIN = "http://127.0.0.1:8010"


def test_the_makefile_names_the_demo_catalogue() -> None:
    makefile = (project_root() / "Makefile").read_text()
    base = re.search(r"^ZGW_DEMO := (\S+)$", makefile, re.MULTILINE)
    assert base is not None
    named = makefile.replace("$(ZGW_DEMO)", base.group(1))
    assert demo.zaaktype_url(DEMO_ORIGIN, demo.ZAAKTYPE_KAPVERGUNNING) in named
    assert demo.informatieobjecttype_url(DEMO_ORIGIN) in named
