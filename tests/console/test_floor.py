"""The supervisor's floor against one real portal: an agent's unlock request, the queue where a
supervisor approves or denies it, the lockouts screen, what an agent may not reach, and the idle
lock. Two consoles run at once where the floor needs two people: each ``settle`` waits for its own
app's work, and the floor's poll is asked for (``refresh_floor``) instead of waited for."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from helpdesk.api.client import PortalClient
from helpdesk.api.errors import Forbidden, Unauthenticated
from screens.app import HelpdeskApp
from screens.commands import HelpdeskCommands
from screens.help import HelpScreen
from screens.lockouts import LockoutsScreen
from screens.modals.confirm import ConfirmScreen
from screens.modals.reason import ReasonScreen
from screens.profile import ProfileScreen
from screens.queue import QueueScreen
from screens.search import SearchScreen
from screens.sign_in import SignInScreen
from screens.verify import VerifyScreen
from tests.console.conftest import (
    SAFETY_NET_SECONDS,
    SIZE,
    AppFactory,
    Portal,
    press,
    settle,
    sign_in,
)
from tests.console.test_live_call import notification_texts, portal_stops_answering
from tests.console.test_search import MARIE, lock_through_the_api, open_profile, unused_port
from tests.console.test_verify import MARIE_ANSWERS, SMITH, answer, open_verification

__all__ = ["unused_port"]  # a fixture, used by name

AGENT = "agent"  # the portal names who asked and who decided by their username
SUPERVISOR = "supervisor"
REASON = "The caller showed her permit number and her birth date"


# --- helpers ----------------------------------------------------------------------------------


async def sign_in_supervisor(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "supervisor", "demo-pass-supervisor")


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Waits for something only a timer of the app will bring (the deadline is a safety net)."""
    deadline = time.monotonic() + SAFETY_NET_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not in {SAFETY_NET_SECONDS} s")
        await pilot.pause(0.01)
    await settle(pilot)


def table_rows(screen: Any, selector: str) -> list[list[str]]:
    table = screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def messages(app: HelpdeskApp) -> str:
    return "\n".join(f"{title}: {message}" for title, message in notification_texts(app))


def header_queue(app: HelpdeskApp) -> str | None:
    queue = app.screen.query_one("#header-queue", Static)
    return str(queue.render()) if queue.display else None


def locked(profile: ProfileScreen) -> bool:
    assert profile.profile is not None
    return profile.profile.security.locked_until is not None


def problem_text(dialog: Any) -> str:
    """The line of the reason dialog that says what went wrong."""
    return str(dialog.query_one("#reason-problem", Static).render())


def lose_the_next_post_answer(app: HelpdeskApp) -> list[str]:
    """The next POST reaches the portal, which acts on it, but its answer never comes back to the
    console (a read timeout). Returns the list that names the path whose answer was lost."""
    http = app.client._http
    send = http.request
    lost: list[str] = []

    async def answer_lost(method: str, url: Any, **kwargs: Any) -> httpx.Response:
        response = await send(method, url, **kwargs)
        if method == "POST" and not lost:
            lost.append(str(url))
            raise httpx.ReadTimeout("the answer was lost", request=response.request)
        return response

    http.request = answer_lost  # type: ignore[method-assign]
    return lost


async def give_reason(pilot: Pilot[None], text: str) -> ReasonScreen[Any]:
    """Types ``text`` in the reason dialog on screen and presses Enter."""
    dialog = pilot.app.screen
    assert isinstance(dialog, ReasonScreen)
    dialog.query_one("#reason-input", Input).value = text
    await press(pilot, "enter")
    return dialog


async def request_unlock(pilot: Pilot[None], reason: str = REASON) -> ProfileScreen:
    """On the agent's console: Marie's (locked) profile, ``u``, the reason, Enter."""
    app = pilot.app
    assert isinstance(app, HelpdeskApp)
    profile = await open_profile(pilot, MARIE)
    assert locked(profile)
    await press(pilot, "u")
    dialog = app.screen
    assert isinstance(dialog, ReasonScreen)
    assert "Ask a supervisor to unlock Marie Tremblay?" in str(
        dialog.query_one("#reason-question", Static).render()
    )
    app.clear_notifications()
    await give_reason(pilot, reason)
    assert app.screen is profile, "the dialog closes once the portal has the request"
    assert "Sent to the supervisors." in messages(app)
    return profile


