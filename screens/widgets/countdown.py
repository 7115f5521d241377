"""Moments ahead of the agent, told as a wall-clock time and the time left: a profile's lock
("unlocks at 14:32 — in 12 minutes") and a verification grant; and what to do about a lock.

The widgets never read a clock themselves: their screen passes ``now`` from ``app.clock`` on its
one-second tick, so a test moves a ManualClock and the text follows.
"""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Static

from helpdesk.i18n import _, format_duration, format_time
from screens.base import ConsoleNode
from screens.widgets.labels import lock_reason_label


def time_left(until: datetime, now: datetime) -> str:
    """How long until ``until``, in words: whole minutes, seconds only in the last minute."""
    seconds = (until - now).total_seconds()
    return format_duration(seconds, granularity="minute" if seconds >= 60 else "second")


def is_future(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment > now


def unlock_binding(role: str | None) -> str:
    """The id of the binding that does something about a lock, for the agent's role."""
    return "profile.unlock" if role == "supervisor" else "profile.request_unlock"


def lock_next_step(locked_until: datetime | None, role: str | None, key: str) -> str:
    """What the agent can do about a lock, in one sentence: ``key`` is their role's action's
    (``unlock_binding``)."""
    if locked_until is None:
        if role == "supervisor":
            return _("The profile is locked: press {key} to unlock it, with a reason.").format(
                key=key
            )
        return _("The profile is locked: press {key} to ask a supervisor to unlock it.").format(
            key=key
        )
    again_at = format_time(locked_until, ends_sentence=True)
    if role == "supervisor":
        return _(
            "What next: press {key} to unlock it, with a reason, or the caller can try again at "
            "{time}."
        ).format(key=key, time=again_at)
    return _(
        "What next: press {key} to ask a supervisor to unlock it, or the caller can try again at "
        "{time}."
    ).format(key=key, time=again_at)


class LockCountdown(Static):
    """The lock state of a profile, counting down to the unlock."""

    def show(self, locked_until: datetime | None, now: datetime) -> None:
        locked = is_future(locked_until, now)
        self.set_class(locked, "-locked")
        if locked_until is None or not locked:
            self.update(_("Not locked"))
            return
        self.update(
            _("Locked — unlocks at {time} — in {duration}").format(
                time=format_time(locked_until), duration=time_left(locked_until, now)
            )
        )


class VerifiedBanner(Static):
    """Shown while the agent holds a verification grant for the profile on screen."""

    def show(self, grant_expires_at: datetime | None, now: datetime) -> None:
        active = is_future(grant_expires_at, now)
        self.set_class(active, "-active")
        if grant_expires_at is None or not active:
            self.update("")
            return
        self.update(
            _("✔ Caller verified — full details until {time} (in {duration})").format(
                time=format_time(grant_expires_at), duration=time_left(grant_expires_at, now)
            )
        )


class LockBanner(ConsoleNode, Static):
    """A locked profile's lock, above every tab: until when, why, and what the agent can do."""

    def show(
        self,
        locked_until: datetime | None,
        reason: str | None,
        role: str | None,
        now: datetime,
    ) -> None:
        locked = is_future(locked_until, now)
        self.set_class(locked, "-locked")
        if locked_until is None or not locked:
            self.update("")
            return
        lock = _("Locked until {time} (in {duration}).").format(
            time=format_time(locked_until), duration=time_left(locked_until, now)
        )
        why = lock_reason_label(reason)
        if why:
            lock = _("{lock} Reason: {reason}.").format(lock=lock, reason=why)
        cannot = _("The caller cannot be verified until then.")
        next_step = lock_next_step(locked_until, role, self.key_for(unlock_binding(role)))
        self.update(f"{lock}\n{cannot} {next_step}")
