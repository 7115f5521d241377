"""Verifying the caller: the three recovery questions, the caller's answers, the portal's verdict.

The questions show in the session's language; when the caller gave the answers in the other
language, each question shows in both, the caller's language marked, as the DFO recovery page does.

The answers are secrets. They live in the three inputs until the portal has judged them: a submit
reads them into one list that only the request holds, emptied as soon as the request ends, and the
inputs wait, disabled, for the verdict. A verdict (verified, wrong, locked) clears the inputs; no
verdict (the portal cannot be reached, the session ended) leaves them as the caller gave them, for
F5 to send again, so the agent never has to ask the caller twice. Nothing else keeps them: no
reactive, no attribute, no log line, and the worker has a fixed description (Textual's default would
be built from the arguments).

The dialog scrolls as a whole between its title and result, docked on top, and its keys, docked at
the bottom: on a short terminal (80x24) the focused answer scrolls into view, and the verdict and
the keys stay on screen.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from helpdesk.api.errors import PortalError, PortalFault, PortalUnavailable, ProfileLocked
from helpdesk.api.models import RecoveryQuestions, VerificationResult
from helpdesk.i18n import _, _l, current_language, format_time, ngettext
from screens.base import ConsoleScreen
from screens.errors import retry_line
from screens.widgets.countdown import is_future, lock_next_step, time_left, unlock_binding
from screens.widgets.footer import KeyFooter
from screens.widgets.labels import in_language

NUMBERS = (1, 2, 3)
# The portal's bound on one answer.
MAX_ANSWER_LENGTH = 200
ANSWER_MARK = "▸"


class VerifyScreen(ConsoleScreen, ModalScreen[VerificationResult | None]):
    CSS_PATH = "../styles/verify.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", _l("Check answers"), id="verify.submit", priority=True),
        Binding("escape", "close", _l("Close"), id="verify.close"),
        Binding("f5", "retry", _l("Retry"), id="verify.retry"),
        # A modal does not inherit the app's keys; the language one matters while reading questions.
        Binding("f4", "app.switch_language", _l("Switch language"), id="verify.language"),
    ]

    def __init__(
        self, profile_id: str, display_name: str, *, locked_until: datetime | None = None
    ) -> None:
        super().__init__()
        self.profile_id = profile_id
        self.display_name = display_name
        self.locked_until = locked_until
        self.questions: RecoveryQuestions | None = None
        self._busy = False
        self._questions_failed = False
        # The answers in the inputs were sent but not judged (no verdict came back): F5 sends them.
        self._unjudged = False
        # The lock whose end the dialog is waiting for: the one-second tick keeps its text current.
        self._shown_lock: datetime | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="verify-dialog"):
            with Vertical(id="verify-top"):
                yield Static(id="verify-title", markup=False)
                yield Static(id="verify-result", markup=False)
            yield Static(id="verify-note", markup=False)
            for number in NUMBERS:
                with Vertical(id=f"question-{number}", classes="question"):
                    yield Static(id=f"question-{number}-label", classes="question-label")
                    yield Static(
                        id=f"question-{number}-text", classes="question-text", markup=False
                    )
                    yield Static(
                        id=f"question-{number}-other",
                        classes="question-text -answer-language",
                        markup=False,
                    )
                    yield Input(
                        id=f"answer-{number}",
                        classes="answer",
                        max_length=MAX_ANSWER_LENGTH,
                        disabled=True,
                    )
            yield KeyFooter()

    def on_mount(self) -> None:
        self._label()
        self.set_interval(1.0, self.tick)
        self._load_questions()

    def _label(self) -> None:
        self.query_one("#verify-title", Static).update(
            _("Verify the caller — {name}").format(name=self.display_name)
        )
        for number in NUMBERS:
            self.query_one(f"#question-{number}-label", Static).update(
                _("Recovery question {number}").format(number=number)
            )
            self.query_one(f"#answer-{number}", Input).placeholder = _(
                "Answer {number}, as the caller says it"
            ).format(number=number)

    @work(exclusive=True, exit_on_error=False, group="questions", description="recovery questions")
    async def _load_questions(self) -> None:
        self._questions_failed = False
        self.refresh_bindings()
        self._result(_("Loading the recovery questions…"), "-busy")
        try:
            self.questions = await self.helpdesk.client.recovery_questions(self.profile_id)
        except PortalUnavailable as error:
            self._questions_failed = True
            self.refresh_bindings()
            self._result(retry_line(error, self.key_for("verify.retry")), "-error")
            return
        except PortalError as error:
            self.helpdesk.report_error(error)
            self.dismiss(None)
            return
        self._show_questions()
        if is_future(self.locked_until, self.helpdesk.clock.now()):
            self._show_locked(self.locked_until)
        else:
            self._result("", "")
            self._enable_answers(True)

    # --- questions ----------------------------------------------------------------------------

    def _show_questions(self) -> None:
        questions = self.questions
        if questions is None:
            return
        session = current_language()
        answers_in = questions.answer_language
        bilingual = answers_in != session
        self.set_class(bilingual, "-bilingual")
        note = self.query_one("#verify-note", Static)
        if bilingual:
            note.update(
                _(
                    "Attention! The caller gave the answers {in_answer_language}, but this session "
                    "is {in_session_language}, so each question shows in both languages; the "
                    "caller answered the one {in_answer_language}, marked {mark}."
                ).format(
                    in_answer_language=in_language(answers_in),
                    in_session_language=in_language(session),
                    mark=ANSWER_MARK,
                )
            )
        else:
            note.update(_("Ask the caller each question and type the answer as it is given."))
        by_number = {question.number: question for question in questions.questions}
        for number in NUMBERS:
            question = by_number.get(number)
            text = self.query_one(f"#question-{number}-text", Static)
            other = self.query_one(f"#question-{number}-other", Static)
            if question is None:
                text.update("")
                other.update("")
                continue
            texts = question.text.model_dump()
            text.update(texts.get(session) or question.text.en)
            if bilingual:
                other.update(f"{ANSWER_MARK} {texts.get(answers_in, '')}")
            else:
                other.update("")

    def translate(self) -> None:
        """The language changed (the app calls this): the session language, too."""
        self._label()
        self._show_questions()

    def _answers(self) -> list[Input]:
        return [self.query_one(f"#answer-{number}", Input) for number in NUMBERS]

    def _enable_answers(self, enabled: bool) -> None:
        for answer in self._answers():
            answer.disabled = not enabled
        if enabled:
            self.query_one("#answer-1", Input).focus()

    def _clear_answers(self) -> None:
        for answer in self._answers():
            answer.value = ""
        self._unjudged = False

    def _result(self, text: str, kind: str) -> None:
        result = self.query_one("#verify-result", Static)
        for name in ("-error", "-failed", "-locked", "-busy"):
            result.set_class(name == kind, name)
        result.set_class(not text, "-empty")
        result.update(text)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """An answer gets the focus: its whole question scrolls into view, not only the input; for
        the first one, as much as fits above it too (the note on the languages)."""
        question = event.widget.parent
        if not isinstance(event.widget, Input) or not isinstance(question, Vertical):
            return
        if question.id == "question-1":
            self.query_one("#verify-dialog").scroll_home(animate=False, immediate=True)
        question.scroll_visible(animate=False, immediate=True)

    def what_would_be_lost(self) -> str | None:
        """The app asks before quitting or signing out (``screens.modals.confirm``)."""
        if any(answer.value for answer in self._answers()):
            return _("The answers typed for {name} have not been checked yet.").format(
                name=self.display_name
            )
        return None

    # --- answering ----------------------------------------------------------------------------

    @on(Input.Submitted, ".answer")
    def _answer_submitted(self, event: Input.Submitted) -> None:
        number = int((event.input.id or "answer-3").rsplit("-", 1)[1])
        if number < len(NUMBERS):
            self.query_one(f"#answer-{number + 1}", Input).focus()
        else:
            self.action_submit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return (self._questions_failed or self._unjudged) and not self._busy
        if action == "submit":
            locked = is_future(self.locked_until, self.helpdesk.clock.now())
            return not self._busy and self.questions is not None and not locked
        return True

    def action_submit(self) -> None:
        if self._busy or self.questions is None:
            return
        inputs = self._answers()
        if any(answer.disabled for answer in inputs):
            return
        empty = [answer for answer in inputs if not answer.value.strip()]
        if empty:
            self._result(_("Type all three answers before checking them."), "-error")
            empty[0].focus()
            return
        answers = [answer.value for answer in inputs]
        # Kept in the inputs until the portal has judged them; not editable meanwhile.
        self._enable_answers(False)
        self._busy = True
        self.refresh_bindings()
        self._result(_("Checking the answers…"), "-busy")
        self._verify(answers)
        del answers

    @work(exclusive=True, exit_on_error=False, group="verify", description="verify the caller")
    async def _verify(self, answers: list[str]) -> None:
        try:
            result = await self.helpdesk.client.verify(self.profile_id, answers)
        except ProfileLocked as error:
            self._busy = False
            self._clear_answers()
            self._show_locked(error.locked_until)
            return
        except PortalFault:
            self._not_judged(
                _(
                    "The portal had a problem: the answers were not checked. They are kept "
                    "as the caller gave them: press {key} to send them again."
                ).format(key=self.key_for("verify.retry"))
            )
            return
        except PortalUnavailable:
            self._not_judged(
                _(
                    "The portal cannot be reached: the answers were not checked. They are kept "
                    "as the caller gave them: press {key} to send them again."
                ).format(key=self.key_for("verify.retry"))
            )
            return
        except PortalError as error:
            self._not_judged(
                _(
                    "The answers were not checked. They are kept: press {key} to send them again."
                ).format(key=self.key_for("verify.retry"))
            )
            self.helpdesk.report_error(error)
            return
        finally:
            answers.clear()
            self._busy = False
            self.refresh_bindings()
        self._clear_answers()
        self._show_result(result)

    def _not_judged(self, text: str) -> None:
        """No verdict: the answers stay in the inputs, editable, for F5 (or Enter) to send again."""
        self._unjudged = True
        self._result(text, "-error")
        self._enable_answers(True)
        self.query_one("#answer-3", Input).focus()

    def _show_result(self, result: VerificationResult) -> None:
        if result.verified:
            self.dismiss(result)
            return
        if result.locked_until is not None and is_future(
            result.locked_until, self.helpdesk.clock.now()
        ):
            self._show_locked(result.locked_until)
            return
        self._enable_answers(True)
        remaining = result.attempts_remaining or 0
        left = ngettext(
            "{count} attempt left before the profile locks.",
            "{count} attempts left before the profile locks.",
            remaining,
        ).format(count=remaining)
        if result.repeated:
            text = _(
                "These are the same answers as an earlier failed attempt: they were not checked "
                "again and did not count. {left}"
            ).format(left=left)
        else:
            text = _("The answers do not match. {left} Ask the caller all three again.").format(
                left=left
            )
        self._result(text, "-failed")

    def _show_locked(self, locked_until: datetime | None) -> None:
        self.locked_until = locked_until
        self._shown_lock = locked_until
        self._enable_answers(False)
        self.refresh_bindings()
        self.set_focus(None)
        self.query_one("#verify-dialog").scroll_home(animate=False)
        self._locked_text()

    def _locked_text(self) -> None:
        locked_until = self.locked_until
        agent = self.helpdesk.agent
        role = agent.role if agent is not None else None
        unlock_key = self.key_for(unlock_binding(role))
        if locked_until is None:
            self._result(lock_next_step(None, role, unlock_key), "-locked")
            return
        now = self.helpdesk.clock.now()
        locked = _("The profile is locked until {time} (in {duration}).").format(
            time=format_time(locked_until), duration=time_left(locked_until, now)
        )
        self._result(f"{locked}\n{lock_next_step(locked_until, role, unlock_key)}", "-locked")

    def tick(self) -> None:
        """Every second: the lock's time left follows ``app.clock``; once it ends, answers again."""
        lock = self._shown_lock
        if lock is None or self._busy:
            return
        if is_future(lock, self.helpdesk.clock.now()):
            self._locked_text()
            return
        self._shown_lock = None
        self.locked_until = None
        self.refresh_bindings()
        self._result(
            _("The lock has ended: the caller can answer again. Ask all three questions."), ""
        )
        self._enable_answers(True)

    def action_retry(self) -> None:
        if self._questions_failed:
            self._load_questions()
        elif self._unjudged:
            self.action_submit()

    def action_close(self) -> None:
        self._clear_answers()
        self.dismiss(None)
