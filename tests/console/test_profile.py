"""The profile screen against the reference portal: masked details, tabs, the live lock countdown."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Static, TabbedContent

from helpdesk.i18n import format_time
from screens.profile import ProfileScreen
from screens.search import SearchScreen
from screens.widgets.countdown import LockCountdown
from tests.console.conftest import FIXED_NOW, SIZE, AppFactory, Portal, press, settle, sign_in
from tests.console.test_search import MARIE, lock_through_the_api, open_profile


def field_values(screen: ProfileScreen, selector: str) -> dict[str, str]:
    labels = [str(label.render()) for label in screen.query(f"{selector} .field-label")]
    values = [str(value.render()) for value in screen.query(f"{selector} .field-value")]
    return dict(zip(labels, values, strict=True))


def table_rows(screen: ProfileScreen, selector: str) -> list[list[str]]:
    table = screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_the_profile_opens_masked_with_a_hint(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = await open_profile(pilot, MARIE)
        assert screen.has_class("-masked")
        assert "masked until the caller is verified" in str(
            screen.query_one("#masked-hint", Static).render()
        )
        contact = field_values(screen, "#contact-fields")
        assert "•" in contact["E-mail"] and contact["E-mail"].endswith("(masked)")
        assert contact["Phone"].startswith("•••-•••-")
        assert contact["Preferred language"] == "French"
        identifiers = field_values(screen, "#identifier-fields")
        assert identifiers["Recovery number"] == MARIE
        assert "•" in identifiers["User code"]
        assert "marie" not in contact["E-mail"]
        assert not screen.query_one("#verified-banner").display


async def test_the_tabs_show_security_sign_ins_and_history(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = await open_profile(pilot, MARIE)
        await press(pilot, "2")
        assert screen.query_one(TabbedContent).active == "security"
        security = field_values(screen, "#security-fields")
        assert security["Failed attempts"] == "0/5"
        assert str(screen.query_one(LockCountdown).render()) == "Not locked"
        sign_ins = table_rows(screen, "#sign-ins-table")
        assert sign_ins and sign_ins[0][1] in {"Success", "Failed", "Locked"}
        assert table_rows(screen, "#credentials-table")
        await press(pilot, "5")
        assert screen.query_one(TabbedContent).active == "history"


async def test_a_joint_account_shows_both_holders(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = await open_profile(pilot, "61492038")
        headings = [str(h.render()) for h in screen.query(".section-heading")]
        assert "Holder 1" in headings and "Holder 2" in headings
        given = [str(v.render()) for v in screen.query(".holder .field-value")]
        assert "Luc" in given and "Sophie" in given


async def test_a_business_shows_its_representatives(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = await open_profile(pilot, "73016584")
        await press(pilot, "3")
        rows = table_rows(screen, "#representatives-table")
        assert {row[0] for row in rows} == {"Denis Cormier", "Julie Arsenault"}
        assert any(
            "never shown" in str(note.render()) for note in screen.query("#summary-body .note")
        )


async def test_the_lock_counts_down_on_the_app_clock_and_ends(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = await open_profile(pilot, MARIE)
        await press(pilot, "2")
        countdown = screen.query_one(LockCountdown)
        until = format_time(FIXED_NOW + timedelta(minutes=15))
        assert str(countdown.render()) == f"Locked — unlocks at {until} — in 15 minutes"
        assert field_values(screen, "#security-fields")["Failed attempts"] == "5/5"
        portal.clock.advance(timedelta(minutes=3))
        screen.tick()  # what the one-second interval does
        await pilot.pause()
        assert str(countdown.render()) == f"Locked — unlocks at {until} — in 12 minutes"
        portal.clock.advance(timedelta(minutes=12, seconds=1))
        screen.tick()
        await settle(pilot)
        # The lock has passed: the profile was fetched again and the portal says it is unlocked.
        assert str(screen.query_one(LockCountdown).render()) == "Not locked"
        assert field_values(screen, "#security-fields")["Failed attempts"] == "0/5"


async def test_escape_goes_back_to_the_search(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)
        await press(pilot, "escape")
        assert isinstance(app.screen, SearchScreen)
        assert app.focused is not None


async def test_in_french_roles_lengths_and_labels_read_as_french(make_app: AppFactory) -> None:
    app = make_app(language="fr")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = await open_profile(pilot, "73016584")
        await press(pilot, "3")
        roles = {row[0]: row[1] for row in table_rows(screen, "#representatives-table")}
        assert roles == {"Denis Cormier": "Président", "Julie Arsenault": "Représentant autorisé"}
        await press(pilot, "4")
        lengths = {row[0]: row[2] for row in table_rows(screen, "#vessels-table")}
        assert lengths == {"Cap Lumière": "19,8", "Marie-Soleil II": "14,9"}
        await press(pilot, "2")
        labels = screen.query("#security-fields .field-label")
        assert "Vérification en deux étapes" in [str(label.render()) for label in labels]
        assert all(label.region.height == 1 for label in labels), "a label wraps"
