"""Profile search, built so that every part is an index range scan with a LIMIT.

A query is tried as: an exact recovery number or user code (ranked first), an e-mail prefix
(``profiles.email_norm``), phone digits matching the start or the end of a number (when the query
looks like a phone number), and name or organisation word prefixes (``search_terms``). Prefix
matching is ``key >= prefix AND key < prefix_upper_bound(prefix)`` ordered by the index, so a
one-letter query on a million profiles reads only its first matches, never the whole range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, or_, select

from helpdesk.api.models import ProfileSummary
from helpdesk.portal import schema
from helpdesk.portal.search_keys import digits, fold, prefix_upper_bound, words

_PHONE_LIKE = re.compile(r"^[\d\s().+\-]+$")
# Rows of search_terms read per round trip while collecting distinct profiles.
_BATCH = 200


def search(connection: Connection, q: str, limit: int, now: datetime) -> list[ProfileSummary]:
    found: dict[str, None] = {}

    def add(ids: Iterator[str] | list[str]) -> None:
        for profile_id in ids:
            if len(found) >= limit:
                return
            found.setdefault(profile_id, None)

    add(_exact_identifiers(connection, q))
    if len(found) < limit:
        add(_email_prefix(connection, q, limit))
    if len(found) < limit and _PHONE_LIKE.match(q) and digits(q):
        add(_phone_digits(connection, digits(q), limit))
    if len(found) < limit:
        add(_name_words(connection, words(q), limit, exclude=set(found)))
    return _summaries(connection, list(found), now)


def _exact_identifiers(connection: Connection, q: str) -> list[str]:
    key = "".join(q.split()).replace("-", "").upper()
    if not key or len(key) > 20:
        return []
    profiles = schema.profiles
    rows = connection.execute(
        select(profiles.c.id).where(
            or_(profiles.c.recovery_number == key, profiles.c.user_code == key)
        )
    ).all()
    return [row.id for row in rows]


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


def _summaries(connection: Connection, ids: list[str], now: datetime) -> list[ProfileSummary]:
    if not ids:
        return []
    profiles = schema.profiles
    rows = {
        row.id: row
        for row in connection.execute(
            select(
                profiles.c.id,
                profiles.c.kind,
                profiles.c.display_name,
                profiles.c.organisation_name,
                profiles.c.city,
                profiles.c.preferred_language,
                profiles.c.locked_until,
            ).where(profiles.c.id.in_(ids))
        )
    }
    return [
        ProfileSummary(
            id=row.id,
            kind=row.kind,
            display_name=row.display_name,
            organisation_name=row.organisation_name,
            city=row.city,
            preferred_language=row.preferred_language,
            locked_until=row.locked_until if row.locked_until and row.locked_until > now else None,
        )
        for profile_id in ids
        if (row := rows.get(profile_id)) is not None
    ]
