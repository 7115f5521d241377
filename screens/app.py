"""HelpdeskApp: wiring only. Screens do the work; the app holds the session and the call.

Public interface (the screens never import this module: they see the part they use as
``screens.base.ConsoleApp``):

- ``app.client`` (``PortalClient``), ``app.clock`` (``Clock``), ``app.settings``, ``app.credentials``
- ``app.agent`` (``Agent | None``), ``app.environment`` (``"demo" | "training" | "production" | None``)
- ``app.call`` (``helpdesk.call.CurrentCall``): the call in progress, its start, its verification
  grants and the Idempotency-Keys of its actions; ``app.call_started_at`` is its start
- ``app.report_error(error)``: shows any error in the agent's words; an expired token sends the agent
  to sign-in and then back to the screen they were on
- ``app.action_new_call()``: forgets the previous caller (a fresh call, a fresh ``SearchScreen``)
- ``app.open_profile(profile_id)``: shows a profile on the call (from the lockouts, queue, audit)
- a screen that holds something the agent would lose (answers typed, a verified caller) says what in
  ``what_would_be_lost() -> str | None``: Ctrl+Q and Ctrl+O ask first (``screens.modals.confirm``)

Navigation is by Textual's modes (``screens.modes``), each with its own stack of screens. Only the
``call`` mode holds a caller's details: opening a profile from another mode opens it there. Signing
out, a new agent and the idle lock start every mode again from its first screen.

The floor (``screens.floor``) keeps a supervisor's count of pending unlock requests and tells an
agent when a supervisor decided one of theirs. After ``idle_lock_minutes`` without a key or a
click the console signs out, forgetting the call, and asks for the password again.

A worker that fails (``@work(exclusive=True, exit_on_error=False)``) ends in ``report_error`` through
``on_worker_state_changed``: screens need not catch portal errors they have nothing to add to.

Start-up is light: the sign-in screen paints first; the portal (embedded child or remote), the HTTP
client and the keyring are made ready by the ``connect`` worker afterwards.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from helpdesk.api.errors import PortalError, PortalFault, PortalUnavailable, Unauthenticated
from helpdesk.call import CurrentCall
from helpdesk.clock import Clock, SystemClock
from helpdesk.config import Settings
from helpdesk.credentials import CredentialStore, KeyringUnavailable
from helpdesk.i18n import _, _l, current_language, ngettext, set_language
from screens import textual_fixes
from screens.commands import HelpdeskCommands
from screens.errors import describe_error, keyring_message
from screens.floor import POLL_SECONDS, Floor
from screens.keymap import bound_key, check_keymap, key_name, normalise
from screens.modes import MODES, SUPERVISOR_MODES, ModeNavigation
from screens.widgets.header import HelpdeskHeader

textual_fixes.apply()

if TYPE_CHECKING:
    from helpdesk.api.client import PortalClient
    from helpdesk.api.models import Agent, Session
    from screens.base import ConsoleApp

log = logging.getLogger(__name__)

STYLES = Path(__file__).resolve().parent.parent / "styles"
# Every screen's stylesheet, read by the app. Textual reparses the whole stylesheet (every
# widget's default CSS too, ~50 ms) whenever a screen brings a file it has not read yet: the first
# profile, the first verification, the first F1... each paid it while the agent waited. Read by the
# app, a screen's own CSS_PATH is already known and nothing is parsed again. The sign-in screen's
# are read at start; the others once its first frame is painted (``_read_later_stylesheets``), as
# none of their rules reaches the sign-in screen. Files that share rules' targets keep the order a
# screen lists them in (lists before cases and audit).
STYLESHEETS_AT_START = 2
STYLESHEETS = (
    "app.tcss",
    "sign_in.tcss",
    "search.tcss",
    "profile.tcss",
    "verify.tcss",
    "recovery.tcss",
    "lists.tcss",
    "cases.tcss",
    "audit.tcss",
    "help.tcss",
    "modals.tcss",
)

ClientFactory = Callable[[str], "PortalClient"]
PortalLocator = Callable[[], str]
"""Blocking: returns the portal's base URL, starting the embedded portal first when needed."""


