"""The resident's feedback: once per closed case or attended appointment (the unique constraint
decides, also between two posts at the same moment), only by the owner, checked input, the link
in the closing e-mail, and the answer counted (anonymously) in the monthly figures."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.afspraken import booking
from portal.afspraken import service as afspraken_service
from portal.afspraken.demo import load_afspraken_demo
from portal.berichten.models import OutboxMessage
from portal.prestaties import reacties, service
from portal.prestaties.models import Feedback
from portal.settings import Settings
from tests.conftest import SUZANNE_BSN, csrf_token_for
from tests.zaken import resident_helpers as cases

Login = Callable[[str], Identity]


# --- helpers (also used by the dashboard tests and the browser states) --------------------


def closed_case(engine: Any, who: str = "suzanne", **kwargs: Any) -> str:
    reference = cases.make_zaak(engine, who, **kwargs)
    cases.close(engine, reference)
    return reference


def appointment(
    engine: Any, settings: Settings, *, bsn: str = SUZANNE_BSN, state: str = "verschenen"
) -> str:
    """An appointment of this resident on the first bookable day, in `state`."""
    now = datetime.now(UTC)
    with Session(engine) as db:
        if afspraken_service.get_location(db, "gemeentehuis") is None:
            load_afspraken_demo(db, settings)
        choice = afspraken_service.make_choice(db, ["paspoort"], 1)
        times = afspraken_service.available_times_by_day(
            db,
            choice,
            "gemeentehuis",
            first=now.date() + timedelta(days=1),
            last=now.date() + timedelta(days=14),
            now=now,
        )
        taken = len(afspraken_service.appointments_for(db, bsn=bsn, kvk=None))
        made = booking.book_for_caller(
            db,
            choice=choice,
            location_code="gemeentehuis",
            start=times[min(times)][taken],
            contact=booking.Contact(name="Suzanne Moulin", email="s@example.nl", phone=""),
            staff_subject="medewerker-balie",
            settings=settings,
            now=now,
        )
        made.bsn = bsn
        made.state = state
        if state == "verschenen":
            made.attended_at = now
        db.add(made)
        db.commit()
        return made.reference


def answers(engine: Any) -> list[Feedback]:
    with Session(engine) as db:
        return list(db.exec(select(Feedback).order_by(col(Feedback.id))).all())


def post(client: TestClient, path: str, **fields: str) -> Any:
    data = {"csrf_token": csrf_token_for(client), **fields}
    return client.post(path, data=data)


def text_of(response: Any) -> str:
    return BeautifulSoup(response.text, "html.parser").get_text(" ", strip=True)


# --- cases --------------------------------------------------------------------------------


def test_the_owner_answers_once_about_a_closed_case(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = closed_case(db_engine)
    login("suzanne")
    page = client.get(f"/mijn/zaken/{reference}")
    soup = BeautifulSoup(page.text, "html.parser")
    form = soup.select_one("#reactie ~ form, section[aria-labelledby=reactie] form")
    assert form is not None
    assert form["action"] == f"/mijn/zaken/{reference}/reactie"
    assert "Hoe tevreden bent u over hoe wij uw aanvraag hebben afgehandeld?" in page.text
    assert [label.get_text() for label in form.select("label.utrecht-form-label--radio")] == [
        "5 - Zeer tevreden",
        "4 - Tevreden",
        "3 - Neutraal",
        "2 - Ontevreden",
        "1 - Zeer ontevreden",
    ]
    share = form.select_one("input#delen")
    assert share is not None
    assert not share.has_attr("checked")

    sent = post(
        client,
        f"/mijn/zaken/{reference}/reactie",
        tevredenheid="4",
        toelichting="Snel geregeld.\r\nDank!",
        delen="ja",
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/mijn/zaken/{reference}?melding=reactie#reactie"
    (stored,) = answers(db_engine)
    zaak = cases.load(db_engine, reference)
    assert (stored.subject_kind, stored.subject_id) == ("zaak", zaak.id)
    assert (stored.product, stored.month) == ("parkeervergunning", zaak.closed_month)
    assert (stored.score, stored.comment, stored.share_identity) == (
        4,
        "Snel geregeld.\nDank!",
        True,
    )
    assert (stored.owner_bsn, stored.owner_kvk) == (SUZANNE_BSN, None)

    thanks = client.get(sent.headers["location"])
    assert "Bedankt voor uw reactie!" in thanks.text
    assert "Uw antwoord: 4 - Tevreden." in text_of(thanks)
    assert BeautifulSoup(thanks.text, "html.parser").select_one("#reactie ~ form") is None

    again = post(client, f"/mijn/zaken/{reference}/reactie", tevredenheid="1", toelichting="x")
    assert again.status_code == 409
    assert "U heeft al gereageerd" in again.text
    assert [(a.score, a.comment) for a in answers(db_engine)] == [(4, "Snel geregeld.\nDank!")]


def test_sharing_is_off_unless_ticked(client: TestClient, login: Login, db_engine: Any) -> None:
    reference = closed_case(db_engine)
    login("suzanne")
    assert post(client, f"/mijn/zaken/{reference}/reactie", tevredenheid="2").status_code == 303
    (stored,) = answers(db_engine)
    assert (stored.score, stored.comment, stored.share_identity) == (2, "", False)


def test_a_company_answers_about_its_case(client: TestClient, login: Login, db_engine: Any) -> None:
    reference = closed_case(db_engine, "dagobert")
    login("dagobert")
    assert post(client, f"/mijn/zaken/{reference}/reactie", tevredenheid="5").status_code == 303
    (stored,) = answers(db_engine)
    assert stored.owner_bsn is None
    assert stored.owner_kvk is not None


def test_no_feedback_on_an_open_case(client: TestClient, login: Login, db_engine: Any) -> None:
    reference = cases.make_zaak(db_engine)
    login("suzanne")
    page = client.get(f"/mijn/zaken/{reference}")
    assert page.status_code == 200
    assert 'id="reactie"' not in page.text
    refused = post(client, f"/mijn/zaken/{reference}/reactie", tevredenheid="5")
    assert refused.status_code == 409
    assert "U kunt reageren als wij uw zaak hebben afgehandeld." in refused.text
    assert answers(db_engine) == []


def test_only_the_owner_may_answer(client: TestClient, login: Login, db_engine: Any) -> None:
    reference = closed_case(db_engine)
    path = f"/mijn/zaken/{reference}/reactie"
    anonymous = post(client, path, tevredenheid="5")
    assert anonymous.status_code in (302, 303, 307)
    assert "/inloggen" in anonymous.headers["location"] or "login" in anonymous.headers["location"]
    login("lance")
    assert post(client, path, tevredenheid="5").status_code == 404
    assert post(client, "/mijn/zaken/Z-2026-999999/reactie", tevredenheid="5").status_code == 404
    login("dagobert")
    assert post(client, path, tevredenheid="5").status_code == 404
    login("staff:behandelaar,beheerder,kcc")
    assert post(client, path, tevredenheid="5").status_code == 403
    assert answers(db_engine) == []


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({}, "tevredenheid", "Kies hoe tevreden u bent, van 1 tot en met 5"),
        ({"tevredenheid": "0"}, "tevredenheid", "Kies een van de antwoorden"),
        ({"tevredenheid": "6"}, "tevredenheid", "Kies een van de antwoorden"),
        ({"tevredenheid": "-1"}, "tevredenheid", "Kies een van de antwoorden"),
        ({"tevredenheid": "4.5"}, "tevredenheid", "Kies een van de antwoorden"),
        ({"tevredenheid": "vijf"}, "tevredenheid", "Kies een van de antwoorden"),
        ({"tevredenheid": "4", "delen": "nee"}, "delen", "Vink het vakje aan of laat het leeg"),
        (
            {"tevredenheid": "4", "toelichting": "a" * 1001},
            "toelichting",
            "‘Toelichting’ mag maximaal 1000 tekens hebben",
        ),
        (
            {"tevredenheid": "4", "toelichting": "hallo\x00"},
            "toelichting",
            "‘Toelichting’ bevat tekens die niet zijn toegestaan",
        ),
    ],
)
def test_wrong_or_tampered_answers_are_refused(
    client: TestClient,
    login: Login,
    db_engine: Any,
    fields: dict[str, str],
    field_id: str,
    message: str,
) -> None:
    reference = closed_case(db_engine)
    login("suzanne")
    refused = post(client, f"/mijn/zaken/{reference}/reactie", **fields)
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.text, "html.parser")
    assert soup.title is not None
    assert soup.title.get_text().startswith("Fout")
    summary = soup.select_one(".haren-error-summary a")
    assert summary is not None
    assert summary["href"] == f"#{field_id}"
    assert message in summary.get_text()
    assert soup.select_one(f"#{field_id}-error") is not None
    assert answers(db_engine) == []


def test_a_long_comment_is_kept_to_show_again(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = closed_case(db_engine)
    login("suzanne")
    refused = post(
        client, f"/mijn/zaken/{reference}/reactie", toelichting="Te lang " * 200, delen="ja"
    )
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.text, "html.parser")
    textarea = soup.select_one("textarea#toelichting")
    assert textarea is not None
    assert textarea.get_text().startswith("Te lang")
    share = soup.select_one("input#delen")
    assert share is not None
    assert share.has_attr("checked")


def test_two_answers_at_the_same_moment_one_wins(db_engine: Any) -> None:
    reference = closed_case(db_engine)
    zaak = cases.load(db_engine, reference)
    assert zaak.id is not None
    assert zaak.closed_month is not None
    zaak_id, month = zaak.id, zaak.closed_month
    ready = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(score: int) -> None:
        with Session(db_engine) as db:
            ready.wait()
            try:
                reacties.give_feedback(
                    db,
                    subject_kind="zaak",
                    subject_id=zaak_id,
                    product="parkeervergunning",
                    month=month,
                    score=score,
                    comment="",
                    share_identity=False,
                    owner_bsn=SUZANNE_BSN,
                    owner_kvk=None,
                    now=datetime.now(UTC),
                )
                db.commit()
                outcomes.append("stored")
            except reacties.FeedbackExists:
                db.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=answer, args=(score,)) for score in (2, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "stored"]
    assert len(answers(db_engine)) == 1


def test_the_unique_constraint_is_the_guard(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    """An answer that arrives between the page's check and the insert is still refused."""
    reference = closed_case(db_engine)
    zaak = cases.load(db_engine, reference)
    assert zaak.id is not None
    with Session(db_engine) as db:
        kept = dict(
            subject_kind="zaak",
            subject_id=zaak.id,
            product="parkeervergunning",
            month="2026-01",
            comment="",
            share_identity=False,
            owner_bsn=SUZANNE_BSN,
            owner_kvk=None,
            now=datetime.now(UTC),
        )
        reacties.give_feedback(db, score=3, **kept)  # type: ignore[arg-type]
        with pytest.raises(reacties.FeedbackExists):
            reacties.give_feedback(db, score=1, **kept)  # type: ignore[arg-type]
        db.commit()  # the savepoint kept the transaction usable
    assert [a.score for a in answers(db_engine)] == [3]


