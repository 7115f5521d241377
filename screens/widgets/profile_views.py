"""The content of the profile screen's tabs, each built from one ``Profile`` (or list) as received.

The views hold no state of their own: the screen remounts them when the profile is fetched again
(after a verification, when a grant ends, on refresh) or when the language changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from helpdesk.api.models import AccessCode, AuditEvent, Holder, Profile, SignIn
from helpdesk.i18n import _, current_language, format_datetime, format_decimal
from screens.widgets.countdown import LockCountdown
from screens.widgets.fields import EMPTY, FieldList
from screens.widgets.labels import (
    access_code_status_label,
    audit_action_label,
    audit_outcome_label,
    audit_reason_label,
    credential_label,
    kind_label,
    language_label,
    lock_reason_label,
    permit_status_label,
    representative_role_label,
    role_label,
    sign_in_outcome_label,
    subtype_label,
    title_label,
    two_step_method_label,
)


def when(moment: datetime | None) -> str:
    return format_datetime(moment) if moment is not None else EMPTY


def table(id: str, columns: Iterable[str], rows: Iterable[Iterable[str]]) -> DataTable[str | Text]:
    widget: DataTable[str | Text] = DataTable(id=id, cursor_type="row", zebra_stripes=True)
    widget.add_columns(*columns)
    for row in rows:
        # Shown as written: a reason typed with "[/]" in it is not markup (it ended the console).
        widget.add_row(*(Text(cell) for cell in row))
    return widget


def heading(text: str) -> Static:
    return Static(text, classes="section-heading", markup=False)


def holder_fields(holder: Holder | Profile) -> list[tuple[str, str | None]]:
    return [
        (_("Title"), title_label(holder.title)),
        (_("Given names"), holder.given_names),
        (_("Preferred name"), holder.preferred_name),
        (_("Surname"), holder.surname),
        (_("Suffix"), holder.suffix),
    ]


class SummaryView(Vertical):
    """The DFO profile details, as the portal sends them (masked without a grant)."""

    def __init__(self, profile: Profile, *, locked: bool, verify_key: str) -> None:
        super().__init__(classes="profile-view")
        self.profile = profile
        self.locked = locked
        self.verify_key = verify_key  # the agent's key for "verify the caller"

    def compose(self) -> ComposeResult:
        profile = self.profile
        if profile.masked:
            masked = _("Contact details and the user code are masked until the caller is verified.")
            if not self.locked:  # a locked profile cannot be verified: the lock says so above
                masked = _("{masked} Press {key} to verify the caller.").format(
                    masked=masked, key=self.verify_key
                )
            yield Static(masked, id="masked-hint", markup=False)
        if profile.kind == "joint" and profile.holders:
            for number, holder in enumerate(profile.holders, start=1):
                yield heading(_("Holder {number}").format(number=number))
                yield FieldList(holder_fields(holder), classes="holder")
        elif profile.kind == "non_personal":
            yield heading(_("Account"))
            yield FieldList(
                [
                    (_("Organisation"), profile.organisation_name or profile.display_name),
                    (_("Account type"), subtype_label(profile.subtype)),
                ]
            )
        else:
            yield heading(_("Profile details"))
            yield FieldList(holder_fields(profile))
        yield heading(_("Contact"))
        yield FieldList(
            [
                (_("Preferred language"), language_label(profile.preferred_language)),
                (_("E-mail"), profile.email),
                (_("Postal address"), profile.postal_address),
                (_("Phone"), profile.phone),
                (_("Fax"), profile.fax),
                (_("Mobile"), profile.mobile),
            ],
            id="contact-fields",
        )
        yield heading(_("Identifiers"))
        yield FieldList(
            [
                (_("Recovery number"), profile.recovery_number),
                (_("User code"), profile.user_code),
            ],
            id="identifier-fields",
        )
        if profile.kind == "non_personal":
            yield Static(
                _(
                    "The user code of a non-personal account is never shown, even to a verified "
                    "caller: it only goes to the contact on file, through a user-code recovery "
                    "case (R opens one)."
                ),
                classes="note",
                markup=False,
            )


class SecurityView(Vertical):
    """Lock state, failed attempts, linked credentials, 2-step verification and recent sign-ins."""

    def __init__(self, profile: Profile, now: datetime) -> None:
        super().__init__(classes="profile-view")
        self.profile = profile
        self.now = now

    def compose(self) -> ComposeResult:
        profile = self.profile
        security = profile.security
        countdown = LockCountdown(id="lock-countdown", markup=False)
        countdown.show(security.locked_until, self.now)
        yield countdown
        two_step = (
            _("Enrolled — {method}").format(method=two_step_method_label(profile.two_step.method))
            if profile.two_step.enrolled
            else _("Not enrolled")
        )
        yield FieldList(
            [
                (
                    _("Failed attempts"),
                    _("{failed}/{max}").format(
                        failed=security.failed_attempts, max=security.max_attempts
                    ),
                ),
                (_("Lock reason"), lock_reason_label(security.lock_reason)),
                (_("2-step verification"), two_step),
            ],
            id="security-fields",
        )
        yield heading(_("Linked credentials"))
        if profile.credentials:
            yield table(
                "credentials-table",
                (_("Credential"), _("Linked"), _("Last used")),
                (
                    (credential_label(c.type), when(c.linked_at), when(c.last_used_at))
                    for c in profile.credentials
                ),
            )
        else:
            yield Static(_("No linked credential."), classes="note")
        yield heading(_("Recent sign-ins"))
        yield Static(_("Loading sign-ins…"), id="sign-ins-state", classes="note")


def sign_ins_table(sign_ins: list[SignIn]) -> DataTable[str | Text]:
    return table(
        "sign-ins-table",
        (_("When"), _("Outcome"), _("Credential"), _("Source")),
        (
            (when(s.at), sign_in_outcome_label(s.outcome), credential_label(s.credential), s.source)
            for s in sign_ins
        ),
    )


class OrganisationView(Vertical):
    def __init__(self, profile: Profile) -> None:
        super().__init__(classes="profile-view")
        self.profile = profile

    def compose(self) -> ComposeResult:
        profile = self.profile
        yield FieldList(
            [
                (_("Organisation"), profile.organisation_name),
                (_("Kind"), kind_label(profile.kind)),
                (_("Subtype"), subtype_label(profile.subtype)),
            ]
        )
        yield heading(_("Representatives"))
        if profile.representatives:
            yield table(
                "representatives-table",
                (_("Name"), _("Role")),
                ((r.name, representative_role_label(r.role)) for r in profile.representatives),
            )
        else:
            yield Static(_("No representative on this profile."), classes="note")


class LicencesView(Vertical):
    def __init__(self, profile: Profile) -> None:
        super().__init__(classes="profile-view")
        self.profile = profile

    def compose(self) -> ComposeResult:
        profile = self.profile
        yield heading(_("Permits"))
        if profile.permits:
            yield table(
                "permits-table",
                (_("Number"), _("Description"), _("Status"), _("Valid from"), _("Valid to")),
                (
                    (
                        p.number,
                        p.description.fr if current_language() == "fr" else p.description.en,
                        permit_status_label(p.status),
                        p.valid_from.isoformat(),
                        p.valid_to.isoformat(),
                    )
                    for p in profile.permits
                ),
            )
        else:
            yield Static(_("No permit."), classes="note")
        yield heading(_("Vessels"))
        if profile.vessels:
            yield table(
                "vessels-table",
                (_("Name"), _("Registration number"), _("Length (m)")),
                (
                    (v.name, v.registration_number, format_decimal(v.length_m))
                    for v in profile.vessels
                ),
            )
        else:
            yield Static(_("No vessel."), classes="note")


def codes_table(codes: list[AccessCode]) -> DataTable[str | Text]:
    """The profile's DFO access codes, newest first: never the code itself (the portal keeps
    only a hash)."""
    widget = table(
        "codes-table",
        (_("Issued"), _("By"), _("Status"), _("Expires")),
        [],
    )
    for code in codes:
        widget.add_row(
            when(code.issued_at),
            code.issued_by,
            access_code_status_label(code.status),
            when(code.expires_at),
            key=code.id,
        )
    return widget


def history_table(events: list[AuditEvent]) -> DataTable[str | Text]:
    return table(
        "history-table",
        (_("When"), _("Who"), _("Role"), _("Action"), _("Outcome"), _("Reason")),
        (
            (
                when(e.at),
                e.actor,
                role_label(e.role),
                audit_action_label(e.action),
                audit_outcome_label(e.outcome),
                audit_reason_label(e.reason),
            )
            for e in events
        ),
    )
