"""Unlocking a caller's profile: a supervisor unlocks, an agent asks a supervisor to.

Both start from the profile screen or the lockouts screen and go through the reason dialog
(``screens.modals.reason``): the portal requires a reason and keeps it in the audit trail. Both
carry the call's Idempotency-Key for the intent, so a retry after a lost answer is one unlock, one
request. The intent includes the words typed (``worded_intent``): the same reason sent again is a
replay, an edited one is another call (the portal refuses a key reused with another body, and the
answer then says what happened to the first). The portal decides who may do what; the console
only offers each role its own action.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from textual.app import App

from helpdesk.api.errors import Conflict
from helpdesk.api.models import UnlockRequest, UnlockResult
from helpdesk.i18n import _, format_time
from screens.base import ConsoleApp
from screens.modals.reason import ReasonScreen
from screens.widgets.labels import notice_text


def worded_intent(action: str, subject: str, words: str) -> str:
    """The intent of ``action`` on ``subject`` with these words: sent again unchanged, the same
    Idempotency-Key (a replay); edited, another one."""
    return f"{action}:{subject}:{hashlib.sha256(words.encode()).hexdigest()[:16]}"


def key_reused(error: Conflict) -> bool:
    """The portal's refusal of the Idempotency-Key itself, not of the action: said as any
    refusal (``worded_intent`` makes it rare)."""
    return error.details.get("reason") == "idempotency_key_reused"


@dataclass(frozen=True)
class NoLongerLocked:
    """The portal found nothing to unlock: the lock ended, or someone unlocked it first."""


def _no_longer_locked(app: App[Any], name: str) -> None:
    app.notify(
        _("{name} is no longer locked: the lock ended, or someone unlocked it first.").format(
            name=name
        ),
        severity="warning",
        timeout=10,
        markup=False,
    )


def unlock(
    app: App[Any],
    profile_id: str,
    name: str,
    locked_until: datetime | None,
    done: Callable[[UnlockResult | None], object],
) -> None:
    """A supervisor's unlock: the dialog, the call, then ``done`` with the portal's answer
    (``None``: there was nothing to unlock any more, the screen should show it)."""
    console = cast("ConsoleApp", app)

    async def unlock_once(reason: str, intent: str) -> UnlockResult | NoLongerLocked:
        key = console.call.idempotency_key(intent)
        try:
            return await console.client.unlock(profile_id, reason, key)
        except Conflict as error:
            if key_reused(error):
                raise
            console.call.answered(intent)
            return NoLongerLocked()  # the portal's other refusal of a supervisor's unlock

    async def send(
        dialog: ReasonScreen[UnlockResult | NoLongerLocked], reason: str
    ) -> UnlockResult | NoLongerLocked | None:
        intent = worded_intent("unlock", profile_id, reason)
        return await dialog.call_portal(
            unlock_once(reason, intent), status=dialog.problem, intent=intent
        )

    def answered(result: UnlockResult | NoLongerLocked | None) -> None:
        if isinstance(result, NoLongerLocked):
            _no_longer_locked(app, name)
            done(None)
        elif result is not None:
            app.notify(
                _("{name} is unlocked.").format(name=name) + "\n" + notice_text(result.notice),
                title=_("Unlocked"),
                timeout=10,
                markup=False,
            )
            done(result)

    def details() -> str:
        until = (
            _("It is locked until {time}.").format(
                time=format_time(locked_until, ends_sentence=True)
            )
            if locked_until is not None
            else _("It is locked.")
        )
        return (
            until
            + " "
            + _("Unlocking lets the caller be verified again now; the account holder is told.")
        )

    app.push_screen(
        ReasonScreen(
            lambda: _("Unlock {name}?").format(name=name),
            details,
            go_ahead=lambda: _("Unlock"),
            label=lambda: _("Reason (kept in the audit trail)"),
            unsent=lambda: _unsent(name),
            send=send,
            id="unlock-reason",
        ),
        answered,
    )


def _unsent(name: str) -> str:
    return _("The reason typed to unlock {name} has not been sent yet.").format(name=name)


@dataclass(frozen=True)
class Requested:
    """The portal's answer to an agent's request: ``request`` is new, or was waiting already
    (``already``: the portal keeps one request a profile, perhaps another agent's)."""

    request: UnlockRequest
    already: bool


def request_unlock(app: App[Any], profile_id: str, name: str) -> None:
    """An agent's request to the supervisors; the app tells the agent when one of them decides."""
    console = cast("ConsoleApp", app)

    async def ask(reason: str, intent: str) -> Requested | NoLongerLocked:
        key = console.call.idempotency_key(intent)
        try:
            return Requested(await console.client.request_unlock(profile_id, reason, key), False)
        except Conflict as error:
            if key_reused(error):
                raise
            console.call.answered(intent)
            waiting = error.details.get("request_id")
            if not isinstance(waiting, str):
                return NoLongerLocked()  # the portal's other refusal
            return Requested(await console.client.unlock_request(waiting), True)

    async def send(
        dialog: ReasonScreen[Requested | NoLongerLocked], reason: str
    ) -> Requested | NoLongerLocked | None:
        intent = worded_intent("unlock-request", profile_id, reason)
        return await dialog.call_portal(ask(reason, intent), status=dialog.problem, intent=intent)

    def answered(answer: Requested | NoLongerLocked | None) -> None:
        if answer is None:
            return
        if isinstance(answer, NoLongerLocked):
            _no_longer_locked(app, name)
            _show_unlocked(app, profile_id)
            return
        request = answer.request
        console.unlock_requested(request.id)
        if not answer.already:
            app.notify(
                _("Sent to the supervisors. You will be told here when one of them decides."),
                title=_("Unlock requested"),
                timeout=10,
                markup=False,
            )
            return
        app.notify(
            _(
                "{agent} already asked at {time}: “{reason}”. You will be told here when a "
                "supervisor decides."
            ).format(
                agent=request.requested_by,
                time=format_time(request.requested_at),
                reason=request.reason,
            ),
            title=_("A request to unlock {name} is already waiting").format(name=name),
            timeout=10,
            markup=False,
        )

    app.push_screen(
        ReasonScreen(
            lambda: _("Ask a supervisor to unlock {name}?").format(name=name),
            lambda: _("A supervisor sees your request in their queue, with your reason."),
            go_ahead=lambda: _("Send the request"),
            label=lambda: _("Reason (the supervisor reads it; kept in the audit trail)"),
            unsent=lambda: _unsent(name),
            send=send,
            id="unlock-request-reason",
        ),
        answered,
    )


def _show_unlocked(app: App[Any], profile_id: str) -> None:
    """The screens under the dialog that show the lock (the profile, the lockouts) fetch it again."""
    from screens.lockouts import LockoutsScreen

    for screen in app.screen_stack:
        reload = getattr(screen, "reload", None)
        shows_it = getattr(screen, "profile_id", None) == profile_id
        if callable(reload) and (shows_it or isinstance(screen, LockoutsScreen)):
            reload()
