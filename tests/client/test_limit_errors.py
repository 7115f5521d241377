"""The portal's limits (issue 11) reach the client as typed errors, and the console words them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from helpdesk.api import errors
from helpdesk.api.client import PortalClient
from helpdesk.portal.app import create_app
from helpdesk.portal.db import Database
from helpdesk.portal.settings import PortalSettings
from screens.errors import describe_error
from tests.hash_cost import CHEAP_POLICY


async def test_a_body_over_the_limit_is_payload_too_large(tmp_path: Path) -> None:
    settings = PortalSettings(
        database_url=f"sqlite:///{tmp_path / 'portal.db'}", policy=CHEAP_POLICY
    )
    database = Database.from_url(settings.database_url)
    database.create_schema()
    app = create_app(settings, database=database)
    transport = httpx.ASGITransport(app=app)
    try:
        async with PortalClient("http://portal.test", transport=transport) as client:
            with pytest.raises(errors.PayloadTooLarge) as refused:
                await client.sign_in("agent", "x" * (64 * 1024))
    finally:
        database.dispose()
    assert refused.value.details == {"limit": 64 * 1024}
    assert describe_error(refused.value) == "The portal refused the request (payload_too_large)."


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("bad_request", 400),
        ("request_timeout", 408),
        ("payload_too_large", 413),
        ("headers_too_large", 431),
    ],
)
def test_the_http_layer_codes_are_typed(code: str, status: int) -> None:
    error_class = errors.ERRORS_BY_CODE[code]
    assert (error_class.code, error_class.status) == (code, status)
