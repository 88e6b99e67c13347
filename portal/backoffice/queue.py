"""The work queue: open cases by due date, filtered, with keyset paging.

Every query is shaped to walk one of the `ix_zaak_queue*` indexes (an equality on the filter
column, `closed_at IS NULL`, then `due_by_norm, id` in index order), so a page costs the same
with a thousand cases as with a million: no OFFSET, and no COUNT over the table per page.
A page is fetched one row too long to know whether there is a next (or previous) one.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, intersect, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from portal.zaken import service as zaken_service
from portal.zaken import zaaktypen
from portal.zaken.models import Zaak, ZaakNaamwoord

PAGE_SIZE = 25
ASSIGNED_CHOICES = ("iedereen", "mij", "niemand")
TERM_CHOICES = ("alle", "te_laat", "deze_week")
STATUS_CHOICES = (zaaktypen.RECEIVED, zaaktypen.IN_PROGRESS, zaaktypen.WAITING)
MAX_SEARCH_LENGTH = 100
# A name search first looks the name up in its own index; up to this many matching cases
# (open or closed) are sorted directly, more are found by walking the queue in due order.
NAME_CANDIDATES = 2000
COUNT_CAP = 10_000
# Ranking a search's words by how common they are needs no exact count beyond this.
WORD_COUNT_CAP = 20_000
_SAFE_LAST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxy012345678")
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{1,18})$")


@dataclass(frozen=True)
class QueueFilters:
    """What the employee chose in the filter form; unknown values mean "no filter"."""

    product: str = ""
    status: str = ""
    toegewezen: str = "iedereen"
    termijn: str = "alle"
    q: str = ""

    @classmethod
    def clean(
        cls, *, product: str, status: str, toegewezen: str, termijn: str, q: str
    ) -> QueueFilters:
        return cls(
            product=product.strip()[:80],
            status=status if status in STATUS_CHOICES else "",
            toegewezen=toegewezen if toegewezen in ASSIGNED_CHOICES else "iedereen",
            termijn=termijn if termijn in TERM_CHOICES else "alle",
            q=" ".join(q.split())[:MAX_SEARCH_LENGTH],
        )

    @property
    def reference(self) -> str | None:
        """The case number searched for, when the search is one (any case, open or closed)."""
        candidate = self.q.upper()
        return candidate if zaken_service.REFERENCE_PATTERN.match(candidate) else None

    @property
    def words(self) -> list[str]:
        """The name words searched for (none when the search is a case number)."""
        return [] if self.reference else zaken_service.name_words(self.q)

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (for the paging links), leaving out the defaults."""
        values = {
            "product": self.product,
            "status": self.status,
            "toegewezen": "" if self.toegewezen == "iedereen" else self.toegewezen,
            "termijn": "" if self.termijn == "alle" else self.termijn,
            "q": self.q,
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class Cursor:
    """A position in the queue: the due date and id of a row (`2026-03-01_123`)."""

    due: date
    id: int

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        match = _CURSOR.match(text or "")
        if match is None:
            return None
        try:
            return cls(date.fromisoformat(match.group(1)), int(match.group(2)))
        except ValueError:
            return None

    @classmethod
    def of(cls, zaak: Zaak) -> Cursor:
        assert zaak.id is not None
        return cls(zaak.due_by_norm or date.min, zaak.id)

    def __str__(self) -> str:
        return f"{self.due.isoformat()}_{self.id}"


@dataclass(frozen=True)
class QueuePage:
    zaken: list[Zaak]
    next_cursor: Cursor | None
    previous_cursor: Cursor | None


def end_of_week(today: date) -> date:
    """The Sunday of this week."""
    return today + timedelta(days=6 - today.weekday())


def _escaped(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def word_prefix_conditions(word: str, dialect: str) -> list[Any]:
    """A name word starts with `word`: a LIKE with % and _ escaped, plus the equivalent range
    [word, word with its last character raised), which the word index answers (a LIKE uses an
    index on neither database as configured).

    The range is exact under SQLite's binary order. Under a linguistic collation (PostgreSQL)
    it is exact only when the word ends in a letter a-y or a digit 0-8: their successor is
    again a letter or digit, which such a collation does not ignore or fold. Otherwise the
    LIKE alone decides.
    """
    column = col(ZaakNaamwoord.woord)
    conditions: list[Any] = [column.like(_escaped(word) + "%", escape="\\")]
    last = word[-1]
    if (dialect == "sqlite" and ord(last) < sys.maxunicode) or last in _SAFE_LAST_CHARACTERS:
        upper = word[:-1] + chr(ord(word[-1]) + 1)
        conditions += [column >= word, column < upper]
    return conditions


def name_word_conditions(words: list[str]) -> list[Any]:
    """While walking the queue: the case's name has a word starting with each of `words`."""
    spaced = " " + func.replace(col(Zaak.search_name), "-", " ")
    return [spaced.like("% " + _escaped(word) + "%", escape="\\") for word in words]


def _word_count(db: Session, word: str, dialect: str, cap: int) -> int:
    """How many name words start with `word`, counted up to `cap` (an index range, cheap)."""
    matches = (
        sa_select(col(ZaakNaamwoord.zaak_id))
        .where(*word_prefix_conditions(word, dialect))
        .limit(cap)
        .subquery()
    )
    return int(db.execute(sa_select(func.count()).select_from(matches)).scalar_one())


def name_candidates(db: Session, words: list[str]) -> list[int] | None:
    """The ids of the cases whose name has a word starting with each of the two rarest of
    `words` (the page checks the others), or None when there are so many that walking the
    queue finds a page of them sooner.

    Walking the queue in due order and testing each name is quick for a common name and slow
    for a rare one (it reads every open case before it knows there are no more); the word
    index is quick for a rare name, also when its words are common ("anna de vries": the
    database intersects the two rarest words' index ranges; "de" is left to the page).
    """
    dialect = db.get_bind().dialect.name
    rarest = words
    if len(words) > 2:
        # Beyond the cap, a longer word is taken as the rarer one ("vries" before "de").
        rarest = sorted(
            words, key=lambda word: (_word_count(db, word, dialect, WORD_COUNT_CAP), -len(word))
        )[:2]
    per_word = [
        sa_select(col(ZaakNaamwoord.zaak_id)).where(*word_prefix_conditions(word, dialect))
        for word in rarest
    ]
    both = intersect(*per_word) if len(per_word) > 1 else per_word[0]
    limited = sa_select(both.subquery().c.zaak_id).limit(NAME_CANDIDATES + 1)
    ids = [int(number) for number in db.execute(limited).scalars()]
    return sorted(ids) if len(ids) <= NAME_CANDIDATES else None


def has_name_words(search_name: str, words: list[str]) -> bool:
    """Each of `words` starts a word of the name (as the word index and the walk decide)."""
    name = zaken_service.name_words(search_name)
    return all(any(part.startswith(word) for part in name) for word in words)


def filter_conditions(
    filters: QueueFilters, *, staff_subject: str, today: date, dialect: str
) -> list[Any]:
    """The WHERE conditions of the queue for these filters."""
    reference = filters.reference
    if reference is not None:
        return [col(Zaak.reference) == reference]
    conditions: list[Any] = [col(Zaak.closed_at).is_(None)]
    if filters.product:
        conditions.append(col(Zaak.zaaktype) == filters.product)
    if filters.status:
        conditions.append(col(Zaak.status) == filters.status)
    if filters.toegewezen == "mij":
        conditions.append(col(Zaak.assigned_to) == staff_subject)
    elif filters.toegewezen == "niemand":
        conditions.append(col(Zaak.assigned_to).is_(None))
    if filters.termijn == "te_laat":
        conditions.append(col(Zaak.due_by_norm) < today)
    elif filters.termijn == "deze_week":
        conditions.append(col(Zaak.due_by_norm) >= today)
        conditions.append(col(Zaak.due_by_norm) <= end_of_week(today))
    conditions.extend(name_word_conditions(filters.words))
    return conditions


def _after(cursor: Cursor) -> Any:
    # Written out instead of a row value, so both databases see a range on due_by_norm.
    due, id_ = col(Zaak.due_by_norm), col(Zaak.id)
    return and_(due >= cursor.due, or_(due > cursor.due, id_ > cursor.id))


def _before(cursor: Cursor) -> Any:
    due, id_ = col(Zaak.due_by_norm), col(Zaak.id)
    return and_(due <= cursor.due, or_(due < cursor.due, id_ < cursor.id))


def queue_query(
    filters: QueueFilters,
    *,
    staff_subject: str,
    today: date,
    dialect: str,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> SelectOfScalar[Zaak]:
    """One page (plus one row) of the queue, forwards from `after` or backwards from `before`."""
    conditions = filter_conditions(
        filters, staff_subject=staff_subject, today=today, dialect=dialect
    )
    due, id_ = col(Zaak.due_by_norm), col(Zaak.id)
    if before is not None:
        query = select(Zaak).where(*conditions, _before(before)).order_by(due.desc(), id_.desc())
    else:
        if after is not None:
            conditions.append(_after(after))
        query = select(Zaak).where(*conditions).order_by(due, id_)
    return query.limit(PAGE_SIZE + 1)


def _keeps(row: Any, filters: QueueFilters, *, staff_subject: str, today: date) -> bool:
    """The queue's filters (filter_conditions) applied to one candidate row."""
    _id, due, closed_at, product, status, assignee, search_name = row
    if closed_at is not None or not has_name_words(search_name, filters.words):
        return False
    if (filters.product and product != filters.product) or (
        filters.status and status != filters.status
    ):
        return False
    if filters.toegewezen == "mij" and assignee != staff_subject:
        return False
    if filters.toegewezen == "niemand" and assignee is not None:
        return False
    if filters.termijn == "te_laat":
        return due is not None and due < today
    if filters.termijn == "deze_week":
        return due is not None and today <= due <= end_of_week(today)
    return True


def _page_of_candidates(
    db: Session,
    ids: list[int],
    filters: QueueFilters,
    *,
    staff_subject: str,
    today: date,
    after: Cursor | None,
    before: Cursor | None,
) -> list[Zaak]:
    """Like queue_query, over the few cases a name search found: fetched by primary key and
    filtered and ordered here, so no query planner can choose to walk the whole queue."""
    if not ids:
        return []
    columns = [
        col(column)
        for column in (Zaak.id, Zaak.due_by_norm, Zaak.closed_at, Zaak.zaaktype, Zaak.status)
    ]
    light = db.execute(
        sa_select(*columns, col(Zaak.assigned_to), col(Zaak.search_name)).where(
            col(Zaak.id).in_(ids)
        )
    ).all()
    keys = sorted(
        (row[1] or date.min, int(row[0]))
        for row in light
        if _keeps(row, filters, staff_subject=staff_subject, today=today)
    )
    if after is not None:
        keys = [key for key in keys if key > (after.due, after.id)]
    elif before is not None:
        keys = [key for key in reversed(keys) if key < (before.due, before.id)]
    chosen = [key[1] for key in keys[: PAGE_SIZE + 1]]
    found = {z.id: z for z in db.exec(select(Zaak).where(col(Zaak.id).in_(chosen))).all()}
    return [found[number] for number in chosen]


def queue_page(
    db: Session,
    filters: QueueFilters,
    *,
    staff_subject: str,
    today: date,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> QueuePage:
    """The page of the queue after `after`, before `before`, or the first page."""
    before = None if after is not None else before
    searches_name = bool(filters.words) and filters.reference is None
    ids = name_candidates(db, filters.words) if searches_name else None
    if ids is not None:
        rows = _page_of_candidates(
            db, ids, filters, staff_subject=staff_subject, today=today, after=after, before=before
        )
    else:
        query = queue_query(
            filters,
            staff_subject=staff_subject,
            today=today,
            dialect=db.get_bind().dialect.name,
            after=after,
            before=before,
        )
        rows = list(db.exec(query).all())
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if before is not None:
        rows.reverse()
        has_previous, has_next = more, True
    else:
        has_previous, has_next = after is not None, more
    if not rows:
        return QueuePage([], None, None)
    return QueuePage(
        zaken=rows,
        next_cursor=Cursor.of(rows[-1]) if has_next else None,
        previous_cursor=Cursor.of(rows[0]) if has_previous else None,
    )


@dataclass(frozen=True)
class QueueCounts:
    """Numbers on the start page, each capped so the count stays cheap on a big table."""

    open: int
    mine: int
    overdue: int
    cap: int = COUNT_CAP


def _capped_count(db: Session, *conditions: Any) -> int:
    limited = select(col(Zaak.id)).where(*conditions).limit(COUNT_CAP + 1).subquery()
    return int(db.exec(select(func.count()).select_from(limited)).one())


def queue_counts(db: Session, *, staff_subject: str, today: date) -> QueueCounts:
    """Open cases, cases assigned to this employee, and overdue cases (each via its index)."""
    open_ = col(Zaak.closed_at).is_(None)
    return QueueCounts(
        open=_capped_count(db, open_),
        mine=_capped_count(db, col(Zaak.assigned_to) == staff_subject, open_),
        overdue=_capped_count(db, open_, col(Zaak.due_by_norm) < today),
    )
