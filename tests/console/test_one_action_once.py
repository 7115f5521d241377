"""One action, once: the portal did the thing but its answer was lost on the way back; the agent
tries again and the portal answers with its first answer (the same Idempotency-Key), so there is
one code, one case, one audit event.

The loss is real: a proxy on loopback between the console and the portal forwards the request,
reads the portal's answer and then drops the connection instead of passing it on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import h11
import httpx
import pytest
from textual.widgets import DataTable

from helpdesk.config import Paths, Settings
from helpdesk.credentials import CredentialStore
from screens.app import HelpdeskApp, build_app
from screens.modals.one_time import AccessCodeScreen
from screens.profile import ProfileScreen
from screens.recovery import RecoveryWizardScreen
from tests.console.conftest import IDLE_LOCK_OFF, SIZE, Portal, press, settle, sign_in
from tests.console.test_recovery import BUSINESS, fill_who, start_wizard
from tests.console.test_search import MARIE, open_profile
from tests.console.test_verify import MARIE_ANSWERS, answer
from tests.keyrings import encrypted_keyring


@dataclass
class AnswerDroppingProxy:
    """Forwards every request to the portal; the first answer to a ``POST`` whose path ends with
    one of ``drop_after`` is read from the portal, then the client's connection is closed."""

    upstream: str
    drop_after: tuple[str, ...]
    dropped: list[str] = field(default_factory=list)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = h11.Connection(h11.SERVER)
        async with httpx.AsyncClient(base_url=self.upstream) as portal:
            try:
                while True:
                    request, body = await self._read_request(connection, reader)
                    if request is None:
                        return
                    target = request.target.decode()
                    answer = await portal.request(
                        request.method.decode(),
                        target,
                        content=body,
                        headers=[
                            (name.decode(), value.decode())
                            for name, value in request.headers
                            if name.lower() not in (b"host", b"connection", b"content-length")
                        ],
                    )
                    if request.method == b"POST" and target.endswith(self.drop_after):
                        self.drop_after = tuple(
                            path for path in self.drop_after if not target.endswith(path)
                        )
                        self.dropped.append(target)
                        return  # the portal has answered; the console never hears it
                    headers = [
                        (name, value)
                        for name, value in answer.headers.items()
                        if name.lower() not in ("content-length", "transfer-encoding", "connection")
                    ]
                    headers.append(("content-length", str(len(answer.content))))
                    writer.write(
                        connection.send(
                            h11.Response(status_code=answer.status_code, headers=headers)
                        )
                        or b""
                    )
                    writer.write(connection.send(h11.Data(data=answer.content)) or b"")
                    writer.write(connection.send(h11.EndOfMessage()) or b"")
                    await writer.drain()
                    connection.start_next_cycle()
            finally:
                writer.close()

    @staticmethod
    async def _read_request(
        connection: h11.Connection, reader: asyncio.StreamReader
    ) -> tuple[h11.Request | None, bytes]:
        request: h11.Request | None = None
        body = b""
        while True:
            event = connection.next_event()
            if event is h11.NEED_DATA:
                data = await reader.read(65536)
                connection.receive_data(data)
                if not data and request is None:
                    return None, b""
                continue
            if isinstance(event, h11.Request):
                request = event
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                return request, body
            elif isinstance(event, h11.ConnectionClosed):
                return None, b""


@pytest.fixture
async def proxy(portal: Portal) -> AsyncIterator[AnswerDroppingProxy]:
    proxy = AnswerDroppingProxy(
        portal.url, drop_after=("/access-codes", "/admin/v1/user-code-recoveries")
    )
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    proxy.port = server.sockets[0].getsockname()[1]
    async with server:
        yield proxy
        server.close()


def audit_actions(portal: Portal, action: str) -> list[dict[str, object]]:
    with httpx.Client(base_url=portal.url) as http:
        session = http.post(
            "/admin/v1/sessions",
            json={"username": "supervisor", "password": "demo-pass-supervisor"},
        ).json()
        http.headers["Authorization"] = f"Bearer {session['token']}"
        events: list[dict[str, object]] = http.get(
            "/admin/v1/audit", params={"action": action}
        ).json()["items"]
        return events


def app_through(
    proxy: AnswerDroppingProxy, app_paths: Paths, keyring_file: Path, portal: Portal
) -> HelpdeskApp:
    """The console as ``make_app`` builds it, but talking to the portal through the proxy."""
    settings = Settings(
        portal_url=f"http://127.0.0.1:{proxy.port}",
        language="en",
        paths=app_paths,
        idle_lock_minutes=IDLE_LOCK_OFF,
    )
    store = CredentialStore(app_paths.state_file, encrypted_keyring(keyring_file))
    return build_app(settings, clock=portal.clock, credentials=store)


async def test_a_code_issued_but_not_heard_is_the_same_code_on_retry(
    proxy: AnswerDroppingProxy, portal: Portal, app_paths: Paths, keyring_file: Path
) -> None:
    app = app_through(proxy, app_paths, keyring_file, portal)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        assert isinstance(profile, ProfileScreen)
        await press(pilot, "v")
        await answer(pilot, *MARIE_ANSWERS)
        await press(pilot, "c")
        assert proxy.dropped, "the portal issued a code whose answer was lost"
        assert isinstance(app.screen, ProfileScreen), "no answer: nothing to read out"
        await press(pilot, "c")
        await settle(pilot)
        assert isinstance(app.screen, AccessCodeScreen), "the retry got the portal's answer"
        await press(pilot, "enter")
        await press(pilot, "f5")
        assert profile.query_one("#codes-table", DataTable).row_count == 1
    assert len(audit_actions(portal, "access_code.issue")) == 1


async def test_a_case_opened_but_not_heard_is_the_same_case_on_retry(
    proxy: AnswerDroppingProxy, portal: Portal, app_paths: Paths, keyring_file: Path
) -> None:
    app = app_through(proxy, app_paths, keyring_file, portal)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        wizard = await start_wizard(pilot, BUSINESS)
        await fill_who(pilot, wizard, "Denis Cormier")
        await press(pilot, "space", "enter", "enter", "enter")
        await settle(pilot)
        assert proxy.dropped == ["/admin/v1/user-code-recoveries"]
        assert isinstance(app.screen, RecoveryWizardScreen) and wizard.step == "confirm"
        await press(pilot, "f5")
        await settle(pilot)
        assert wizard.step == "opened"
        assert wizard.case is not None and wizard.case.case_number == "UCR-000001"
    assert len(audit_actions(portal, "user_code_recovery.open")) == 1
