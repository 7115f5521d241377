"""The screen kit: what a screen or widget may use of the app, and what every screen does alike.

``screens.app`` imports the screens; were the screens to import it back (even only for a type),
the two would form a circle. They import this module instead: ``ConsoleApp`` says which part of
the app they use, and ``ConsoleNode`` gives them ``self.helpdesk``, the app typed as that.
``screens.app`` checks that ``HelpdeskApp`` is a ``ConsoleApp``.

Every screen of the console, full or modal, is a ``ConsoleScreen``:

- ``translate()`` redraws it in the language F4 chose. By default the screen is composed again
  from its state, so a screen that writes nothing special still follows the language; a screen
  whose compose does not rebuild what it shows (typed input, loaded rows) overrides it.
- ``call_portal(awaitable, status=...)`` makes a portal call the same way everywhere: a portal
  that cannot be reached is said on the screen's status line (with its F5 to retry) or in a
  notification, any other refusal in the agent's words (``screens.errors``), an expired session
  goes back to sign-in; the screen gets ``None`` and need not catch anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from textual.binding import Binding

from helpdesk.api.errors import PortalError, PortalUnavailable
from screens.errors import retry_line
from screens.keymap import bound_key, key_name

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from textual.app import App
    from textual.widgets import Static
    from textual.worker import Worker

    from helpdesk.api.client import PortalClient
    from helpdesk.api.models import Agent, Session
    from helpdesk.call import CurrentCall
    from helpdesk.clock import Clock
    from helpdesk.credentials import KeyringUnavailable

T = TypeVar("T")


class ConsoleApp(Protocol):
    """The app as the screens and widgets see it.

    ``agent``, ``environment``, ``call_started_at``, ``language`` and ``portal_status`` are
    reactives: a screen may also watch them (``self.watch(self.app, "agent", ...)``).
    """

    @property
    def agent(self) -> Agent | None:
        """The agent signed in, ``None`` before sign-in."""

    @property
    def environment(self) -> str | None:
        """``demo``, ``training`` or ``production`` from the portal; ``None`` until it answers."""

    @property
    def call_started_at(self) -> datetime:
        """When the current call started."""

    @property
    def call(self) -> CurrentCall:
        """The call in progress (a new one after Ctrl+N, sign-out and the idle lock)."""

    @property
    def pending_unlock_requests(self) -> int | None:
        """Unlock requests waiting for a supervisor (``None`` for an agent, or until known)."""

    def unlock_requested(self, request_id: str) -> None:
        """The agent sent an unlock request: the app tells them when a supervisor decides."""

    def open_profile(self, profile_id: str) -> None:
        """Shows a caller's profile on the call screen (from the lockouts, the queue, the audit)."""

    def refresh_floor(self) -> None:
        """Asks the portal now for the queue's count and the agent's requests (``screens.floor``)."""

    @property
    def language(self) -> str:
        """The console's language, ``en`` or ``fr``."""

    @property
    def portal_status(self) -> str:
        """``connecting``, ``ready`` or ``unreachable`` (then ``portal_problem`` says why)."""

    @property
    def portal_url(self) -> str | None: ...

    @property
    def portal_problem(self) -> str: ...

    @property
    def keyring_problem(self) -> KeyringUnavailable | None:
        """Why "Remember me" cannot be offered (``None`` when the keyring is usable)."""

    @property
    def client(self) -> PortalClient:
        """The one portal client (``RuntimeError`` until ``connect`` has made it)."""

    @property
    def clock(self) -> Clock: ...

    @property
    def export_dir(self) -> Path:
        """Where the files an agent exports go (the audit's CSV): in the user's data dir."""

    @property
    def keymap(self) -> Mapping[str, str]:
        """The agent's ``[keymap]``: binding id → keys, normalised (empty: the default keys)."""

    def report_error(self, error: BaseException) -> None:
        """Shows any error in the agent's words (an expired token goes back to sign-in)."""

    def connect(self) -> Worker[None]:
        """(Again) makes the portal ready: the sign-in screen's retry."""

    def last_username(self) -> str | None: ...

    async def remember(self, session: Session) -> str | None:
        """Keeps the token in the keyring; returns why it could not, for the agent to read."""

    def signed_in(self, agent: Agent, *, returning: bool = False) -> None: ...