def test_the_closing_email_asks_for_feedback(db_engine: Any) -> None:
    reference = closed_case(db_engine)
    with Session(db_engine) as db:
        messages = db.exec(
            select(OutboxMessage).where(col(OutboxMessage.zaak_reference) == reference)
        ).all()
    (closing,) = [m for m in messages if m.kind == "decision_made"]
    assert "Hoe tevreden bent u over hoe wij uw aanvraag hebben afgehandeld?" in closing.body_text
    assert f"http://testserver/mijn/zaken/{reference}#reactie" in closing.body_text


# --- the figures ----------------------------------------------------------------------------


def test_answers_count_in_the_month_figures_and_are_suppressed_below_ten(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = closed_case(db_engine)
    login("suzanne")
    assert post(client, f"/mijn/zaken/{reference}/reactie", tevredenheid="5").status_code == 303
    month = cases.load(db_engine, reference).closed_month
    assert month is not None
    with Session(db_engine) as db:
        (figure,) = service.feedback_months(db, months=[month]).values()
        assert (figure.product, figure.answers, figure.score_sum) == ("parkeervergunning", 1, 5)
        assert figure.average is None
        for number, score in enumerate([4, 4, 3, 5, 2, 4, 5, 3], start=1):
            _give(db, subject_id=100_000 + number, month=month, score=score)
        db.commit()
        nine = service.feedback_months(db, months=[month])[("parkeervergunning", month)]
        assert nine.answers == 9
        assert nine.average is None
        _give(db, subject_id=100_100, month=month, score=1)
        db.commit()
        ten = service.feedback_months(db, months=[month])[("parkeervergunning", month)]
        # 5 + 4+4+3+5+2+4+5+3 + 1 = 36 over 10 answers
        assert (ten.answers, ten.average) == (10, 3.6)


def _give(db: Session, *, subject_id: int, month: str, score: int) -> None:
    reacties.give_feedback(
        db,
        subject_kind="zaak",
        subject_id=subject_id,
        product="parkeervergunning",
        month=month,
        score=score,
        comment="",
        share_identity=False,
        owner_bsn=None,
        owner_kvk=None,
        now=datetime.now(UTC),
    )


# --- appointments ---------------------------------------------------------------------------


def test_the_owner_answers_once_about_an_attended_appointment(
    client: TestClient, login: Login, db_engine: Any, settings: Settings
) -> None:
    kenmerk = appointment(db_engine, settings)
    login("suzanne")
    mine = client.get("/mijn/afspraken")
    assert f'href="/mijn/afspraken/{kenmerk}/reactie"' in mine.text
    form = client.get(f"/mijn/afspraken/{kenmerk}/reactie")
    assert form.status_code == 200
    assert "Hoe tevreden bent u over uw afspraak bij de gemeente?" in form.text
    sent = post(client, f"/mijn/afspraken/{kenmerk}/reactie", tevredenheid="3", toelichting="Ok")
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/mijn/afspraken/{kenmerk}/reactie?melding=reactie#reactie"
    (stored,) = answers(db_engine)
    with Session(db_engine) as db:
        made = afspraken_service.get_by_reference(db, kenmerk)
        assert made is not None
        assert (stored.subject_kind, stored.subject_id) == ("afspraak", made.id)
        assert (stored.product, stored.month) == ("paspoort", service.month_of(made.starts_at))
    assert "Bedankt voor uw reactie!" in client.get(sent.headers["location"]).text
    again = post(client, f"/mijn/afspraken/{kenmerk}/reactie", tevredenheid="5")
    assert again.status_code == 409
    assert "U heeft al gereageerd" in again.text
    assert [a.score for a in answers(db_engine)] == [3]


def test_no_feedback_before_the_appointment(
    client: TestClient, login: Login, db_engine: Any, settings: Settings
) -> None:
    kenmerk = appointment(db_engine, settings, state="bevestigd")
    login("suzanne")
    assert f"/mijn/afspraken/{kenmerk}/reactie" not in client.get("/mijn/afspraken").text
    page = client.get(f"/mijn/afspraken/{kenmerk}/reactie")
    assert page.status_code == 200
    assert "nadat u bij ons bent geweest" in page.text
    assert "<form" not in page.text.split("<main", 1)[-1].split("</main>")[0]
    refused = post(client, f"/mijn/afspraken/{kenmerk}/reactie", tevredenheid="5")
    assert refused.status_code == 409
    assert answers(db_engine) == []


def test_only_the_owner_answers_about_an_appointment(
    client: TestClient, login: Login, db_engine: Any, settings: Settings
) -> None:
    kenmerk = appointment(db_engine, settings)
    path = f"/mijn/afspraken/{kenmerk}/reactie"
    assert client.get(path).status_code in (302, 303, 307)
    login("lance")
    assert client.get(path).status_code == 404
    assert post(client, path, tevredenheid="5").status_code == 404
    assert post(client, "/mijn/afspraken/ONBEKEND/reactie", tevredenheid="5").status_code == 404
    login("staff:balie")
    assert post(client, path, tevredenheid="5").status_code == 403
    assert answers(db_engine) == []


def test_a_tampered_appointment_answer_is_refused(
    client: TestClient, login: Login, db_engine: Any, settings: Settings
) -> None:
    kenmerk = appointment(db_engine, settings)
    login("suzanne")
    refused = post(client, f"/mijn/afspraken/{kenmerk}/reactie", tevredenheid="99")
    assert refused.status_code == 422
    assert "Kies een van de antwoorden" in refused.text
    assert answers(db_engine) == []


def test_no_feedback_about_a_missed_appointment(
    client: TestClient, login: Login, db_engine: Any, settings: Settings
) -> None:
    kenmerk = appointment(db_engine, settings, state="niet_verschenen")
    login("suzanne")
    page = client.get(f"/mijn/afspraken/{kenmerk}/reactie")
    assert "omdat u niet bij ons bent geweest" in page.text
    refused = post(client, f"/mijn/afspraken/{kenmerk}/reactie", tevredenheid="1")
    assert refused.status_code == 409
    assert answers(db_engine) == []
