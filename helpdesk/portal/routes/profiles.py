from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from helpdesk.api.errors import ValidationFailed
from helpdesk.api.models import (
    NOT_BLANK,
    AuditPage,
    LockoutList,
    NoticeList,
    Profile,
    ProfileList,
    RecoveryQuestions,
    SignInList,
)
from helpdesk.portal.deps import AgentCall
from helpdesk.portal.routes import Cursor, Moment, PageLimit, errors, position
from helpdesk.portal.rules import audit, lockout, notices, pages, profiles, search
from helpdesk.portal.rules.calls import Call

router = APIRouter(prefix="/admin/v1", tags=["profiles"])

Limit = Annotated[int, Query(ge=1, le=100, description="1 to 100, 25 when left out")]


def utc(moment: datetime | None, name: str) -> datetime | None:
    """A time from a query string (``Moment``: always with its offset), in UTC. An offset that
    moves it past year 1 or 9999 is a 422 naming the parameter (``astimezone`` overflows)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValidationFailed.field(name, "out of the range of times") from None


@router.get("/profiles", response_model=ProfileList, responses=errors(401, 422))
async def search_profiles(
    call: AgentCall,
    q: Annotated[str, Query(min_length=1, max_length=100, pattern=NOT_BLANK)],
    limit: Limit = 25,
) -> Response:
    # Answers with the JSON it makes itself: given the ProfileList, FastAPI would validate it
    # again, for every keystroke an agent types. On SQLite the search runs on the event loop
    # (index range scans of a local file, about a millisecond of Python): the trip to a thread
    # and back cost 17% more CPU a search, and a process's threads share one core anyway
    # (--workers uses the others). PostgreSQL's network round trips go to a thread.
    if call.database.is_postgresql:
        body = await run_in_threadpool(_search_json, call, q.strip(), limit)
    else:
        body = _search_json(call, q.strip(), limit)
    return Response(body, media_type="application/json")


def _search_json(call: Call, q: str, limit: int) -> str:
    with call.database.read() as connection:
        found = ProfileList(items=search.search(connection, q, limit, call.now()))
    return found.model_dump_json(by_alias=True)


@router.get("/profiles/{profile_id}", response_model=Profile, responses=errors(401, 404))
def get_profile(profile_id: str, call: AgentCall) -> Profile:
    with call.database.read() as connection:
        return profiles.view(connection, call, profile_id)


@router.get(
    "/profiles/{profile_id}/sign-ins", response_model=SignInList, responses=errors(401, 404)
)
def sign_ins(profile_id: str, call: AgentCall) -> SignInList:
    with call.database.read() as connection:
        return SignInList(items=profiles.sign_ins(connection, profile_id))


@router.get("/lockouts", response_model=LockoutList, responses=errors(401, 422))
def lockouts(
    call: AgentCall, cursor: Cursor = None, limit: PageLimit = pages.DEFAULT_PAGE
) -> LockoutList:
    after = position(cursor)
    with call.database.read() as connection:
        return lockout.lockouts(connection, call.now(), after, limit)


@router.get(
    "/profiles/{profile_id}/recovery-questions",
    response_model=RecoveryQuestions,
    responses=errors(401, 404),
)
def recovery_questions(profile_id: str, call: AgentCall) -> RecoveryQuestions:
    with call.database.read() as connection:
        return profiles.recovery_questions(connection, profile_id)


@router.get("/profiles/{profile_id}/notices", response_model=NoticeList, responses=errors(401, 404))
def profile_notices(profile_id: str, call: AgentCall) -> NoticeList:
    with call.database.read() as connection:
        profiles.find(connection, profile_id)
        return NoticeList(items=notices.list_notices(connection, profile_id))


@router.get(
    "/profiles/{profile_id}/audit", response_model=AuditPage, responses=errors(401, 404, 422)
)
def profile_audit(
    profile_id: str,
    call: AgentCall,
    cursor: Cursor = None,
    limit: PageLimit = pages.DEFAULT_PAGE,
    since: Moment = None,
    until: Moment = None,
) -> AuditPage:
    query = audit.AuditQuery(
        profile_id=profile_id,
        since=utc(since, "since"),
        until=utc(until, "until"),
        cursor=cursor,
        limit=limit,
    )
    with call.database.read() as connection:
        profiles.find(connection, profile_id)
        return audit.page(connection, query)