async def open_queue(pilot: Pilot[None]) -> QueueScreen:
    await press(pilot, "f8")
    queue = pilot.app.screen
    assert isinstance(queue, QueueScreen)
    return queue


async def pending_requests(portal: Portal) -> list[Any]:
    async with PortalClient(portal.url) as client:
        await client.sign_in("supervisor", "demo-pass-supervisor")
        return (await client.unlock_requests(status="pending")).items


# --- an agent's request, a supervisor's decision -----------------------------------------------


@pytest.mark.parametrize("approve", [True, False], ids=["approved", "denied"])
async def test_a_supervisor_decides_an_agents_request_and_the_agent_is_told(
    make_app: AppFactory, portal: Portal, approve: bool
) -> None:
    await lock_through_the_api(portal, MARIE)
    agent_app, supervisor_app = make_app(), make_app()
    async with agent_app.run_test(size=SIZE) as agent:
        await sign_in(agent)
        profile = await request_unlock(agent)

        async with supervisor_app.run_test(size=SIZE) as supervisor:
            await sign_in_supervisor(supervisor)
            queue = await open_queue(supervisor)
            cut = "The caller showed her permit number and…"
            assert table_rows(queue, "#queue-table") == [["00:00", AGENT, "Marie Tremblay", cut]]
            detail = str(queue.query_one("#list-detail", Static).render())
            assert detail == f"{AGENT} asked: “{REASON}”", "the reason whole, under the table"
            supervisor_app.clear_notifications()
            await press(supervisor, "a" if approve else "d")
            dialog = supervisor_app.screen
            assert isinstance(dialog, ReasonScreen)
            assert REASON in str(dialog.query_one("#reason-details", Static).render())
            await give_reason(supervisor, "Checked with her manager")
            assert supervisor_app.screen is queue
            assert table_rows(queue, "#queue-table") == []
            told = "is unlocked" if approve else "is denied"
            assert told in messages(supervisor_app)

        agent_app.clear_notifications()
        agent_app.refresh_floor()  # what the floor does every 15 s
        await settle(agent)  # the poll, then the profile fetched again
        told_agent = messages(agent_app)
        if approve:
            assert f"Unlock request approved: {SUPERVISOR} unlocked Marie Tremblay" in told_agent
        else:
            assert (
                f"Unlock request denied: {SUPERVISOR} did not unlock Marie Tremblay" in told_agent
            )
        assert "Checked with her manager" in told_agent
        assert agent_app.screen is profile
        assert locked(profile) is not approve
        banner = profile.query_one("#lock-banner", Static)
        assert banner.display is not approve
        # Told once: the next poll has nothing new to say.
        agent_app.clear_notifications()
        agent_app.refresh_floor()
        await settle(agent)
        assert messages(agent_app) == ""


