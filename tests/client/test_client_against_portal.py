"""The client against the reference portal in process (httpx's ASGI transport): every route's
method returns its model, and every error code comes back as its own exception class."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from helpdesk.api import errors
from helpdesk.api.client import PortalClient
from helpdesk.api.models import LockoutList, NewUserCodeRecovery, UnlockRequestList
from helpdesk.clock import ManualClock
from helpdesk.portal.app import create_app
from helpdesk.portal.db import Database
from helpdesk.portal.seed import seed_demo
from helpdesk.portal.settings import PortalSettings
from tests.hash_cost import CHEAP, CHEAP_POLICY

MARIE = "40718263"  # individual, fr
PECHERIES = "73016584"  # non-personal business
MARIE_ANSWERS = ["Toyota", "Honda", "Mathématiques"]


START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
# Marie Tremblay, John Smith, Luc Gagnon and Sophie Roy: the individual and joint training callers.
TRAINING_CALLERS = [MARIE, "52830917", "61492038"]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def client(tmp_path: Path, clock: ManualClock) -> AsyncIterator[PortalClient]:
    settings = PortalSettings(
        database_url=f"sqlite:///{tmp_path / 'portal.db'}", policy=CHEAP_POLICY
    )
    database = Database.from_url(settings.database_url)
    database.create_schema()
    seed_demo(database.engine, count=0, clock=clock, hash_cost=CHEAP)
    app = create_app(settings, clock=clock, database=database)
    async with PortalClient("http://portal.test", transport=httpx.ASGITransport(app=app)) as c:
        yield c
    database.dispose()


async def profile_id(client: PortalClient, recovery_number: str) -> str:
    [summary] = await client.search_profiles(recovery_number)
    return summary.id


async def test_sign_in_keeps_the_token_and_sign_out_drops_it(client: PortalClient) -> None:
    session = await client.sign_in("agent", "demo-pass-agent")
    assert client.token == session.token
    assert (await client.me()).role == "agent"
    await client.sign_out()
    assert client.token is None
    client.token = session.token
    with pytest.raises(errors.Unauthenticated):
        await client.me()


async def test_wrong_password_is_unauthenticated(client: PortalClient) -> None:
    with pytest.raises(errors.Unauthenticated):
        await client.sign_in("agent", "not-the-password")
    assert client.token is None


async def test_search_profile_and_verification_round_trip(client: PortalClient) -> None:
    await client.sign_in("agent", "demo-pass-agent")
    pid = await profile_id(client, MARIE)
    before = await client.profile(pid)
    assert before.masked and before.email and "•" in before.email
    questions = await client.recovery_questions(pid)
    assert [q.number for q in questions.questions] == [1, 2, 3]
    result = await client.verify(pid, MARIE_ANSWERS)
    assert result.verified and result.grant_expires_at is not None
    after = await client.profile(pid)
    assert not after.masked and after.email and "•" not in after.email


async def test_each_error_code_is_its_own_exception(client: PortalClient) -> None:
    await client.sign_in("agent", "demo-pass-agent")
    pid = await profile_id(client, MARIE)
    with pytest.raises(errors.NotFound):
        await client.profile("prf_does_not_exist")
    with pytest.raises(errors.Forbidden):
        await client.unlock(pid, "caller asked")
    with pytest.raises(errors.VerificationRequired):
        await client.issue_access_code(pid)
    with pytest.raises(errors.ValidationFailed) as invalid:
        await client.search_profiles("x" * 101)
    assert "q" in invalid.value.fields
    with pytest.raises(errors.CodeInvalid):
        await client.redeem_access_code("2222-2222-2222")
    with pytest.raises(errors.NotNonPersonal):
        await client.open_user_code_recovery(
            NewUserCodeRecovery(
                profile_id=pid,
                caller_name="Marie Tremblay",
                representative_id="none",
                evidence=["recovery number"],
                delivery="email",
            )
        )
    with pytest.raises(errors.Conflict):
        await client.request_unlock(pid, "not locked, so nothing to unlock")
    for n in range(5):
        await client.verify(pid, ["wrong", "answers", str(n)])
    with pytest.raises(errors.ProfileLocked) as locked:
        await client.verify(pid, MARIE_ANSWERS)
    assert locked.value.locked_until is not None


async def test_throttled_redemption_carries_retry_after(client: PortalClient) -> None:
    for _ in range(10):
        with pytest.raises(errors.CodeInvalid):
            await client.redeem_access_code("2222-2222-2222")
    with pytest.raises(errors.RateLimited) as limited:
        await client.redeem_access_code("2222-2222-2222")
    assert limited.value.retry_after > 0


async def test_an_idempotency_key_replays_the_issued_code(client: PortalClient) -> None:
    await client.sign_in("agent", "demo-pass-agent")
    pid = await profile_id(client, MARIE)
    await client.verify(pid, MARIE_ANSWERS)
    first = await client.issue_access_code(
        pid, idempotency_key="4a7d1c1e-0b8e-4c55-9d0f-1d2e3f4a5b6c"
    )
    again = await client.issue_access_code(
        pid, idempotency_key="4a7d1c1e-0b8e-4c55-9d0f-1d2e3f4a5b6c"
    )
    assert again.code == first.code and again.id == first.id
    codes = await client.access_codes(pid)
    assert [c.status for c in codes] == ["active"]
    await client.revoke_access_code(pid, first.id)
    assert [c.status for c in await client.access_codes(pid)] == ["revoked"]


async def test_supervisor_routes_parse(client: PortalClient) -> None:
    await client.sign_in("supervisor", "demo-pass-supervisor")
    pid = await profile_id(client, PECHERIES)
    profile = await client.profile(pid)
    case = await client.open_user_code_recovery(
        NewUserCodeRecovery(
            profile_id=pid,
            caller_name="Denis Cormier",
            representative_id=profile.representatives[0].id,
            evidence=["recovery number", "representative on file"],
            delivery="email",
        )
    )
    assert case.status == "open" and case.notice is not None
    approved = await client.transition_user_code_recovery(case.id, "approved")
    assert approved.status == "approved"
    assert [c.id for c in await client.user_code_recoveries(profile_id=pid)] == [case.id]
    assert [n.kind for n in await client.notices(pid)] == ["user_code_recovery_opened"]
    page = await client.audit(action="user_code_recovery.open")
    assert [e.profile_id for e in page.items] == [pid]
    assert (await client.profile_audit(pid)).items[0].action == "user_code_recovery.transition"
    assert await client.lockouts() == LockoutList(items=[], next_cursor=None)
    assert await client.unlock_requests(status="pending") == UnlockRequestList(
        items=[], next_cursor=None
    )


async def _lock(client: PortalClient, profile_id: str) -> None:
    for n in range(5):
        await client.verify(profile_id, ["wrong", "answers", str(n)])


async def test_a_supervisor_pages_through_the_floor(
    client: PortalClient, clock: ManualClock
) -> None:
    await client.sign_in("agent", "demo-pass-agent")
    ids = [await profile_id(client, number) for number in TRAINING_CALLERS]
    for pid in ids:  # each lock ends a minute after the one before
        await _lock(client, pid)
        await client.request_unlock(pid, "caller has shown ID")
        clock.advance(timedelta(minutes=1))
    await client.sign_out()
    await client.sign_in("supervisor", "demo-pass-supervisor")

    first = await client.lockouts(limit=2)
    assert [lock.profile_id for lock in first.items] == ids[:2]
    assert first.next_cursor is not None
    rest = await client.lockouts(cursor=first.next_cursor, limit=2)
    assert [lock.profile_id for lock in rest.items] == ids[2:]
    assert rest.next_cursor is None

    queue = await client.unlock_requests(status="pending", limit=2)
    assert [request.profile_id for request in queue.items] == ids[:2]  # oldest first
    later = await client.unlock_requests("pending", cursor=queue.next_cursor, limit=2)
    assert [request.profile_id for request in later.items] == ids[2:]
    await client.approve_unlock_request(queue.items[0].id)
    assert [r.profile_id for r in (await client.unlock_requests(status="approved")).items] == [
        ids[0]
    ]

    failed = await client.audit(outcome="failed", profile_id=ids[1], limit=3)
    assert [e.reason for e in failed.items] == ["wrong_answers_locked"] + ["wrong_answers"] * 2
    assert {(e.profile_id, e.action) for e in failed.items} == {(ids[1], "verification.attempt")}
    older = await client.audit(outcome="failed", profile_id=ids[1], cursor=failed.next_cursor)
    assert len(older.items) == 2 and older.next_cursor is None
    window = await client.audit(
        action="unlock_request.create", since=START, until=START + timedelta(minutes=2)
    )
    assert [e.profile_id for e in window.items] == [ids[1], ids[0]]


async def test_bad_page_parameters_are_validation_failures(client: PortalClient) -> None:
    await client.sign_in("supervisor", "demo-pass-supervisor")
    with pytest.raises(errors.ValidationFailed) as cursor:
        await client.lockouts(cursor="not-a-cursor")
    assert "cursor" in cursor.value.fields
    with pytest.raises(errors.ValidationFailed) as limit:
        await client.unlock_requests(limit=201)
    assert "limit" in limit.value.fields
    with pytest.raises(errors.ValidationFailed) as outcome:
        await client.audit(outcome="maybe")  # type: ignore[arg-type]
    assert "outcome" in outcome.value.fields
