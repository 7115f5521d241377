"""DFO access codes on the call, against the real portal: issued to a verified caller, read out
once and forgotten, listed without the code, redeemed by the caller, revoked."""

from __future__ import annotations

import gc

import httpx
from textual.widgets import DataTable, Static

from screens.modals.confirm import ConfirmScreen
from screens.modals.one_time import AccessCodeScreen
from screens.profile import ProfileScreen
from screens.verify import VerifyScreen
from tests.console.conftest import SIZE, AppFactory, Portal, press, settle, sign_in
from tests.console.test_search import MARIE, open_profile
from tests.console.test_verify import MARIE_ANSWERS, answer


def codes_statuses(profile: ProfileScreen) -> list[str]:
    table = profile.query_one("#codes-table", DataTable)
    return [str(table.get_row_at(row)[2]) for row in range(table.row_count)]


def texts_of_every_widget(app: object) -> str:
    return "\n".join(
        str(widget.render())
        for screen in app.every_screen()  # type: ignore[attr-defined]
        for widget in screen.query(Static)
    )


async def test_c_before_verification_verifies_first_then_issues_the_code(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        assert isinstance(profile, ProfileScreen)
        await press(pilot, "c")
        assert isinstance(app.screen, VerifyScreen), "not verified: the verification comes first"
        await answer(pilot, *MARIE_ANSWERS)
        await settle(pilot)
        readout = app.screen
        assert isinstance(readout, AccessCodeScreen)
        shown = str(readout.query_one("#code-value", Static).render())
        code = shown.replace(" ", "").replace("·", "-")
        assert len(code) == 14 and code[4] == code[9] == "-"
        spelled = [str(letter.render()) for letter in readout.query(".code-letter")]
        assert len(spelled) == 12
        assert all(len(line.split()) >= 2 for line in spelled), "each character has its word"
        expiry = str(readout.query_one("#code-expiry", Static).render())
        assert "(in 24 hours)" in expiry
        assert "m•••@v•••.ca" in str(readout.query_one("#code-notice", Static).render())

        await press(pilot, "enter")
        assert isinstance(app.screen, ProfileScreen)
        gc.collect()
        assert code not in texts_of_every_widget(app), "closed: the code is nowhere on screen"
        assert code.replace("-", "") not in texts_of_every_widget(app).replace(" ", "")
        assert all(worker.result is None for worker in app.workers)

        await press(pilot, "6")
        assert codes_statuses(profile) == ["Active"]

        # The caller redeems it on the portal's self-service page; the console sees it on F5.
        redeemed = httpx.post(f"{portal.url}/v1/access-codes/redemptions", json={"code": code})
        assert redeemed.status_code == 200, redeemed.text
        await press(pilot, "f5")
        assert codes_statuses(profile) == ["Redeemed"]


async def test_a_new_code_asks_first_and_the_old_one_can_be_revoked(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app(language="fr")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        await press(pilot, "v")
        await answer(pilot, *MARIE_ANSWERS)
        await press(pilot, "c")
        readout = app.screen
        assert isinstance(readout, AccessCodeScreen)
        letters = " ".join(str(letter.render()) for letter in readout.query(".code-letter"))
        assert "(dans 24\u00a0heures)" in str(readout.query_one("#code-expiry", Static).render())
        digits_fr = {"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"}
        digits_en = {"two", "three", "four", "five", "seven", "eight", "nine"}
        assert not digits_en & set(letters.split()), f"digits are said in French: {letters}"
        assert digits_fr & set(letters.split()) or not any(c.isdigit() for c in letters)
        await press(pilot, "escape")

        await press(pilot, "c")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen), "an active code exists: ask before replacing"
        await press(pilot, "escape")
        assert isinstance(app.screen, ProfileScreen)

        await press(pilot, "6")
        await press(pilot, "x")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "right", "enter")
        await settle(pilot)
        assert codes_statuses(profile) == ["Révoqué"]
        await press(pilot, "x")
        assert isinstance(app.screen, ProfileScreen), "a revoked code cannot be revoked again"
