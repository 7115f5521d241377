"""The portal admin API's wire models: one source for the reference portal (which validates and
documents with them) and the console's client (which parses with them).

Response models ignore fields they do not know, because the contract lets a portal add fields.
Times are aware UTC datetimes; pydantic writes them as RFC 3339 with a ``Z``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

Role = Literal["agent", "supervisor"]
Environment = Literal["demo", "training", "production"]
Language = Literal["en", "fr"]
ProfileKind = Literal["individual", "joint", "non_personal"]
NonPersonalSubtype = Literal["business", "organization", "trust", "executor", "mandatary"]
LockReason = Literal["verification_failures", "sign_in_failures"]
CredentialType = Literal["gckey", "sign_in_partner", "user_code"]
AccessCodeStatus = Literal["active", "redeemed", "expired", "revoked"]
UnlockRequestStatus = Literal["pending", "approved", "denied"]
RecoveryStatus = Literal["open", "approved", "rejected", "sent", "closed"]
Delivery = Literal["email", "mail"]
NoticeKind = Literal["unlock", "access_code_issued", "user_code_recovery_opened", "user_code_sent"]
NoticeChannel = Literal["email", "mail"]
AuditOutcome = Literal["ok", "failed", "refused"]
SignInOutcome = Literal["success", "failed", "locked"]
MatchedOn = Literal[
    "recovery_number",
    "user_code",
    "email",
    "phone",
    "holder_name",
    "representative_name",
    "organisation_name",
]

# A text holding a character other than white space: the characters str.strip() removes (those
# of str.isspace(), a test checks), written out so that the OpenAPI document says what the portal
# refuses as blank. Its lengths are those of the text as sent, and it is trimmed once accepted.
NOT_BLANK = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def _trimmed(text: str) -> str:
    return text.strip()


def required_text(max_length: int) -> StringConstraints:
    """Constraints of a text that may not be blank, as sent (before it is trimmed)."""
    return StringConstraints(min_length=1, max_length=max_length, pattern=NOT_BLANK)


# Free text typed by an agent: trimmed, never blank where it is required, bounded so a paste
# cannot fill the audit table.
Reason = Annotated[str, required_text(500), AfterValidator(_trimmed)]
Note = Annotated[str, StringConstraints(max_length=500), AfterValidator(_trimmed)]
# Not blank; an answer that normalises to nothing (combining marks alone) is refused by the rules.
Answer = Annotated[str, required_text(200)]


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


# --- errors -----------------------------------------------------------------------------------


class ErrorBody(WireModel):
    code: str
    message: str
    details: dict[str, object] = Field(default_factory=dict)


class ErrorResponse(WireModel):
    error: ErrorBody


# --- health and agents ------------------------------------------------------------------------


class Health(WireModel):
    status: Literal["ok"]
    environment: Environment
    version: str


class SignInRequest(WireModel):
    username: Annotated[str, required_text(100), AfterValidator(_trimmed)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Agent(WireModel):
    username: str
    display_name: str
    role: Role


class Session(WireModel):
    token: str
    expires_at: datetime
    agent: Agent


# --- profiles ---------------------------------------------------------------------------------


class ProfileSummary(WireModel):
    id: str
    kind: ProfileKind
    subtype: NonPersonalSubtype | None = None
    display_name: str
    organisation_name: str | None = None
    city: str | None = None
    preferred_language: Language
    locked_until: datetime | None = None
    # All but the first two and last two characters masked (40••••63): tells namesakes apart when
    # the caller reads out their number, never enough to read one out to a caller.
    recovery_number_hint: str
    # What the query matched first, so a row found through a representative says so.
    matched_on: MatchedOn


class ProfileList(WireModel):
    items: list[ProfileSummary]


class Holder(WireModel):
    """A person who holds the account: one for an individual account, two for a joint one."""

    title: str | None = None
    given_names: str
    preferred_name: str | None = None
    surname: str
    suffix: str | None = None


class Representative(WireModel):
    id: str
    name: str
    role: str


class LinkedCredential(WireModel):
    type: CredentialType
    linked_at: datetime
    last_used_at: datetime | None = None


class TwoStep(WireModel):
    enrolled: bool
    method: Literal["authenticator_app", "sms", "email"] | None = None


class BilingualText(WireModel):
    """A text the portal holds in both official languages; the console shows the agent's."""

    en: str
    fr: str


class Permit(WireModel):
    number: str
    description: BilingualText
    status: Literal["active", "expired", "suspended"]
    valid_from: date
    valid_to: date


class Vessel(WireModel):
    name: str
    registration_number: str
    length_m: float


class Notification(WireModel):
    text: str
    issued_on: date
    read: bool


class Security(WireModel):
    failed_attempts: int
    max_attempts: int
    locked_until: datetime | None = None
    lock_reason: LockReason | None = None


