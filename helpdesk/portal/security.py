"""Secrets in the portal: how they are made, normalised, hashed and compared.

Recovery answers, remembered failed answer sets and passwords are kept only as argon2id hashes
(salted, slow). Bearer tokens and idempotency keys are 256-bit random values, so a plain SHA-256 is
enough to store them: nobody can brute-force the preimage. Access codes (about 59 random bits,
valid a day) are kept as an HMAC-SHA256 under the server secret, which the database never holds:
one indexed lookup finds a typed code, and a dump of the database gives nothing to search with.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@dataclass(frozen=True)
class HashCost:
    """argon2id's work factors for the hashes the portal makes. A hash carries its own, so checking
    one costs what it cost to make, whatever the portal's setting is now."""

    memory_cost: int  # KiB
    time_cost: int
    parallelism: int = 1


# OWASP's argon2id baseline (19 MiB, t=2, p=1): about 40 ms a hash here, slow enough against
# offline guessing, fast enough that a verification attempt (up to five hashes) stays interactive.
PRODUCTION_COST = HashCost(memory_cost=19456, time_cost=2, parallelism=1)

ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACCESS_CODE_LENGTH = 12
# Answers are joined with a character no normalised answer can contain, so ("ab", "c") and
# ("a", "bc") never hash alike.
_ANSWER_SEPARATOR = "\x1f"


@functools.cache
def _hasher(cost: HashCost) -> PasswordHasher:
    return PasswordHasher(
        memory_cost=cost.memory_cost, time_cost=cost.time_cost, parallelism=cost.parallelism
    )


def hash_secret(secret: str, cost: HashCost) -> str:
    return _hasher(cost).hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    try:
        # The parameters are read from the hash itself; the hasher's own play no part.
        return _hasher(PRODUCTION_COST).verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def normalise_answer(answer: str) -> str:
    """NFKC, case folded, accents removed, white space collapsed: `Français` = ` francais `."""
    text = unicodedata.normalize("NFKC", answer).casefold()
    without_accents = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return " ".join(unicodedata.normalize("NFKC", without_accents).split())


def answer_set_text(answers: Sequence[str]) -> str:
    """The one string an answer set is hashed as, after normalising each answer."""
    return _ANSWER_SEPARATOR.join(normalise_answer(a) for a in answers)


def hash_answer_set(answers: Sequence[str], cost: HashCost) -> str:
    return hash_secret(answer_set_text(answers), cost)


def verify_answer_set(stored_hash: str, answers: Sequence[str]) -> bool:
    return verify_secret(stored_hash, answer_set_text(answers))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    """SHA-256 hex of a high-entropy value (a token, an idempotency key): its storable form."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_access_code() -> str:
    """12 characters from the unambiguous alphabet, from the OS CSPRNG, undashed."""
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def access_code_digest(secret: bytes, code: str) -> str:
    """The stored form of an undashed access code: HMAC-SHA256 under the server secret, hex."""
    return hmac.new(secret, b"helpdesk access code\x1f" + code.encode(), hashlib.sha256).hexdigest()


def username_digest(secret: bytes, username: str) -> str:
    """How the sign-in throttle keeps a typed username: HMAC-SHA256 under the server secret, hex
    (a username field sometimes receives a password)."""
    return hmac.new(
        secret, b"helpdesk username\x1f" + username.encode(), hashlib.sha256
    ).hexdigest()


def format_access_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def parse_access_code(typed: str) -> str | None:
    """What a caller typed, as the undashed code, or None when it cannot be a code at all."""
    code = "".join(typed.split()).replace("-", "").upper()
    if len(code) != ACCESS_CODE_LENGTH or any(ch not in ACCESS_CODE_ALPHABET for ch in code):
        return None
    return code
