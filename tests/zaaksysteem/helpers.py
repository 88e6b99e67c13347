"""Settings that make the portal use a test case system."""

from __future__ import annotations

from typing import Any

from portal.integrations.zgw import demo
from portal.settings import Settings
from tests.conftest import make_settings

REGISTERED_PRODUCT = "gehandicaptenparkeerkaart"
NOTIFICATION_AUTH = "Token notificaties-test-geheim"


def case_system_settings(database_url: str, base: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "zgw_backend": "local",
        "zgw_registratie": {
            REGISTERED_PRODUCT: demo.zaaktype_url(base, demo.ZAAKTYPE_KAPVERGUNNING)
        },
        "zgw_informatieobjecttype": demo.informatieobjecttype_url(base),
        "zgw_notificaties_auth": NOTIFICATION_AUTH,
        **overrides,
    }
    return make_settings(database_url, **values)
