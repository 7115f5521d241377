"""The supervisor's audit screen against the reference portal: filters, paging, opening a profile,
the CSV export, and an agent kept out.

The events are made through the portal's own API (sign-ins, verifications, an unlock), the portal's
clock moved between them, so that every test knows exactly what the trail holds."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from helpdesk.api.client import PortalClient
from helpdesk.api.errors import Forbidden, NotFound
from helpdesk.config import Paths
from screens import audit
from screens.audit import AuditScreen
from screens.profile import ProfileScreen
from tests.console.conftest import AppFactory, Portal, press, settle, sign_in
from tests.console.test_live_call import notification_texts
from tests.console.test_search import MARIE, profile_id

NOWHERE = "prf_nowhere"  # an id no profile has: the portal refuses (and audits) each call naming it
TWO_DAYS = timedelta(days=2)


# --- helpers ----------------------------------------------------------------------------------


async def make_trail(portal: Portal) -> str:
    """On the 23rd (Toronto): the agent signs in and gives MARIE wrong answers. Two days later, the
    supervisor signs in and asks to verify a profile that does not exist. Returns MARIE's id."""
    marie = await profile_id(portal, MARIE)  # the agent's sign-in: 1
    async with PortalClient(portal.url) as client:
        await client.sign_in("agent", "demo-pass-agent")  # 2
        await client.verify(marie, ["wrong", "wrong", "wrong"])  # 3: failed
    portal.clock.advance(TWO_DAYS)
    async with PortalClient(portal.url) as client:
        await client.sign_in("supervisor", "demo-pass-supervisor")  # 4
        with pytest.raises(NotFound):
            await client.verify(NOWHERE, ["a", "b", "c"])  # 5: refused
    return marie


async def refused_verifications(portal: Portal, count: int) -> None:
    async with PortalClient(portal.url) as client:
        await client.sign_in("supervisor", "demo-pass-supervisor")
        for _ in range(count):
            with pytest.raises(NotFound):
                await client.verify(NOWHERE, ["a", "b", "c"])


async def open_audit(pilot: Pilot[None], username: str = "supervisor") -> AuditScreen:
    await sign_in(pilot, username, f"demo-pass-{username}")
    await press(pilot, "f9")
    screen = pilot.app.screen
    assert isinstance(screen, AuditScreen)
    assert screen.loads >= 1
    return screen


def rows(screen: AuditScreen) -> list[tuple[str, ...]]:
    table = screen.query_one("#audit-table", DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(row)) for row in range(table.row_count)]


def column(screen: AuditScreen, index: int) -> list[str]:
    return [row[index] for row in rows(screen)]


def state(screen: AuditScreen) -> str:
    return str(screen.query_one("#list-state", Static).render())


async def type_filter(pilot: Pilot[None], name: str, value: str) -> None:
    """Types a filter and presses Enter, as the supervisor would (``/`` then Tab to the field)."""
    field = pilot.app.screen.query_one(f"#filter-{name}", Input)
    field.focus()
    field.value = value
    await press(pilot, "enter")


async def choose(pilot: Pilot[None], name: str, value: str | None) -> None:
    select: Select[str] = pilot.app.screen.query_one(f"#filter-{name}", Select)
    if value is None:
        select.clear()
    else:
        select.value = value
    await settle(pilot)


def exported(paths: Paths) -> list[dict[str, str]]:
    (path,) = (paths.data_dir / "exports").glob("*.csv")
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


# --- tests ------------------------------------------------------------------------------------


async def test_every_event_newest_first_with_its_reason(
    make_app: AppFactory, portal: Portal
) -> None:
    marie = await make_trail(portal)
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)
        assert rows(screen) == [
            ("2026-11-25 13:32:05", "supervisor", "Sign-in", "OK", "", "—"),  # this console's
            ("2026-11-25 13:32:05", "supervisor", "Caller verification", "Refused", "Not found",
             NOWHERE),
            ("2026-11-25 13:32:05", "supervisor", "Sign-in", "OK", "", "—"),
            ("2026-11-23 13:32:05", "agent", "Caller verification", "Failed", "Wrong answers",
             marie),
            ("2026-11-23 13:32:05", "agent", "Sign-in", "OK", "", "—"),
            ("2026-11-23 13:32:05", "agent", "Sign-in", "OK", "", "—"),
        ]  # fmt: skip
        assert state(screen) == "6 events."
        assert app.focused is screen.query_one("#audit-table")


