"""The header every full screen shows: environment, agent, role, the time on the current call, and
for a supervisor how many unlock requests wait.

The environment (DEMO / TRAINING / PRODUCTION, from the portal's ``/healthz``) colours the whole bar,
so an agent can never mistake the training portal for production. Until the portal has said which
it is, the badge says whether the console is still connecting or has given up (then the screen
says why). The call timer ticks from the app's clock, so tests that move a ``ManualClock`` see it
move.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from helpdesk.i18n import _, format_elapsed, format_time, ngettext
from screens.base import ConsoleNode
from screens.floor import COUNT_LIMIT

ENVIRONMENT_CLASSES = ("-demo", "-training", "-production", "-unknown")


def environment_label(environment: str | None, portal_status: str) -> str:
    if environment == "demo":
        return _("DEMO")
    if environment == "training":
        return _("TRAINING")
    if environment == "production":
        return _("PRODUCTION")
    if portal_status == "unreachable":
        return _("NO PORTAL")
    return _("CONNECTING…")


def role_label(role: str) -> str:
    if role == "supervisor":
        return _("Supervisor")
    return _("Agent")


class HelpdeskHeader(ConsoleNode, Widget):
    """Docked at the top (``styles/app.tcss``); the app mounts one on any screen that lacks it."""

    def compose(self) -> ComposeResult:
        yield Static(id="header-environment")
        yield Static(id="header-agent")
        yield Static(id="header-queue")
        yield Static(id="header-call")
        yield Static(id="header-clock")

    def on_mount(self) -> None:
        app = self.app  # watch() wants the DOM node, not the ConsoleApp view of it
        self.watch(app, "environment", self._refresh_all, init=False)
        self.watch(app, "agent", self._refresh_all, init=False)
        self.watch(app, "call", self._refresh_all, init=False)
        self.watch(app, "pending_unlock_requests", self._refresh_all, init=False)
        self.watch(app, "language", self._refresh_all, init=False)
        self.watch(app, "portal_status", self._refresh_all, init=False)
        self._refresh_all()
        self.set_interval(1.0, self.refresh_call)

    def _refresh_all(self, _value: object = None) -> None:
        app = self.helpdesk
        environment = app.environment
        for name in ENVIRONMENT_CLASSES:
            self.remove_class(name)
        self.add_class(f"-{environment}" if environment else "-unknown")
        badge = environment_label(environment, app.portal_status)
        self.query_one("#header-environment", Static).update(f" {badge} ")
        agent = app.agent
        text = (
            _("{name} ({username}) · {role}").format(
                name=agent.display_name, username=agent.username, role=role_label(agent.role)
            )
            if agent
            else _("Not signed in")
        )
        self.query_one("#header-agent", Static).update(text)
        waiting = app.pending_unlock_requests
        queue = self.query_one("#header-queue", Static)
        queue.display = bool(waiting)
        if waiting:
            shown = f"{COUNT_LIMIT}+" if waiting > COUNT_LIMIT else str(waiting)
            queue.update(
                ngettext("{count} unlock request", "{count} unlock requests", waiting).format(
                    count=shown
                )
            )
        self.refresh_call()

    def refresh_call(self) -> None:
        app = self.helpdesk
        now = app.clock.now()
        call = self.query_one("#header-call", Static)
        if app.agent is None:
            call.update("")
        else:
            elapsed = (now - app.call_started_at).total_seconds()
            call.update(_("On call {elapsed}").format(elapsed=format_elapsed(elapsed)))
        self.query_one("#header-clock", Static).update(format_time(now))
