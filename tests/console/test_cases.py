"""The user-code recovery cases screen against one real portal: cases opened through the portal's
API (as the profile's wizard does), an agent who sees them but may not approve, a supervisor on a
second console who approves, the agent who marks the user code sent and closes the case, the
status filter, who moved each case and when, and two consoles moving one case at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from helpdesk.api.client import PortalClient
from helpdesk.api.errors import Forbidden
from screens.app import HelpdeskApp
from screens.cases import CasesScreen
from screens.help import HelpScreen
from screens.modals.reason import ReasonScreen
from screens.profile import ProfileScreen
from tests.console.conftest import SIZE, AppFactory, Portal, press, settle, sign_in
from tests.console.test_floor import (
    give_reason,
    lose_the_next_post_answer,
    messages,
    problem_text,
    sign_in_supervisor,
    table_rows,
)

PECHERIES = "73016584"  # business: Denis Cormier (president), Julie Arsenault
LEBLANC = "85207419"  # executor: Anne Leblanc
NOTE = "Sent while on the phone [b]ticket 42[/]"
# The wizard's codes (screens/recovery.py), and a word it does not know: shown as written.
EVIDENCE = ["registry_signing_authority", "name_matches_representative", "Signed letter"]


# --- helpers ----------------------------------------------------------------------------------


async def open_case(
    portal: Portal,
    recovery_number: str,
    caller: str,
    *,
    delivery: str = "email",
    note: str | None = None,
) -> dict[str, Any]:
    """Opens a case as an agent does from the profile, through the portal's API."""
    async with httpx.AsyncClient(base_url=portal.url) as http:
        session = await http.post(
            "/admin/v1/sessions", json={"username": "agent", "password": "demo-pass-agent"}
        )
        session.raise_for_status()
        http.headers["Authorization"] = f"Bearer {session.json()['token']}"
        found = await http.get("/admin/v1/profiles", params={"q": recovery_number})
        profile_id = found.json()["items"][0]["id"]
        profile = (await http.get(f"/admin/v1/profiles/{profile_id}")).json()
        representative = next(rep for rep in profile["representatives"] if rep["name"] == caller)
        opened = await http.post(
            "/admin/v1/user-code-recoveries",
            json={
                "profile_id": profile_id,
                "caller_name": caller,
                "representative_id": representative["id"],
                "evidence": EVIDENCE,
                "delivery": delivery,
                "note": note,
            },
        )
        opened.raise_for_status()
        return dict(opened.json())