async def test_filters_narrow_the_trail_and_combine(make_app: AppFactory, portal: Portal) -> None:
    marie = await make_trail(portal)
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)

        await type_filter(pilot, "actor", "agent")
        assert column(screen, 1) == ["agent"] * 3
        assert app.focused is screen.query_one("#audit-table")  # Enter went back to the events

        await choose(pilot, "action", "verification.attempt")
        assert column(screen, 5) == [marie]
        await type_filter(pilot, "actor", "")
        assert column(screen, 5) == [NOWHERE, marie]

        await choose(pilot, "outcome", "refused")
        assert column(screen, 5) == [NOWHERE]
        await choose(pilot, "outcome", None)
        await choose(pilot, "action", None)

        await type_filter(pilot, "profile", marie)
        assert column(screen, 2) == ["Caller verification"]
        await type_filter(pilot, "profile", "")
        assert len(rows(screen)) == 6


async def test_dates_are_whole_local_days(make_app: AppFactory, portal: Portal) -> None:
    await make_trail(portal)
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)

        await type_filter(pilot, "since", "2026-11-24")
        assert {row[0][:10] for row in rows(screen)} == {"2026-11-25"}
        await type_filter(pilot, "since", "")
        await type_filter(pilot, "until", "2026-11-23")  # the whole of the 23rd
        assert column(screen, 0) == ["2026-11-23 13:32:05"] * 3
        await type_filter(pilot, "since", "2026-11-23")
        assert len(rows(screen)) == 3
        await type_filter(pilot, "since", "2026-11-24")
        assert rows(screen) == []
        assert "To” comes before “From" in state(screen)


async def test_a_wrong_date_says_so_and_asks_the_portal_nothing(
    make_app: AppFactory, portal: Portal
) -> None:
    await make_trail(portal)
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)
        loads = screen.loads

        await type_filter(pilot, "since", "2026-13-01")
        assert state(screen) == "“From” must be a date written YYYY-MM-DD, such as 2026-11-23."
        assert screen.query_one("#list-state").has_class("-error")
        assert screen.query_one("#filter-since").has_class("-invalid")
        assert rows(screen) == []  # what was shown matched other filters
        assert screen.loads == loads
        assert app.focused is screen.query_one("#filter-since")  # to correct it

        await type_filter(pilot, "since", "2026-11-25")
        assert screen.loads == loads + 1
        assert len(rows(screen)) == 3
        assert not screen.query_one("#list-state").has_class("-error")


async def test_slash_goes_to_the_filters_and_escape_back(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)
        await press(pilot, "slash")
        assert app.focused is screen.query_one("#filter-actor")
        await press(pilot, "escape")
        assert app.focused is screen.query_one("#audit-table")
        await press(pilot, "ctrl+f")
        assert app.focused is screen.query_one("#filter-actor")


async def test_the_next_page_loads_as_the_cursor_nears_the_end(
    make_app: AppFactory, portal: Portal
) -> None:
    await refused_verifications(portal, audit.PAGE + 30)
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)
        assert len(rows(screen)) == audit.PAGE
        assert "more load as you scroll" in state(screen)
        loads = screen.loads

        await press(pilot, "end")
        assert screen.loads == loads + 1
        every = audit.PAGE + 30 + 2  # the API's sign-in and the console's
        assert len(rows(screen)) == every
        assert len({event.id for event in screen.events}) == every
        times = [event.at for event in screen.events]
        assert times == sorted(times, reverse=True)
        assert state(screen) == f"{every} events."


async def test_enter_opens_the_events_profile(make_app: AppFactory, portal: Portal) -> None:
    marie = await make_trail(portal)
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)
        await press(pilot, "enter")  # the console's own sign-in: no profile
        assert notification_texts(app)[-1][1] == "This event names no profile."
        assert app.screen is screen

        await choose(pilot, "outcome", "failed")
        await press(pilot, "enter")
        assert isinstance(app.screen, ProfileScreen)
        assert app.screen.profile_id == marie
        assert app.current_mode == "call"


