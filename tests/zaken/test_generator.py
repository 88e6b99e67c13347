"""The benchmark data generator: valid synthetic BSNs, unique references, a realistic mix, and a
counter that lets later cases continue after the generated numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from formulieren.fields.nummers import is_valid_bsn
from portal.zaken import generator, zaaktypen
from portal.zaken import service as zaken_service
from portal.zaken.models import ReferenceCounter, Zaak, ZaakNaamwoord, ZaakStatus, ZaakVerzoek

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_synthetic_bsns_are_valid_unique_and_fixed() -> None:
    numbers = [generator.synthetic_bsn(index) for index in range(0, 200_000)]
    assert all(is_valid_bsn(number) for number in numbers)
    assert len(set(numbers)) == len(numbers)
    assert generator.synthetic_bsn(12345) == numbers[12345]
    assert is_valid_bsn(generator.synthetic_bsn(9_999_999))
    with pytest.raises(ValueError, match="out of range"):
        generator.synthetic_bsn(10_000_000)


def test_generated_cases(db_engine: Any) -> None:
    added = generator.generate_cases(db_engine, cases=500, now=NOW)
    assert added == 500
    with Session(db_engine, expire_on_commit=False) as db:
        cases = db.exec(select(Zaak)).all()
        statuses = db.exec(select(ZaakStatus)).all()
        requests = db.exec(select(ZaakVerzoek)).all()
        words = db.exec(select(ZaakNaamwoord)).all()
    assert len(cases) == 500
    references = [zaak.reference for zaak in cases]
    assert len(set(references)) == 500
    assert all(zaken_service.REFERENCE_PATTERN.match(reference) for reference in references)

    residents = {zaak.initiator_bsn for zaak in cases if zaak.initiator_bsn}
    companies = {zaak.initiator_kvk for zaak in cases if zaak.initiator_kvk}
    assert all(is_valid_bsn(bsn) for bsn in residents)
    assert len(residents) + len(companies) == 50  # 500 // 10 owners
    assert len(companies) == 50 // generator.COMPANY_EVERY
    per_owner = [sum(1 for zaak in cases if zaak.initiator_bsn == bsn) for bsn in sorted(residents)]
    assert set(per_owner) == {10}

    closed = [zaak for zaak in cases if zaak.closed_at is not None]
    open_cases = [zaak for zaak in cases if zaak.closed_at is None]
    assert 0.6 < len(closed) / 500 < 0.8
    assert all(zaak.status == zaaktypen.CLOSED and zaak.result for zaak in closed)
    assert {zaak.status for zaak in open_cases} == {
        zaaktypen.RECEIVED,
        zaaktypen.IN_PROGRESS,
        zaaktypen.WAITING,
    }
    overdue = [z for z in open_cases if z.due_by_norm and z.due_by_norm < NOW.date()]
    assert overdue
    assert len(overdue) < len(open_cases)
    assert any(zaak.assigned_to == "behandelaar" for zaak in open_cases)
    assert all(zaak.search_name == zaak.initiator_name.lower() != "" for zaak in cases)
    assert all(zaak.last_changed_at >= zaak.received_at for zaak in cases)
    words_of: dict[int, list[str]] = {}
    for word in sorted(words, key=lambda w: w.woord):
        words_of.setdefault(word.zaak_id, []).append(word.woord)
    assert all(
        words_of.get(zaak.id, [])
        == ([] if zaak.closed_at else zaken_service.name_words(zaak.initiator_name))
        for zaak in cases
    )
    with_history = {status.zaak_id for status in statuses}
    assert with_history == {zaak.id for zaak in cases}
    waiting = {zaak.id for zaak in open_cases if zaak.status == zaaktypen.WAITING}
    open_requests = {r.zaak_id for r in requests if r.answered_at is None}
    assert open_requests == waiting
    # Closed cases carry the figures the portal writes on close; a case that was not right the
    # first time has the (answered) request that made it so.
    asked = {r.zaak_id for r in requests if r.answered_at is not None}
    assert {zaak.id for zaak in closed if zaak.first_time_right is False} == asked
    assert 0.1 < len(asked) / len(closed) < 0.3
    for zaak in closed:
        expected = zaken_service.closing_figures(
            zaak, result=zaak.result or "", asked=zaak.id in asked, now=zaak.closed_at
        )
        actual = {key: getattr(zaak, key) for key in expected}
        assert actual == expected, zaak.reference
    assert all(zaak.closed_month is None and zaak.norm_met is None for zaak in open_cases)

    # A second run with the same number adds nothing; a bigger number adds the difference.
    assert generator.generate_cases(db_engine, cases=500, now=NOW) == 0
    assert generator.generate_cases(db_engine, cases=520, now=NOW) == 20
    with Session(db_engine, expire_on_commit=False) as db:
        assert db.exec(select(func.count(func.distinct(Zaak.reference)))).one() == 520


def test_a_later_case_gets_a_fresh_reference(db_engine: Any) -> None:
    generator.generate_cases(db_engine, cases=300, residents=30, now=NOW)
    with Session(db_engine, expire_on_commit=False) as db:
        generated = set(db.exec(select(Zaak.reference)).all())
        zaak = zaken_service.create_zaak(
            db,
            zaaktype="vraag",
            omschrijving="Vraag",
            initiator=zaken_service.Initiator(kind="natuurlijk_persoon", bsn="999993653"),
            answers={},
            submission_token="na-de-generator",
            received_at=NOW,
        )
        db.commit()
        last = db.get(ReferenceCounter, NOW.year)
    assert zaak.reference not in generated
    this_year = sorted(r for r in generated if r.startswith(f"HRN-{NOW.year}-"))
    assert zaak.reference > this_year[-1]
    assert last is not None
    assert zaak.reference == f"HRN-{NOW.year}-{last.last_number:06d}"


def test_a_full_year_refuses_and_writes_nothing(db_engine: Any) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        for year in range(NOW.year - 4, NOW.year + 1):
            db.add(ReferenceCounter(year=year, last_number=generator.MAX_NUMBER - 1))
        db.commit()
    with pytest.raises(OverflowError):
        generator.generate_cases(db_engine, cases=100, now=NOW)
    with Session(db_engine, expire_on_commit=False) as db:
        assert db.exec(select(func.count()).select_from(Zaak)).one() == 0
        counters = db.exec(select(ReferenceCounter.last_number)).all()
        assert set(counters) == {generator.MAX_NUMBER - 1}
        assert db.exec(select(Zaak).where(col(Zaak.id) > 0)).first() is None


def test_demo_load_command_generates_cases(
    db_engine: Any, database_url: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from portal.cli import main
    from portal.settings import get_settings

    monkeypatch.setenv("MIJNHAREN_DATABASE_URL", database_url)
    monkeypatch.setenv("MIJNHAREN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MIJNHAREN_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(main, ["demo", "load", "--cases", "40", "--residents", "4"])
        again = runner.invoke(main, ["demo", "load", "--cases", "40"])
        lonely = runner.invoke(main, ["demo", "load", "--residents", "4"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    assert "zaken: 40 generated cases added" in first.stdout
    assert "40 of 40 cases" in first.stderr
    assert "zaken: 0 generated cases added" in again.stdout
    assert lonely.exit_code == 2
    with Session(db_engine) as db:
        generated = db.exec(
            select(Zaak).where(col(Zaak.submission_token).startswith(generator.TOKEN_PREFIX))
        ).all()
    assert len(generated) == 40
    assert len({zaak.initiator_bsn or zaak.initiator_kvk for zaak in generated}) == 4
