"""Every published figure against a small data set computed by hand.

Parking permit: norm 5 working days, legal term 56 days. Dutch holidays in the period:
Thursday 25 and Friday 26 December 2025, Thursday 1 January 2026.

 #  received      closed        asked / answered     lead  due (norm)   met  first time right
 1  Mon  1 Dec    Tue  2 Dec                          1    Mon  8 Dec   yes  yes
 2  Mon  1 Dec    Mon  8 Dec                          5    Mon  8 Dec   yes  yes
 3  Mon  1 Dec    Tue  9 Dec                          6    Mon  8 Dec   no   yes
 4  Wed  3 Dec    Wed  3 Dec                          0    Wed 10 Dec   yes  yes
 5  Fri  5 Dec    Mon  8 Dec                          1    Fri 12 Dec   yes  yes  (weekend)
 6  Mon  8 Dec    Mon 22 Dec    Tue 9 Dec / never    10    Mon 15 Dec   no   no
 7  Mon  8 Dec    Wed 17 Dec    Tue 9 / Thu 11 Dec    7    Wed 17 Dec   yes  no   (clock stood
                                                                                  still 2 days)
 8  Mon 15 Dec    Fri 19 Dec                          4    Mon 22 Dec   yes  yes
 9  Wed 17 Dec    Wed 24 Dec                          5    Wed 24 Dec   yes  yes
10  Wed 24 Dec    Mon 29 Dec                          1    Mon  5 Jan   yes  yes  (25, 26 Dec
                                                                                  and weekend)
11  Tue 23 Dec    Fri  2 Jan                          5    Fri  2 Jan   yes  yes  (holidays)
12  Mon  5 Jan    Wed  7 Jan    withdrawn             2    -            -    yes

December: 10 closed, 10 decided, 8 within norm (80.0%), 10 within the legal term (100.0%),
8 right first time (80.0%). Lead days sorted 0 1 1 1 4 5 5 6 7 10: the median is the smallest
value with at least 5 of 10 at or below it (4), the 90th percentile the smallest with 9 (7).
Satisfaction 5+4+4+3+5+5+2+4+5+4 = 41 over 10 answers: 4.1.
January: 2 closed: every figure suppressed.
Both months: 12 closed, 11 decided, 9 within norm (81.8%), 10 right first time (83.3%);
lead days 0 1 1 1 2 4 5 5 5 6 7 10: median the 6th (4), p90 the 11th (7, 10.8 needed).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from portal.afspraken.demo import load_afspraken_demo
from portal.prestaties import opendata, service
from portal.zaken import service as zaken_service
from tests.prestaties.browser_pages import (
    appointment,
    form_month,
    load_norms,
    seed_hand_computed,
    settings_for,
    wait,
)

MONTHS = ["2025-12", "2026-01"]


def test_working_days_around_christmas_and_weekends() -> None:
    between = zaken_service.working_days_between
    assert between(date(2025, 12, 24), date(2025, 12, 29)) == 1  # Thu, Fri holidays; weekend
    assert between(date(2025, 12, 23), date(2026, 1, 2)) == 5  # 24, 29, 30, 31 Dec, 2 Jan
    assert between(date(2025, 12, 5), date(2025, 12, 8)) == 1  # Friday to Monday
    assert between(date(2025, 12, 3), date(2025, 12, 3)) == 0
    assert zaken_service.add_working_days(date(2025, 12, 24), 5) == date(2026, 1, 5)
    assert zaken_service.add_working_days(date(2025, 12, 23), 5) == date(2026, 1, 2)
    assert not zaken_service.is_working_day(date(2026, 1, 1))
    assert zaken_service.is_working_day(date(2026, 1, 2))


def test_each_case_records_its_lead_time_and_norm(db_engine: Any) -> None:
    cases = seed_hand_computed(db_engine)
    assert [z.lead_working_days for z in cases] == [1, 5, 6, 0, 1, 10, 7, 4, 5, 1, 5, 2]
    assert [z.norm_met for z in cases] == [True] * 2 + [False, True, True, False] + [True] * 5 + [
        None
    ]
    assert [z.first_time_right for z in cases] == [True] * 5 + [False, False] + [True] * 5
    assert [z.closed_month for z in cases] == ["2025-12"] * 10 + ["2026-01"] * 2
    assert cases[6].due_by_norm == date(2025, 12, 17)  # Mon 15 Dec + the 2 days it stood still
    assert cases[9].due_by_norm == date(2026, 1, 5)


def test_month_figures_match_the_hand_computation(db_engine: Any) -> None:
    seed_hand_computed(db_engine)
    with Session(db_engine) as db:
        figures = service.case_months(db, months=MONTHS)
        december = figures[("parkeervergunning", "2025-12")]
        january = figures[("parkeervergunning", "2026-01")]
        total = service.summary_by_product(figures)["parkeervergunning"]
        said = service.feedback_months(db, months=MONTHS)
    assert (december.closed, december.decided, december.within_norm) == (10, 10, 8)
    assert december.within_norm_share == 80.0
    assert december.within_law_share == 100.0
    assert december.first_time_right_share == 80.0
    assert (december.median_days, december.p90_days) == (4, 7)
    assert said[("parkeervergunning", "2025-12")].average == 4.1
    assert (january.closed, january.decided, january.within_norm) == (2, 1, 1)
    assert january.within_norm_share is None
    assert january.first_time_right_share is None
    assert january.median_days is None
    assert january.p90_days is None
    assert said[("parkeervergunning", "2026-01")].average is None
    assert (total.closed, total.decided, total.within_norm, total.first_time_right) == (
        12,
        11,
        9,
        10,
    )
    assert total.within_norm_share == 81.8
    assert total.first_time_right_share == 83.3
    assert (total.median_days, total.p90_days) == (4, 7)


def test_product_figures_for_the_page(db_engine: Any) -> None:
    seed_hand_computed(db_engine)
    with Session(db_engine) as db:
        (product,) = opendata.case_figures(db, months=MONTHS, language="nl")
    assert (product.slug, product.name, product.norm_days, product.legal_days) == (
        "parkeervergunning",
        "Parkeervergunning",
        5,
        56,
    )
    assert product.closed == 12
    assert product.satisfaction.answers == 11
    assert product.satisfaction.average == 3.8  # 42 / 11 = 3.82
    assert [m.cases.within_norm_share for m in product.months] == [80.0, None]
    assert [m.label for m in product.suppressed_months] == ["jan 2026"]


def test_last_month_result_for_the_case_page(db_engine: Any) -> None:
    seed_hand_computed(db_engine)
    with Session(db_engine) as db:
        december = service.last_month_result(
            db, product="parkeervergunning", today=date(2026, 1, 15)
        )
        january = service.last_month_result(db, product="parkeervergunning", today=date(2026, 2, 3))
    assert (december.norm_days, december.month, december.within_norm_share) == (
        5,
        "2025-12",
        80.0,
    )
    assert (january.month, january.within_norm_share) == ("2026-01", None)


def seed_appointments_and_forms(db_engine: Any) -> None:
    """Passport appointments in December 2025: 10 marked, 3 of them nobody came (30.0%).
    Daily waits (best location counts): 1 Dec min(3, 1) = 1, 2 Dec min(6, 7) = 6, 3 Dec 4:
    sorted 1 4 6, median 4; within the 5-day norm 2 of 3 days (66.7%). A day with nothing free
    (None) is no measurement. Forms: parking permit December 12 started, 9 sent (75.0%);
    January 8 started (suppressed); together 20 and 17 (85.0%)."""
    with Session(db_engine) as db:
        load_afspraken_demo(db, settings_for(db_engine))
        load_norms(db)
        for number in range(10):
            appointment(db, product="paspoort", day=date(2025, 12, 10), came=number >= 3)
        for day, here, there in ((1, 3, 1), (2, 6, 7), (3, 4, None)):
            wait(
                db, product="paspoort", day=date(2025, 12, day), days=here, location="gemeentehuis"
            )
            wait(db, product="paspoort", day=date(2025, 12, day), days=there, location="elders")
        form_month(db, form="parkeervergunning", month="2025-12", started=12, submitted=9)
        form_month(db, form="parkeervergunning", month="2026-01", started=8, submitted=8)
        db.commit()


def test_appointment_and_form_figures(db_engine: Any) -> None:
    seed_appointments_and_forms(db_engine)
    with Session(db_engine) as db:
        norms = service.channel_norms(db)
        (passport,) = opendata.appointment_figures(db, months=MONTHS, language="nl", norms=norms)
        (form,) = opendata.form_figures(db, months=MONTHS, language="nl")
    december = dict(passport.months)["2025-12"]
    assert (december.attended, december.no_show, december.no_show_share) == (7, 3, 30.0)
    assert sorted(december.wait_days) == [1, 4, 6]
    assert december.median_wait_days == 4
    assert passport.norm_days == 5
    assert passport.median_wait == 4
    assert passport.within_norm_days_share == 66.7
    assert passport.no_show_share == 30.0
    assert [f.submitted_share for _m, f in form.months] == [75.0, None]
    assert (form.started, form.submitted, form.submitted_share) == (20, 17, 85.0)
