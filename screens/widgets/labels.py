"""The portal's codes in the agent's words, translated when asked (the language can change)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpdesk.i18n import _, current_language

if TYPE_CHECKING:
    from helpdesk.api.models import NoticeSent


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


def in_language(language: str) -> str:
    """The language as a sentence says it ("in English", "en anglais": lower case in French)."""
    phrases = {"en": _("in English"), "fr": _("in French")}
    return phrases.get(language, language)


# The usual titles as a portal may write them, either language, folded (case and a final point
# aside): what each one is, and in which language it is written ("dr" is both).
_TITLES: dict[str, tuple[str, str | None]] = {
    "mr": ("mr", "en"),
    "mrs": ("mrs", "en"),
    "ms": ("ms", "en"),
    "miss": ("miss", "en"),
    "mx": ("mx", None),
    "m": ("mr", "fr"),
    "mme": ("ms", "fr"),
    "mlle": ("miss", "fr"),
    "dr": ("dr", None),
    "dre": ("dr", "fr"),
}


def title_label(title: str | None) -> str | None:
    """A holder's title in the session's language: `Mr.` reads `M.` in French and `Mme` reads `Ms.`
    in English. One already written in the session's language (`Dre`) and one the console does not
    know are shown as the portal sent them."""
    if not title:
        return title
    known = _TITLES.get(title.strip().removesuffix(".").casefold())
    if known is None:
        return title
    code, written_in = known
    if written_in == current_language():
        return title
    labels = {
        "mr": _("Mr."),
        "mrs": _("Mrs."),
        "ms": _("Ms."),
        "miss": _("Miss"),
        "mx": _("Mx."),
        "dr": _("Dr."),
    }
    return labels[code]


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


def access_code_status_label(status: str) -> str:
    labels = {
        "active": _("Active"),
        "redeemed": _("Redeemed"),
        "expired": _("Expired"),
        "revoked": _("Revoked"),
    }
    return labels.get(status, status)


def recovery_status_label(status: str) -> str:
    """A user-code recovery case's status."""
    labels = {
        "open": _("Open"),
        "approved": _("Approved"),
        "rejected": _("Rejected"),
        "sent": _("User code sent"),
        "closed": _("Closed"),
    }
    return labels.get(status, status)


def delivery_label(delivery: str) -> str:
    """How a recovered user code travels to the contact on file."""
    labels = {"email": _("E-mail"), "mail": _("Post")}
    return labels.get(delivery, delivery)


def evidence_label(code: str) -> str:
    """What the agent checked before opening a user-code recovery case (the wizard's codes); any
    other evidence is shown as it was written."""
    labels = {
        "name_matches_representative": _("The caller's name matches the representative on file"),
        "contact_on_file_confirmed": _("The caller confirmed the e-mail or address on file"),
        "registry_signing_authority": _(
            "A business registry lists the caller as a director or signing officer"
        ),
        "business_number_confirmed": _("The caller gave the business number on file"),
        "officer_in_records": _("The organisation's records name the caller as an officer"),
        "registration_number_confirmed": _("The caller gave the registration number on file"),
        "trustee_in_deed": _("The trust deed names the caller as a trustee"),
        "trust_account_confirmed": _("The caller gave the trust's account number on file"),
        "will_or_probate_names_executor": _(
            "The will or letters probate name the caller as executor"
        ),
        "proof_of_death_on_file": _("Proof of death is on file"),
        "mandate_names_caller": _("The mandate or power of attorney names the caller"),
        "mandate_in_force": _("The mandate is in force (homologated where required)"),
    }
    return labels.get(code, code)


def audit_outcome_label(outcome: str) -> str:
    labels = {"ok": _("OK"), "failed": _("Failed"), "refused": _("Refused")}
    return labels.get(outcome, outcome)


def role_label(role: str | None) -> str:
    labels = {"agent": _("Agent"), "supervisor": _("Supervisor")}
    return labels.get(role or "", role or "")


def representative_role_label(role: str) -> str:
    """The portal's usual role words in words; any other role is shown as the portal wrote it."""
    labels = {
        "president": _("President"),
        "chair": _("Chair"),
        "director": _("Director"),
        "secretary": _("Secretary"),
        "treasurer": _("Treasurer"),
        "secretary-treasurer": _("Secretary-treasurer"),
        "authorised representative": _("Authorised representative"),
        "trustee": _("Trustee"),
        "executor": _("Executor"),
        "mandatary": _("Mandatary"),
        "substitute mandatary": _("Substitute mandatary"),
    }
    return labels.get(role.strip().lower(), role)


def audit_action_label(action: str) -> str:
    labels = {
        "session.create": _("Sign-in"),
        "session.delete": _("Sign-out"),
        "verification.attempt": _("Caller verification"),
        "profile.unlock": _("Unlock"),
        "unlock_request.create": _("Unlock requested"),
        "unlock_request.approve": _("Unlock request approved"),
        "unlock_request.deny": _("Unlock request denied"),
        "access_code.issue": _("Access code issued"),
        "access_code.revoke": _("Access code revoked"),
        "access_code.redeem": _("Access code redeemed"),
        "user_code_recovery.open": _("User-code recovery opened"),
        "user_code_recovery.transition": _("User-code recovery updated"),
    }
    return labels.get(action, action)


def audit_reason_label(reason: str | None) -> str:
    """The portal's fixed reason words in words; anything else is an agent's own text, as typed."""
    if not reason:
        return ""
    labels = {
        "wrong_answers": _("Wrong answers"),
        "wrong_answers_locked": _("Wrong answers — profile locked"),
        "repeated_answer_set": _("Same answers as before, not counted"),
        "code_invalid": _("Invalid code"),
        "unauthenticated": _("Not signed in"),
        "forbidden": _("Not allowed for the role"),
        "verification_required": _("Caller not verified"),
        "not_found": _("Not found"),
        "conflict": _("Not possible in the current state"),
        "not_non_personal": _("Not a non-personal account"),
        "validation_failed": _("Invalid input"),
        "profile_locked": _("Profile locked"),
        "rate_limited": _("Too many attempts"),
    }
    return labels.get(reason, reason)


def notice_text(notice: NoticeSent | None) -> str:
    """Where the portal told the account holder, masked as the portal gives it."""
    if notice is None:
        return _("No notice was needed: the lock had already ended.")
    if notice.channel == "email":
        return _("The account holder was told by e-mail at {to}.").format(to=notice.to_masked)
    return _("The account holder was told by post at {to}.").format(to=notice.to_masked)
