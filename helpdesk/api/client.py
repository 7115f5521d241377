"""PortalClient: the console's only way to the portal admin API.

One long-lived ``httpx.AsyncClient`` per console; one method per route, each returning the wire
model and raising the ``PortalError`` subclass of the error code. The client never logs bodies, so
answers, passwords, tokens and codes cannot end up in a log through it.

Retries only where they are safe: a GET whose connection failed before the portal answered. A
state-changing call (a POST) is never retried automatically. Each POST carries an
``Idempotency-Key``: the one its caller passes (the screens keep one per intent of the agent in
``helpdesk.call.CurrentCall``, so the agent's retry after "portal unreachable" is a replay the
portal answers with its first answer, never the thing done twice), else a fresh one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from helpdesk.api import models as m
from helpdesk.api.errors import (
    ERRORS_BY_CODE,
    PortalError,
    PortalFault,
    PortalUnavailable,
    RateLimited,
)

ModelT = TypeVar("ModelT", bound=BaseModel)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
GET_ATTEMPTS = 3


class PortalClient:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        verify: bool | str = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.AsyncClient(
            base_url=self.base_url, timeout=timeout, verify=verify, transport=transport
        )

    async def __aenter__(self) -> PortalClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- plumbing ---------------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        headers: dict[str, str] = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if method == "POST":
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        attempts = GET_ATTEMPTS if method == "GET" else 1
        for attempt in range(1, attempts + 1):
            try:
                response = await self._http.request(
                    method, path, json=json, params=clean_params, headers=headers
                )
                break
            except httpx.TimeoutException as exc:
                raise PortalUnavailable("the portal did not answer in time") from exc
            except httpx.TransportError as exc:
                if attempt == attempts:
                    raise PortalUnavailable("the portal cannot be reached") from exc
        if response.is_success:
            return response
        raise self._error(response)

    @staticmethod
    def _error(response: httpx.Response) -> PortalError:
        try:
            body = response.json()["error"]
            code, message, details = body["code"], body.get("message", ""), body.get("details", {})
        except (ValueError, KeyError, TypeError):
            return PortalFault(f"the portal answered HTTP {response.status_code}")
        error_class = ERRORS_BY_CODE.get(code)
        if error_class is None:
            return PortalFault(f"the portal answered an unknown error {code!r}")
        if error_class is RateLimited:
            retry_after = response.headers.get("Retry-After", "60")
            seconds = int(retry_after) if retry_after.isdigit() else 60
            return RateLimited(message, details, retry_after=seconds)
        return error_class(message, details)

    @staticmethod
    def _parse(model: type[ModelT], response: httpx.Response) -> ModelT:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise PortalFault("the portal answered something that is not the API") from exc

    async def _get(self, model: type[ModelT], path: str, **params: Any) -> ModelT:
        return self._parse(model, await self._request("GET", path, params=params))

    async def _post(
        self, model: type[ModelT], path: str, body: Any = None, idempotency_key: str | None = None
    ) -> ModelT:
        response = await self._request("POST", path, json=body, idempotency_key=idempotency_key)
        return self._parse(model, response)

    # --- health and agents --------------------------------------------------------------------

    async def health(self) -> m.Health:
        return await self._get(m.Health, "/healthz")

    async def sign_in(
        self, username: str, password: str, idempotency_key: str | None = None
    ) -> m.Session:
        """Signs in and keeps the token for the calls that follow."""
        body = {"username": username, "password": password}
        session = await self._post(m.Session, "/admin/v1/sessions", body, idempotency_key)
        self.token = session.token
        return session

    async def me(self) -> m.Agent:
        return await self._get(m.Agent, "/admin/v1/me")

    async def sign_out(self) -> None:
        try:
            await self._request("DELETE", "/admin/v1/sessions/current")
        finally:
            self.token = None

    # --- profiles -----------------------------------------------------------------------------

    async def search_profiles(self, q: str, limit: int | None = None) -> list[m.ProfileSummary]:
        return (await self._get(m.ProfileList, "/admin/v1/profiles", q=q, limit=limit)).items

    async def profile(self, profile_id: str) -> m.Profile:
        return await self._get(m.Profile, f"/admin/v1/profiles/{_segment(profile_id)}")

    async def sign_ins(self, profile_id: str) -> list[m.SignIn]:
        path = f"/admin/v1/profiles/{_segment(profile_id)}/sign-ins"
        return (await self._get(m.SignInList, path)).items

    async def lockouts(self, cursor: str | None = None, limit: int | None = None) -> m.LockoutList:
        """A page of the profiles locked now, soonest unlock first; pass its ``next_cursor`` for
        the next one (None on the last page)."""
        return await self._get(m.LockoutList, "/admin/v1/lockouts", cursor=cursor, limit=limit)

    # --- caller verification ------------------------------------------------------------------

    async def recovery_questions(self, profile_id: str) -> m.RecoveryQuestions:
        path = f"/admin/v1/profiles/{_segment(profile_id)}/recovery-questions"
        return await self._get(m.RecoveryQuestions, path)

    async def verify(
        self, profile_id: str, answers: Sequence[str], idempotency_key: str | None = None
    ) -> m.VerificationResult:
        path = f"/admin/v1/profiles/{_segment(profile_id)}/verifications"
        body = {"answers": list(answers)}
        return await self._post(m.VerificationResult, path, body, idempotency_key)

    # --- unlock -------------------------------------------------------------------------------

    async def unlock(
        self, profile_id: str, reason: str, idempotency_key: str | None = None
    ) -> m.UnlockResult:
        path = f"/admin/v1/profiles/{_segment(profile_id)}/unlock"
        return await self._post(m.UnlockResult, path, {"reason": reason}, idempotency_key)

    async def request_unlock(
        self, profile_id: str, reason: str, idempotency_key: str | None = None
    ) -> m.UnlockRequest:
        body = {"profile_id": profile_id, "reason": reason}
        return await self._post(m.UnlockRequest, "/admin/v1/unlock-requests", body, idempotency_key)

    async def unlock_request(self, request_id: str) -> m.UnlockRequest:
        """One unlock request as it stands now: the agent who sent it learns the decision."""
        path = f"/admin/v1/unlock-requests/{_segment(request_id)}"
        return await self._get(m.UnlockRequest, path)

    async def unlock_requests(
        self, status: str | None = None, cursor: str | None = None, limit: int | None = None
    ) -> m.UnlockRequestList:
        """A page of unlock requests, oldest first (a queue's order); pass its ``next_cursor``
        for the next one (None on the last page)."""
        path = "/admin/v1/unlock-requests"
        return await self._get(m.UnlockRequestList, path, status=status, cursor=cursor, limit=limit)

    async def approve_unlock_request(
        self, request_id: str, note: str | None = None, idempotency_key: str | None = None
    ) -> m.UnlockRequest:
        path = f"/admin/v1/unlock-requests/{_segment(request_id)}/approve"
        return await self._post(m.UnlockRequest, path, {"note": note}, idempotency_key)

    async def deny_unlock_request(
        self, request_id: str, note: str | None = None, idempotency_key: str | None = None
    ) -> m.UnlockRequest:
        path = f"/admin/v1/unlock-requests/{_segment(request_id)}/deny"
        return await self._post(m.UnlockRequest, path, {"note": note}, idempotency_key)

    # --- DFO access codes ---------------------------------------------------------------------

    async def issue_access_code(
        self, profile_id: str, idempotency_key: str | None = None
    ) -> m.IssuedAccessCode:
        path = f"/admin/v1/profiles/{_segment(profile_id)}/access-codes"
        return await self._post(m.IssuedAccessCode, path, idempotency_key=idempotency_key)

    async def access_codes(self, profile_id: str) -> list[m.AccessCode]:
        path = f"/admin/v1/profiles/{_segment(profile_id)}/access-codes"
        return (await self._get(m.AccessCodeList, path)).items

    async def revoke_access_code(self, profile_id: str, code_id: str) -> None:
        path = f"/admin/v1/profiles/{_segment(profile_id)}/access-codes/{_segment(code_id)}"
        await self._request("DELETE", path)

    async def redeem_access_code(
        self, code: str, idempotency_key: str | None = None
    ) -> m.Redemption:
        path = "/v1/access-codes/redemptions"
        return await self._post(m.Redemption, path, {"code": code}, idempotency_key)

    # --- manual user-code recovery ------------------------------------------------------------

    async def open_user_code_recovery(
        self, case: m.NewUserCodeRecovery, idempotency_key: str | None = None
    ) -> m.UserCodeRecovery:
        body = case.model_dump(mode="json")
        path = "/admin/v1/user-code-recoveries"
        return await self._post(m.UserCodeRecovery, path, body, idempotency_key)

    async def user_code_recoveries(
        self, status: str | None = None, profile_id: str | None = None
    ) -> list[m.UserCodeRecovery]:
        path = "/admin/v1/user-code-recoveries"
        page = await self._get(m.UserCodeRecoveryList, path, status=status, profile_id=profile_id)
        return page.items

    async def transition_user_code_recovery(
        self,
        case_id: str,
        to: str,
        note: str | None = None,
        idempotency_key: str | None = None,
    ) -> m.UserCodeRecovery:
        path = f"/admin/v1/user-code-recoveries/{_segment(case_id)}/transitions"
        body = {"to": to, "note": note}
        return await self._post(m.UserCodeRecovery, path, body, idempotency_key)

    # --- notices and audit --------------------------------------------------------------------

    async def notices(self, profile_id: str) -> list[m.Notice]:
        path = f"/admin/v1/profiles/{_segment(profile_id)}/notices"
        return (await self._get(m.NoticeList, path)).items

    async def profile_audit(
        self, profile_id: str, cursor: str | None = None, limit: int | None = None
    ) -> m.AuditPage:
        path = f"/admin/v1/profiles/{_segment(profile_id)}/audit"
        return await self._get(m.AuditPage, path, cursor=cursor, limit=limit)

    async def audit(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        outcome: m.AuditOutcome | None = None,
        profile_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> m.AuditPage:
        """A page of the whole audit trail (supervisors), newest first; the filters combine,
        ``since`` inclusive and ``until`` exclusive."""
        params = {
            "actor": actor,
            "action": action,
            "outcome": outcome,
            "profile_id": profile_id,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "cursor": cursor,
            "limit": limit,
        }
        return await self._get(m.AuditPage, "/admin/v1/audit", **params)


def _segment(value: str) -> str:
    """An id as one path segment: an id from a paste cannot reach another route."""
    return quote(value, safe="")
