"""A query of several words walks the range of its most selective word (fewest terms, counted up
to a cap), not its longest: ``Jennifer Pike`` on a million profiles reads the Pikes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from helpdesk.portal import schema
from helpdesk.portal.db import Database
from helpdesk.portal.rules import search
from tests.portal.fixture_data import insert_many

NOW = datetime(2026, 11, 23, 19, 4, 5, tzinfo=UTC)


def test_the_word_with_the_fewest_terms_drives_and_every_word_still_counts(
    tmp_path: Path,
) -> None:
    database = Database.from_url(f"sqlite:///{tmp_path / 'driver.db'}")
    database.create_schema()
    with database.write() as connection:
        insert_many(connection, 30, NOW, "Smithers")
        # insert_many numbers each batch from 0: the first batch's recovery numbers move aside.
        connection.execute(
            update(schema.profiles).values(recovery_number="S" + schema.profiles.c.recovery_number)
        )
        als = insert_many(connection, 3, NOW, "Al")
    with database.read() as connection:
        # "person" is every profile's given name; "al" is three surnames, and shorter.
        assert search.driving_word(connection, ["person", "al"]) == ["al", "person"]
        found = search.search(connection, "person al", 25, NOW)
        assert sorted(summary.id for summary in found) == als
        # Past the first batch: a page found over several round trips, each profile once.
        people = search.search(connection, "person", 25, NOW)
        assert len({summary.id for summary in people}) == 25
    database.dispose()
