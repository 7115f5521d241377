"""The demo data: two agents, the five training callers of the contract, and N generated profiles.

`seed_demo` is deterministic: the same count and the same clock time give the same rows (argon2
hashes aside, whose salts are random, and so verify alike without being equal). It writes in bulk:
the loaded tables' indexes are dropped first and built once at the end (`bulk`); one statement per
table and batch of 2,500 profiles (the driver's executemany on SQLite, COPY on PostgreSQL), in one
transaction on SQLite and one per batch on PostgreSQL; from 20,000 profiles on, the batches are
generated in child processes, one per core, while this one inserts (`generated`). Timings, before
and after, are in docs/PERFORMANCE.md.

Shared hashes, and why only here
--------------------------------
A recovery answer set is an argon2id hash at about 40 ms; 100,000 profiles hashed one by one would
take over an hour. So the generated profiles draw their answer sets from a fixed pool of 64
(`pools.ANSWER_SETS`, 32 in English and 32 in French), each hashed once per seed run with the
portal's own `security.hash_answer_set`, and every profile with that set stores the same hash. (The
few generated active access codes are no code's: `generated.unknown_code_digest`.) Identical hashes tell
whoever reads the table that those profiles have identical answers: acceptable for synthetic demo
data, whose answers are public in this source anyway, and for nothing else. The training callers,
the agents and everything the running portal stores (a new answer set, a failed set, an issued code)
are hashed one by one with a fresh salt; nothing here weakens `security`.

Because the pool is fixed and a generated profile's set follows from its id
(`pools.answer_set_index`), `generated_answers` can tell a test or a trainee the answers of any
seeded profile without them being stored anywhere.
"""

from __future__ import annotations

import random

from sqlalchemy import Connection, Engine, select

from helpdesk.clock import Clock
from helpdesk.portal import schema, security
from helpdesk.portal.security import PRODUCTION_COST
from helpdesk.portal.seed.bulk import bulk_load
from helpdesk.portal.seed.generated import prepared_batches
from helpdesk.portal.seed.pools import ANSWER_SETS, answer_set_index, hash_all
from helpdesk.portal.seed.rows import Batch, hex_id
from helpdesk.portal.seed.training import TRAINING_CALLERS, TrainingCaller, training_batch

__all__ = ["DEMO_AGENTS", "TRAINING_CALLERS", "TrainingCaller", "generated_answers", "seed_demo"]

# (username, password, role, display name): a display name is a person's name, as a real portal
# holds it (the console shows it in either language as it is).
DEMO_AGENTS: tuple[tuple[str, str, str, str], ...] = (
    ("agent", "demo-pass-agent", "agent", "Chantal Doucet"),
    ("supervisor", "demo-pass-supervisor", "supervisor", "Robert MacNeil"),
)

SEEDED_KEY = schema.SEEDED_KEY


def seed_demo(
    engine: Engine, *, count: int, clock: Clock, hash_cost: security.HashCost = PRODUCTION_COST
) -> None:
    """Fill a database whose schema exists with the demo data and `count` generated profiles,
    every secret hashed at `hash_cost` (the portal's policy; tests seed cheaper ones).

    A database already seeded (its `portal_meta` says so) is left as it is; one that has agents
    without that mark (a seed stopped half-way) is refused.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    with engine.connect() as connection:
        if _seeded(connection):
            return
        if connection.execute(select(schema.agents.c.id).limit(1)).first() is not None:
            raise RuntimeError(
                "this database holds agents but was never fully seeded (a seed stopped half-way?):"
                " seed a new database instead"
            )
    now = clock.now()
    passwords = [password for _, password, _, _ in DEMO_AGENTS]
    answer_sets = [caller.answers for caller in TRAINING_CALLERS]
    password_hashes = hash_all(security.hash_secret, passwords, hash_cost)
    answers_hashes = hash_all(security.hash_answer_set, answer_sets, hash_cost)

    rng = random.Random("helpdesk demo agents v1")
    with engine.begin() as connection:
        connection.execute(
            schema.agents.insert(),
            [
                {
                    "id": hex_id(rng, "agt"),
                    "username": username,
                    "display_name": display_name,
                    "role": role,
                    "password_hash": password_hash,
                    "created_at": now,
                }
                for (username, _, role, display_name), password_hash in zip(
                    DEMO_AGENTS, password_hashes, strict=True
                )
            ],
        )
        training_batch(now, answers_hashes).insert(connection)

    if count:
        loaded = [table for table, _ in Batch().tables()]
        with engine.connect() as connection, bulk_load(connection, loaded):
            batches = prepared_batches(now, count, connection.dialect, hash_cost)
            if connection.dialect.name == "sqlite":
                # One transaction: with a commit per batch, every page of the primary keys that
                # a batch touched (at random places) went to the WAL and back into the file
                # again, most of a large seed's writing.
                with connection.begin():
                    for batch in batches:
                        batch.insert(connection)
            else:
                for batch in batches:
                    with connection.begin():
                        batch.insert(connection)

    if engine.dialect.name == "postgresql":
        # Fresh statistics, or the planner takes the bulk-loaded search tables for empty ones
        # until autovacuum comes by, and picks nested loops over thousands of rows. VACUUM too:
        # until the visibility map is set, an index-only scan of search_terms visits the table
        # for every row (two-word searches took three times as long). Outside a transaction.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in Batch().tables():
                connection.exec_driver_sql(f"VACUUM ANALYZE {table[0].name}")
    with engine.begin() as connection:
        connection.execute(schema.portal_meta.insert(), {"key": SEEDED_KEY, "value": f"{count}"})


def _seeded(connection: Connection) -> bool:
    query = select(schema.portal_meta.c.value).where(schema.portal_meta.c.key == SEEDED_KEY)
    return connection.execute(query).first() is not None


def generated_answers(engine: Engine, profile_id: str) -> list[str]:
    """The recovery answers of a seeded profile (a training caller or a generated one), in the
    order of its questions. For tests and trainees: only the demo data's answers can be known."""
    query = select(schema.profiles.c.recovery_number, schema.profiles.c.answer_language).where(
        schema.profiles.c.id == profile_id
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        raise LookupError(f"no profile {profile_id}")
    for caller in TRAINING_CALLERS:
        if caller.recovery_number == row.recovery_number:
            return list(caller.answers)
    return list(ANSWER_SETS[answer_set_index(profile_id, row.answer_language)].answers)