async def open_two_cases(portal: Portal) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pêcheries Atlantique's case, then (a minute later, so newest first is stable) the estate's."""
    first = await open_case(portal, PECHERIES, "Denis Cormier", note="Called from the office")
    portal.clock.advance(timedelta(minutes=1))
    second = await open_case(portal, LEBLANC, "Anne Leblanc")
    portal.clock.advance(timedelta(minutes=1))
    return first, second


async def open_cases_screen(pilot: Pilot[None]) -> CasesScreen:
    await press(pilot, "f3")
    screen = pilot.app.screen
    assert isinstance(screen, CasesScreen)
    return screen


async def refresh(pilot: Pilot[None], screen: CasesScreen) -> None:
    loads = screen.loads
    await press(pilot, "f5")
    assert screen.loads > loads


def rows(screen: CasesScreen) -> list[list[str]]:
    return [row[:3] for row in table_rows(screen, "#cases-table")]


def detail(screen: CasesScreen) -> str:
    return str(screen.query_one("#cases-detail", Static).render())


def keys_offered(app: HelpdeskApp) -> set[str]:
    return {
        binding.id or ""
        for (_node, binding, enabled, _tooltip) in app.active_bindings.values()
        if enabled and binding.show
    }


async def move(pilot: Pilot[None], key: str, note: str = "") -> ReasonScreen[Any]:
    await press(pilot, key)
    dialog = pilot.app.screen
    assert isinstance(dialog, ReasonScreen)
    return await give_reason(pilot, note)


# --- tests ------------------------------------------------------------------------------------


async def test_a_case_moves_from_open_to_closed_between_an_agent_and_a_supervisor(
    make_app: AppFactory, portal: Portal
) -> None:
    pecheries, leblanc = await open_two_cases(portal)
    agent_app, supervisor_app = make_app(), make_app()
    async with agent_app.run_test(size=SIZE) as agent:
        await sign_in(agent)
        await press(agent, "f1")  # on the search screen: F3 is there for an agent too
        assert "Recovery cases" in " ".join(
            row[1] for row in table_rows(agent_app.screen, "#help-keys")
        )
        await press(agent, "escape")
        cases = await open_cases_screen(agent)
        assert agent_app.focused is cases.query_one("#cases-table")
        assert rows(cases) == [
            ["UCR-000002", "Open", "Estate of Jean Leblanc"],
            ["UCR-000001", "Open", "Pêcheries Atlantique Inc."],
        ]
        offered = keys_offered(agent_app)
        assert "cases.approve" not in offered and "cases.reject" not in offered
        assert "cases.send" not in offered and "cases.close" not in offered
        await press(agent, "a")  # not offered: nothing happens
        assert agent_app.screen is cases
        await press(agent, "f1")
        help_screen = agent_app.screen
        assert isinstance(help_screen, HelpScreen)
        shown = " ".join(row[1] for row in table_rows(help_screen, "#help-keys"))
        assert "Status shown" in shown
        assert "Approve" not in shown and "Reject" not in shown
        await press(agent, "escape")
        assert agent_app.screen is cases
        # Were the console wrong, the portal still refuses.
        with pytest.raises(Forbidden):
            await agent_app.client.transition_user_code_recovery(pecheries["id"], "approved")

        async with supervisor_app.run_test(size=SIZE) as supervisor:
            await sign_in_supervisor(supervisor)
            board = await open_cases_screen(supervisor)
            await press(supervisor, "down")  # Pêcheries Atlantique
            assert board.selected is not None and board.selected.id == pecheries["id"]
            assert {"cases.approve", "cases.reject"} <= keys_offered(supervisor_app)
            assert "cases.send" not in keys_offered(supervisor_app)
            supervisor_app.clear_notifications()
            await press(supervisor, "a")
            dialog = supervisor_app.screen
            assert isinstance(dialog, ReasonScreen)
            question = str(dialog.query_one("#reason-question", Static).render())
            assert "UCR-000001" in question and "Pêcheries Atlantique Inc." in question
            portal.clock.advance(timedelta(minutes=3))
            await give_reason(supervisor, "Articles checked against the registry")
            assert supervisor_app.screen is board
            assert "UCR-000001 is approved." in messages(supervisor_app)
            assert rows(board)[1] == ["UCR-000001", "Approved", "Pêcheries Atlantique Inc."]
            assert board.selected is not None and board.selected.id == pecheries["id"]

        assert rows(cases)[1][1] == "Open", "the agent's console learns it on F5"
        await press(agent, "down")
        await refresh(agent, cases)
        assert rows(cases)[1] == ["UCR-000001", "Approved", "Pêcheries Atlantique Inc."]
        assert cases.selected is not None and cases.selected.id == pecheries["id"]
        assert agent_app.focused is cases.query_one("#cases-table")
        assert "cases.send" in keys_offered(agent_app)
        assert "cases.close" not in keys_offered(agent_app)
        assert "Note: Articles checked against the registry" in detail(cases)

        agent_app.clear_notifications()
        portal.clock.advance(timedelta(minutes=2))
        await press(agent, "m")
        dialog = agent_app.screen
        assert isinstance(dialog, ReasonScreen)
        assert "Nobody at the help desk sees it." in str(
            dialog.query_one("#reason-details", Static).render()
        )
        await give_reason(agent, "")
        told = messages(agent_app)
        assert "UCR-000001: the user code is sent by e-mail to " in told
        assert "•" in told.split(" to ", 1)[1], "the address is masked"
        assert rows(cases)[1][1] == "User code sent"
        assert "cases.close" in keys_offered(agent_app)

        portal.clock.advance(timedelta(minutes=2))
        await move(agent, "c", "Caller confirmed receipt")
        assert "UCR-000001 is closed." in messages(agent_app)
        # Closed cases are no longer moving: the default list leaves them out.
        assert rows(cases) == [["UCR-000002", "Open", "Estate of Jean Leblanc"]]
        assert leblanc["status"] == "open"


async def test_the_detail_pane_says_who_moved_the_case_and_when(
    make_app: AppFactory, portal: Portal
) -> None:
    pecheries, _leblanc = await open_two_cases(portal)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_supervisor(pilot)
        cases = await open_cases_screen(pilot)
        await press(pilot, "down")
        portal.clock.advance(timedelta(minutes=5))
        await move(pilot, "a")
        portal.clock.advance(timedelta(minutes=5))
        await move(pilot, "m")
        shown = detail(cases)
        assert "UCR-000001 · Pêcheries Atlantique Inc. · User code sent" in shown
        assert "Caller: Denis Cormier · Delivery: E-mail\n" in shown
        assert "Opened by agent on 2026-11-23, 1:32\u202fp.m." in shown
        assert shown.endswith(
            "Evidence checked:\n"
            "• A business registry lists the caller as a director or signing officer\n"
            "• The caller's name matches the representative on file\n"
            "• Signed letter"
        ), shown
        assert "Note: Called from the office" in shown
        assert "This profile's recovery history" in shown
        history = shown.split("This profile's recovery history", 1)[1].splitlines()[1:4]
        # Newest first, local time (Toronto), the portal's clock.
        assert history == [
            "2026-11-23, 1:44\u202fp.m. · supervisor · Approved → User code sent",
            "2026-11-23, 1:39\u202fp.m. · supervisor · Open → Approved",
            "2026-11-23, 1:32\u202fp.m. · agent · case opened",
        ], history
        assert pecheries["case_number"] == "UCR-000001"


async def test_the_status_filter_shows_one_status_or_every_case(
    make_app: AppFactory, portal: Portal
) -> None:
    await open_two_cases(portal)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_supervisor(pilot)
        cases = await open_cases_screen(pilot)
        await move(pilot, "r", "No proof of authority")  # the estate's case, on top
        assert [row[:2] for row in rows(cases)] == [["UCR-000001", "Open"]]
        filter_line = cases.query_one("#cases-filter", Static)
        assert "still moving" in str(filter_line.render())
        await press(pilot, "s")  # open
        assert "Shown: Open (S to change)" in str(filter_line.render())
        assert [row[:2] for row in rows(cases)] == [["UCR-000001", "Open"]]
        await press(pilot, "s", "s", "s")  # approved, sent, rejected
        assert "Shown: Rejected (S to change)" in str(filter_line.render())
        assert [row[:2] for row in rows(cases)] == [["UCR-000002", "Rejected"]]
        for key in ("cases.approve", "cases.reject", "cases.send", "cases.close"):
            assert key not in keys_offered(app), "a rejected case goes nowhere"
        await press(pilot, "s")  # closed
        assert rows(cases) == []
        assert "No case with this status." in str(cases.query_one("#list-state").render())
        await press(pilot, "s")  # every case
        assert [row[:2] for row in rows(cases)] == [
            ["UCR-000002", "Rejected"],
            ["UCR-000001", "Open"],
        ]
        await press(pilot, "s")  # back to the cases still moving
        assert "still moving" in str(filter_line.render())


async def test_two_consoles_approving_one_case_the_second_is_told_why(
    make_app: AppFactory, portal: Portal
) -> None:
    await open_two_cases(portal)
    first_app, second_app = make_app(), make_app()
    async with first_app.run_test(size=SIZE) as first:
        await sign_in_supervisor(first)
        first_cases = await open_cases_screen(first)
        async with second_app.run_test(size=SIZE) as second:
            await sign_in_supervisor(second)
            await open_cases_screen(second)
            await press(second, "a")  # the dialog open on the second console…
            dialog = second_app.screen
            assert isinstance(dialog, ReasonScreen)
            await move(first, "a")  # …while the first approves
            assert rows(first_cases)[0][:2] == ["UCR-000002", "Approved"]
            second_app.clear_notifications()
            await give_reason(second, "Approved too")
            assert second_app.screen is dialog, "the dialog stays, saying why"
            said = problem_text(dialog)
            assert "UCR-000002 is already “Approved”" in said
            assert "from another console" in said
            assert "cannot be done in the current state" in messages(second_app)
            await press(second, "escape")
            behind = second_app.screen
            assert isinstance(behind, CasesScreen)
            assert rows(behind)[0][:2] == ["UCR-000002", "Approved"]


async def test_enter_opens_the_cases_profile_on_the_call(
    make_app: AppFactory, portal: Portal
) -> None:
    await open_two_cases(portal)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_cases_screen(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        assert app.current_mode == "call"
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        assert profile.profile is not None
        assert profile.profile.display_name == "Estate of Jean Leblanc"


async def test_f4_redraws_the_cases_in_french_on_the_same_case(
    make_app: AppFactory, portal: Portal
) -> None:
    pecheries, _leblanc = await open_two_cases(portal)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_supervisor(pilot)
        cases = await open_cases_screen(pilot)
        await press(pilot, "down")
        await press(pilot, "f4")
        assert cases.selected is not None and cases.selected.id == pecheries["id"]
        title = str(cases.query_one("#list-title", Static).render())
        assert title == "Dossiers de récupération du code d'utilisateur"
        assert rows(cases)[1] == ["UCR-000001", "Ouvert", "Pêcheries Atlantique Inc."]
        assert "Historique des récupérations de ce profil" in detail(cases)
        assert "Affichés : en cours" in str(cases.query_one("#cases-filter", Static).render())


async def test_an_answer_lost_on_the_way_back_sends_the_user_code_once(
    make_app: AppFactory, portal: Portal
) -> None:
    """The portal sent the code but its answer never came: Enter again replays the same
    Idempotency-Key, and the portal answers with the case it already moved: one notice, one
    transition in the trail, no "cannot be done" for what was done."""
    pecheries, _leblanc = await open_two_cases(portal)
    async with PortalClient(portal.url) as client:
        await client.sign_in("supervisor", "demo-pass-supervisor")
        await client.transition_user_code_recovery(pecheries["id"], "approved")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        cases = await open_cases_screen(pilot)
        await press(pilot, "down")
        lost = lose_the_next_post_answer(app)
        app.clear_notifications()
        await press(pilot, "m")
        dialog = await give_reason(pilot, NOTE)
        assert lost == [f"/admin/v1/user-code-recoveries/{pecheries['id']}/transitions"]
        assert app.screen is dialog, "no answer: the dialog stays, the note in it"
        await press(pilot, "enter")
        assert app.screen is cases
        assert "UCR-000001: the user code is sent by e-mail to " in messages(app)
        assert "cannot be done" not in messages(app)
        assert rows(cases)[1][1] == "User code sent"
        assert f"Note: {NOTE}" in detail(cases), "typed brackets are not markup"

    async with PortalClient(portal.url) as client:
        await client.sign_in("supervisor", "demo-pass-supervisor")
        notices = await client.notices(pecheries["profile_id"])
        assert [n.kind for n in notices].count("user_code_sent") == 1
        trail = (await client.profile_audit(pecheries["profile_id"])).items
        moves = [e.reason for e in trail if e.action == "user_code_recovery.transition"]
        assert moves == ["approved->sent", "open->approved"]
