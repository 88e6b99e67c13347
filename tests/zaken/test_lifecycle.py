"""The case lifecycle as a state machine: whatever order staff and the resident act in, a case
stays consistent (Hypothesis explores the orders; quality.md suggests RuleBasedStateMachine)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import Session, col, func, select

from portal.berichten.models import OutboxMessage
from portal.zaken import handling, service, zaaktypen
from portal.zaken.models import Zaak, ZaakNaamwoord, ZaakStatus
from tests.conftest import make_settings

STAFF = handling.Actor(subject="behandelaar", name="Bram Behandelaar", role="behandelaar")
RESIDENT = handling.Actor(subject="999993653", name="Suzanne Moulin", role="inwoner")
_tokens = itertools.count()


class CaseLifecycle(RuleBasedStateMachine):
    engine: Any = None
    app_settings: Any = None

    def __init__(self) -> None:
        super().__init__()
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday, before Christmas
        self.db = Session(self.engine, expire_on_commit=False)
        zaak = service.create_zaak(
            self.db,
            zaaktype="parkeervergunning",
            omschrijving="Parkeervergunning",
            initiator=service.Initiator(kind="natuurlijk_persoon", bsn="999993653", name="S"),
            answers={},
            submission_token=f"machine-{next(_tokens)}",
            received_at=self.now,
            contact_email="suzanne@example.nl",
        )
        self.db.commit()
        self.zaak_id = zaak.id
        self.first_due = zaak.due_by_norm
        self.changes = 0

    def teardown(self) -> None:
        self.db.close()

    @property
    def zaak(self) -> Zaak:
        zaak = self.db.get(Zaak, self.zaak_id)
        assert zaak is not None
        self.db.refresh(zaak)
        return zaak

    def _attempt(self, change: Any, *, stale: bool) -> None:
        """Run one change in its own transaction; a stale or refused one must change nothing."""
        before = (self.zaak.version, self._history_count(), self._outbox_count())
        try:
            change(self.zaak.version - 1 if stale else self.zaak.version)
        except (handling.StaleZaak, handling.ZaakClosed, handling.InvalidChange):
            self.db.rollback()
            assert (self.zaak.version, self._history_count(), self._outbox_count()) == before
            return
        assert not stale, "a stale version was accepted"
        self.db.commit()
        self.changes += 1

    def _history_count(self) -> int:
        query = select(func.count()).where(col(ZaakStatus.zaak_id) == self.zaak_id)
        return int(self.db.exec(query).one())

    def _outbox_count(self) -> int:
        query = select(func.count()).where(col(OutboxMessage.zaak_reference) == self.zaak.reference)
        return int(self.db.exec(query).one())

    @rule(days=st.integers(min_value=0, max_value=9))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days, hours=1)

    @rule(stale=st.booleans())
    def start_handling(self, stale: bool) -> None:
        self._attempt(
            lambda version: handling.change_status(
                self.db,
                self.zaak,
                version=version,
                status=zaaktypen.IN_PROGRESS,
                actor=STAFF,
                settings=self.app_settings,
                now=self.now,
            ),
            stale=stale,
        )

    @rule(stale=st.booleans(), kind=st.sampled_from(["vraag", "documenten"]))
    def ask_the_resident(self, stale: bool, kind: str) -> None:
        self._attempt(
            lambda version: handling.request_information(
                self.db,
                self.zaak,
                version=version,
                kind=kind,
                question="Stuur een kopie van het kentekenbewijs.",
                deadline=(self.now + timedelta(days=14)).date(),
                actor=STAFF,
                settings=self.app_settings,
                now=self.now,
            ),
            stale=stale,
        )

    @precondition(lambda self: bool(service.open_requests(self.db, zaak_id=self.zaak_id)))
    @rule(stale=st.booleans())
    def resident_answers(self, stale: bool) -> None:
        verzoek = service.open_requests(self.db, zaak_id=self.zaak_id)[0]
        self._attempt(
            lambda version: handling.answer_request(
                self.db,
                self.zaak,
                verzoek,
                version=version,
                answer="Bijgevoegd.",
                actor=RESIDENT,
                now=self.now,
            ),
            stale=stale,
        )

    @rule(result=st.sampled_from(["toegekend", "afgewezen", "geen_besluit", "onzin"]))
    def close(self, result: str) -> None:
        self._attempt(
            lambda version: handling.close_zaak(
                self.db,
                self.zaak,
                version=version,
                result=result,
                actor=STAFF,
                settings=self.app_settings,
                now=self.now,
            ),
            stale=False,
        )

    @rule()
    def withdraw(self) -> None:
        self._attempt(
            lambda version: handling.withdraw(
                self.db,
                self.zaak,
                version=version,
                reason="Ik ben verhuisd.",
                actor=RESIDENT,
                settings=self.app_settings,
                now=self.now,
            ),
            stale=False,
        )

    @invariant()
    def status_is_the_last_step_of_the_history(self) -> None:
        history = service.status_history(self.db, zaak_id=self.zaak_id)
        assert history[-1].status == self.zaak.status

    @invariant()
    def every_change_bumped_the_version_once(self) -> None:
        assert self.zaak.version == 1 + self.changes

    @invariant()
    def closed_means_a_result_and_nothing_open(self) -> None:
        zaak = self.zaak
        closed = zaak.closed_at is not None
        assert closed == (zaak.status == zaaktypen.CLOSED) == (zaak.result is not None)
        words = select(func.count()).where(col(ZaakNaamwoord.zaak_id) == self.zaak_id)
        assert int(self.db.exec(words).one()) == (0 if closed else 1)  # the name "S"
        if closed:
            assert zaak.paused_at is None
            assert service.open_requests(self.db, zaak_id=self.zaak_id) == []
            assert zaak.result != "geen_besluit"  # not a result of a parkeervergunning

    @invariant()
    def waiting_exactly_while_a_request_is_open(self) -> None:
        zaak = self.zaak
        if zaak.closed_at is None:
            open_requests = service.open_requests(self.db, zaak_id=self.zaak_id)
            assert (zaak.status == zaaktypen.WAITING) == bool(open_requests)
            assert (zaak.paused_at is not None) == bool(open_requests)

    @invariant()
    def the_norm_date_only_moves_later(self) -> None:
        due = self.zaak.due_by_norm
        assert due is not None
        assert self.first_due is not None
        assert due >= self.first_due


def test_case_lifecycle_stays_consistent(db_engine: Any) -> None:
    CaseLifecycle.engine = db_engine
    CaseLifecycle.app_settings = make_settings(str(db_engine.url))
    run_state_machine_as_test(
        CaseLifecycle,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            derandomize=True,
        ),
    )
