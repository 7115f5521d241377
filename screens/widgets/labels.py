"""The portal's codes in the agent's words, translated when asked (the language can change)."""

from __future__ import annotations

from helpdesk.i18n import _


def kind_label(kind: str) -> str:
    labels = {
        "individual": _("Individual"),
        "joint": _("Joint"),
        "non_personal": _("Non-personal"),
    }
    return labels.get(kind, kind)


def subtype_label(subtype: str | None) -> str | None:
    if subtype is None:
        return None
    labels = {
        "business": _("Business"),
        "organization": _("Organization"),
        "trust": _("Trust"),
        "executor": _("Executor"),
        "mandatary": _("Mandatary"),
    }
    return labels.get(subtype, subtype)


def language_label(language: str) -> str:
    labels = {"en": _("English"), "fr": _("French")}
    return labels.get(language, language)


def credential_label(credential: str) -> str:
    labels = {
        "gckey": _("GCKey"),
        "sign_in_partner": _("Sign-in Partner"),
        "user_code": _("User code"),
    }
    return labels.get(credential, credential)


def sign_in_outcome_label(outcome: str) -> str:
    labels = {"success": _("Success"), "failed": _("Failed"), "locked": _("Locked")}
    return labels.get(outcome, outcome)


def lock_reason_label(reason: str | None) -> str | None:
    if reason is None:
        return None
    labels = {
        "verification_failures": _("Failed caller verifications"),
        "sign_in_failures": _("Failed sign-ins"),
    }
    return labels.get(reason, reason)


def two_step_method_label(method: str | None) -> str:
    labels = {
        "authenticator_app": _("Authenticator app"),
        "sms": _("Text message"),
        "email": _("E-mail"),
    }
    return labels.get(method or "", method or "")


def permit_status_label(status: str) -> str:
    labels = {"active": _("Active"), "expired": _("Expired"), "suspended": _("Suspended")}
    return labels.get(status, status)


def audit_outcome_label(outcome: str) -> str:
    labels = {"ok": _("OK"), "failed": _("Failed"), "refused": _("Refused")}
    return labels.get(outcome, outcome)


def role_label(role: str | None) -> str:
    labels = {"agent": _("Agent"), "supervisor": _("Supervisor")}
    return labels.get(role or "", role or "")
