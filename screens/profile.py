"""The profile screen: everything the agent may see of one caller's profile, in tabs.

The portal decides what is masked: without the agent's live verification grant the contact details
and the user code arrive masked and are shown as they came. A one-second tick on ``app.clock`` keeps
the lock countdowns and the verified banner current; when the grant ends the profile is fetched
again, so it is masked again by the portal itself, not by hiding text here.

A lock shows above the tabs, whichever tab is open (the Summary tab is the one the agent sees
first), with its reason, its countdown and what to do; ``v`` on a locked profile says why
verification cannot start instead of opening a dialog the portal would refuse. On a locked profile
``u`` unlocks it (a supervisor) or asks a supervisor to (an agent): ``screens.unlocking``.

The verification grant belongs to the call (``app.call``), not to this screen: Ctrl+N or the idle
lock ends it with the call.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from helpdesk.api.errors import NotFound, PortalError, PortalUnavailable
from helpdesk.api.models import (
    AccessCode,
    AuditEvent,
    Profile,
    SignIn,
    UserCodeRecovery,
    VerificationResult,
)
from helpdesk.i18n import _, _l, format_datetime, format_time
from screens.base import ConsoleScreen
from screens.errors import retry_line
from screens.modals.confirm import ConfirmScreen
from screens.modals.one_time import AccessCodeScreen
from screens.recovery import recover_user_code_screen
from screens.unlocking import request_unlock, unlock
from screens.verify import VerifyScreen
from screens.widgets.countdown import (
    LockBanner,
    LockCountdown,
    VerifiedBanner,
    is_future,
    lock_next_step,
    time_left,
    unlock_binding,
)
from screens.widgets.footer import KeyFooter
from screens.widgets.header import HelpdeskHeader
from screens.widgets.labels import in_language, kind_label, notice_text
from screens.widgets.profile_views import (
    LicencesView,
    OrganisationView,
    SecurityView,
    SummaryView,
    codes_table,
    history_table,
    sign_ins_table,
)

TABS = ("summary", "security", "organisation", "licences", "history", "codes")
HISTORY_PAGE = 50


def tab_title(tab: str) -> str:
    titles = {
        "summary": _("Summary"),
        "security": _("Security"),
        "organisation": _("Organisation"),
        "licences": _("Licences"),
        "history": _("History"),
        "codes": _("Access codes"),
    }
    number = TABS.index(tab) + 1
    return f"{number} {titles[tab]}"


class ProfileScreen(ConsoleScreen, Screen[None]):
    CSS_PATH = "../styles/profile.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        # In the footer in this order: what the call needs most comes first.
        Binding("v", "verify", _l("Verify caller"), id="profile.verify"),
        # One key, the action of the agent's role (check_action offers one of them, when locked).
        Binding("u", "unlock", _l("Unlock"), id="profile.unlock"),
        Binding("u", "request_unlock", _l("Request unlock"), id="profile.request_unlock"),
        Binding("escape", "back", _l("Back to search"), id="profile.back"),
        Binding("f5", "reload", _l("Refresh"), id="profile.refresh"),
        Binding("1", "show_tab('summary')", _l("Summary tab"), show=False, id="profile.summary"),
        Binding("2", "show_tab('security')", _l("Security tab"), show=False, id="profile.security"),
        Binding(
            "3",
            "show_tab('organisation')",
            _l("Organisation tab"),
            show=False,
            id="profile.organisation",
        ),
        Binding("4", "show_tab('licences')", _l("Licences tab"), show=False, id="profile.licences"),
        Binding("5", "show_tab('history')", _l("History tab"), show=False, id="profile.history"),
        Binding("6", "show_tab('codes')", _l("Access codes tab"), show=False, id="profile.codes"),
        Binding("c", "issue_code", _l("Issue access code"), id="profile.issue_code"),
        Binding("x", "revoke_code", _l("Revoke code"), id="profile.revoke_code"),
        Binding("r", "recover_user_code", _l("User code forgotten"), id="profile.user_code"),
    ]

    def __init__(self, profile_id: str) -> None:
        super().__init__()
        self.profile_id = profile_id
        self.profile: Profile | None = None
        self._sign_ins: list[SignIn] | None = None
        self._history: list[AuditEvent] | None = None
        self._codes: list[AccessCode] | None = None
        # C pressed before the caller was verified: the code follows a successful verification.
        self._issue_after_verification = False
        # The grant and lock ends already acted upon, so a clock a little ahead of the portal's
        # cannot make the screen fetch the profile again every second.
        self._expired_grant: datetime | None = None
        self._passed_lock: datetime | None = None

    @property
    def grant_expires_at(self) -> datetime | None:
        """When this call's verification of the caller ends (``None``: not verified)."""
        return self.helpdesk.call.grant_expires_at(self.profile_id)

    @grant_expires_at.setter
    def grant_expires_at(self, until: datetime | None) -> None:
        if until is None:
            self.helpdesk.call.grant_ended(self.profile_id)
        else:
            self.helpdesk.call.verified(self.profile_id, until)

    def compose(self) -> ComposeResult:
        yield HelpdeskHeader()
        yield Static(id="profile-title", markup=False)
        yield VerifiedBanner(id="verified-banner", markup=False)
        yield LockBanner(id="lock-banner", markup=False)
        yield Static(_("Loading the profile…"), id="profile-state", markup=False)
        with TabbedContent(id="profile-tabs", initial="summary"):
            for tab in TABS:
                with TabPane(tab_title(tab), id=tab):
                    yield VerticalScroll(id=f"{tab}-body", classes="tab-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load_profile()

    @work(exclusive=True, exit_on_error=False, group="profile", description="load profile")
    async def _load_profile(self) -> None:
        state = self.query_one("#profile-state", Static)
        state.set_class(False, "-error")
        if self.profile is None:
            state.update(_("Loading the profile…"))
        try:
            profile = await self.helpdesk.client.profile(self.profile_id)
        except PortalUnavailable as error:
            state.set_class(True, "-error")
            state.update(retry_line(error, self.key_for("profile.refresh")))
            return
        except NotFound:
            state.set_class(True, "-error")
            state.update(
                _("This profile no longer exists. Press {key} to search again.").format(
                    key=self.key_for("profile.back")
                )
            )
            return
        except PortalError as error:
            self.helpdesk.report_error(error)
            return
        state.update("")
        self.profile = profile
        if profile.grant_expires_at != self._expired_grant:
            self.grant_expires_at = profile.grant_expires_at
        if not profile.masked and profile.grant_expires_at is None:
            # An unmasked profile without a grant time: trust the portal's masking, show no timer.
            self.grant_expires_at = None
        self._sign_ins = None
        self._history = None
        self._codes = None
        await self._render_profile()
        self._load_sign_ins()
        self._load_history()
        self._load_codes()

    @work(exclusive=True, exit_on_error=False, group="sign-ins", description="load sign-ins")
    async def _load_sign_ins(self) -> None:
        try:
            self._sign_ins = await self.helpdesk.client.sign_ins(self.profile_id)
        except PortalError as error:
            self._section_failed("#sign-ins-state", error)
            return
        await self._render_sign_ins()

    @work(exclusive=True, exit_on_error=False, group="history", description="load history")
    async def _load_history(self) -> None:
        try:
            page = await self.helpdesk.client.profile_audit(self.profile_id, limit=HISTORY_PAGE)
        except PortalError as error:
            self._section_failed("#history-state", error)
            return
        self._history = page.items
        await self._render_history()

    @work(exclusive=True, exit_on_error=False, group="codes", description="load access codes")
    async def _load_codes(self) -> None:
        try:
            self._codes = await self.helpdesk.client.access_codes(self.profile_id)
        except PortalError as error:
            self._section_failed("#codes-state", error)
            return
        await self._render_codes()

    def _section_failed(self, selector: str, error: PortalError) -> None:
        if isinstance(error, PortalUnavailable):
            self.query_one(selector, Static).update(
                retry_line(error, self.key_for("profile.refresh"))
            )
        else:
            self.query_one(selector, Static).update(_("Could not be loaded."))
            self.helpdesk.report_error(error)

    # --- rendering ----------------------------------------------------------------------------

    async def _render_profile(self) -> None:
        profile = self.profile
        if profile is None:
            return
        now = self.helpdesk.clock.now()
        self.query_one("#profile-title", Static).update(
            _("{name} · {kind} · recovery number {recovery_number}").format(
                name=profile.display_name,
                kind=kind_label(profile.kind),
                recovery_number=profile.recovery_number,
            )
        )
        self.set_class(profile.masked, "-masked")
        views = {
            "summary": SummaryView(
                profile, locked=self._locked(now), verify_key=self.key_for("profile.verify")
            ),
            "security": SecurityView(profile, now),
            "organisation": OrganisationView(profile),
            "licences": LicencesView(profile),
            "history": Static(_("Loading history…"), id="history-state", classes="note"),
            "codes": Static(_("Loading access codes…"), id="codes-state", classes="note"),
        }
        for tab, view in views.items():
            body = self.query_one(f"#{tab}-body", VerticalScroll)
            await body.remove_children()
            await body.mount(view)
        self.refresh_bindings()  # Unlock / Request unlock follow the lock
        self.tick()

    async def _render_sign_ins(self) -> None:
        sign_ins = self._sign_ins
        if sign_ins is None or not self.query("#sign-ins-state"):
            return
        state = self.query_one("#sign-ins-state", Static)
        await self.query("#sign-ins-table").remove()
        if not sign_ins:
            state.update(_("No sign-in on record."))
            return
        state.update("")
        await state.parent.mount(sign_ins_table(sign_ins), after=state)  # type: ignore[union-attr]

    async def _render_history(self) -> None:
        events = self._history
        if events is None or not self.query("#history-state"):
            return
        state = self.query_one("#history-state", Static)
        await self.query("#history-table").remove()
        if not events:
            state.update(_("No event on record for this profile."))
            return
        state.update(_("Newest first."))
        await state.parent.mount(history_table(events), after=state)  # type: ignore[union-attr]

    async def _render_codes(self) -> None:
        codes = self._codes
        if codes is None or not self.query("#codes-state"):
            return
        state = self.query_one("#codes-state", Static)
        await self.query("#codes-table").remove()
        explain = _(
            "A DFO access code lets the caller attach a new sign-in credential to this profile. "
            "{issue} issues one to a verified caller; {revoke} revokes the selected code."
        ).format(
            issue=self.key_for("profile.issue_code"), revoke=self.key_for("profile.revoke_code")
        )
        if not codes:
            state.update(_("No access code was ever issued for this profile.") + "\n" + explain)
            return
        state.update(explain)
        await state.parent.mount(codes_table(codes), after=state)  # type: ignore[union-attr]

    def translate(self) -> None:
        """The language changed (the app calls this): rebuild every text from the data."""
        self.call_later(self._translate)

    async def _translate(self) -> None:
        tabs = self.query_one(TabbedContent)
        for tab in TABS:
            tabs.get_tab(tab).label = tab_title(tab)
        await self._render_profile()
        await self._render_sign_ins()
        await self._render_history()
        await self._render_codes()

    # --- the clock ----------------------------------------------------------------------------

    def tick(self) -> None:
        """Every second: the countdowns follow ``app.clock``; a grant or lock that ended reloads."""
        now = self.helpdesk.clock.now()
        grant = self.grant_expires_at
        self.query_one(VerifiedBanner).show(grant, now)
        if grant is not None and not is_future(grant, now):
            self.grant_expires_at = None
            self._expired_grant = grant
            self.notify(
                _("The verification has ended: the profile is masked again."), severity="warning"
            )
            self.reload()
            return
        profile = self.profile
        if profile is None:
            return
        locked_until = profile.security.locked_until
        for countdown in self.query(LockCountdown):
            countdown.show(locked_until, now)
        agent = self.helpdesk.agent
        self.query_one(LockBanner).show(
            locked_until,
            profile.security.lock_reason,
            agent.role if agent is not None else None,
            now,
        )
        if (
            locked_until is not None
            and not is_future(locked_until, now)
            and locked_until != self._passed_lock
        ):
            self._passed_lock = locked_until
            self.refresh_bindings()
            self.reload()

    # --- actions ------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()  # Revoke code is offered on the Access codes tab

    def _locked(self, now: datetime) -> bool:
        return self.profile is not None and is_future(self.profile.security.locked_until, now)

    def what_would_be_lost(self) -> str | None:
        """The app asks before quitting or signing out (``screens.modals.confirm``)."""
        grant = self.grant_expires_at
        if self.profile is None or not is_future(grant, self.helpdesk.clock.now()):
            return None
        return _(
            "{name} is verified: leaving ends the verification, and the caller would have to "
            "answer the recovery questions again."
        ).format(name=self.profile.display_name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "revoke_code":
            tabs = self.query(TabbedContent)
            return bool(tabs) and tabs.first().active == "codes"
        if action in ("unlock", "request_unlock"):
            agent = self.helpdesk.agent
            if agent is None or not self._locked(self.helpdesk.clock.now()):
                return False
            return (agent.role == "supervisor") == (action == "unlock")
        return True

    def action_unlock(self) -> None:
        profile = self.profile
        if profile is not None:
            unlock(
                self.app,
                profile.id,
                profile.display_name,
                profile.security.locked_until,
                lambda _result: self.reload(),
            )

    def action_request_unlock(self) -> None:
        profile = self.profile
        if profile is not None:
            request_unlock(self.app, profile.id, profile.display_name)

    def action_verify(self) -> None:
        profile = self.profile
        if profile is None:
            return
        now = self.helpdesk.clock.now()
        locked_until = profile.security.locked_until
        if locked_until is not None and is_future(locked_until, now):
            agent = self.helpdesk.agent
            locked = _("The profile is locked until {time} (in {duration}).").format(
                time=format_time(locked_until), duration=time_left(locked_until, now)
            )
            role = agent.role if agent is not None else None
            next_step = lock_next_step(locked_until, role, self.key_for(unlock_binding(role)))
            self.notify(
                f"{locked}\n{next_step}",
                title=_("Verification cannot start"),
                severity="warning",
                timeout=10,
            )
            return
        if is_future(self.grant_expires_at, now):
            assert self.grant_expires_at is not None
            self.notify(
                _("The caller is already verified, until {time}.").format(
                    time=format_time(self.grant_expires_at, ends_sentence=True)
                )
            )
            return
        self.app.push_screen(
            VerifyScreen(
                profile.id,
                profile.display_name,
                locked_until=profile.security.locked_until,
            ),
            self._verification_done,
        )

    def _verification_done(self, result: VerificationResult | None) -> None:
        issue_next, self._issue_after_verification = self._issue_after_verification, False
        if result is not None and result.verified:
            self.grant_expires_at = result.grant_expires_at
            self._expired_grant = None
            self.notify(_("Caller verified."), severity="information")
            self.tick()
            if issue_next:
                self.action_issue_code()
        # Whatever happened (verified, failed, locked) the profile and its history changed.
        self.reload()

    # --- DFO access codes ---------------------------------------------------------------------

    def action_issue_code(self) -> None:
        """A code for a verified caller (the portal refuses it otherwise); for one not verified
        yet, the verification first, then the code."""
        profile = self.profile
        if profile is None:
            return
        if not is_future(self.grant_expires_at, self.helpdesk.clock.now()):
            self.notify(
                _("A code is issued only to a verified caller: verify the caller first."),
                title=_("Verification first"),
                severity="warning",
            )
            self._issue_after_verification = True
            self.action_verify()
            return
        active = [code for code in self._codes or [] if code.status == "active"]
        if not active:
            self._issue_code()
            return
        self.app.push_screen(
            ConfirmScreen(
                _("Issue a new access code?"),
                _(
                    "The code issued on {moment} stops working: the caller must use the new one."
                ).format(moment=format_datetime(active[0].issued_at)),
                go_ahead=_("Issue a new code"),
                keep=_("Go back"),
                id="confirm-new-code",
            ),
            self._new_code_confirmed,
        )

    def _new_code_confirmed(self, go: bool | None) -> None:
        if go:
            self._issue_code()

    @work(exclusive=True, exit_on_error=False, group="issue-code", description="issue code")
    async def _issue_code(self) -> None:
        # The code lives in this coroutine and in the read-out dialog only: the worker returns
        # nothing, so no worker result keeps it.
        profile = self.profile
        if profile is None:
            return
        intent = f"issue-code:{profile.id}"
        key = self.helpdesk.call.idempotency_key(intent)
        issued = await self.call_portal(
            self.helpdesk.client.issue_access_code(profile.id, key), intent=intent
        )
        if issued is None:
            return
        notice = (
            notice_text(issued.notice)
            + " "
            + _("The notice is {language}.").format(
                language=in_language(profile.preferred_language)
            )
        )
        self.app.push_screen(
            AccessCodeScreen(issued, profile.display_name, notice), lambda _: self.reload()
        )
        del issued

    def action_recover_user_code(self) -> None:
        """Self-service steps for individual and joint accounts, a recovery case for the others."""
        if self.profile is not None:
            self.app.push_screen(recover_user_code_screen(self.profile), self._recovery_done)

    def _recovery_done(self, case: UserCodeRecovery | None) -> None:
        if case is not None:
            self.reload()  # the notice and the case are in the profile's history now

    def action_revoke_code(self) -> None:
        code = self._selected_code()
        if code is None:
            self.notify(_("Open the Access codes tab (6) and choose the code to revoke."))
            return
        if code.status != "active":
            self.notify(_("Only an active code can be revoked."), severity="warning")
            return
        self.app.push_screen(
            ConfirmScreen(
                _("Revoke this access code?"),
                _("The code issued on {moment} by {agent} stops working at once.").format(
                    moment=format_datetime(code.issued_at), agent=code.issued_by
                ),
                go_ahead=_("Revoke"),
                keep=_("Go back"),
                id="confirm-revoke-code",
            ),
            partial(self._revoke_confirmed, code.id),
        )

    def _revoke_confirmed(self, code_id: str, go: bool | None) -> None:
        if go:
            self._revoke(code_id)

    def _selected_code(self) -> AccessCode | None:
        tables = self.query("#codes-table")
        if self.query_one(TabbedContent).active != "codes" or not tables:
            return None
        table = tables.first(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((code for code in self._codes or [] if code.id == key), None)

    @work(exclusive=True, exit_on_error=False, group="revoke-code", description="revoke code")
    async def _revoke(self, code_id: str) -> None:
        async def revoke() -> bool:
            await self.helpdesk.client.revoke_access_code(self.profile_id, code_id)
            return True

        if await self.call_portal(revoke()):
            self.notify(_("The access code is revoked."))
            self._load_codes()
