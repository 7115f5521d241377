"""Every portal error, in the agent's words: screens show ``describe_error(error)`` and nothing rawer.

``keyring_message`` does the same for a keyring that cannot keep the token.
"""

from __future__ import annotations

from helpdesk.api.errors import (
    CodeInvalid,
    Conflict,
    Forbidden,
    NotFound,
    NotNonPersonal,
    PortalError,
    PortalFault,
    PortalUnavailable,
    ProfileLocked,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
    VerificationRequired,
)
from helpdesk.credentials import KeyringUnavailable
from helpdesk.i18n import _, format_duration, format_time


def describe_error(error: BaseException) -> str:
    """A clear, translated sentence for the agent; never a stack trace, never a secret."""
    if isinstance(error, PortalFault):
        return _(
            "The portal had a problem and did not complete the request. Try again in a moment; "
            "if it keeps failing, tell the portal's administrators."
        )
    if isinstance(error, PortalUnavailable):
        return _(
            "The portal cannot be reached. Check your network connection, then try again; "
            "if it keeps failing, the portal may be down."
        )
    if isinstance(error, Unauthenticated):
        return _("Your session has ended. Sign in again to continue.")
    if isinstance(error, Forbidden):
        return _("Your role does not allow this action. Ask a supervisor.")
    if isinstance(error, VerificationRequired):
        return _("Verify the caller before doing this.")
    if isinstance(error, CodeInvalid):
        return _("That access code is not valid: it may be wrong, used, revoked or expired.")
    if isinstance(error, NotFound):
        return _("Not found: it may have been removed. Search again.")
    if isinstance(error, NotNonPersonal):
        return _(
            "User-code recovery is only for non-personal accounts; individual and joint "
            "account holders use “Forgot user code” on the portal."
        )
    if isinstance(error, Conflict):
        return _("This cannot be done in the current state. Refresh and try again.")
    if isinstance(error, ValidationFailed):
        fields = ", ".join(sorted(error.fields))
        if fields:
            return _("Check these fields: {fields}.").format(fields=fields)
        return _("Some of the information entered is not valid.")
    if isinstance(error, ProfileLocked):
        until = error.locked_until
        if until is not None:
            return _("This profile is locked until {time}.").format(
                time=format_time(until, ends_sentence=True)
            )
        return _("This profile is locked.")
    if isinstance(error, RateLimited):
        return _("Too many attempts. Try again in {duration}.").format(
            duration=format_duration(error.retry_after)
        )
    if isinstance(error, PortalError):
        return _("The portal refused the request ({code}).").format(code=error.code)
    return _("Something went wrong in the console ({kind}). The action was not completed.").format(
        kind=type(error).__name__
    )


def retry_line(error: PortalUnavailable, key: str) -> str:
    """A status line's short form of ``describe_error``, for a screen whose ``key`` (F5 unless
    remapped) tries again."""
    if isinstance(error, PortalFault):
        return _("The portal had a problem. Press {key} to try again.").format(key=key)
    return _("The portal cannot be reached. Press {key} to try again.").format(key=key)


def keyring_message(problem: KeyringUnavailable) -> str:
    """Why "Remember me" is off, for the agent; the session goes on without it."""
    if problem.code == "insecure":
        return _(
            "“Remember me” is off: this computer's keyring would keep the token in a plain file. "
            "You stay signed in for this session only."
        )
    if problem.code == "none":
        return _(
            "“Remember me” is off: no secure keyring is available on this computer. "
            "You stay signed in for this session only."
        )
    return _(
        "“Remember me” failed: the keyring did not accept the token. "
        "You stay signed in for this session only."
    )
