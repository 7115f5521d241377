"""A batch of demo rows, table by table, with the search keys derived from them, inserted in one
transaction with one executemany per table."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table

from helpdesk.portal import schema, search_keys

Row = dict[str, Any]

_PROFILE_DEFAULTS: Row = {column.name: None for column in schema.profiles.columns} | {
    "failed_attempts": 0,
    "two_step_enrolled": False,
}
_HOLDER_DEFAULTS: Row = {column.name: None for column in schema.holders.columns}


def profile_row(**values: Any) -> Row:
    """Every column of `profiles`, so all rows of an executemany have the same keys."""
    unknown = values.keys() - _PROFILE_DEFAULTS.keys()
    if unknown:
        raise KeyError(f"not columns of profiles: {sorted(unknown)}")
    return _PROFILE_DEFAULTS | values


def holder_row(**values: Any) -> Row:
    return _HOLDER_DEFAULTS | values


def hex_id(rng: random.Random, prefix: str) -> str:
    """An opaque id, deterministic for a seeded generator: `prf_1f3a…` (48 random bits)."""
    return f"{prefix}_{rng.getrandbits(48):012x}"


def permit_row(profile_id: str, description: str, number: str, status: str, today: date) -> Row:
    # Licences run by calendar season; an expired one is last season's.
    year = today.year - 1 if status == "expired" else today.year
    return {
        "profile_id": profile_id,
        "number": number,
        "description": description,
        "status": status,
        "valid_from": date(year, 1, 1),
        "valid_to": date(year, 12, 31),
    }


@dataclass
class Batch:
    profiles: list[Row] = field(default_factory=list)
    holders: list[Row] = field(default_factory=list)
    representatives: list[Row] = field(default_factory=list)
    credentials: list[Row] = field(default_factory=list)
    permits: list[Row] = field(default_factory=list)
    vessels: list[Row] = field(default_factory=list)
    notifications: list[Row] = field(default_factory=list)
    sign_ins: list[Row] = field(default_factory=list)
    access_codes: list[Row] = field(default_factory=list)
    search_terms: list[Row] = field(default_factory=list)
    phone_numbers: list[Row] = field(default_factory=list)

    def add_profile(
        self, profile: Row, holders: Iterable[Row], representatives: Iterable[Row]
    ) -> None:
        """The profile, its holders and representatives, and every search key they give."""
        holders = list(holders)
        representatives = list(representatives)
        self.profiles.append(profile)
        self.holders.extend(holders)
        self.representatives.extend(representatives)
        self._index(profile, holders, representatives)

    def _index(self, profile: Row, holders: list[Row], representatives: list[Row]) -> None:
        profile_id = profile["id"]
        keys: set[tuple[str, str]] = set()
        for holder in holders:
            names = (holder["given_names"], holder["preferred_name"], holder["surname"])
            keys.update((term, "name") for term in search_keys.name_terms(*names))
        for representative in representatives:
            keys.update((term, "name") for term in search_keys.name_terms(representative["name"]))
        if profile["organisation_name"]:
            keys.update((word, "org") for word in search_keys.words(profile["organisation_name"]))
        self.search_terms.extend(
            {"term": term, "profile_id": profile_id, "field": kind} for term, kind in sorted(keys)
        )
        numbers = {search_keys.digits(profile[name] or "") for name in ("phone", "fax", "mobile")}
        self.phone_numbers.extend(
            {"profile_id": profile_id, "digits": number, "digits_reversed": number[::-1]}
            for number in sorted(numbers)
            if number
        )

    def tables(self) -> list[tuple[Table, list[Row]]]:
        """Parents before children, so foreign keys hold at every statement."""
        return [
            (schema.profiles, self.profiles),
            (schema.holders, self.holders),
            (schema.representatives, self.representatives),
            (schema.credentials, self.credentials),
            (schema.permits, self.permits),
            (schema.vessels, self.vessels),
            (schema.notifications, self.notifications),
            (schema.sign_ins, self.sign_ins),
            (schema.access_codes, self.access_codes),
            (schema.search_terms, self.search_terms),
            (schema.phone_numbers, self.phone_numbers),
        ]

    def insert(self, connection: Connection) -> None:
        for table, rows in self.tables():
            if rows:
                connection.execute(table.insert(), rows)
