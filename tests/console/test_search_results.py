"""Search results that tell callers apart: the recovery number's hint, the subtype, what matched
when it is not the name; at 80 columns too."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from screens.app import HelpdeskApp
from screens.search import SearchScreen
from tests.console.conftest import SIZE, AppFactory, press, settle, sign_in
from tests.console.test_search import MARIE, result_names, search

SMALL = (80, 24)
# The columns an agent reads to pick the caller's row: they stay on screen at 80 columns, and the
# city starts there.
MUST_SHOW = ("name", "recovery_number", "kind", "matched_on")


def rows(app: HelpdeskApp) -> dict[str, dict[str, str]]:
    """Each row by its name (as shown, so a long one is cut): column key → cell text."""
    table = app.screen.query_one("#search-results", DataTable)
    keys = [str(key.value) for key in table.columns]
    found = {}
    for index in range(table.row_count):
        cells = dict(zip(keys, (str(cell) for cell in table.get_row_at(index)), strict=True))
        found[cells["name"]] = cells
    return found


async def test_a_match_on_a_representative_says_so(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await search(pilot, "cormier")
        found = rows(app)
        # Pêcheries Atlantique Inc. is found through its representative, Denis Cormier.
        assert found["Pêcheries Atlantique Inc."]["matched_on"] == "Representative"
        assert found["Pêcheries Atlantique Inc."]["kind"] == "Business"
        assert found["Pêcheries Atlantique Inc."]["recovery_number"] == "73••••84"
        # A holder named Cormier matched on the name the row shows: nothing to add.
        assert found["Raymond Cormier"]["matched_on"] == ""
        assert found["Raymond Cormier"]["kind"] == "Individual"


async def test_each_row_has_its_recovery_number_hint_and_what_matched(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await search(pilot, MARIE)
        assert rows(app)["Marie Tremblay"]["recovery_number"] == "40••••63"
        assert rows(app)["Marie Tremblay"]["matched_on"] == "Recovery number"
        await search(pilot, "ma")
        found = rows(app)
        assert len(found) > 5
        for cells in found.values():
            hint = cells["recovery_number"]
            assert len(hint) == 8 and hint[2:6] == "••••", hint
        assert found["Marie Tremblay"]["recovery_number"] == "40••••63"
        assert found["Marie Tremblay"]["matched_on"] == "E-mail"  # before her name: the contract
        mandates = [cells for name, cells in found.items() if name.startswith("Mandat de")]
        assert mandates and all(cells["kind"] == "Mandatary" for cells in mandates)


async def test_the_subtype_says_what_a_non_personal_account_is(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await search(pilot, "leblanc")
        assert rows(app)["Estate of Jean Leblanc"]["kind"] == "Executor"
        await press(pilot, "f4")  # French
        assert rows(app)["Estate of Jean Leblanc"]["kind"] == "Liquidateur"
        assert rows(app)["Estate of Jean Leblanc"]["matched_on"] == "Représentant"


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_at_80_columns_the_columns_that_tell_callers_apart_are_on_screen(
    make_app: AppFactory, language: str
) -> None:
    app = make_app(language=language)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot)
        for query in ("cormier", "ma"):  # "ma": a long joint name, cut
            await search(pilot, query)
            table = app.screen.query_one("#search-results", DataTable)
            visible = table.scrollable_content_region.width
            right = 0
            for key, column in table.columns.items():
                if key.value == "city":
                    assert right + 4 <= visible, (query, "the city does not start on screen")
                right += column.get_render_width(table)
                if key.value in MUST_SHOW:
                    assert right <= visible, (query, key.value)


async def test_a_narrower_terminal_cuts_long_names_shorter(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await search(pilot, "ma")
        joint = "Manon Gabrielle Paquette & Sébastien Paquette"
        assert joint[:35] + "…" in result_names(app)
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert joint[:19] + "…" in result_names(app)
        assert isinstance(app.screen, SearchScreen)
