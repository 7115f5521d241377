"""The reference portal's tables (SQLAlchemy Core), portable between SQLite and PostgreSQL.

Times are stored as naive UTC and come back aware (``UTCDateTime``). Search reads only the
``*_norm`` / ``search_terms`` / ``phone_numbers`` columns, each indexed so that a prefix query is
an index range scan, never a table scan.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, whatever the database keeps."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the portal's storage")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _key(length: int) -> String:
    """A search key compared bytewise: on PostgreSQL the "C" collation, so a prefix range is an
    index range (SQLite's default BINARY collation already is)."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")  # type: ignore[return-value]


SCHEMA_VERSION = 5
"""The version of these tables, kept in ``portal_meta`` (``schema_version``) of every database the
portal makes. Raise it with every change a database made earlier would not have; docs/API.md says
how to bring such a database up to date. 1: before versions were kept (one permit description);
2: permit descriptions in English and French; 3: indexes for paged lists and audit filters;
4: access codes kept as a keyed hash (no locator, no argon2 hash); 5: failed sign-ins, for their
throttle."""
SCHEMA_VERSION_KEY = "schema_version"
SEEDED_KEY = "seeded"
"""Written by the demo seed once it has finished: the database holds demo data only."""

metadata = MetaData()

agents = Table(
    "agents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(20), nullable=False),  # agent | supervisor
    Column("password_hash", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("agent_id", String(40), ForeignKey("agents.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
)

profiles = Table(
    "profiles",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(20), nullable=False),  # individual | joint | non_personal
    Column("subtype", String(20)),  # non_personal only
    Column("recovery_number", _key(8), nullable=False, unique=True),
    Column("user_code", _key(20), nullable=False, unique=True),
    Column("display_name", String(300), nullable=False),
    # The DFO personal details of the first holder (or, for a non-personal account, its contact).
    Column("title", String(20)),
    Column("given_names", String(200)),
    Column("preferred_name", String(100)),
    Column("surname", String(200)),
    Column("suffix", String(20)),
    Column("preferred_language", String(2), nullable=False),
    Column("email", String(320)),
    Column("email_norm", _key(320)),  # casefolded, unaccented: prefix search
    Column("postal_address", Text),  # lines separated by "\n"
    Column("city", String(100)),
    Column("province", String(2)),
    Column("phone", String(40)),
    Column("fax", String(40)),
    Column("mobile", String(40)),
    Column("organisation_name", String(300)),
    Column("two_step_enrolled", Boolean, nullable=False, default=False),
    Column("two_step_method", String(30)),
    # Caller verification: question keys from the portal's catalogue, one argon2id hash of the
    # normalised answer set, the language the answers were given in.
    Column("question_keys", JSON, nullable=False),
    Column("answers_hash", String(200), nullable=False),
    Column("answer_language", String(2), nullable=False),
    # The one failed-attempt counter shared with self-service recovery, and the lock it leads to.
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_at", UTCDateTime),
    Column("locked_until", UTCDateTime),
    Column("lock_reason", String(30)),  # verification_failures | sign_in_failures
    Column("last_failure_source", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_profiles_email_norm", "email_norm"),
    # The lockouts' pages: soonest unlock first, the id breaking ties, a range from a cursor on.
    Index("ix_profiles_locked_until_id", "locked_until", "id"),
)

holders = Table(
    "holders",
    metadata,
    Column("profile_id", String(40), ForeignKey("profiles.id"), primary_key=True),
    Column("position", Integer, primary_key=True),  # 1, and 2 for a joint account
    Column("title", String(20)),
    Column("given_names", String(200), nullable=False),
    Column("preferred_name", String(100)),
    Column("surname", String(200), nullable=False),
    Column("suffix", String(20)),
)

# One row per normalised word a profile can be found by: holder and representative names
# ("name") and each word of the organisation name ("org"). (term, profile_id) is the search index.
search_terms = Table(
    "search_terms",
    metadata,
    Column("term", _key(200), nullable=False),
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False),
    Column("field", String(10), nullable=False),  # name | org
    Index("ix_search_terms_term_profile", "term", "profile_id"),
    # A multi-word query walks the first index for one word and checks the others per profile:
    # (profile_id, term) makes that check one index seek instead of a scan of the profile's terms.
    Index("ix_search_terms_profile_term", "profile_id", "term"),
)

# Digits of each phone, fax and mobile number, forwards and reversed (for "its last digits").
phone_numbers = Table(
    "phone_numbers",
    metadata,
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False),
    Column("digits", _key(20), nullable=False),
    Column("digits_reversed", _key(20), nullable=False),
    Index("ix_phone_numbers_digits", "digits"),
    Index("ix_phone_numbers_reversed", "digits_reversed"),
    Index("ix_phone_numbers_profile", "profile_id"),
)

representatives = Table(
    "representatives",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("role", String(100), nullable=False),
)

credentials = Table(
    "credentials",
    metadata,
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False, index=True),
    Column("type", String(20), nullable=False),  # gckey | sign_in_partner | user_code
    Column("linked_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
)

permits = Table(
    "permits",
    metadata,
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False, index=True),
    Column("number", String(40), nullable=False),
    # In both official languages, as the licensing system issues them.
    Column("description_en", String(200), nullable=False),
    Column("description_fr", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=False),
)

vessels = Table(
    "vessels",
    metadata,
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("registration_number", String(40), nullable=False),
    Column("length_m", Float, nullable=False),
)

notifications = Table(
    "notifications",
    metadata,
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False, index=True),
    Column("text", String(500), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("read", Boolean, nullable=False, default=False),
)

sign_ins = Table(
    "sign_ins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("outcome", String(20), nullable=False),  # success | failed | locked
    Column("credential", String(20), nullable=False),
    Column("source", String(200), nullable=False),
    Index("ix_sign_ins_profile_at", "profile_id", "at"),
)

# The last few failed answer sets of a profile, as argon2id hashes, to recognise a repeat.
failed_answer_sets = Table(
    "failed_answer_sets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("answers_hash", String(200), nullable=False),
)

grants = Table(
    "grants",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("session_id", String(40), ForeignKey("sessions.id"), nullable=False),
    Column("agent_id", String(40), ForeignKey("agents.id"), nullable=False),
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False),
    Column("granted_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_grants_agent_profile", "agent_id", "profile_id"),
    Index("ix_grants_session", "session_id"),
    # A lock ends every grant on its profile.
    Index("ix_grants_profile", "profile_id"),
)

