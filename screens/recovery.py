"""A caller who forgot their user code: self-service for individual and joint accounts, a manual
recovery case for the others.

Self-service "Forgot your user code?" works only for individual and joint accounts, so the console
explains it to those callers (``SelfServiceScreen``, in the caller's language on request) and
offers no case. Non-personal accounts (business, organisation, trust, executor, mandatary) phone
in: ``RecoveryWizardScreen`` records who is calling and which representative they are, the
authority checks the agent made (a checklist fit for the account's subtype, and a note), and where
the portal sends the user code (the e-mail or postal address on file, masked); then it opens the
case and gives the case number to read back. The user code itself is never shown or read out: it
travels only from the portal to the contact on file, once a supervisor approves.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from helpdesk.api.models import NewUserCodeRecovery, Profile, UserCodeRecovery
from helpdesk.i18n import N_, _, _l, current_language, translate_to
from helpdesk.phonetic import spoken
from screens.base import ConsoleScreen
from screens.widgets.footer import KeyFooter
from screens.widgets.labels import (
    evidence_label,
    in_language,
    notice_text,
    representative_role_label,
    subtype_label,
)

SELF_SERVICE_KINDS = frozenset({"individual", "joint"})

# The checks an agent can make of the caller's authority, by the account's subtype; each is kept
# in the case as its code (the same in both languages), shown by ``labels.evidence_label``.
COMMON_EVIDENCE = ("name_matches_representative", "contact_on_file_confirmed")
EVIDENCE: dict[str, tuple[str, ...]] = {
    "business": ("registry_signing_authority", "business_number_confirmed"),
    "organization": ("officer_in_records", "registration_number_confirmed"),
    "trust": ("trustee_in_deed", "trust_account_confirmed"),
    "executor": ("will_or_probate_names_executor", "proof_of_death_on_file"),
    "mandatary": ("mandate_names_caller", "mandate_in_force"),
}


def evidence_for(subtype: str | None) -> tuple[str, ...]:
    return EVIDENCE.get(subtype or "", ()) + COMMON_EVIDENCE


# What the caller does on the portal, said in the caller's language when the agent asks.
SELF_SERVICE_STEPS = (
    N_("On the portal's sign-in page, click “Forgot your user code?”."),
    N_(
        "The portal sends the user code to the e-mail address on file. The e-mail can take up "
        "to 30 minutes: check the junk mail folder."
    ),
    N_(
        "To set a new password, click “Forgot your password?” and enter the user code. The reset "
        "link lasts 1 hour; after that, click “Forgot your password?” again."
    ),
    N_("It works best from a computer rather than a mobile phone."),
)


class SelfServiceScreen(ConsoleScreen, ModalScreen[None]):
    """What an individual or joint account holder does to recover their user code themselves."""

    CSS_PATH = "../styles/recovery.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss", _l("Close"), id="self_service.close"),
        Binding("l", "other_language", _l("Other language"), id="self_service.language"),
    ]

    def __init__(self, profile: Profile) -> None:
        super().__init__(id="self-service")
        self.profile = profile
        self.language = profile.preferred_language

    def compose(self) -> ComposeResult:
        language = self.language
        with VerticalScroll(id="recovery-dialog"):
            yield Static(
                _("{name} can recover the user code online").format(name=self.profile.display_name),
                classes="recovery-title",
                markup=False,
            )
            yield Static(
                _(
                    "Individual and joint accounts use the portal's self-service: no case is "
                    "opened for them. Read the steps to the caller ({language}; L switches)."
                ).format(language=in_language(language)),
                classes="recovery-hint",
                markup=False,
            )
            for number, step in enumerate(SELF_SERVICE_STEPS, start=1):
                yield Static(
                    f"{number}. {translate_to(language, step)}",
                    classes="recovery-step",
                    markup=False,
                )
            yield KeyFooter()

    def action_other_language(self) -> None:
        self.language = "fr" if self.language == "en" else "en"
        self.refresh(recompose=True)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


STEPS = ("who", "checks", "delivery", "confirm", "opened")


class RecoveryWizardScreen(ConsoleScreen, ModalScreen[UserCodeRecovery | None]):
    """Opening a manual user-code recovery case for a non-personal account, step by step."""

    CSS_PATH = "../styles/recovery.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter moves on from any field, as the footer says; Space ticks a check.
        Binding("enter", "next", _l("Next"), id="recovery.next", priority=True),
        Binding("escape", "back", _l("Back"), id="recovery.back"),
        # What "press F5 to try again" means here: open the case again, the same case.
        Binding("f5", "retry", _l("Try again"), id="recovery.retry", show=False),
    ]

    def __init__(self, profile: Profile) -> None:
        super().__init__(id="recovery-wizard")
        self.profile = profile
        self.step = "who"
        self.case: UserCodeRecovery | None = None

    # --- building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        profile = self.profile
        with VerticalScroll(id="recovery-dialog"):
            yield Static(id="recovery-heading", classes="recovery-title", markup=False)
            with ContentSwitcher(initial="who", id="recovery-steps"):
                with Vertical(id="who"):
                    yield Label(_("Caller's name, as they give it"))
                    yield Input(id="caller-name", max_length=200)
                    yield Label(_("Which representative on file is calling?"))
                    yield OptionList(
                        *(
                            Option(
                                f"{person.name} — {representative_role_label(person.role)}",
                                id=person.id,
                            )
                            for person in profile.representatives
                        ),
                        id="representative",
                    )
                with Vertical(id="checks"):
                    yield Label(
                        _(
                            "Checks of the caller's authority you made ({subtype}; Space ticks)"
                        ).format(subtype=subtype_label(profile.subtype) or "—")
                    )
                    yield SelectionList[str](
                        *((evidence_label(code), code) for code in evidence_for(profile.subtype)),
                        id="evidence",
                    )
                    yield Label(_("Note (optional)"))
                    yield Input(id="recovery-note", max_length=500)
                with Vertical(id="delivery"):
                    yield Label(_("Where the portal sends the user code, once approved"))
                    yield OptionList(*self._deliveries(), id="delivery-choice")
                    yield Static(
                        _(
                            "The user code is never shown here nor read out: it goes only to the "
                            "contact on file."
                        ),
                        classes="recovery-hint",
                        markup=False,
                    )
                with Vertical(id="confirm"):
                    yield Static(id="recovery-summary", markup=False)
                with Vertical(id="opened"):
                    yield Static(id="recovery-case", markup=False)
            yield Static("", id="recovery-problem", markup=False)
            yield KeyFooter()

    def _deliveries(self) -> list[Option]:
        options = []
        if self.profile.email:
            options.append(Option(_("By e-mail to {to}").format(to=self.profile.email), id="email"))
        if self.profile.postal_address:
            address = ", ".join(self.profile.postal_address.splitlines())
            options.append(Option(_("By post to {to}").format(to=address), id="mail"))
        return options

    def on_mount(self) -> None:
        self._show("who")

    def translate(self) -> None:
        # The fields keep what the agent typed and ticked; the words follow the language.
        self.refresh_bindings()
        self._show(self.step)

    def _show(self, step: str) -> None:
        self.step = step
        self.query_one(ContentSwitcher).current = step
        self.query_one("#recovery-problem", Static).update("")
        number = STEPS.index(step) + 1
        titles = {
            "who": _("Who is calling"),
            "checks": _("The caller's authority"),
            "delivery": _("Where the user code goes"),
            "confirm": _("Open the case?"),
            "opened": _("Case opened"),
        }
        heading = _("User-code recovery for {name}").format(name=self.profile.display_name)
        if step == "opened":
            self.query_one("#recovery-heading", Static).update(f"{heading} — {titles[step]}")
        else:
            self.query_one("#recovery-heading", Static).update(
                _("{heading} — step {number} of 4: {title}").format(
                    heading=heading, number=number, title=titles[step]
                )
            )
        first = {
            "who": "#caller-name",
            "checks": "#evidence",
            "delivery": "#delivery-choice",
        }.get(step)
        for options in self.query(OptionList):
            if options.highlighted is None and options.option_count:
                options.highlighted = 0  # the choice the footer's Enter takes is on screen
        if first is not None:
            self.query_one(first).focus()
        if step == "confirm":
            self.query_one("#recovery-summary", Static).update(self._summary())

    # --- moving through the steps -------------------------------------------------------------

    def action_next(self) -> None:
        if self.step == "who":
            if not self.query_one("#caller-name", Input).value.strip():
                self._problem(_("Type the caller's name first."))
            elif self._highlighted("#representative") is None:
                self._problem(_("Choose the representative who is calling (↑ ↓)."))
            else:
                self._show("checks")
        elif self.step == "checks":
            if not self.query_one("#evidence", SelectionList).selected:
                self._problem(_("Tick at least one check you made (Space ticks)."))
            else:
                self._show("delivery")
        elif self.step == "delivery":
            if self._highlighted("#delivery-choice") is None:
                self._problem(_("The profile has no e-mail or postal address to send it to."))
            else:
                self._show("confirm")
        elif self.step == "confirm":
            self._open_case()
        else:
            self.dismiss(self.case)

    def action_retry(self) -> None:
        if self.step == "confirm":
            self._open_case()

    def action_back(self) -> None:
        if self.step == "opened":
            self.dismiss(self.case)
        elif self.step == "who":
            self.dismiss(None)
        else:
            self._show(STEPS[STEPS.index(self.step) - 1])

    def _problem(self, text: str) -> None:
        self.query_one("#recovery-problem", Static).update(text)

    def _highlighted(self, selector: str) -> str | None:
        options = self.query_one(selector, OptionList)
        if options.option_count == 0:
            return None
        if options.highlighted is None:
            options.highlighted = 0
        return options.get_option_at_index(options.highlighted).id

    def _new_case(self) -> NewUserCodeRecovery:
        note = self.query_one("#recovery-note", Input).value.strip()
        return NewUserCodeRecovery(
            profile_id=self.profile.id,
            caller_name=self.query_one("#caller-name", Input).value.strip(),
            representative_id=self._highlighted("#representative") or "",
            evidence=list(self.query_one("#evidence", SelectionList).selected),
            delivery="mail" if self._highlighted("#delivery-choice") == "mail" else "email",
            note=note or None,
        )

    def _summary(self) -> str:
        case = self._new_case()
        representative = next(
            person for person in self.profile.representatives if person.id == case.representative_id
        )
        delivery = self.query_one("#delivery-choice", OptionList)
        assert delivery.highlighted is not None
        lines = [
            _("Caller: {name}, as {representative} ({role})").format(
                name=case.caller_name,
                representative=representative.name,
                role=representative_role_label(representative.role),
            ),
            _("Checks made:"),
            *(f"  ✔ {evidence_label(code)}" for code in case.evidence),
            _("Note: {note}").format(note=case.note) if case.note else _("No note."),
            str(delivery.get_option_at_index(delivery.highlighted).prompt),
            "",
            _("Enter opens the case; a supervisor approves it before the portal sends the code."),
        ]
        return "\n".join(lines)

    @work(exclusive=True, exit_on_error=False, group="open-case")
    async def _open_case(self) -> None:
        intent = f"recovery:{self.profile.id}"
        key = self.helpdesk.call.idempotency_key(intent)
        problem = self.query_one("#recovery-problem", Static)
        problem.update(_("Opening the case…"))
        case = await self.call_portal(
            self.helpdesk.client.open_user_code_recovery(self._new_case(), key),
            status=problem,
            intent=intent,
        )
        if case is None:
            if not problem.has_class("-error"):
                problem.update("")
            return
        self.case = case
        spelled = spoken(case.case_number, current_language())
        self.query_one("#recovery-case", Static).update(
            "\n".join(
                [
                    _("Read the case number back to the caller: {number}").format(
                        number=case.case_number
                    ),
                    f"  {spelled}",
                    "",
                    notice_text(case.notice),
                    _("The notice is {language}.").format(
                        language=in_language(self.profile.preferred_language)
                    ),
                    _(
                        "A supervisor approves the case in Recovery cases; then the portal sends "
                        "the user code {where}."
                    ).format(where=_("by e-mail") if case.delivery == "email" else _("by post")),
                ]
            )
        )
        self._show("opened")


def recover_user_code_screen(profile: Profile) -> SelfServiceScreen | RecoveryWizardScreen:
    """Self-service guidance for an account that has it, the case wizard for one that has not."""
    if profile.kind in SELF_SERVICE_KINDS:
        return SelfServiceScreen(profile)
    return RecoveryWizardScreen(profile)
