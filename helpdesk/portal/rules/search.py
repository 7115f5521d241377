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

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, or_, select

from helpdesk.api.models import MatchedOn, ProfileSummary
from helpdesk.portal import schema
from helpdesk.portal.rules.masking import MASK
from helpdesk.portal.search_keys import digits, fold, name_terms, prefix_upper_bound, words

_PHONE_LIKE = re.compile(r"^[\d\s().+\-]+$")
# Rows of search_terms read per round trip while collecting distinct profiles.
_BATCH = 200


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
    if len(found) < limit:
        add(_name_words(connection, words(q), limit, exclude=set(found)), None)
    by_name = [profile_id for profile_id, matched_on in found.items() if matched_on is None]
    named = _name_matches(connection, by_name, words(q))
    return _summaries(
        connection, {profile_id: on or named[profile_id] for profile_id, on in found.items()}, now
    )


def _exact_identifiers(connection: Connection, q: str) -> list[tuple[str, MatchedOn]]:
    key = "".join(q.split()).replace("-", "").upper()
    if not key or len(key) > 20:
        return []
    profiles = schema.profiles
    rows = connection.execute(
        select(profiles.c.id, profiles.c.recovery_number).where(
            or_(profiles.c.recovery_number == key, profiles.c.user_code == key)
        )
    ).all()
    return [
        (row.id, "recovery_number" if row.recovery_number == key else "user_code") for row in rows
    ]


def _email_prefix(connection: Connection, q: str, limit: int) -> list[str]:
    prefix = fold(q)
    if not prefix or " " in prefix:
        return []
    return list(connection.execute(email_statement(prefix, limit)).scalars())


def email_statement(prefix: str, limit: int) -> Select[Any]:
    profiles = schema.profiles
    return (
        select(profiles.c.id)
        .where(
            profiles.c.email_norm >= prefix,
            profiles.c.email_norm < prefix_upper_bound(prefix),
        )
        .order_by(profiles.c.email_norm)
        .limit(limit)
    )


def _phone_digits(connection: Connection, number: str, limit: int) -> list[str]:
    ids: list[str] = []
    for reverse in (False, True):
        ids.extend(connection.execute(phone_statement(number, limit, reverse=reverse)).scalars())
    return ids


def phone_statement(number: str, limit: int, *, reverse: bool) -> Select[Any]:
    """Numbers starting with ``number``, or (``reverse``) ending with it."""
    phones = schema.phone_numbers
    column, prefix = (
        (phones.c.digits_reversed, number[::-1]) if reverse else (phones.c.digits, number)
    )
    return (
        select(phones.c.profile_id)
        .where(column >= prefix, column < prefix_upper_bound(prefix))
        .order_by(column)
        .limit(limit)
    )


def _name_words(
    connection: Connection, query_words: list[str], limit: int, exclude: set[str]
) -> Iterator[str]:
    """Profiles having, for every word of the query, a term that starts with it."""
    if not query_words:
        return
    seen = set(exclude)
    emitted = 0
    after: tuple[str, str] | None = None
    while emitted < limit:
        rows = connection.execute(name_statement(query_words, after)).all()
        for row in rows:
            if row.profile_id not in seen:
                seen.add(row.profile_id)
                emitted += 1
                yield row.profile_id
        if len(rows) < _BATCH:
            return
        after = (rows[-1].term, rows[-1].profile_id)


def name_statement(query_words: list[str], after: tuple[str, str] | None = None) -> Select[Any]:
    """One batch of (term, profile_id) in index order, starting after ``after``. The longest word
    drives the index walk (likely the fewest matches); the others are checked per profile."""
    unique = sorted(set(query_words), key=len, reverse=True)
    driver, others = unique[0], unique[1:]
    terms = schema.search_terms
    statement = select(terms.c.term, terms.c.profile_id).where(
        terms.c.term >= driver, terms.c.term < prefix_upper_bound(driver)
    )
    for word in others:
        other = terms.alias()
        statement = statement.where(
            exists().where(
                other.c.profile_id == terms.c.profile_id,
                other.c.term >= word,
                other.c.term < prefix_upper_bound(word),
            )
        )
    if after is not None:
        statement = statement.where(
            or_(
                terms.c.term > after[0],
                and_(terms.c.term == after[0], terms.c.profile_id > after[1]),
            )
        )
    return statement.order_by(terms.c.term, terms.c.profile_id).limit(_BATCH)


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
    holders = schema.holders
    for row in connection.execute(
        select(
            holders.c.profile_id, holders.c.given_names, holders.c.preferred_name, holders.c.surname
        ).where(holders.c.profile_id.in_(ids))
    ):
        names[row.profile_id]["holder_name"] |= name_terms(
            row.given_names, row.preferred_name, row.surname
        )
    representatives = schema.representatives
    for representative in connection.execute(
        select(representatives.c.profile_id, representatives.c.name).where(
            representatives.c.profile_id.in_(ids)
        )
    ):
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


def _summaries(
    connection: Connection, found: dict[str, MatchedOn], now: datetime
) -> list[ProfileSummary]:
    if not found:
        return []
    profiles = schema.profiles
    rows = {
        row.id: row
        for row in connection.execute(
            select(
                profiles.c.id,
                profiles.c.kind,
                profiles.c.subtype,
                profiles.c.display_name,
                profiles.c.organisation_name,
                profiles.c.city,
                profiles.c.preferred_language,
                profiles.c.locked_until,
                profiles.c.recovery_number,
            ).where(profiles.c.id.in_(list(found)))
        )
    }
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
