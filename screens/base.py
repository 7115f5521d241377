"""What a screen or widget may use of the app, so that none of them imports ``screens.app``.

``screens.app`` imports the screens; were the screens to import it back (even only for a type),
the two would form a circle. They import this module instead: ``ConsoleApp`` says which part of
the app they use, and ``ConsoleNode`` gives them ``self.helpdesk``, the app typed as that.
``screens.app`` checks that ``HelpdeskApp`` is a ``ConsoleApp``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from datetime import datetime

    from textual.app import App
    from textual.worker import Worker

    from helpdesk.api.client import PortalClient
    from helpdesk.api.models import Agent, Session
    from helpdesk.clock import Clock
    from helpdesk.credentials import KeyringUnavailable


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
