"""Sign-in against the real reference portal: focus, errors, remember me, sign-out, expired token."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Checkbox, Footer, Input, Static

from helpdesk.credentials import SERVICE
from screens.search import SearchScreen
from screens.sign_in import SignInScreen
from tests.console.conftest import SIZE, AppFactory, Portal, press, settle, sign_in
from tests.keyrings import encrypted_keyring


def text_of(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_sign_in_with_the_keyboard_then_the_search_box_has_focus(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.focused is app.screen.query_one("#username")
        await pilot.press(*"agent")
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#password")
        await pilot.press(*"demo-pass-agent")
        await press(pilot, "enter")
        assert isinstance(app.screen, SearchScreen)
        assert app.focused is app.screen.query_one("#search-query")
        assert app.agent is not None and app.agent.username == "agent"
        assert app.environment == "demo"
        header = text_of(app, "#header-environment") + text_of(app, "#header-agent")
        assert "DEMO" in header and "agent" in header


async def test_the_demo_credentials_show_in_the_demo_environment(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        demo = app.screen.query_one("#demo-credentials", Static)
        assert demo.display
        assert "demo-pass-agent" in text_of(app, "#demo-credentials")
        assert "demo-pass-supervisor" in text_of(app, "#demo-credentials")


async def test_a_wrong_password_is_said_inline(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "agent", "not-the-password")
        assert isinstance(app.screen, SignInScreen)
        assert "Wrong username or password." in text_of(app, "#sign-in-error")
        assert app.screen.query_one("#password", Input).value == ""
        assert app.focused is app.screen.query_one("#password")
        assert app.agent is None


async def test_an_unreachable_portal_is_said_with_a_retry(
    make_app: AppFactory, portal: Portal, unused_port: int
) -> None:
    app = make_app()
    closed = f"http://127.0.0.1:{unused_port}"
    app._locate_portal = lambda: closed
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.portal_status == "unreachable"
        message = text_of(app, "#sign-in-error")
        assert "cannot be reached" in message and "Ctrl+R" in message
        # The portal comes back: Ctrl+R retries and the screen is ready to sign in.
        app._client = None
        app._locate_portal = lambda: portal.url
        await press(pilot, "ctrl+r")
        assert app.portal_status == "ready"
        assert not app.screen.query_one("#sign-in-error").display


async def test_remember_me_round_trip(make_app: AppFactory, keyring_file, portal: Portal) -> None:  # type: ignore[no-untyped-def]
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await sign_in(pilot, remember=True)
        assert isinstance(first.screen, SearchScreen)
    keyring = encrypted_keyring(keyring_file)
    account = f"agent@{portal.url}"
    assert keyring.get_password(SERVICE, account)

    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(second.screen, SearchScreen), "the remembered token skips sign-in"
        assert second.agent is not None and second.agent.username == "agent"
        await press(pilot, "ctrl+o")
        assert isinstance(second.screen, SignInScreen)
        assert second.agent is None
    assert encrypted_keyring(keyring_file).get_password(SERVICE, account) is None

    third = make_app()
    async with third.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(third.screen, SignInScreen)
        assert third.screen.query_one("#username", Input).value == "agent"


async def test_without_remember_me_nothing_is_kept(
    make_app: AppFactory, keyring_file, portal: Portal
) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, SearchScreen)
    assert encrypted_keyring(keyring_file).get_password(SERVICE, f"agent@{portal.url}") is None


async def test_a_plaintext_keyring_is_refused_and_said(make_app: AppFactory, app_paths) -> None:  # type: ignore[no-untyped-def]
    from keyrings.alt.file import PlaintextKeyring

    from helpdesk.credentials import CredentialStore

    plaintext = PlaintextKeyring()
    plaintext.file_path = str(app_paths.state_dir / "plain.cfg")
    app = make_app(credentials=CredentialStore(app_paths.state_file, plaintext))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        remember = app.screen.query_one("#remember", Checkbox)
        assert remember.disabled and not remember.value
        assert "plain file" in text_of(app, "#keyring-problem")
        await sign_in(pilot)
        assert isinstance(app.screen, SearchScreen)
    assert not (app_paths.state_dir / "plain.cfg").exists()


async def test_an_expired_token_sends_to_sign_in_then_back(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        portal.clock.advance(timedelta(hours=8, minutes=1))
        # Put in, not typed: a search started between two keys would take the rest of the word to
        # the sign-in screen.
        search.query_one("#search-query", Input).value = "Tremblay"
        await press(pilot, "enter")
        assert isinstance(app.screen, SignInScreen), "the 401 sends the agent to sign in"
        assert app.screen.returning
        # The same agent: the username is there, only the password is left to type.
        assert app.screen.query_one("#username", Input).value == "agent"
        assert app.focused is app.screen.query_one("#password")
        await sign_in(pilot)
        assert app.screen is search, "back to the same screen, with what was typed"
        assert search.query_one("#search-query", Input).value == "Tremblay"
        assert app.agent is not None


async def test_on_an_80x24_terminal_the_error_and_demo_credentials_are_on_screen(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "agent", "not-the-password")
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        assert screen.has_class("-short")
        visible = screen.query_one(Footer).region.y  # the rows above the footer
        for selector in (
            "#username",
            "#password",
            "#sign-in",
            "#sign-in-error",
            "#demo-credentials",
        ):
            region = screen.query_one(selector).region
            assert region.y > 0 and region.bottom <= visible, f"{selector} is off screen: {region}"
        assert "Wrong username or password." in text_of(app, "#sign-in-error")
        assert screen.query_one("#sign-in-box").scroll_offset.y == 0


async def test_after_sign_out_the_known_username_is_kept_and_the_password_has_focus(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await press(pilot, "ctrl+o")
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        assert screen.query_one("#username", Input).value == "agent"
        assert app.focused is screen.query_one("#password")
        screen.query_one("#password", Input).value = "demo-pass-agent"
        await press(pilot, "enter")
        assert isinstance(app.screen, SearchScreen)

    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.screen.query_one("#username", Input).value == "agent"
        assert again.focused is again.screen.query_one("#password")
