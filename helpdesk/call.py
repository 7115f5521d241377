"""The call in progress: what the console holds about one caller, and only for as long as the call.

``CurrentCall`` lives on the app. Ctrl+N (a new call), signing out and the idle lock replace it
with a fresh one, so nothing of a caller (their verification, an action half done) outlives the
call it belongs to.

An *intent* is one thing the agent set out to do ("unlock this profile", "issue a code"): it keeps
one Idempotency-Key across retries until the portal has answered, so a retry after a lost answer
is the same call to the portal, never a second unlock or a second code.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class CurrentCall:
    started_at: datetime
    _grants: dict[str, datetime] = field(default_factory=dict)
    _intents: dict[str, str] = field(default_factory=dict)

    def verified(self, profile_id: str, until: datetime) -> None:
        """The portal granted verified access to ``profile_id`` until ``until``."""
        self._grants[profile_id] = until

    def grant_expires_at(self, profile_id: str) -> datetime | None:
        """When this call's verification of ``profile_id`` ends (it may have ended already)."""
        return self._grants.get(profile_id)

    def grant_ended(self, profile_id: str) -> None:
        self._grants.pop(profile_id, None)

    def idempotency_key(self, intent: str) -> str:
        """The key of ``intent`` (e.g. ``"unlock:<profile id>"``): the same on every retry."""
        return self._intents.setdefault(intent, str(uuid.uuid4()))

    def answered(self, intent: str) -> None:
        """The portal answered ``intent`` (accepted or refused): a new attempt is a new intent."""
        self._intents.pop(intent, None)