# What the idle lock counts as the agent at the console (a reason pasted in is typing too).
AGENT_INPUT = (
    events.Key,
    events.Paste,
    events.MouseDown,
    events.MouseScrollDown,
    events.MouseScrollUp,
)


def _default_client_factory(settings: Settings) -> ClientFactory:
    def make(url: str) -> PortalClient:
        from helpdesk.api.client import PortalClient

        return PortalClient(url, verify=settings.tls_verify)

    return make


# The footer shows the app's keys in the order of BINDINGS, after the screen's own, and an 80-column
# terminal has room for the first few only: Textual's own ctrl+q would come first, so its bindings
# are not inherited.
class HelpdeskApp(ModeNavigation, inherit_bindings=False):
    TITLE = "helpdesk"
    CSS_PATH: ClassVar = [STYLES / name for name in STYLESHEETS[:STYLESHEETS_AT_START]]
    COMMANDS: ClassVar = {HelpdeskCommands}
    ENABLE_COMMAND_PALETTE = True
    MODES: ClassVar = MODES
    DEFAULT_MODE: ClassVar[str] = "sign_in"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", _l("Help"), id="help", priority=True),
        Binding("ctrl+n", "new_call", _l("New call"), id="new_call", priority=True),
        # The screens of the floor, before the rarer keys: the footer keeps what fits.
        Binding("f6", "go('call')", _l("Call"), id="mode.call"),
        Binding("f7", "go('lockouts')", _l("Lockouts"), id="mode.lockouts"),
        Binding("f8", "go('queue')", _l("Unlock requests"), id="mode.queue"),
        Binding("f9", "go('audit')", _l("Audit"), id="mode.audit"),
        Binding("f3", "go('cases')", _l("Recovery cases"), id="mode.cases"),
        Binding("ctrl+o", "sign_out", _l("Sign out"), id="sign_out"),
        Binding("ctrl+q", "quit", _l("Quit"), id="quit", priority=True),
        Binding("f4", "switch_language", _l("Français"), id="switch_language"),
        Binding(
            "ctrl+p",
            "command_palette",
            _l("Commands"),
            id="command_palette",
            priority=True,
            show=False,  # the footer shows the palette's key at its right end
        ),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    agent: reactive[Agent | None] = reactive(None, init=False)
    environment: reactive[str | None] = reactive(None, init=False)
    call: reactive[CurrentCall] = reactive(
        lambda: CurrentCall(datetime.min), init=False, always_update=True
    )
    pending_unlock_requests: reactive[int | None] = reactive(None, init=False)
    """Unlock requests waiting for a supervisor (``None`` for an agent, or until known)."""
    portal_status: reactive[str] = reactive("connecting", init=False)
    """``connecting``, ``ready`` or ``unreachable`` (then ``portal_problem`` says why)."""
    language: reactive[str] = reactive("en", init=False)

    def __init__(
        self,
        *,
        settings: Settings,
        credentials: CredentialStore,
        clock: Clock | None = None,
        client: PortalClient | None = None,
        client_factory: ClientFactory | None = None,
        locate_portal: PortalLocator | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.credentials = credentials
        self.clock: Clock = clock or SystemClock()
        self._client: PortalClient | None = client
        self._client_factory = client_factory or _default_client_factory(settings)
        if locate_portal is None:
            url = client.base_url if client is not None else settings.portal_url
            if url is None:
                raise ValueError("no portal URL: pass locate_portal to start the embedded portal")
            locate_portal = lambda: url  # noqa: E731
        self._locate_portal = locate_portal
        self.portal_url: str | None = client.base_url if client is not None else None
        self.portal_problem: str = ""
        self.keyring_problem: KeyringUnavailable | None = None
        """Why "Remember me" cannot be offered (``None`` when the keyring is usable)."""
        self.portal_version: str | None = None
        set_language(settings.language)
        self.set_reactive(HelpdeskApp.language, settings.language)
        self.set_reactive(HelpdeskApp.call, CurrentCall(self.clock.now()))
        self._last_input = self.clock.now()
        self.floor = Floor(self)
        self.keymap: Mapping[str, str] = {}
        if settings.keymap:
            self._apply_keymap(settings.keymap)

    def _apply_keymap(self, keymap: Mapping[str, str]) -> None:
        """The agent's keys (checked by ``build_app``): the footer, F1, the palette and the
        messages that name a key follow."""
        self.set_keymap(keymap)
        self.keymap = {binding_id: normalise(keys) for binding_id, keys in keymap.items()}
        if "command_palette" in keymap:
            # The footer finds the palette's key at its right end by this key, not by the id.
            palette_key = normalise(keymap["command_palette"]).split(",")[0]
            self.COMMAND_PALETTE_BINDING = palette_key  # type: ignore[misc]  # this app's only

    # --- the public interface ---------------------------------------------------------------

    @property
    def client(self) -> PortalClient:
        if self._client is None:
            raise RuntimeError("the portal client is not ready yet")
        return self._client

    @property
    def export_dir(self) -> Path:
        return self.settings.paths.data_dir / "exports"

    @property
    def call_started_at(self) -> datetime:
        return self.call.started_at

    def report_error(self, error: BaseException) -> None:
        if isinstance(error, Unauthenticated) and self.agent is not None:
            self._session_expired()
            return
        if not isinstance(error, PortalUnavailable):
            log.warning("action failed: %s: %s", type(error).__name__, error)
        if isinstance(error, PortalFault):
            title = _("Portal problem")
        elif isinstance(error, PortalUnavailable):
            title = _("Portal unreachable")
        else:
            title = _("Error")
        self.notify(
            describe_error(error),
            title=title,
            severity="error",
            timeout=8,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_call", "sign_out"):
            return self.agent is not None  # hidden until someone signs in
        if action == "go":
            return self._may_enter(str(parameters[0]))
        return True

    def _may_enter(self, mode: str) -> bool:
        """The console mirrors the portal's roles: an agent is not offered a supervisor's screen."""
        from screens.sign_in import SignInScreen

        agent = self.agent
        if agent is None or isinstance(self.screen, SignInScreen) or mode == self.current_mode:
            return False
        return mode not in SUPERVISOR_MODES or agent.role == "supervisor"

    def watch_agent(self) -> None:
        self.refresh_bindings()
        self.floor.agent_changed(self.agent)

    def action_new_call(self) -> None:
        if self.agent is None:
            return
        self.call = CurrentCall(self.clock.now())
        self.run_worker(self._restart_call(), group="navigation", exclusive=True)

    def action_go(self, mode: str) -> None:
        if self._may_enter(mode):
            self.switch_mode(mode)

    def open_profile(self, profile_id: str) -> None:
        """On the call, over whatever the call shows: Escape comes back to it."""
        from screens.profile import ProfileScreen

        if self.current_mode != "call":
            self.switch_mode("call")
        self.push_screen(ProfileScreen(profile_id))

    def unlock_requested(self, request_id: str) -> None:
        self.floor.watch_request(request_id)

    def refresh_floor(self) -> None:
        self.floor.poll()

    # --- start-up ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._give_header)
        self._give_header(self.screen)  # the sign-in mode's screen came before the subscription
        self.set_interval(1.0, self._lock_when_idle)
        self.set_interval(POLL_SECONDS, self.floor.poll)

    def on_ready(self) -> None:
        # The heavy work (portal child, HTTP client and its models, keyring) starts once the
        # sign-in screen is on the terminal, so it never delays the first paint.
        self.call_after_refresh(self.connect)
        self.call_after_refresh(self._read_later_stylesheets)

    def _read_later_stylesheets(self) -> None:
        """The other screens' stylesheets (``STYLESHEETS``), parsed now rather than on each one's
        first visit; only these files are parsed, what was parsed at start is reused."""
        for name in STYLESHEETS[STYLESHEETS_AT_START:]:
            self.stylesheet.read(STYLES / name)
        self.stylesheet.parse()

    def _give_header(self, screen: Screen[object]) -> None:
        """Every full screen shows the header, whoever wrote it."""
        if isinstance(screen, ModalScreen) or screen.query(HelpdeskHeader):
            return
        screen.mount(HelpdeskHeader(), before=0 if screen.children else None)

    @work(exclusive=True, exit_on_error=False, group="connect")
    async def connect(self) -> None:
        """Makes the portal, the HTTP client and the keyring ready; signs in a remembered agent."""
        self.portal_status = "connecting"
        try:
            if self._client is None:
                url = await asyncio.to_thread(self._locate_portal)
                # Off the UI loop: the factory imports httpx and the wire models.
                self._client = await asyncio.to_thread(self._client_factory, url)
            self.portal_url = self._client.base_url
            health = await self._client.health()
        except PortalError as exc:
            self.portal_problem = describe_error(exc)
            log.warning("portal not ready: %s", exc)
            self.portal_status = "unreachable"
            return
        except Exception as exc:  # the embedded portal did not start
            self.portal_problem = _("The portal could not be started: {error}").format(
                error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            )
            log.warning("portal not started: %s", exc)
            self.portal_status = "unreachable"
            return
        self.environment = health.environment
        self.portal_version = health.version
        self.keyring_problem = await asyncio.to_thread(lambda: self.credentials.unavailable)
        remembered = await asyncio.to_thread(
            self.credentials.remembered, self.portal_url, self.clock.now()
        )
        self._freeze_start_up()
        if remembered is not None:
            self._client.token = remembered.token
            try:
                agent = await self._client.me()
            except Unauthenticated:
                self._client.token = None
                await asyncio.to_thread(
                    self.credentials.forget, self.portal_url, remembered.username
                )
            except Exception as exc:
                self._client.token = None
                log.warning("remembered session not checked: %s", exc)
            else:
                self.portal_status = "ready"
                self.signed_in(agent)
                return
        self.portal_status = "ready"

    @staticmethod
    def _freeze_start_up() -> None:
        """What start-up made (modules, stylesheet, HTTP client) lives as long as the console.
        Frozen, no full garbage collection walks it again: each one, every second or two while
        the agent types, paused the console 120–250 ms, 25–80 ms after this. Called before any
        call's screen exists, so nothing of a call is frozen (its screens must be collectable)."""
        gc.collect()  # garbage of start-up is freed, not frozen for good
        gc.freeze()

    def last_username(self) -> str | None:
        if self.portal_url is None:
            return None
        return self.credentials.last_username(self.portal_url)

    # --- the session --------------------------------------------------------------------------

    async def remember(self, session: Session) -> str | None:
        """Keeps the token in the keyring; returns why it could not, for the agent to read."""
        assert self.portal_url is not None
        try:
            await asyncio.to_thread(
                self.credentials.remember,
                self.portal_url,
                session.agent.username,
                session.token,
                session.expires_at,
            )
        except KeyringUnavailable as exc:
            self.keyring_problem = exc
            return keyring_message(exc)
        return None

    def signed_in(self, agent: Agent, *, returning: bool = False) -> None:
        """After sign-in: back to the screen the agent was on, or a new call on the search screen."""
        previous = self.agent
        self.agent = agent
        self._last_input = self.clock.now()
        if self.portal_url is not None:
            self.credentials.signed_in(self.portal_url, agent.username)
        if returning and previous is not None and previous.username == agent.username:
            self.pop_screen()
            return
        self.call = CurrentCall(self.clock.now())
        self.run_worker(self._restart("call"), group="navigation", exclusive=True)

    def _session_expired(self) -> None:
        from screens.sign_in import SignInScreen

        if isinstance(self.screen, SignInScreen):
            return
        if self._client is not None:
            self._client.token = None
        if self.agent is not None and self.portal_url is not None:
            self.credentials.forget(self.portal_url, self.agent.username)
        self.notify(_("Your session has expired. Sign in again to continue."), severity="warning")
        self.push_screen(SignInScreen(returning=True))

    # --- leaving: quit and sign out ----------------------------------------------------------

    async def action_quit(self) -> None:
        """Quits, after asking when something of the call would be lost (Ctrl+Q again while it
        asks quits at once)."""
        from screens.modals.confirm import ConfirmScreen, ask_before_losing

        if isinstance(self.screen, ConfirmScreen) and self.screen.id == "confirm-quit":
            self.exit()
            return
        ask_before_losing(
            self,
            self.every_screen(),
            _("Quit the console?"),
            _("Quit"),
            self.exit,
            id="confirm-quit",
        )

    def action_sign_out(self) -> None:
        from screens.modals.confirm import ask_before_losing

        if self.agent is not None:
            ask_before_losing(
                self,
                self.every_screen(),
                _("Sign out?"),
                _("Sign out"),
                self._sign_out,
                id="confirm-sign-out",
            )

    @work(exclusive=True, exit_on_error=False, group="session")
    async def _sign_out(self, why: str | None = None) -> None:
        """Ends the session on the portal and here, and forgets every screen: ``why`` says on the
        sign-in screen why it happened when the agent did not ask for it."""
        from screens.sign_in import SignInScreen

        agent = self.agent
        try:
            if self._client is not None and self._client.token:
                await self._client.sign_out()
        except Exception as exc:  # the local sign-out happens anyway
            log.warning("sign-out on the portal failed: %s", exc)
        if self._client is not None:
            self._client.token = None
        if agent is not None and self.portal_url is not None:
            await asyncio.to_thread(self.credentials.forget, self.portal_url, agent.username)
        self.agent = None
        self.call = CurrentCall(self.clock.now())
        await self._restart("sign_in")
        if why is None:
            self.notify(_("Signed out."))
        elif isinstance(self.screen, SignInScreen):
            self.screen.explain(why)

    def _lock_when_idle(self) -> None:
        """Every second: after ``idle_lock_minutes`` without a key or a click, sign out."""
        idle = self.clock.now() - self._last_input
        if self.agent is None or idle.total_seconds() < self.settings.idle_lock_minutes * 60:
            return
        self._last_input = self.clock.now()
        log.info("idle for %s: signing out", idle)
        minutes = self.settings.idle_lock_minutes
        self._sign_out(
            ngettext(
                "The console locked itself after {minutes} minute without activity, and forgot "
                "the call. Type your password to go on.",
                "The console locked itself after {minutes} minutes without activity, and forgot "
                "the call. Type your password to go on.",
                minutes,
            ).format(minutes=minutes)
        )

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, AGENT_INPUT):
            self._last_input = self.clock.now()
        await super().on_event(event)

    # --- screens ------------------------------------------------------------------------------

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_switch_language(self) -> None:
        from screens.base import ConsoleScreen

        language = "en" if current_language() == "fr" else "fr"
        set_language(language)
        self.language = language
        for screen in self.every_screen():
            screen.refresh_bindings()
            if isinstance(screen, ConsoleScreen):
                screen.translate()

    def action_command_palette(self) -> None:
        # Textual's own palette speaks English only.
        from textual.command import CommandPalette

        from screens.commands import HelpdeskCommandPalette

        open_already = any(isinstance(screen, CommandPalette) for screen in self.screen_stack)
        if self.use_command_palette and not open_already:
            self.push_screen(HelpdeskCommandPalette(id="--command-palette"))

    def action_help_quit(self) -> None:
        quit_key = key_name(bound_key("quit", self.keymap))
        self.notify(_("Press {key} to quit.").format(key=quit_key), title=_("Do you want to quit?"))

    # --- workers ------------------------------------------------------------------------------

    @on(Worker.StateChanged)
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()


if TYPE_CHECKING:

    def _gives_the_screens_what_they_use(app: HelpdeskApp) -> ConsoleApp:
        return app  # mypy checks here that HelpdeskApp is a ConsoleApp (screens/base.py)


def build_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    credentials: CredentialStore | None = None,
    client: PortalClient | None = None,
    client_factory: ClientFactory | None = None,
    locate_portal: PortalLocator | None = None,
) -> HelpdeskApp:
    """The one factory of the app, used by the CLI and by the tests.

    A keymap it cannot apply is a ``ConfigError`` that says why, before anything starts."""
    check_keymap(settings.keymap, settings.paths.config_file)
    return HelpdeskApp(
        settings=settings,
        credentials=credentials or CredentialStore(settings.paths.state_file),
        clock=clock,
        client=client,
        client_factory=client_factory,
        locate_portal=locate_portal,
    )