class Profile(WireModel):
    id: str
    kind: ProfileKind
    subtype: NonPersonalSubtype | None = None
    recovery_number: str
    user_code: str
    display_name: str
    title: str | None = None
    given_names: str | None = None
    preferred_name: str | None = None
    surname: str | None = None
    suffix: str | None = None
    holders: list[Holder] = Field(default_factory=list)
    preferred_language: Language
    email: str | None = None
    postal_address: str | None = None
    city: str | None = None
    phone: str | None = None
    fax: str | None = None
    mobile: str | None = None
    organisation_name: str | None = None
    representatives: list[Representative] = Field(default_factory=list)
    credentials: list[LinkedCredential] = Field(default_factory=list)
    two_step: TwoStep
    permits: list[Permit] = Field(default_factory=list)
    vessels: list[Vessel] = Field(default_factory=list)
    notifications: list[Notification] = Field(default_factory=list)
    security: Security
    masked: bool
    # When the calling agent holds a live verification grant for this profile, when it ends.
    grant_expires_at: datetime | None = None


class SignIn(WireModel):
    at: datetime
    outcome: SignInOutcome
    credential: CredentialType
    source: str


class SignInList(WireModel):
    items: list[SignIn]


class Lockout(WireModel):
    profile_id: str
    display_name: str
    locked_at: datetime
    locked_until: datetime
    lock_reason: LockReason
    failed_attempts: int
    last_failure_source: str | None = None


class LockoutList(WireModel):
    items: list[Lockout]
    next_cursor: str | None = None


# --- caller verification ----------------------------------------------------------------------


class QuestionText(WireModel):
    en: str
    fr: str


class RecoveryQuestion(WireModel):
    number: int
    text: QuestionText


class RecoveryQuestions(WireModel):
    answer_language: Language
    questions: list[RecoveryQuestion]


class VerificationRequest(WireModel):
    answers: Annotated[list[Answer], Field(min_length=3, max_length=3)]


class VerificationResult(WireModel):
    verified: bool
    grant_expires_at: datetime | None = None
    attempts_remaining: int | None = None
    locked_until: datetime | None = None
    # True when the same wrong answers as a recent failure were refused without counting again.
    repeated: bool = False


# --- unlock -----------------------------------------------------------------------------------


class NoticeSent(WireModel):
    channel: NoticeChannel
    to_masked: str


class UnlockRequestBody(WireModel):
    reason: Reason


class UnlockResult(Security):
    notice: NoticeSent | None = None


class NewUnlockRequest(WireModel):
    profile_id: str
    reason: Reason


class DecisionBody(WireModel):
    note: Note | None = None


class UnlockRequest(WireModel):
    id: str
    profile_id: str
    display_name: str
    status: UnlockRequestStatus
    reason: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str | None = None


class UnlockRequestList(WireModel):
    items: list[UnlockRequest]
    next_cursor: str | None = None


# --- DFO access codes -------------------------------------------------------------------------


class IssuedAccessCode(WireModel):
    id: str
    code: str
    expires_at: datetime
    notice: NoticeSent


class AccessCode(WireModel):
    id: str
    issued_at: datetime
    issued_by: str
    expires_at: datetime
    status: AccessCodeStatus


class AccessCodeList(WireModel):
    items: list[AccessCode]


class RedemptionRequest(WireModel):
    code: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class Redemption(WireModel):
    profile_id: str


# --- manual user-code recovery ----------------------------------------------------------------


class NewUserCodeRecovery(WireModel):
    profile_id: str
    caller_name: Annotated[str, required_text(200), AfterValidator(_trimmed)]
    representative_id: str
    evidence: Annotated[
        list[Annotated[str, StringConstraints(max_length=200)]], Field(max_length=20)
    ]
    delivery: Delivery
    note: Note | None = None


class UserCodeRecovery(WireModel):
    id: str
    case_number: str
    profile_id: str
    display_name: str
    caller_name: str
    representative_id: str
    evidence: list[str]
    delivery: Delivery
    note: str | None = None
    status: RecoveryStatus
    opened_by: str
    opened_at: datetime
    updated_at: datetime
    notice: NoticeSent | None = None


class UserCodeRecoveryList(WireModel):
    items: list[UserCodeRecovery]


class RecoveryTransition(WireModel):
    to: RecoveryStatus
    note: Note | None = None


# --- notices and audit ------------------------------------------------------------------------


class Notice(WireModel):
    at: datetime
    kind: NoticeKind
    channel: NoticeChannel
    to_masked: str
    language: Language


class NoticeList(WireModel):
    items: list[Notice]


class AuditEvent(WireModel):
    id: str
    at: datetime
    actor: str
    role: str | None = None
    action: str
    profile_id: str | None = None
    outcome: AuditOutcome
    reason: str | None = None
    request_id: str


class AuditPage(WireModel):
    items: list[AuditEvent]
    next_cursor: str | None = None
