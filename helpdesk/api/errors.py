"""The portal's errors, typed once: the reference portal raises them, the client turns every error
response back into the same class, and screens translate them by ``code``.

Each class pins its HTTP status and stable code (the contract's table). ``PortalUnavailable`` is the
console-side condition "the portal did not answer", which never travels over the wire.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar


class PortalError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, message: str = "", details: dict[str, Any] | None = None) -> None:
        super().__init__(message or self.code)
        self.message = message or self.code
        self.details: dict[str, Any] = details or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class Unauthenticated(PortalError):
    status = 401
    code = "unauthenticated"


class Forbidden(PortalError):
    status = 403
    code = "forbidden"


class VerificationRequired(PortalError):
    status = 403
    code = "verification_required"


class CodeInvalid(PortalError):
    status = 400
    code = "code_invalid"


class NotFound(PortalError):
    status = 404
    code = "not_found"


class NotNonPersonal(PortalError):
    status = 409
    code = "not_non_personal"


class Conflict(PortalError):
    status = 409
    code = "conflict"


class ValidationFailed(PortalError):
    status = 422
    code = "validation_failed"

    @classmethod
    def field(cls, name: str, why: str) -> ValidationFailed:
        return cls(f"{name}: {why}", {"fields": {name: why}})

    @property
    def fields(self) -> dict[str, str]:
        return dict(self.details.get("fields", {}))


class ProfileLocked(PortalError):
    status = 423
    code = "profile_locked"

    @property
    def locked_until(self) -> datetime | None:
        value = self.details.get("locked_until")
        return datetime.fromisoformat(value) if isinstance(value, str) else value


class RateLimited(PortalError):
    status = 429
    code = "rate_limited"

    def __init__(
        self, message: str = "", details: dict[str, Any] | None = None, retry_after: int = 60
    ) -> None:
        super().__init__(message, details)
        self.retry_after = retry_after


class BadRequest(PortalError):
    """A request that is not HTTP the portal reads (a missing ``Host``, a NUL in a header):
    answered by the portal's HTTP layer before any route."""

    status = 400
    code = "bad_request"


class RequestTimeout(PortalError):
    """A request body that did not arrive in time; the portal closed the connection."""

    status = 408
    code = "request_timeout"


class PayloadTooLarge(PortalError):
    """A request body over the portal's limit (64 KiB), refused unread."""

    status = 413
    code = "payload_too_large"


class HeadersTooLarge(PortalError):
    """A request line and headers over the portal's limit (16 KiB)."""

    status = 431
    code = "headers_too_large"


class PortalUnavailable(PortalError):
    """The portal could not be reached, timed out, or answered with something that is not the API."""

    status = 503
    code = "unavailable"


class PortalFault(PortalUnavailable):
    """The portal (or a proxy in front of it) answered, but with a server error or a body that is
    not the API: nothing the agent's network can fix, and the same retry as ``PortalUnavailable``."""


ERRORS_BY_CODE: dict[str, type[PortalError]] = {
    cls.code: cls
    for cls in (
        Unauthenticated,
        Forbidden,
        VerificationRequired,
        CodeInvalid,
        NotFound,
        NotNonPersonal,
        Conflict,
        ValidationFailed,
        ProfileLocked,
        RateLimited,
        BadRequest,
        RequestTimeout,
        PayloadTooLarge,
        HeadersTooLarge,
    )
}
