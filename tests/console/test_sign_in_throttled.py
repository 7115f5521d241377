"""A sign-in the portal throttles (429 with Retry-After) is said on the sign-in screen with how long
to wait, in the agent's words, against the real reference portal."""

from __future__ import annotations

import httpx
from textual.widgets import Input, Static

from screens.sign_in import SignInScreen
from tests.console.conftest import SIZE, AppFactory, Portal, sign_in


async def test_a_throttled_sign_in_says_how_long_to_wait(
    make_app: AppFactory, portal: Portal
) -> None:
    with httpx.Client(base_url=portal.url) as client:
        for _ in range(10):  # the portal's failures allowed per username in 15 minutes
            wrong = {"username": "agent", "password": "not-the-password"}
            assert client.post("/admin/v1/sessions", json=wrong).status_code == 401
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)  # the right password, refused until the window has moved on
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        message = str(screen.query_one("#sign-in-error", Static).render())
        assert message == "Too many attempts. Try again in 15 minutes."
        assert screen.query_one("#username", Input).value == "agent"
        assert app.agent is None
