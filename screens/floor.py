"""The floor: what the console learns from the portal besides the call in progress.

- A supervisor sees, in the header of every screen, how many unlock requests are waiting
  (``app.pending_unlock_requests``), and is told when a new one arrives.
- An agent who sent an unlock request is told, on whatever screen they are, when a supervisor
  approves or denies it; an open profile of that caller is fetched again, so it shows unlocked.

The app polls every ``POLL_SECONDS`` (``poll``: tests call it rather than wait). A poll that fails
says nothing: the screens report an unreachable portal when the agent acts, and the next poll
tries again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

from helpdesk.api.errors import PortalError
from helpdesk.i18n import _
from screens.base import ConsoleApp

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.worker import Worker

    from helpdesk.api.models import Agent, UnlockRequest

log = logging.getLogger(__name__)

POLL_SECONDS = 15.0
# One page of the queue is enough to count: beyond it the header says "200+".
COUNT_LIMIT = 200


class FloorApp(ConsoleApp, Protocol):
    """The part of the app the floor uses and sets."""

    pending_unlock_requests: int | None

    def notify(
        self,
        message: str,
        *,
        title: str = ...,
        severity: Any = ...,
        timeout: float | None = ...,
        markup: bool = ...,
    ) -> None: ...

    def run_worker(
        self, work: Any, *, group: str = ..., exclusive: bool = ..., exit_on_error: bool = ...
    ) -> Worker[Any]: ...

    def every_screen(self) -> list[Screen[Any]]: ...


class Floor:
    def __init__(self, app: FloorApp) -> None:
        self.app = app
        self._requests: set[str] = set()
        """The ids of the agent's own unlock requests still pending."""

    def agent_changed(self, agent: Agent | None) -> None:
        """Another agent, or none: nothing of the previous one's floor carries over."""
        self._requests.clear()
        self.app.pending_unlock_requests = None
        if agent is not None:
            self.poll()

    def watch_request(self, request_id: str) -> None:
        self._requests.add(request_id)

    def poll(self) -> None:
        self.app.run_worker(self._poll(), group="floor", exclusive=True, exit_on_error=False)

    async def _poll(self) -> None:
        agent = self.app.agent
        if agent is None:
            return
        try:
            if agent.role == "supervisor":
                await self._count_queue()
            for request_id in list(self._requests):
                await self._check(await self.app.client.unlock_request(request_id))
        except PortalError as error:
            log.info("floor not polled: %s", type(error).__name__)

    async def _count_queue(self) -> None:
        page = await self.app.client.unlock_requests(status="pending", limit=COUNT_LIMIT)
        count = len(page.items) + (1 if page.next_cursor else 0)
        before = self.app.pending_unlock_requests
        self.app.pending_unlock_requests = count
        if before is not None and count > before and page.items:
            newest = max(page.items, key=lambda request: request.requested_at)
            self.app.notify(
                _("{agent} asks to unlock {name}: “{reason}”").format(
                    agent=newest.requested_by, name=newest.display_name, reason=newest.reason
                ),
                title=_("New unlock request"),
                timeout=10,
                markup=False,
            )

    async def _check(self, request: UnlockRequest) -> None:
        if request.status == "pending":
            return
        from screens.profile import ProfileScreen

        self._requests.discard(request.id)
        note = f"\n{request.note}" if request.note else ""
        if request.status == "approved":
            self.app.notify(
                _("{supervisor} unlocked {name}: the caller can verify again.").format(
                    supervisor=request.decided_by, name=request.display_name
                )
                + note,
                title=_("Unlock request approved"),
                timeout=15,
                markup=False,
            )
        else:
            self.app.notify(
                _("{supervisor} did not unlock {name}.").format(
                    supervisor=request.decided_by, name=request.display_name
                )
                + note,
                title=_("Unlock request denied"),
                severity="warning",
                timeout=15,
                markup=False,
            )
        for screen in self.app.every_screen():
            if isinstance(screen, ProfileScreen) and screen.profile_id == request.profile_id:
                screen.reload()