async def test_a_supervisor_unlocks_from_the_lockouts_screen(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    agent_app, supervisor_app = make_app(), make_app()
    async with agent_app.run_test(size=SIZE) as agent:
        await sign_in(agent)
        profile = await open_profile(agent, MARIE)
        assert locked(profile)

        async with supervisor_app.run_test(size=SIZE) as supervisor:
            await sign_in_supervisor(supervisor)
            await press(supervisor, "f7")
            lockouts = supervisor_app.screen
            assert isinstance(lockouts, LockoutsScreen)
            names = [row[0] for row in table_rows(lockouts, "#lockouts-table")]
            assert "Marie Tremblay" in names
            table = lockouts.query_one("#lockouts-table", DataTable)
            table.move_cursor(row=names.index("Marie Tremblay"))
            await settle(supervisor)
            assert lockouts.selected is not None
            assert lockouts.selected.display_name == "Marie Tremblay"
            supervisor_app.clear_notifications()
            await press(supervisor, "u")
            dialog = supervisor_app.screen
            assert isinstance(dialog, ReasonScreen)
            await press(supervisor, "enter")  # no reason yet: not sent
            assert supervisor_app.screen is dialog
            assert "Type the reason first" in problem_text(dialog)
            await give_reason(supervisor, "Identity checked by video call")
            assert supervisor_app.screen is lockouts
            names_after = [row[0] for row in table_rows(lockouts, "#lockouts-table")]
            assert "Marie Tremblay" not in names_after
            assert len(names_after) == len(names) - 1
            told = messages(supervisor_app)
            assert "Unlocked: Marie Tremblay is unlocked." in told
            where = told.split("The account holder was told by ", 1)[1]
            assert "•" in where, f"the address must be masked: {where!r}"

        assert locked(profile), "the agent's console learns it on F5"
        await press(agent, "f5")
        assert not locked(profile)
        assert not profile.query_one("#lock-banner", Static).display


# --- an agent cannot reach the supervisor's screens ----------------------------------------------


async def test_an_agent_cannot_reach_the_supervisors_screens(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        search = app.screen
        for key in ("f8", "f9"):
            await press(pilot, key)
            assert app.screen is search and app.current_mode == "call"
        commands = HelpdeskCommands(app.screen)
        titles = [title for title, *_rest in commands._commands()]
        assert "Lockouts" in titles
        assert "Unlock requests" not in titles and "Audit" not in titles
        await press(pilot, "f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        shown = " ".join(row[1] for row in table_rows(help_screen, "#help-keys"))
        assert "Lockouts" in shown
        assert "Unlock requests" not in shown and "Audit" not in shown
        await press(pilot, "escape")

        # Were the console wrong, the portal still refuses.
        profile = await open_profile(pilot, MARIE)
        client = app.client
        with pytest.raises(Forbidden):
            await client.unlock(profile.profile_id, "I am not a supervisor")
        with pytest.raises(Forbidden):
            await client.audit()
        request = await client.request_unlock(profile.profile_id, REASON)
        with pytest.raises(Forbidden):
            await client.approve_unlock_request(request.id, "approving my own")
        with pytest.raises(Forbidden):
            await client.deny_unlock_request(request.id)


async def test_the_supervisors_header_counts_the_requests_waiting(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    agent_app, supervisor_app = make_app(), make_app()
    async with supervisor_app.run_test(size=SIZE) as supervisor:
        await sign_in_supervisor(supervisor)
        assert supervisor_app.pending_unlock_requests == 0
        assert header_queue(supervisor_app) is None, "nothing waiting: nothing said"
        async with agent_app.run_test(size=SIZE) as agent:
            await sign_in(agent)
            await request_unlock(agent)
            assert header_queue(agent_app) is None, "an agent has no queue"
        supervisor_app.clear_notifications()
        supervisor_app.refresh_floor()
        await settle(supervisor)
        assert header_queue(supervisor_app) == "1 unlock request"
        assert f"New unlock request: {AGENT} asks to unlock Marie Tremblay" in messages(
            supervisor_app
        )
        queue = await open_queue(supervisor)
        assert header_queue(supervisor_app) == "1 unlock request", "on every screen"
        await press(supervisor, "a")
        await give_reason(supervisor, "")  # the note is optional
        assert supervisor_app.screen is queue
        assert header_queue(supervisor_app) is None


# --- the idle lock --------------------------------------------------------------------------------


async def verified_caller_with_answers_typed(pilot: Pilot[None]) -> VerifyScreen:
    """Marie verified, and her verification dialog open again with something typed in it."""
    app = pilot.app
    await press(pilot, "f7", "f6")  # the lockouts mode has a screen of its own now
    await open_verification(pilot, MARIE)
    await answer(pilot, *MARIE_ANSWERS)
    profile = app.screen
    assert isinstance(profile, ProfileScreen) and not profile.has_class("-masked")
    dialog = VerifyScreen(profile.profile_id, "Marie Tremblay")
    app.push_screen(dialog)
    await settle(pilot)
    dialog.query_one("#answer-1", Input).value = "Toyota"
    return dialog


async def wait_for_the_sign_in_screen(pilot: Pilot[None]) -> None:
    """The idle lock is checked once a second, on a real timer: waits for the screen to change."""
    await wait_until(
        pilot,
        lambda: isinstance(pilot.app.screen, SignInScreen) and not pilot.app.agent,  # type: ignore[attr-defined]
        "the idle lock",
    )


async def test_the_idle_lock_signs_out_and_forgets_the_call(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app(idle_lock_minutes=10)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await verified_caller_with_answers_typed(pilot)
        token = app.client.token
        assert token is not None
        marie = next(s for s in app.every_screen() if isinstance(s, ProfileScreen)).profile_id
        assert app.call.grant_expires_at(marie) is not None

        portal.clock.advance(timedelta(minutes=10))
        await wait_for_the_sign_in_screen(pilot)

        explained = str(app.screen.query_one("#sign-in-error", Static).render())
        assert "locked itself after 10 minutes without activity" in explained
        left = [
            screen
            for screen in app.every_screen()
            if isinstance(screen, (ProfileScreen, VerifyScreen, LockoutsScreen, ReasonScreen))
        ]
        assert left == []
        assert app.call.grant_expires_at(marie) is None
        assert app.client.token is None
        async with PortalClient(portal.url, token=token) as old_session:
            with pytest.raises(Unauthenticated):
                await old_session.me()

        await sign_in(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-query", Input).value == ""
        assert not app.screen.query_one("#search-results").display
        assert [s for s in app.every_screen() if isinstance(s, ProfileScreen)] == []


async def test_a_key_pressed_before_the_idle_lock_puts_it_off(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app(idle_lock_minutes=10)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        portal.clock.advance(timedelta(minutes=9))
        await press(pilot, "2")  # the Security tab: the agent is there
        portal.clock.advance(timedelta(minutes=9))
        app._lock_when_idle()  # what the one-second timer does
        await settle(pilot)
        assert app.agent is not None and app.screen is profile
        portal.clock.advance(timedelta(minutes=1))
        await wait_for_the_sign_in_screen(pilot)


# --- the reason is never lost --------------------------------------------------------------------


async def test_the_reason_survives_an_unreachable_portal_and_is_sent_once(
    make_app: AppFactory, portal: Portal, unused_port: int
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        await press(pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        box = dialog.query_one("#reason-input", Input)
        box.value = REASON
        with portal_stops_answering(app, unused_port):
            await press(pilot, "enter")
            assert app.screen is dialog
            assert box.value == REASON
            assert "The portal cannot be reached" in problem_text(dialog)
            await press(pilot, "f5")  # still down
            assert app.screen is dialog and box.value == REASON
        await press(pilot, "enter")
        assert app.screen is profile
        requests = await pending_requests(portal)
        assert [(r.display_name, r.reason) for r in requests] == [("Marie Tremblay", REASON)]


async def test_an_answer_lost_on_the_way_back_is_not_a_second_request(
    make_app: AppFactory, portal: Portal
) -> None:
    """The portal took the request but its answer never came: Enter again replays the same
    Idempotency-Key, and the portal answers with the request it already has."""
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        lost = lose_the_next_post_answer(app)
        await press(pilot, "u")
        dialog = await give_reason(pilot, REASON)
        assert lost == ["/admin/v1/unlock-requests"]
        assert app.screen is dialog, "no answer: the dialog stays, the reason in it"
        await press(pilot, "enter")
        assert app.screen is profile
        app.refresh_floor()
        await settle(pilot)
        requests = await pending_requests(portal)
        assert [(r.display_name, r.reason) for r in requests] == [("Marie Tremblay", REASON)]


# --- what an agent types is shown as typed -------------------------------------------------------

BRACKETS = "Ticket [42] closed [/] see [b]notes"


async def test_a_reason_and_a_note_with_brackets_are_shown_as_typed(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    agent_app, supervisor_app = make_app(), make_app()
    async with supervisor_app.run_test(size=SIZE) as supervisor:
        await sign_in_supervisor(supervisor)
        async with agent_app.run_test(size=SIZE) as agent:
            await sign_in(agent)
            await request_unlock(agent, BRACKETS)
            supervisor_app.refresh_floor()
            await settle(supervisor)
            assert BRACKETS in messages(supervisor_app)
            await open_queue(supervisor)
            await press(supervisor, "a")
            await give_reason(supervisor, BRACKETS)
            agent_app.refresh_floor()
            await settle(agent)
            assert f"{BRACKETS}" in messages(agent_app)
            await agent_app.screen.wait_for_refresh()  # the toasts drawn, markup and all
        await supervisor_app.screen.wait_for_refresh()


async def test_a_reason_with_brackets_in_the_profiles_history(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await request_unlock(pilot, BRACKETS)
        await press(pilot, "f5")
        await press(pilot, "5")
        await app.screen.wait_for_refresh()
        assert any(BRACKETS in row[-1] for row in table_rows(profile, "#history-table"))


# --- the reason dialog ----------------------------------------------------------------------------


async def test_a_language_switch_keeps_the_reason_typed_and_speaks_french(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)
        await press(pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        dialog.query_one("#reason-input", Input).value = REASON
        # A modal has no F4 of its own: the switch comes from the app, which asks every screen of
        # every mode to translate itself (the default, composing again, would drop the reason).
        app.action_switch_language()
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#reason-input", Input).value == REASON
        question = str(dialog.query_one("#reason-question", Static).render())
        assert question == "Demander à un superviseur de déverrouiller Marie Tremblay?"
        await press(pilot, "enter")
        assert not isinstance(app.screen, ReasonScreen)
        assert [r.reason for r in await pending_requests(portal)] == [REASON]


async def test_ctrl_q_with_a_reason_typed_asks_first(make_app: AppFactory, portal: Portal) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)
        await press(pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        dialog.query_one("#reason-input", Input).value = REASON
        await press(pilot, "ctrl+q")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert str(confirm.query_one("#confirm-details", Static).render()) == (
            "The reason typed to unlock Marie Tremblay has not been sent yet."
        )
        await press(pilot, "escape")
        assert app.screen is dialog
        assert dialog.query_one("#reason-input", Input).value == REASON


async def test_a_second_request_for_the_same_caller_says_one_is_waiting(
    make_app: AppFactory, portal: Portal
) -> None:
    """Another agent asked already: the portal keeps one request a profile, and this agent is told
    of it and of the decision, not refused with "cannot be done in the current state"."""
    await lock_through_the_api(portal, MARIE)
    async with PortalClient(portal.url) as colleague:
        await colleague.sign_in("supervisor", "demo-pass-supervisor")
        marie = (await colleague.search_profiles(MARIE))[0].id
        first = await colleague.request_unlock(marie, "Asked by a colleague")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        await press(pilot, "u")
        app.clear_notifications()
        await give_reason(pilot, REASON)
        assert app.screen is profile
        told = messages(app)
        assert "already waiting" in told and "Asked by a colleague" in told
        assert "cannot be done" not in told
        async with PortalClient(portal.url) as supervisor:
            await supervisor.sign_in("supervisor", "demo-pass-supervisor")
            await supervisor.deny_unlock_request(first.id, "Not without ID")
        app.clear_notifications()
        app.refresh_floor()
        await settle(pilot)
        assert "Unlock request denied" in messages(app)


async def test_the_idle_lock_of_one_minute_says_minute(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app(idle_lock_minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        portal.clock.advance(timedelta(minutes=1))
        await wait_for_the_sign_in_screen(pilot)
        explained = str(app.screen.query_one("#sign-in-error", Static).render())
        assert "after 1 minute without activity" in explained


# --- two supervisors at once ----------------------------------------------------------------------


async def unlock_elsewhere(portal: Portal) -> None:
    """Another supervisor unlocks Marie from their own console."""
    async with PortalClient(portal.url) as other:
        await other.sign_in("supervisor", "demo-pass-supervisor")
        marie = (await other.search_profiles(MARIE))[0].id
        await other.unlock(marie, "Unlocked from another console")


async def test_a_request_decided_meanwhile_by_another_supervisor_is_said_so(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    async with PortalClient(portal.url) as agent:
        await agent.sign_in("agent", "demo-pass-agent")
        marie = (await agent.search_profiles(MARIE))[0].id
        request = await agent.request_unlock(marie, REASON)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_supervisor(pilot)
        queue = await open_queue(pilot)
        await press(pilot, "a")
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        dialog.query_one("#reason-input", Input).value = "Approved"
        async with PortalClient(portal.url) as other:
            await other.sign_in("supervisor", "demo-pass-supervisor")
            await other.deny_unlock_request(request.id, "Not without ID")
        app.clear_notifications()
        await press(pilot, "enter")
        assert app.screen is queue, "nothing more to decide: the dialog closes"
        told = messages(app)
        assert "supervisor had already denied the request to unlock Marie Tremblay." in told
        assert "cannot be done" not in told
        assert table_rows(queue, "#queue-table") == []


async def test_an_unlock_from_the_lockouts_after_the_lock_ended_is_said_so(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_supervisor(pilot)
        await press(pilot, "f7")
        lockouts = app.screen
        assert isinstance(lockouts, LockoutsScreen)
        names = [row[0] for row in table_rows(lockouts, "#lockouts-table")]
        lockouts.query_one("#lockouts-table", DataTable).move_cursor(
            row=names.index("Marie Tremblay")
        )
        await settle(pilot)
        await press(pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        dialog.query_one("#reason-input", Input).value = "Identity checked"
        await unlock_elsewhere(portal)
        app.clear_notifications()
        await press(pilot, "enter")
        assert app.screen is lockouts
        told = messages(app)
        assert "Marie Tremblay is no longer locked" in told and "cannot be done" not in told
        assert "Marie Tremblay" not in [row[0] for row in table_rows(lockouts, "#lockouts-table")]


async def test_a_request_for_a_caller_unlocked_meanwhile_is_said_so(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        await press(pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        dialog.query_one("#reason-input", Input).value = REASON
        await unlock_elsewhere(portal)
        app.clear_notifications()
        await press(pilot, "enter")
        assert app.screen is profile
        told = messages(app)
        assert "Marie Tremblay is no longer locked" in told and "cannot be done" not in told
        assert not locked(profile), "the profile shows it at once"
        assert await pending_requests(portal) == []


# --- the floor's poll -----------------------------------------------------------------------------


async def test_a_request_sent_before_signing_out_is_still_told(
    make_app: AppFactory, portal: Portal
) -> None:
    """The idle lock (or Ctrl+O, or a restart) forgets the call, not the agent's requests."""
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await request_unlock(pilot)
        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot)
        request = (await pending_requests(portal))[0]
        async with PortalClient(portal.url) as supervisor:
            await supervisor.sign_in("supervisor", "demo-pass-supervisor")
            await supervisor.approve_unlock_request(request.id, "Done")
        app.clear_notifications()
        app.refresh_floor()
        await settle(pilot)
        assert "Unlock request approved: supervisor unlocked Marie Tremblay" in messages(app)


async def test_a_new_request_is_news_even_when_the_count_stays_the_same(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    await lock_through_the_api(portal, SMITH)
    async with PortalClient(portal.url) as agent:
        await agent.sign_in("agent", "demo-pass-agent")
        marie = (await agent.search_profiles(MARIE))[0].id
        smith = (await agent.search_profiles(SMITH))[0].id
        first = await agent.request_unlock(marie, REASON)
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_supervisor(pilot)
            assert header_queue(app) == "1 unlock request"
            async with PortalClient(portal.url) as other:
                await other.sign_in("supervisor", "demo-pass-supervisor")
                await other.deny_unlock_request(first.id)
            await agent.request_unlock(smith, "Caller on the line")
            app.clear_notifications()
            app.refresh_floor()
            await settle(pilot)
            assert header_queue(app) == "1 unlock request"
            assert "New unlock request: agent asks to unlock Jonathan Smith" in messages(app)


async def test_enter_twice_sends_the_request_once(make_app: AppFactory, portal: Portal) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        await press(pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        dialog.query_one("#reason-input", Input).value = REASON
        app.clear_notifications()
        sent: list[str] = []
        http = app.client._http
        send = http.request

        async def counted(method: str, url: Any, **kwargs: Any) -> httpx.Response:
            if method == "POST":
                sent.append(str(url))
            return await send(method, url, **kwargs)

        http.request = counted  # type: ignore[method-assign]
        # Both before the portal has answered: as an impatient agent types them.
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        assert app.screen is profile
        assert sent == ["/admin/v1/unlock-requests"]
        assert messages(app).count("Sent to the supervisors.") == 1
        assert len(await pending_requests(portal)) == 1


async def test_an_edited_reason_after_a_lost_answer_says_the_first_one_arrived(
    make_app: AppFactory, portal: Portal
) -> None:
    """The portal took the request, its answer was lost, and the agent reworded the reason: the
    new words are a new call, and the portal's answer (one is already waiting) is shown."""
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        lose_the_next_post_answer(app)
        await press(pilot, "u")
        dialog = await give_reason(pilot, REASON)
        assert app.screen is dialog
        app.clear_notifications()
        await give_reason(pilot, "Reworded: she has her permit in hand")
        assert app.screen is profile
        told = messages(app)
        assert "already waiting" in told and REASON in told
        assert "no longer locked" not in told and "cannot be done" not in told
        assert [r.reason for r in await pending_requests(portal)] == [REASON]


async def test_a_paste_puts_the_idle_lock_off_too(make_app: AppFactory, portal: Portal) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app(idle_lock_minutes=10)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)
        await press(pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        portal.clock.advance(timedelta(minutes=9))
        app.post_message(events.Paste("Reason pasted from the ticket"))
        await settle(pilot)
        assert dialog.query_one("#reason-input", Input).value == "Reason pasted from the ticket"
        portal.clock.advance(timedelta(minutes=9))
        app._lock_when_idle()  # what the one-second timer does
        await settle(pilot)
        assert app.screen is dialog and app.agent is not None


# --- the lockouts screen for an agent, the queue's Enter -----------------------------------------


async def test_an_agent_asks_for_an_unlock_from_the_lockouts_screen(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await press(pilot, "f7")
        lockouts = app.screen
        assert isinstance(lockouts, LockoutsScreen)
        assert not lockouts.check_action("unlock", ())
        names = [row[0] for row in table_rows(lockouts, "#lockouts-table")]
        lockouts.query_one("#lockouts-table", DataTable).move_cursor(
            row=names.index("Marie Tremblay")
        )
        await settle(pilot)
        await press(pilot, "u")
        app.clear_notifications()
        await give_reason(pilot, REASON)
        assert app.screen is lockouts
        assert "Sent to the supervisors." in messages(app)
        assert [r.display_name for r in await pending_requests(portal)] == ["Marie Tremblay"]


async def test_enter_in_the_queue_opens_the_callers_profile_on_the_call(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    async with PortalClient(portal.url) as agent:
        await agent.sign_in("agent", "demo-pass-agent")
        marie = (await agent.search_profiles(MARIE))[0].id
        await agent.request_unlock(marie, REASON)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_supervisor(pilot)
        queue = await open_queue(pilot)
        await press(pilot, "enter")
        profile = app.screen
        assert isinstance(profile, ProfileScreen) and profile.profile_id == marie
        assert app.current_mode == "call"
        await press(pilot, "f8")
        assert app.screen is queue, "the queue kept where it was"


async def test_an_empty_queue_and_list_offer_no_decision_and_no_unlock(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_supervisor(pilot)
        queue = await open_queue(pilot)
        assert str(queue.query_one("#list-state", Static).render()) == "No request is waiting."
        assert not queue.check_action("decide", (True,))
        await press(pilot, "a")
        assert app.screen is queue
        await press(pilot, "f7")
        lockouts = app.screen
        assert isinstance(lockouts, LockoutsScreen)
        assert lockouts.check_action("unlock", ())
        assert [row[0] for row in table_rows(lockouts, "#lockouts-table")] == ["Marie Tremblay"]
        await unlock_elsewhere(portal)
        await press(pilot, "f5")
        assert table_rows(lockouts, "#lockouts-table") == []
        assert not lockouts.check_action("unlock", ())


async def test_a_supervisor_unlocks_from_the_profile(make_app: AppFactory, portal: Portal) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_supervisor(pilot)
        profile = await open_profile(pilot, MARIE)
        assert locked(profile)
        assert not profile.check_action("request_unlock", ())
        await press(pilot, "u")
        app.clear_notifications()
        await give_reason(pilot, "Identity checked by video call")
        assert app.screen is profile
        assert not locked(profile)
        assert "Unlocked: Marie Tremblay is unlocked." in messages(app)
        assert not profile.check_action("unlock", ()), "nothing left to unlock"


async def test_the_idle_lock_signs_out_even_when_the_portal_is_unreachable(
    make_app: AppFactory, portal: Portal, unused_port: int
) -> None:
    app = make_app(idle_lock_minutes=10)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)
        with portal_stops_answering(app, unused_port):
            portal.clock.advance(timedelta(minutes=10))
            await wait_for_the_sign_in_screen(pilot)
        assert app.client.token is None
        assert [s for s in app.every_screen() if isinstance(s, ProfileScreen)] == []
        explained = str(app.screen.query_one("#sign-in-error", Static).render())
        assert "without activity" in explained
        await sign_in(pilot)
        assert isinstance(app.screen, SearchScreen)
