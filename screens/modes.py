"""Navigation by Textual's modes: each mode keeps its own stack of screens, so a supervisor who
switches finds each screen where they left it.

``sign_in``; ``call`` (search, profile, verification) and ``lockouts`` and ``cases`` for everyone
signed in; ``queue`` (unlock requests) and ``audit`` for supervisors only (the portal refuses them to
agents anyway). ``ModeNavigation`` starts modes again from their first screen (a new call, a
sign-out, the idle lock) and lists the screens of every mode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.app import App
from textual.screen import Screen


def _sign_in_screen() -> Screen[Any]:
    from screens.sign_in import SignInScreen

    return SignInScreen()


def _search_screen() -> Screen[Any]:
    from screens.search import SearchScreen

    return SearchScreen()


def _lockouts_screen() -> Screen[Any]:
    from screens.lockouts import LockoutsScreen

    return LockoutsScreen()


def _queue_screen() -> Screen[Any]:
    from screens.queue import QueueScreen

    return QueueScreen()


def _audit_screen() -> Screen[Any]:
    from screens.audit import AuditScreen

    return AuditScreen()


def _cases_screen() -> Screen[Any]:
    from screens.cases import CasesScreen

    return CasesScreen()


# Each mode's first screen, made anew whenever the mode starts again.
FIRST_SCREENS: dict[str, Callable[[], Screen[Any]]] = {
    "sign_in": _sign_in_screen,
    "call": _search_screen,
    "lockouts": _lockouts_screen,
    "queue": _queue_screen,
    "audit": _audit_screen,
    "cases": _cases_screen,
}
SUPERVISOR_MODES = frozenset({"queue", "audit"})
BLANK_MODE = "blank"
MODES: dict[str, str | Callable[[], Screen[Any]]] = {**FIRST_SCREENS, BLANK_MODE: Screen}


class ModeNavigation(App[None]):
    """The part of the app that moves between modes and starts them again."""

    async def _restart_call(self) -> None:
        """A new call: the call mode shows a fresh search screen, nothing of the last caller."""
        await self._restart("call", forget=("call",))

    async def _restart(self, mode: str, forget: Iterable[str] = FIRST_SCREENS) -> None:
        """Forgets every screen of the modes ``forget`` (a caller's details, a supervisor's
        place), then shows ``mode`` from a new first screen."""
        with self.batch_update():
            if self.current_mode in forget:
                # Textual can neither remove the mode shown nor replace a mode's first screen:
                # the blank mode stands in while the others start again.
                await self.switch_mode(BLANK_MODE)
            for other in forget:
                await self.remove_mode(other)
                self.add_mode(other, FIRST_SCREENS[other])
            await self.switch_mode(mode)

    def every_screen(self) -> list[Screen[Any]]:
        """The screens of every mode, not only of the one shown."""
        # Textual keeps the other modes' stacks privately; nothing public lists them.
        return [screen for stack in self._screen_stacks.values() for screen in stack]
