"""The floor: what the console learns from the portal besides the call in progress.

- A supervisor sees, in the header of every screen, how many unlock requests are waiting
  (``app.pending_unlock_requests``), and is told when a new one arrives.
- An agent who sent an unlock request is told, on whatever screen they are, when a supervisor
  approves or denies it; an open profile of that caller is fetched again, so it shows unlocked.
  The requests still pending under their name are fetched at sign-in, so one sent before the
  idle lock (or a restart) is still told.

The app polls every ``POLL_SECONDS`` (``poll``: tests call it rather than wait). A poll that fails
says nothing: the screens report an unreachable portal when the agent acts, and the next poll
tries again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

from helpdesk.api.errors import NotFound, PortalError
from helpdesk.i18n import _
from screens.base import ConsoleApp

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.worker import Worker

    from helpdesk.api.models import Agent, UnlockRequest, UnlockRequestList

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
        self._asked_portal = False
        """Whether the agent's pending requests were fetched since sign-in: a request sent before
        the idle lock, a sign-out or a restart is still theirs to be told about."""
        self._queue: set[str] | None = None
        """The ids of the pending requests a supervisor's last poll saw (``None``: none yet)."""

    def agent_changed(self, agent: Agent | None) -> None:
        """Another agent, or none: nothing of the previous one's floor carries over."""
        self._requests.clear()
        self._asked_portal = False
        self._queue = None
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
        client = self.app.client
        try:
            if agent.role == "supervisor" or not self._asked_portal:
                page = await client.unlock_requests(status="pending", limit=COUNT_LIMIT)
                if not self._asked_portal:
                    mine = (r.id for r in page.items if r.requested_by == agent.username)
                    self._requests.update(mine)
                    self._asked_portal = True
                if agent.role == "supervisor":
                    self._count_queue(page)
            for request_id in list(self._requests):
                try:
                    request = await client.unlock_request(request_id)
                except NotFound:  # gone from the portal: nothing will be decided
                    self._requests.discard(request_id)
                    continue
                self._check(request)
        except PortalError as error:
            log.info("floor not polled: %s", type(error).__name__)

    def _count_queue(self, page: UnlockRequestList) -> None:
        count = len(page.items) + (1 if page.next_cursor else 0)
        self.app.pending_unlock_requests = count
        seen, self._queue = self._queue, {request.id for request in page.items}
        # New by id, not by count: one decided and one new between two polls is still news.
        new = [request for request in page.items if seen is not None and request.id not in seen]
        if new:
            newest = max(new, key=lambda request: request.requested_at)
            self.app.notify(
                _("{agent} asks to unlock {name}: “{reason}”").format(
                    agent=newest.requested_by, name=newest.display_name, reason=newest.reason
                ),
                title=_("New unlock request"),
                timeout=10,
                markup=False,
            )

    def _check(self, request: UnlockRequest) -> None:
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
