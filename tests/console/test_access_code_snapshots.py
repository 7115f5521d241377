"""Snapshots of the access-code read-out, English and French, at 80x24 and 120x40.

The portal draws each code from a CSPRNG, so the read-out is shown here for a fixed code over a
verified caller's profile; ``test_access_codes`` proves that the portal's code reaches it."""

from __future__ import annotations

from datetime import timedelta

from textual.pilot import Pilot

from helpdesk.api.models import IssuedAccessCode, NoticeSent
from helpdesk.i18n import current_language
from screens.modals.one_time import AccessCodeScreen
from screens.widgets.labels import notice_text
from tests.console.conftest import FIXED_NOW, AppFactory, settle, sign_in
from tests.console.test_live_call_snapshots import LANGUAGES, SIZES
from tests.console.test_search import MARIE, open_profile
from tests.console.test_search_snapshots import SnapCompare
from tests.console.test_verify import MARIE_ANSWERS, answer

FIXED_CODE = IssuedAccessCode(
    id="acc_snapshot",
    code="7K2M-QX9P-4RTV",
    expires_at=FIXED_NOW + timedelta(hours=24),
    notice=NoticeSent(channel="email", to_masked="m•••@v•••.ca"),
)


@SIZES
@LANGUAGES
def test_access_code_readout(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int], language: str
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)
        await pilot.press("v")
        await answer(pilot, *MARIE_ANSWERS)
        assert current_language() == language
        pilot.app.push_screen(
            AccessCodeScreen(FIXED_CODE, "Marie Tremblay", notice_text(FIXED_CODE.notice))
        )
        await settle(pilot)

    assert snap_compare(make_app(language=language), terminal_size=size, run_before=run_before)
