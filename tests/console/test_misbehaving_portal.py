"""The console against a portal that misbehaves on the wire (issue 11): down at start, dying
mid-call, hanging past the timeout, answering 5xx, a body that is not JSON or is cut short, a 401
for a session that ended, a 429 with Retry-After.

A real HTTP server on loopback (``tests.console.faulty_portal``) stands between the console and the
real portal and misbehaves by rule. In every case: nothing of a traceback reaches the screen, the
agent reads what happened and what to do, what was typed is kept, and the retry (or signing in
again) continues where the agent was."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input, Static

from helpdesk.api.client import GET_ATTEMPTS, PortalClient
from helpdesk.config import Paths, Settings
from helpdesk.credentials import CredentialStore
from screens.app import HelpdeskApp, build_app
from screens.modals.one_time import AccessCodeScreen
from screens.modals.reason import ReasonScreen
from screens.profile import ProfileScreen
from screens.search import SearchScreen
from screens.sign_in import SignInScreen
from screens.verify import VerifyScreen
from tests.console.conftest import IDLE_LOCK_OFF, SIZE, Portal, press, settle, sign_in
from tests.console.faulty_portal import FaultyPortal, error_body, faulty_portal
from tests.console.test_floor import REASON, give_reason, pending_requests, problem_text
from tests.console.test_one_action_once import audit_actions
from tests.console.test_search import (
    MARIE,
    lock_through_the_api,
    open_profile,
    search,
    search_screen,
    state_text,
)
from tests.console.test_verify import MARIE_ANSWERS, answer, answer_values, result_text
from tests.keyrings import encrypted_keyring

# Short enough for a test, long enough for the portal's real answers on a busy machine.
SHORT_TIMEOUT = httpx.Timeout(5.0, read=1.0)
PROXY_PAGE = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
# What a traceback or an exception's name looks like, should one reach the agent.
RAW = (
    "Traceback",
    'File "',
    "Error(",
    "Exception",
    "httpx",
    "h11",
    "RemoteProtocolError",
    "ReadTimeout",
    "ValidationError",
    "JSONDecodeError",
    "PortalUnavailable",
    "internal_error",
    "Something went wrong in the console",
)


Through = Callable[..., HelpdeskApp]


@pytest.fixture
async def proxy(portal: Portal) -> AsyncIterator[FaultyPortal]:
    async with faulty_portal(portal.url) as proxy:
        yield proxy


@pytest.fixture
def through(proxy: FaultyPortal, portal: Portal, app_paths: Paths, keyring_file: Path) -> Through:
    """Builds the console as ``make_app`` does, talking to the portal through the faulty proxy
    (with ``timeout``: a client that gives up sooner, as the CLI's factory makes it)."""

    def make(timeout: httpx.Timeout | None = None) -> HelpdeskApp:
        settings = Settings(
            portal_url=proxy.url, language="en", paths=app_paths, idle_lock_minutes=IDLE_LOCK_OFF
        )
        store = CredentialStore(app_paths.state_file, encrypted_keyring(keyring_file))
        factory = None
        if timeout is not None:
            factory = lambda url: PortalClient(url, timeout=timeout)  # noqa: E731
        return build_app(settings, clock=portal.clock, credentials=store, client_factory=factory)

    return make


def screen_texts(app: HelpdeskApp) -> list[str]:
    """Every text the agent can read: each Static of every screen on the stack, and each
    notification."""
    texts = [str(widget.render()) for screen in app.screen_stack for widget in screen.query(Static)]
    texts += [f"{notice.title}\n{notice.message}" for notice in app._notifications]
    return texts


def assert_no_traceback(app: HelpdeskApp) -> None:
    for text in screen_texts(app):
        for raw in RAW:
            assert raw not in text, f"{raw!r} reached the agent: {text!r}"
    assert app.return_code is None, "the console is still running"


def notifications(app: HelpdeskApp) -> list[str]:
    return [f"{notice.title}: {notice.message}" for notice in app._notifications]


# --- down at start ------------------------------------------------------------------------------


async def test_a_portal_down_at_start_is_said_and_ctrl_r_connects_keeping_the_username(
    proxy: FaultyPortal, through: Through
) -> None:
    proxy.down = True
    app = through()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.portal_status == "unreachable"
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        message = str(screen.query_one("#sign-in-error", Static).render())
        assert "The portal cannot be reached" in message and "Ctrl+R" in message
        assert_no_traceback(app)
        screen.query_one("#username", Input).value = "agent"
        proxy.down = False
        await press(pilot, "ctrl+r")
        assert app.portal_status == "ready"
        assert screen.query_one("#username", Input).value == "agent"
        await sign_in(pilot)
        assert isinstance(app.screen, SearchScreen)


# --- search: the query kept, F5 asks again ----------------------------------------------------

# In turn: each F5 meets the next fault, and the last one gets the portal's answer.
SEARCH_FAULTS = {
    "500": dict(fault="answer", status=500, body=error_body("internal_error", "boom")),
    "502-page": dict(
        fault="answer", status=502, body=PROXY_PAGE, headers=[("content-type", "text/html")]
    ),
    "503": dict(
        fault="answer",
        status=503,
        body=b"Service Unavailable",
        headers=[("content-type", "text/plain"), ("retry-after", "30")],
    ),
    "not-json": dict(fault="garble"),
    # A GET whose connection failed is tried again: every try is cut short, or dies.
    "truncated": dict(fault="truncate", times=GET_ATTEMPTS),
    "dies": dict(fault="drop", times=GET_ATTEMPTS),
    "hangs": dict(fault="hang"),
}


# What the agent reads: an answer that is not the API is the portal's problem, not the network's.
HAD_A_PROBLEM = "The portal had a problem. Press F5 to try again."
NOT_REACHED = "The portal cannot be reached. Press F5 to try again."
SEARCH_SAYS = {
    "500": HAD_A_PROBLEM,
    "502-page": HAD_A_PROBLEM,
    "503": HAD_A_PROBLEM,
    "not-json": HAD_A_PROBLEM,
    "truncated": NOT_REACHED,
    "dies": NOT_REACHED,
    "hangs": NOT_REACHED,
}


async def test_a_search_that_fails_in_every_way_keeps_the_query_and_f5_asks_again(
    proxy: FaultyPortal, through: Through
) -> None:
    app = through(SHORT_TIMEOUT)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = search_screen(pilot)
        for number, (kind, fault) in enumerate(SEARCH_FAULTS.items()):
            proxy.add("GET", "/admin/v1/profiles", **fault)  # type: ignore[arg-type]
            fired = len(proxy.fired)
            if number == 0:
                await search(pilot, "Tremblay")
            else:
                answers = screen.answers_shown
                await press(pilot, "f5")
                assert screen.answers_shown == answers + 1, kind
            assert len(proxy.fired) > fired, f"{kind}: the fault happened"
            assert screen.state == "unreachable", kind
            assert state_text(app) == SEARCH_SAYS[kind]
            assert screen.query_one("#search-query", Input).value == "Tremblay"
            assert_no_traceback(app)
        await press(pilot, "f5")
        assert screen.state == "results", state_text(app)
        assert screen.query_one("#search-query", Input).value == "Tremblay"


# --- verification: the answers kept, F5 sends them again --------------------------------------

VERIFY_FAULTS = {
    "500": dict(fault="answer", status=500, body=error_body("internal_error", "boom")),
    "503-page": dict(
        fault="answer", status=503, body=PROXY_PAGE, headers=[("content-type", "text/html")]
    ),
    "not-json": dict(fault="garble"),
    "truncated": dict(fault="truncate"),
    "hangs": dict(fault="hang"),
}


VERIFY_SAYS = {
    "500": "The portal had a problem: the answers were not checked.",
    "503-page": "The portal had a problem: the answers were not checked.",
    "not-json": "The portal had a problem: the answers were not checked.",
    "truncated": "The portal cannot be reached: the answers were not checked.",
    "hangs": "The portal cannot be reached: the answers were not checked.",
}


async def test_a_verification_that_fails_in_every_way_keeps_the_answers_and_f5_sends_them(
    proxy: FaultyPortal, through: Through
) -> None:
    app = through(SHORT_TIMEOUT)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        await press(pilot, "v")
        dialog = app.screen
        assert isinstance(dialog, VerifyScreen)
        for number, (kind, fault) in enumerate(VERIFY_FAULTS.items()):
            proxy.add("POST", "/verifications", **fault)  # type: ignore[arg-type]
            fired = len(proxy.fired)
            if number == 0:
                await answer(pilot, *MARIE_ANSWERS)
            else:
                await press(pilot, "f5")
            assert len(proxy.fired) > fired, f"{kind}: the fault happened"
            assert dialog.is_current, kind
            text = result_text(dialog)
            assert text.startswith(VERIFY_SAYS[kind]), kind
            assert "press F5 to send them again" in text, kind
            assert answer_values(dialog) == list(MARIE_ANSWERS), kind
            assert_no_traceback(app)
        await press(pilot, "f5")
        assert app.screen is profile and not profile.has_class("-masked")


# --- an expired session mid-call: sign in again, back where the agent was ---------------------


async def test_a_401_while_verifying_signs_in_again_and_comes_back_with_the_answers(
    proxy: FaultyPortal, through: Through
) -> None:
    app = through()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        await press(pilot, "v")
        dialog = app.screen
        assert isinstance(dialog, VerifyScreen)
        proxy.answer("POST", "/verifications", 401, error_body("unauthenticated", "expired"))
        await answer(pilot, *MARIE_ANSWERS)
        sign_in_again = app.screen
        assert isinstance(sign_in_again, SignInScreen) and sign_in_again.returning
        assert "Your session has expired. Sign in again to continue." in "\n".join(
            notifications(app)
        )
        assert sign_in_again.query_one("#username", Input).value == "agent"
        assert_no_traceback(app)
        await sign_in(pilot)
        assert dialog.is_current, "back on the verification, over the same profile"
        assert profile in app.screen_stack
        assert answer_values(dialog) == list(MARIE_ANSWERS)
        await press(pilot, "f5")
        assert app.screen is profile and not profile.has_class("-masked")


async def test_a_401_on_refresh_signs_in_again_back_to_the_open_profile(
    proxy: FaultyPortal, through: Through
) -> None:
    app = through()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        proxy.answer(
            "GET", f"/profiles/{profile.profile_id}", 401, error_body("unauthenticated", "expired")
        )
        await press(pilot, "f5")
        assert proxy.fired
        assert isinstance(app.screen, SignInScreen) and app.screen.returning
        assert_no_traceback(app)
        await sign_in(pilot)
        assert app.screen is profile, "back on the profile the agent had open"
        # A section that fails on the next refresh says so where it would show, and F5 loads it.
        proxy.answer("GET", "/sign-ins", 500, error_body("internal_error", "boom"))
        await press(pilot, "f5")
        assert str(profile.query_one("#sign-ins-state", Static).render()) == HAD_A_PROBLEM
        assert_no_traceback(app)
        await press(pilot, "f5")  # each load draws the tabs anew: query again
        assert str(profile.query_one("#sign-ins-state", Static).render()) == ""
        assert profile.query("#sign-ins-table")


# --- 429 on sign-in -----------------------------------------------------------------------------


async def test_a_sign_in_met_by_a_500_then_a_429_says_each_and_keeps_what_was_typed(
    proxy: FaultyPortal, through: Through
) -> None:
    app = through()
    proxy.answer("POST", "/admin/v1/sessions", 500, error_body("internal_error", "boom"))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        error = screen.query_one("#sign-in-error", Static)
        assert str(error.render()) == (
            "The portal had a problem and did not complete the request. Try again in a moment; "
            "if it keeps failing, tell the portal's administrators.\nPress Enter to try again."
        )
        assert screen.query_one("#username", Input).value == "agent"
        assert screen.query_one("#password", Input).value == "demo-pass-agent"
        assert_no_traceback(app)
        proxy.answer(
            "POST",
            "/admin/v1/sessions",
            429,
            error_body("rate_limited", "slow down"),
            headers=[("retry-after", "120")],
        )
        await press(pilot, "enter")
        assert str(error.render()) == "Too many attempts. Try again in 2 minutes."
        assert screen.query_one("#username", Input).value == "agent"
        assert screen.query_one("#password", Input).value == "demo-pass-agent"
        assert_no_traceback(app)
        await press(pilot, "enter")  # two minutes later, as the agent would
        assert isinstance(app.screen, SearchScreen)


# --- the unlock request's reason: kept, F5 sends it, once -------------------------------------


async def test_an_unlock_request_lost_on_the_way_back_keeps_the_reason_and_f5_sends_it_once(
    proxy: FaultyPortal, through: Through, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = through()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)
        await press(pilot, "u")
        proxy.add("POST", "/admin/v1/unlock-requests", "drop")
        dialog = await give_reason(pilot, REASON)
        assert proxy.fired
        assert app.screen is dialog
        assert problem_text(dialog) == "The portal cannot be reached. Press F5 to try again."
        assert dialog.query_one("#reason-input", Input).value == REASON
        assert_no_traceback(app)
        await press(pilot, "f5")
        assert not isinstance(app.screen, ReasonScreen)
        assert isinstance(app.screen, ProfileScreen)
    assert [request.reason for request in await pending_requests(portal)] == [REASON]


# --- issuing a code: C again replays ------------------------------------------------------------


async def test_a_code_issued_but_answered_with_a_502_page_is_said_and_c_again_is_the_same_code(
    proxy: FaultyPortal, through: Through, portal: Portal
) -> None:
    app = through()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        await press(pilot, "v")
        await answer(pilot, *MARIE_ANSWERS)
        assert app.screen is profile
        # The portal issues the code; a proxy in front of it answers its own error page instead.
        proxy.answer(
            "POST",
            "/access-codes",
            502,
            PROXY_PAGE,
            content_type="text/html; charset=utf-8",
            forward=True,
        )
        app.clear_notifications()
        await press(pilot, "c")
        assert proxy.fired
        assert app.screen is profile
        assert notifications(app) == [
            "Portal problem: The portal had a problem and did not complete the request. Try again "
            "in a moment; if it keeps failing, tell the portal's administrators."
        ]
        assert_no_traceback(app)
        await press(pilot, "c")
        assert isinstance(app.screen, AccessCodeScreen), "the replay gets the portal's answer"
    assert len(audit_actions(portal, "access_code.issue")) == 1, "one code, issued once"
