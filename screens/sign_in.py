"""Sign-in: username, password, "Remember me". Errors inline; demo credentials in the demo environment.

The screen paints at once; it follows ``app.portal_status`` while the app connects in the
background, and offers a retry (Enter, or the button) when the portal cannot be reached.

With ``returning=True`` it is the expired-token flow: pushed over the screen the agent was on, and
dismissed back to it once signed in again.

The username last used on this portal is filled in and the cursor waits in Password, so most
agents type only their password. One who types the username anyway, out of habit, types it into
Password: Tab or Enter then takes it back (the box empties, the cursor stays) instead of moving on
or sending it to the portal as a password, so "username, Tab, password, Enter" signs in too.

Tab and Enter in the two fields take effect in order with the keys typed around them, also when
they all arrive at once (typed ahead while the console starts). Textual acts on a field's Tab or
Enter only once the key has bubbled up to the app, by when the keys typed after it have already
gone to the same field: "agent", Tab, "demo-pass-agent" made the password "agentdemo-pass-agent".
Here the screen's priority bindings see each key as it arrives: Tab from Username moves the cursor
at once; what depends on a field's text waits, in that field's queue, for the keys typed before it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, Static

from helpdesk.api.errors import PortalUnavailable, Unauthenticated
from helpdesk.i18n import _, _l
from screens.base import ConsoleScreen
from screens.errors import describe_error, keyring_message
from screens.widgets.footer import KeyFooter
from screens.widgets.header import HelpdeskHeader

STYLES = "../styles/sign_in.tcss"


class SignInScreen(ConsoleScreen, Screen[None]):
    CSS_PATH = STYLES
    AUTO_FOCUS = "#username"
    # Below this height the full form would push the errors and the demo credentials off the
    # screen: ``-short`` (styles/sign_in.tcss) draws it without borders and spacing.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (38, "-tall")]  # noqa: RUF012 (Screen types it so)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "retry", _l("Retry connection"), id="sign_in.retry"),
        # Tab and Enter do what they do anywhere, in order with the keys typed around them.
        Binding("tab", "field_tab", show=False, priority=True),
        Binding("enter", "field_enter", show=False, priority=True),
    ]

    def __init__(self, *, returning: bool = False) -> None:
        super().__init__()
        self.returning = returning
        self._busy = False
        self._showing_portal_problem = False
        # The username this screen filled in (the last one used on this portal).
        self._filled_username: str | None = None

    def compose(self) -> ComposeResult:
        yield HelpdeskHeader()
        with Vertical(id="sign-in-box"):
            yield Static(id="sign-in-title")
            yield Static(id="sign-in-portal")
            yield Label(id="username-label")
            yield Input(id="username", max_length=100)
            yield Label(id="password-label")
            yield Input(id="password", password=True, max_length=200)
            yield Checkbox(id="remember")
            yield Static(id="keyring-problem", classes="-hidden")
            yield Button(id="sign-in", variant="primary")
            yield Static(id="sign-in-error", classes="-hidden")
            yield Static(id="demo-credentials", classes="-hidden")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.translate()
        self.watch(self.app, "portal_status", self._portal_status_changed)

    def translate(self) -> None:
        """Sets every text in the current language (called again when the language changes)."""
        self.query_one("#sign-in-title", Static).update(
            _("Your session has expired: sign in again")
            if self.returning
            else _("Sign in to the helpdesk console")
        )
        self.query_one("#username-label", Label).update(_("Username"))
        self.query_one("#password-label", Label).update(_("Password"))
        self.query_one("#remember", Checkbox).label = _("Remember me on this computer")
        self.query_one("#sign-in", Button).label = _("Sign in")
        self.query_one("#demo-credentials", Static).update(
            _(
                "Demo environment — demo data only, no real callers.\n"
                "Agent: agent / demo-pass-agent\n"
                "Supervisor: supervisor / demo-pass-supervisor"
            )
        )
        self._portal_status_changed(self.helpdesk.portal_status)

    # --- portal status ----------------------------------------------------------------------

    def _portal_status_changed(self, status: str) -> None:
        app = self.helpdesk
        self.refresh_bindings()
        portal = self.query_one("#sign-in-portal", Static)
        if status == "connecting":
            portal.update(_("Connecting to the portal…"))
        elif status == "unreachable":
            portal.update(_("Portal: {url}").format(url=app.portal_url or "—"))
            again = _("Press {key} or Enter to try again.").format(
                key=self.key_for("sign_in.retry")
            )
            self._show_error(app.portal_problem + "\n" + again)
            self._showing_portal_problem = True
        else:
            portal.update(_("Portal: {url}").format(url=app.portal_url or "—"))
            username = self.query_one("#username", Input)
            last = app.last_username()
            if last and not username.value:
                username.value = last
                self._filled_username = last
                if username.has_focus:
                    # The agent only has the password left to type.
                    self.query_one("#password", Input).focus()
            if self._showing_portal_problem:
                self._clear_error()
        self.query_one("#demo-credentials").set_class(app.environment != "demo", "-hidden")
        problem = app.keyring_problem
        remember = self.query_one("#remember", Checkbox)
        note = self.query_one("#keyring-problem", Static)
        if problem is not None:
            remember.value = False
            remember.disabled = True
            note.update(keyring_message(problem))
            note.remove_class("-hidden")
        else:
            remember.disabled = False
            note.add_class("-hidden")
        self.query_one("#sign-in", Button).disabled = status != "ready"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.helpdesk.portal_status == "unreachable"
        return True

    def action_retry(self) -> None:
        if self.helpdesk.portal_status == "unreachable":
            self._clear_error()
            self.helpdesk.connect()

    # --- signing in -------------------------------------------------------------------------

    def action_field_tab(self) -> None:
        username = self.query_one("#username", Input)
        password = self.query_one("#password", Input)
        if self.focused is username:
            self.set_focus(password)  # now, so the keys typed after Tab go to Password
        elif self.focused is password:
            password.call_later(self._tab_from_password)  # once what was typed before is in
        else:
            raise SkipAction()  # the checkbox and the button: as anywhere

    def _tab_from_password(self) -> None:
        if not self.take_back_retyped_username():
            self.focus_next()

    def action_field_enter(self) -> None:
        username = self.query_one("#username", Input)
        password = self.query_one("#password", Input)
        if self.focused is username and not password.value:
            self.set_focus(password)
        elif self.focused is username or self.focused is password:
            self.focused.call_later(self._submit)  # once what was typed before is in
        else:
            raise SkipAction()

    def take_back_retyped_username(self) -> bool:
        """When Password holds the username this screen filled in, the agent typed it again: it is
        cleared and the cursor stays, ready for the password. Says whether it was."""
        filled = self._filled_username
        password = self.query_one("#password", Input)
        if (
            filled is None
            or self.query_one("#username", Input).value != filled
            or password.value.strip().casefold() != filled.casefold()
        ):
            return False
        password.clear()
        password.focus()
        return True

    @on(Button.Pressed, "#sign-in")
    def _submit(self) -> None:
        if self.take_back_retyped_username():
            return  # never sent: the portal would audit it as a wrong password for this agent
        app = self.helpdesk
        if app.portal_status == "unreachable":
            self.action_retry()
            return
        if app.portal_status != "ready" or self._busy:
            return
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not username:
            self._show_error(_("Enter your username."))
            self.query_one("#username", Input).focus()
            return
        if not password:
            self._show_error(_("Enter your password."))
            self.query_one("#password", Input).focus()
            return
        self._sign_in(username, password, self.query_one("#remember", Checkbox).value)

    @work(exclusive=True, exit_on_error=False, group="sign-in")
    async def _sign_in(self, username: str, password: str, remember: bool) -> None:
        app = self.helpdesk
        self._busy = True
        button = self.query_one("#sign-in", Button)
        button.disabled = True
        button.label = _("Signing in…")
        try:
            session = await app.client.sign_in(username, password)
        except Unauthenticated:
            self._show_error(_("Wrong username or password."))
            password_input = self.query_one("#password", Input)
            password_input.clear()
            password_input.focus()
            return
        except PortalUnavailable as exc:
            self._show_error(describe_error(exc) + "\n" + _("Press Enter to try again."))
            return
        except Exception as exc:
            self._show_error(describe_error(exc))
            return
        finally:
            self._busy = False
            button.label = _("Sign in")
            button.disabled = app.portal_status != "ready"
        self.query_one("#password", Input).clear()
        if remember:
            problem = await app.remember(session)
            if problem:
                self.app.notify(problem, severity="warning", timeout=10)
        app.signed_in(session.agent, returning=self.returning)

    def explain(self, why: str) -> None:
        """Says why the agent is here without having asked (the idle lock signed them out)."""
        self._show_error(why)

    def _show_error(self, message: str) -> None:
        error = self.query_one("#sign-in-error", Static)
        error.update(message)
        error.remove_class("-hidden")

    def _clear_error(self) -> None:
        self._showing_portal_problem = False
        error = self.query_one("#sign-in-error", Static)
        error.update("")
        error.add_class("-hidden")
