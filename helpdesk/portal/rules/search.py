"""Profile search, built so that every part is an index range scan with a LIMIT.

A query is tried as: an exact recovery number or user code (ranked first), an e-mail prefix
(``profiles.email_norm``), phone digits matching the start or the end of a number (when the query
looks like a phone number), and name or organisation word prefixes (``search_terms``). Prefix
matching is ``key >= prefix AND key < prefix_upper_bound(prefix)`` ordered by the index, so a
one-letter query on a million profiles reads only its first matches, never the whole range.

Each result says what it matched first (``matched_on``). A name match is told apart afterwards,
for the page of results only: a holder's name, else a representative's, else the organisation's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
)

from helpdesk.api.models import MatchedOn, ProfileSummary
from helpdesk.portal import schema
from helpdesk.portal.rules.masking import MASK
from helpdesk.portal.search_keys import digits, fold, name_terms, prefix_upper_bound, words

_PHONE_LIKE = re.compile(r"^[\d\s().+\-]+$")
# Rows of search_terms read per round trip, at most, while collecting distinct profiles.
_MAX_BATCH = 200


def search(connection: Connection, q: str, limit: int, now: datetime) -> list[ProfileSummary]:
    # profile id -> what it matched first; None for a name word, told apart once the page is known
    found: dict[str, MatchedOn | None] = {}

    def add(ids: Iterator[str] | list[str], matched_on: MatchedOn | None) -> None:
        for profile_id in ids:
            if len(found) >= limit:
                return
            found.setdefault(profile_id, matched_on)

    for profile_id, identifier in _exact_identifiers(connection, q):
        add([profile_id], identifier)
    if len(found) < limit:
        add(_email_prefix(connection, q, limit), "email")
    if len(found) < limit and _PHONE_LIKE.match(q) and digits(q):
        add(_phone_digits(connection, digits(q), limit), "phone")
    query_words = words(q)
    if len(found) < limit:
        add(_name_words(connection, query_words, limit, exclude=set(found)), None)
    by_name = [profile_id for profile_id, matched_on in found.items() if matched_on is None]
    named = _name_matches(connection, by_name, query_words)
    return _summaries(
        connection, {profile_id: on or named[profile_id] for profile_id, on in found.items()}, now
    )


# The statements a search runs, built once with bound parameters: building a statement costs
# more than running it on an index (SQLAlchemy caches the compiled form, not the construct).
_profiles, _terms, _phones = schema.profiles, schema.search_terms, schema.phone_numbers
_EXACT = select(_profiles.c.id, _profiles.c.recovery_number).where(
    or_(_profiles.c.recovery_number == bindparam("key"), _profiles.c.user_code == bindparam("key"))
)


def _exact_identifiers(connection: Connection, q: str) -> list[tuple[str, MatchedOn]]:
    key = "".join(q.split()).replace("-", "").upper()
    if not key or len(key) > 20:
        return []
    rows = connection.execute(_EXACT, {"key": key}).all()
    return [
        (row.id, "recovery_number" if row.recovery_number == key else "user_code") for row in rows
    ]


def _email_select(lower: Any, upper: Any, limit: Any) -> Select[Any]:
    column = _profiles.c.email_norm
    return (
        select(_profiles.c.id).where(column >= lower, column < upper).order_by(column).limit(limit)
    )


_EMAIL = _email_select(bindparam("lower"), bindparam("upper"), bindparam("limit"))


def _email_prefix(connection: Connection, q: str, limit: int) -> list[str]:
    prefix = fold(q)
    if not prefix or " " in prefix:
        return []
    bounds = {"lower": prefix, "upper": prefix_upper_bound(prefix), "limit": limit}
    return list(connection.execute(_EMAIL, bounds).scalars())


def email_statement(prefix: str, limit: int) -> Select[Any]:
    return _email_select(prefix, prefix_upper_bound(prefix), limit)


def _phone_select(lower: Any, upper: Any, limit: Any, *, reverse: bool) -> Select[Any]:
    column = _phones.c.digits_reversed if reverse else _phones.c.digits
    return (
        select(_phones.c.profile_id)
        .where(column >= lower, column < upper)
        .order_by(column)
        .limit(limit)
    )


_PHONE = {
    reverse: _phone_select(
        bindparam("lower"), bindparam("upper"), bindparam("limit"), reverse=reverse
    )
    for reverse in (False, True)
}


def _phone_digits(connection: Connection, number: str, limit: int) -> list[str]:
    ids: list[str] = []
    for reverse in (False, True):
        prefix = number[::-1] if reverse else number
        bounds = {"lower": prefix, "upper": prefix_upper_bound(prefix), "limit": limit}
        ids.extend(connection.execute(_PHONE[reverse], bounds).scalars())
    return ids


def phone_statement(number: str, limit: int, *, reverse: bool) -> Select[Any]:
    """Numbers starting with ``number``, or (``reverse``) ending with it."""
    prefix = number[::-1] if reverse else number
    return _phone_select(prefix, prefix_upper_bound(prefix), limit, reverse=reverse)


# A word's range is counted up to this many rows to pick the word that drives the walk.
_COUNT_CAP = 2000
_RANGE_COUNT = select(func.count()).select_from(
    select(literal_column("1"))
    .select_from(_terms)
    .where(_terms.c.term >= bindparam("lower"), _terms.c.term < bindparam("upper"))
    .limit(_COUNT_CAP)
    .subquery()
)


def _range_size(connection: Connection, word: str) -> int:
    bounds = {"lower": word, "upper": prefix_upper_bound(word)}
    return int(connection.execute(_RANGE_COUNT, bounds).scalar_one())


def driving_word(connection: Connection, query_words: list[str]) -> list[str]:
    """The words of the query, the one with the fewest terms first (counted up to a cap; the
    longest among the words past it): the walk goes through its range and checks the others per
    profile, so ``Jennifer Pike`` reads the Pikes, not every Jennifer."""
    unique = sorted(set(query_words), key=len, reverse=True)
    if len(unique) < 2:
        return unique
    sizes = {word: _range_size(connection, word) for word in unique}
    return sorted(unique, key=lambda word: sizes[word])


@functools.cache
def _name_batch(others: int, *, after: bool, postgresql: bool) -> Select[Any]:
    """The batch statement for a driving word and ``others`` more words, with bound parameters
    (``lower``/``upper``, ``lower_N``/``upper_N``, ``after_term``/``after_id``, ``batch``)."""
    return _name_select(
        (bindparam("lower"), bindparam("upper")),
        [(bindparam(f"lower_{i}"), bindparam(f"upper_{i}")) for i in range(others)],
        (bindparam("after_term"), bindparam("after_id")) if after else None,
        bindparam("batch"),
        postgresql=postgresql,
    )


def _name_words(
    connection: Connection, query_words: list[str], limit: int, exclude: set[str]
) -> Iterator[str]:
    """Profiles having, for every word of the query, a term that starts with it."""
    if not query_words:
        return
    driver, *others = driving_word(connection, query_words)
    params: dict[str, Any] = {"lower": driver, "upper": prefix_upper_bound(driver)}
    for i, word in enumerate(others):
        params[f"lower_{i}"], params[f"upper_{i}"] = word, prefix_upper_bound(word)
    postgresql = connection.dialect.name == "postgresql"
    seen = set(exclude)
    emitted = 0
    # The first batch is about a page (a profile can have several terms in the range); the
    # next ones grow, for a query whose first rows were mostly profiles found already.
    batch = limit + limit // 2 + 1
    after = False
    while emitted < limit:
        params["batch"] = batch
        statement = _name_batch(len(others), after=after, postgresql=postgresql)
        rows = connection.execute(statement, params).all()
        for row in rows:
            if row.profile_id not in seen:
                seen.add(row.profile_id)
                emitted += 1
                yield row.profile_id
        if len(rows) < batch:
            return
        after = True
        params["after_term"], params["after_id"] = rows[-1].term, rows[-1].profile_id
        batch = min(batch * 2, _MAX_BATCH)


def name_statement(
    query_words: list[str], after: tuple[str, str] | None = None, *, postgresql: bool = False
) -> Select[Any]:
    """One batch of (term, profile_id) in index order, starting after ``after``: the first word
    drives the index walk (``driving_word`` puts the one with the fewest terms first); the
    others are checked per profile."""
    driver, *others = query_words
    return _name_select(
        (driver, prefix_upper_bound(driver)),
        [(word, prefix_upper_bound(word)) for word in others],
        after,
        _MAX_BATCH,
        postgresql=postgresql,
    )


def _name_select(
    driver: tuple[Any, Any],
    others: list[tuple[Any, Any]],
    after: tuple[Any, Any] | None,
    batch: Any,
    *,
    postgresql: bool,
) -> Select[Any]:
    terms = _terms
    statement = select(terms.c.term, terms.c.profile_id).where(
        terms.c.term >= driver[0], terms.c.term < driver[1]
    )
    for lower, upper in others:
        other = terms.alias()
        # PostgreSQL estimates one row for any prefix range of search_terms, and so read the
        # other word's whole range again for every candidate (a nested loop: 'Hélène Gagnon'
        # read 961,000 index entries, 290 ms on 100,000 profiles). Compared as an expression,
        # the term cannot use that index: the check is the profile's own few terms, found by
        # (profile_id, term). SQLite already does that, and keeps the indexed range.
        term = other.c.term.concat("") if postgresql else other.c.term
        statement = statement.where(
            exists().where(other.c.profile_id == terms.c.profile_id, term >= lower, term < upper)
        )
    if after is not None:
        statement = statement.where(
            or_(
                terms.c.term > after[0],
                and_(terms.c.term == after[0], terms.c.profile_id > after[1]),
            )
        )
    return statement.order_by(terms.c.term, terms.c.profile_id).limit(batch)


_HOLDER_NAMES = select(
    schema.holders.c.profile_id,
    schema.holders.c.given_names,
    schema.holders.c.preferred_name,
    schema.holders.c.surname,
).where(schema.holders.c.profile_id.in_(bindparam("ids", expanding=True)))
_REPRESENTATIVE_NAMES = select(
    schema.representatives.c.profile_id, schema.representatives.c.name
).where(schema.representatives.c.profile_id.in_(bindparam("ids", expanding=True)))


def _name_matches(
    connection: Connection, ids: list[str], query_words: list[str]
) -> dict[str, MatchedOn]:
    """For profiles found by name words: whose name the words match, in the order a caller is most
    likely to mean (the holder, a representative, the organisation)."""
    if not ids:
        return {}
    names: dict[str, dict[MatchedOn, set[str]]] = {
        profile_id: {"holder_name": set(), "representative_name": set()} for profile_id in ids
    }
    for row in connection.execute(_HOLDER_NAMES, {"ids": ids}):
        names[row.profile_id]["holder_name"] |= name_terms(
            row.given_names, row.preferred_name, row.surname
        )
    for representative in connection.execute(_REPRESENTATIVE_NAMES, {"ids": ids}):
        names[representative.profile_id]["representative_name"] |= name_terms(representative.name)

    def matches(terms: set[str]) -> bool:
        return all(any(term.startswith(word) for term in terms) for word in query_words)

    return {
        profile_id: next(
            (field for field, terms in names[profile_id].items() if matches(terms)),
            "organisation_name",
        )
        for profile_id in ids
    }


def recovery_number_hint(recovery_number: str) -> str:
    """``40718263`` → ``40••••63``."""
    return recovery_number[:2] + MASK * (len(recovery_number) - 4) + recovery_number[-2:]


_SUMMARIES = select(
    _profiles.c.id,
    _profiles.c.kind,
    _profiles.c.subtype,
    _profiles.c.display_name,
    _profiles.c.organisation_name,
    _profiles.c.city,
    _profiles.c.preferred_language,
    _profiles.c.locked_until,
    _profiles.c.recovery_number,
).where(_profiles.c.id.in_(bindparam("ids", expanding=True)))


def _summaries(
    connection: Connection, found: dict[str, MatchedOn], now: datetime
) -> list[ProfileSummary]:
    if not found:
        return []
    rows = {row.id: row for row in connection.execute(_SUMMARIES, {"ids": list(found)})}
    return [
        ProfileSummary(
            id=row.id,
            kind=row.kind,
            subtype=row.subtype,
            display_name=row.display_name,
            organisation_name=row.organisation_name,
            city=row.city,
            preferred_language=row.preferred_language,
            locked_until=row.locked_until if row.locked_until and row.locked_until > now else None,
            recovery_number_hint=recovery_number_hint(row.recovery_number),
            matched_on=matched_on,
        )
        for profile_id, matched_on in found.items()
        if (row := rows.get(profile_id)) is not None
    ]
