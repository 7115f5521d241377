"""A forgotten user code, against the real portal: self-service steps for individual and joint
accounts (no case), the recovery wizard for non-personal ones (a case, its number read back, the
user code never shown)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, SelectionList, Static

from screens.profile import ProfileScreen
from screens.recovery import RecoveryWizardScreen, SelfServiceScreen
from tests.console.conftest import SIZE, AppFactory, Portal, portal_api, press, settle, sign_in
from tests.console.test_search import MARIE, open_profile

BUSINESS = "73016584"  # Pêcheries Atlantique Inc.
ESTATE = "85207419"  # Estate of Jean Leblanc


def cases(portal: Portal) -> list[dict[str, object]]:
    with portal_api(portal) as http:
        items: list[dict[str, object]] = http.get("/admin/v1/user-code-recoveries").json()["items"]
        return items


def steps_text(screen: SelfServiceScreen) -> str:
    return "\n".join(str(step.render()) for step in screen.query(".recovery-step"))


async def start_wizard(pilot: Pilot[None], recovery_number: str) -> RecoveryWizardScreen:
    profile = await open_profile(pilot, recovery_number)
    assert isinstance(profile, ProfileScreen)
    await press(pilot, "r")
    wizard = pilot.app.screen
    assert isinstance(wizard, RecoveryWizardScreen)
    return wizard


def problem(wizard: RecoveryWizardScreen) -> str:
    return str(wizard.query_one("#recovery-problem", Static).render())


async def fill_who(pilot: Pilot[None], wizard: RecoveryWizardScreen, name: str) -> None:
    wizard.query_one("#caller-name", Input).value = name
    await press(pilot, "tab", "down", "enter")


async def test_an_individual_is_guided_to_self_service_in_their_language(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)  # individual, prefers French
        await press(pilot, "r")
        guide = app.screen
        assert isinstance(guide, SelfServiceScreen), "no wizard for an individual account"
        french = steps_text(guide)
        assert "« Code d'utilisateur oublié? »" in french or "Code d'utilisateur oublié" in french
        assert "30 minutes" in french and "1 heure" in french
        await press(pilot, "l")
        english = steps_text(guide)
        assert "Forgot your user code?" in english
        assert "up to 30 minutes" in english and "lasts 1 hour" in english
        await press(pilot, "escape")
        assert isinstance(app.screen, ProfileScreen)
    assert cases(portal) == []


async def test_a_business_case_is_opened_step_by_step(make_app: AppFactory, portal: Portal) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        wizard = await start_wizard(pilot, BUSINESS)
        await press(pilot, "enter")
        assert wizard.step == "who" and "caller's name" in problem(wizard)
        await fill_who(pilot, wizard, "Denis Cormier")
        assert wizard.step == "checks"
        await press(pilot, "enter")
        assert wizard.step == "checks" and "at least one" in problem(wizard)
        evidence = wizard.query_one("#evidence", SelectionList)
        assert evidence.option_count == 4, "two checks for a business, two for any account"
        await press(pilot, "space", "down", "space", "tab")
        wizard.query_one("#recovery-note", Input).value = "Called from the number on file"
        await press(pilot, "enter")
        assert wizard.step == "delivery"
        choices = wizard.query_one("#delivery-choice", OptionList)
        assert "i•••@p•••.ca" in str(choices.get_option_at_index(0).prompt)
        await press(pilot, "enter")
        assert wizard.step == "confirm"
        summary = str(wizard.query_one("#recovery-summary", Static).render())
        assert "Denis Cormier" in summary and "business number" in summary
        await press(pilot, "escape")
        assert wizard.step == "delivery", "Escape goes back a step, nothing lost"
        await press(pilot, "enter", "enter")
        await settle(pilot)
        assert wizard.step == "opened"
        opened = str(wizard.query_one("#recovery-case", Static).render())
        assert "UCR-000001" in opened
        assert "Uniform Charlie Romeo / zero zero zero zero zero one" in opened
        assert "i•••@p•••.ca" in opened
        await press(pilot, "enter")
        assert isinstance(app.screen, ProfileScreen)
    [case] = cases(portal)
    assert case["case_number"] == "UCR-000001" and case["status"] == "open"
    assert case["caller_name"] == "Denis Cormier" and case["delivery"] == "email"
    assert case["evidence"] == ["registry_signing_authority", "business_number_confirmed"]
    assert case["note"] == "Called from the number on file"
    assert "PATL0042" not in str(case), "the user code never travels in a response"


async def test_an_estate_gets_the_executor_checks_and_can_go_by_post(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app(language="fr")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        wizard = await start_wizard(pilot, ESTATE)
        await fill_who(pilot, wizard, "Anne Leblanc")
        evidence = wizard.query_one("#evidence", SelectionList)
        labels = [str(evidence.get_option_at_index(i).prompt) for i in range(2)]
        assert any("homologation" in label or "testament" in label for label in labels)
        await press(pilot, "space", "enter")
        choices = wizard.query_one("#delivery-choice", OptionList)
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert "mail" in ids
        await press(pilot, *(["down"] * ids.index("mail")), "enter", "enter")
        await settle(pilot)
        assert wizard.step == "opened"
    [case] = cases(portal)
    assert case["delivery"] == "mail"
    assert case["evidence"] == ["will_or_probate_names_executor"]