class _InTheApp(Protocol):
    @property
    def app(self) -> App[Any]: ...


class ConsoleNode:
    """Mixin for the console's screens and widgets: ``self.helpdesk`` is the app as a ``ConsoleApp``.

    Put it before the Textual base: ``class SearchScreen(ConsoleNode, Screen[None])``.
    """

    @property
    def helpdesk(self: _InTheApp) -> ConsoleApp:
        return cast("ConsoleApp", self.app)

    def on_unmount(self: _InTheApp) -> None:
        forget_app_watchers(self.app, self)

    def key_for(self: _InTheApp, binding_id: str) -> str:
        """The key of the console's binding ``binding_id`` as a message names it ("press U to
        unlock it"), the agent's ``[keymap]`` applied: a message must not name a key that no
        longer does it."""
        return _message_key(self.app, binding_id)


def _message_key(app: App[Any], binding_id: str) -> str:
    return key_name(bound_key(binding_id, cast("ConsoleApp", app).keymap))


def retry_key(node: _InTheApp) -> str:
    """The key of ``node``'s binding that tries again (F5 unless remapped)."""
    for owner in type(node).__mro__:
        for binding in Binding.make_bindings(vars(owner).get("BINDINGS", ())):
            if binding.key == "f5" and binding.id is not None:
                return _message_key(node.app, binding.id)
    return key_name("f5")


def forget_app_watchers(app: object, node: object) -> None:
    """Drops what ``node`` watches on the app (``self.watch(self.app, ...)``).

    Textual keeps a watcher until the reactive next changes, and the app's ``agent``, ``language``
    or ``environment`` may not change for a whole shift: every header and screen a call showed
    stayed alive through its watchers (two headers per profile opened, with their render caches:
    the console grew by about 0.2 MiB per call). Textual has no public way to stop watching; its
    watchers live in the watched object's ``__watchers``.
    """
    watchers: dict[str, list[tuple[object, object]]] = getattr(app, "__watchers", {})
    for watcher_list in watchers.values():
        watcher_list[:] = [
            (owner, callback) for owner, callback in watcher_list if owner is not node
        ]


class _AScreen(_InTheApp, Protocol):
    def refresh_bindings(self) -> None: ...

    def call_later(self, callback: Any, *args: Any) -> bool: ...

    async def recompose(self) -> None: ...


class ConsoleScreen(ConsoleNode):
    """Mixin for every screen of the console: ``class QueueScreen(ConsoleScreen, Screen[None])``."""

    def translate(self: _AScreen) -> None:
        """The language changed (the app calls this on every screen of every mode)."""
        self.refresh_bindings()
        self.call_later(self.recompose)

    async def call_portal(
        self: _InTheApp,
        call: Awaitable[T],
        *,
        status: Static | None = None,
        intent: str | None = None,
    ) -> T | None:
        """``await call``, or ``None`` when it failed, the failure already shown to the agent.

        ``intent``: the call carries that intent's Idempotency-Key (``app.call.idempotency_key``);
        once the portal has answered, accepted or refused, the intent is done, and the next try
        is a new one. Without an answer the key stays, so the agent's retry is a replay."""
        console = cast("ConsoleApp", self.app)
        try:
            answer = await call
        except PortalUnavailable as error:
            if status is None:
                console.report_error(error)
            else:
                status.update(retry_line(error, retry_key(self)))
                status.add_class("-error")
            return None
        except PortalError as error:
            if intent is not None:
                console.call.answered(intent)
            console.report_error(error)
            return None
        if intent is not None:
            console.call.answered(intent)
        if status is not None:
            status.remove_class("-error")
        return answer