unlock_requests = Table(
    "unlock_requests",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False, index=True),
    Column("status", String(20), nullable=False),  # pending | approved | denied
    Column("reason", String(500), nullable=False),
    Column("requested_by", String(100), nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("decided_by", String(100)),
    Column("decided_at", UTCDateTime),
    Column("note", String(500)),
    # The requests' pages, oldest first, with a status or without.
    Index("ix_unlock_requests_status_requested", "status", "requested_at", "id"),
    Index("ix_unlock_requests_requested", "requested_at", "id"),
)

access_codes = Table(
    "access_codes",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False, index=True),
    # HMAC-SHA256 of the undashed code under the server secret (security.access_code_digest):
    # a redemption finds its code in one index lookup, and nothing of a code is kept in clear.
    # Null for the codes of a database from before schema version 4 (all revoked by the upgrade).
    Column("code_digest", String(64)),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("issued_by", String(100), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("status", String(20), nullable=False),  # active | redeemed | revoked (expired: computed)
    Column("ended_at", UTCDateTime),
    Index("ix_access_codes_code_digest", "code_digest", unique=True),
)

redemption_failures = Table(
    "redemption_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_address", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_redemption_failures_client_at", "client_address", "at"),
)

# One row per failed sign-in, for the throttle per username and per client address. The username
# is kept only as an HMAC under the server secret: what someone typed there may be a password.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username_digest", String(64), nullable=False),
    Column("client_address", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_sign_in_failures_username_at", "username_digest", "at"),
    Index("ix_sign_in_failures_client_at", "client_address", "at"),
)

user_code_recoveries = Table(
    "user_code_recoveries",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("case_number", String(20), nullable=False, unique=True),
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False, index=True),
    Column("caller_name", String(200), nullable=False),
    Column("representative_id", String(40), ForeignKey("representatives.id"), nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("delivery", String(10), nullable=False),  # email | mail
    Column("note", String(500)),
    Column("status", String(20), nullable=False),
    Column("opened_by", String(100), nullable=False),
    Column("opened_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_user_code_recoveries_status", "status"),
)

# The outbox: what the portal would mail to the account holder. The reference portal never sends.
notices = Table(
    "notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("profile_id", String(40), ForeignKey("profiles.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("channel", String(10), nullable=False),  # email | mail
    Column("to_address", Text, nullable=False),
    Column("to_masked", String(320), nullable=False),
    Column("language", String(2), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Index("ix_notices_profile_at", "profile_id", "at"),
)

audit_events = Table(
    "audit_events",
    metadata,
    # Sequential: among events of the same instant, the later call is the newer.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("role", String(20)),
    Column("action", String(60), nullable=False),
    Column("profile_id", String(40)),
    Column("outcome", String(10), nullable=False),  # ok | failed | refused
    Column("reason", String(500)),
    Column("request_id", String(40), nullable=False),
    # Pages are newest first by (at, seq). Each filter's index ends in the same two columns, so
    # a filter, a time window and a cursor make one index range, read in order.
    Index("ix_audit_at_seq", "at", "seq"),
    Index("ix_audit_profile_at", "profile_id", "at", "seq"),
    Index("ix_audit_actor_at", "actor", "at", "seq"),
    Index("ix_audit_action_at", "action", "at", "seq"),
    Index("ix_audit_outcome_at", "outcome", "at", "seq"),
)

# Replays of state-changing POSTs. The key is kept only as a SHA-256; the first response is kept
# encrypted with a key derived from the Idempotency-Key itself, so a stored token or access code
# is unreadable without the key the client holds.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("actor", String(100), nullable=False),
    Column("method_path", String(300), nullable=False),
    Column("body_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response_sealed", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# Metadata about the database itself: its schema version, whether it was seeded with demo data.
portal_meta = Table(
    "portal_meta",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", String(200), nullable=False),
)
