"""Page states of the case system's pages for the browser harness (merged in
tests/browser/pages.py). The harness's portal runs with the local demo case system."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from portal.zaaksysteem import registratie
from portal.zaken import service as zaken_service

if TYPE_CHECKING:
    from tests.browser.pages import PageState


def _demo_case(number: str) -> Any:
    def seed(engine: Any) -> dict[str, str]:
        return {"zaak": f"ZAAK-{datetime.now(UTC).year}-0000000{number}"}

    return seed


def _failing_registration(engine: Any) -> dict[str, str]:
    """A submission that the case system refused five times."""
    now = datetime.now(UTC)
    with Session(engine) as db:
        queued = registratie.queue_registration(
            db,
            registratie.NewRegistration(
                reference=zaken_service.next_reference(db, year=now.year),
                submission_token="browser-registratie",
                form_slug="gehandicaptenparkeerkaart",
                product="gehandicaptenparkeerkaart",
                zaaktype_url="http://zgw.invalid/catalogi/api/v1/zaaktypen/onbekend",
                omschrijving="Gehandicaptenparkeerkaart aanvragen",
                initiator_kind="natuurlijk_persoon",
                initiator_bsn="999993653",
                initiator_kvk=None,
                initiator_vestiging=None,
                initiator_name="Suzanne Moulin",
                contact_email=None,
                received_at=now - timedelta(hours=3),
                summary=[],
            ),
            [],
        )
        queued.attempts = 6
        queued.last_error = "ZgwRefused: zaken: zaaktype: bad-url"
        db.add(queued)
        db.commit()
    return {}


def page_states() -> list[PageState]:
    from tests.browser.pages import PageState, click, resident, staff

    suzanne, lance = resident("999993653"), resident("999990858")
    return [
        PageState("zaaksysteem-lijst", "/mijn/zaken/zaaksysteem", who=suzanne),
        PageState("zaaksysteem-lijst-leeg", "/mijn/zaken/zaaksysteem", who=resident("999993872")),
        PageState(
            "zaaksysteem-zaak",
            "/mijn/zaken/zaaksysteem/{zaak}",
            who=suzanne,
            seed=_demo_case("101"),
        ),
        PageState(
            "zaaksysteem-zaak-afgehandeld",
            "/mijn/zaken/zaaksysteem/{zaak}",
            who=suzanne,
            seed=_demo_case("102"),
        ),
        PageState(
            "zaaksysteem-zaak-van-een-ander",
            "/mijn/zaken/zaaksysteem/{zaak}",
            who=lance,
            seed=_demo_case("101"),
            status=404,
        ),
        PageState(
            "zaaksysteem-net-verstuurd", "/mijn/zaken", who=suzanne, seed=_failing_registration
        ),
        PageState(
            "backoffice-registraties-leeg", "/backoffice/registraties", who=staff("beheerder")
        ),
        PageState(
            "backoffice-registraties",
            "/backoffice/registraties",
            who=staff("beheerder"),
            seed=_failing_registration,
        ),
        PageState(
            "backoffice-registraties-opnieuw",
            "/backoffice/registraties",
            who=staff("beheerder"),
            seed=_failing_registration,
            steps=(click("form[action$='/opnieuw'] button"),),
        ),
    ]