async def test_export_writes_the_filtered_events_neutralising_formulas(
    make_app: AppFactory, portal: Portal, app_paths: Paths
) -> None:
    marie = await make_trail(portal)
    formula = '=HYPERLINK("http://example.com","Details")'
    async with PortalClient(portal.url) as client:
        await client.sign_in("supervisor", "demo-pass-supervisor")
        for attempt in range(4):  # with the agent's on the 23rd, the fifth failure: locked
            result = await client.verify(marie, [f"wrong {attempt}", "wrong", "wrong"])
        assert result.locked_until is not None
        await client.unlock(marie, formula)
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)
        await type_filter(pilot, "profile", marie)
        shown = list(screen.events)
        assert len(shown) == 6  # the failure on the 23rd, four more that locked, the unlock
        assert rows(screen)[0][4] == '=HYPERLINK("http://example.com"…'  # cut to fit
        detail = str(screen.query_one("#audit-detail", Static).render())
        assert detail == f"Supervisor · {formula} · Profile {marie}"  # whole

        await press(pilot, "ctrl+e")
        assert screen.exports == 1
        lines = exported(app_paths)
        assert [line["request_id"] for line in lines] == [event.request_id for event in shown]
        assert list(lines[0]) == list(audit.CSV_COLUMNS)
        assert lines[0]["action"] == "profile.unlock"
        assert lines[0]["reason"] == "'" + formula  # a spreadsheet shows it, never runs it
        assert lines[0]["role"] == "supervisor"
        assert lines[-1]["at"] == "2026-11-23T18:32:05+00:00"
        assert {line["outcome"] for line in lines[1:]} == {"failed"}
        _title, message = notification_texts(app)[-1]
        assert (
            message
            == f"6 events exported to {app_paths.data_dir / 'exports' / 'audit-20261125T183205Z.csv'}"
        )
        assert not list((app_paths.data_dir / "exports").glob(".*"))  # no temporary file left


async def test_an_export_stops_at_the_cap_and_says_so(
    make_app: AppFactory, portal: Portal, app_paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "EXPORT_CAP", 5)
    monkeypatch.setattr(audit, "EXPORT_PAGE", 2)
    await refused_verifications(portal, 9)
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)
        await press(pilot, "ctrl+e")
        lines = exported(app_paths)
        assert [line["request_id"] for line in lines] == [e.request_id for e in screen.events[:5]]
        assert "Only the newest 5 were exported" in notification_texts(app)[-1][1]


def test_a_cell_that_a_spreadsheet_would_run_is_made_text() -> None:
    assert [audit.neutralise(cell) for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "a=b", "")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "a=b",
        "",
    ]


async def test_an_agent_cannot_reach_the_audit(make_app: AppFactory, portal: Portal) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await sign_in(pilot)
        mode = app.current_mode
        await press(pilot, "f9")
        assert app.current_mode == mode
        assert not isinstance(app.screen, AuditScreen)
    async with PortalClient(portal.url) as client:
        await client.sign_in("agent", "demo-pass-agent")
        with pytest.raises(Forbidden):
            await client.audit()


async def test_french_keeps_the_rows_and_the_filters(make_app: AppFactory, portal: Portal) -> None:
    await make_trail(portal)
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)
        await choose(pilot, "outcome", "failed")
        loads = screen.loads
        await press(pilot, "f4")
        assert screen.loads == loads  # nothing asked again
        assert column(screen, 2) == ["Vérification de l'appelant"]
        assert screen.query_one("#filter-outcome", Select).value == "failed"
        assert str(screen.query_one("#label-outcome", Static).render()) == "Résultat"
        assert state(screen) == "1 événement."


def test_exports_go_to_the_data_dir(make_app: AppFactory, app_paths: Paths) -> None:
    assert make_app().export_dir == app_paths.data_dir / "exports"


async def test_f5_asks_again_with_the_same_filters(make_app: AppFactory, portal: Portal) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_audit(pilot)
        await choose(pilot, "outcome", "refused")
        assert rows(screen) == []
        await refused_verifications(portal, 2)
        await press(pilot, "f5")
        assert column(screen, 5) == [NOWHERE, NOWHERE]
