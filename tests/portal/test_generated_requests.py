"""Generated requests from the portal's own OpenAPI document (schemathesis), sent to the real
portal over loopback HTTP: no 5xx, every answer as the document says (a documented status, its
schema, its content type), every error in the contract's shape, and no request the document calls
valid refused as malformed, but for the refusals docs/API.md documents ("What the document cannot
say").

One test per operation of the document (schemathesis's pytest integration makes them, so
pytest-xdist shares them out) for each identity: the agent and the supervisor on SQLite with the
coverage phase (each parameter at its bounds, left out, of the wrong type...) and 20 generated
requests an operation, about 1,250 requests each; no token on SQLite, and the agent on PostgreSQL
when it answers, with 10 generated requests an operation. Each test has a database of its own,
holding the test data and some state to find: a locked profile with a pending unlock request, an
open user-code recovery case, and a verified caller (by the agent and by the supervisor) with an
active access code. Path ids and a body's ``profile_id`` or ``representative_id`` are drawn from
those that exist about half the time, so requests reach past the 404. Generation is seeded and
derandomised, with no example database: every run sends the same requests (but for the ids and
tokens the portal makes), and a failure prints a curl command that replays it.

About 40 s of CPU in all (the portal's included: it runs in the test process), 20-25 s on two
workers; each worker also builds the coverage cases as it collects the module (about 3 s).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import positive_data_acceptance

from helpdesk.clock import ManualClock
from helpdesk.portal import openapi
from helpdesk.portal.app import create_app
from helpdesk.portal.db import Database
from helpdesk.portal.settings import PortalSettings
from tests.hash_cost import CHEAP_POLICY
from tests.portal.conftest import POSTGRES_URL, START, AppSwitch, Portal
from tests.portal.fixture_data import CALLERS, JOHN, MARIE, PECHERIES
from tests.portal.helpers import verify, wrong

V1 = "/admin/v1"


def _config(*, max_examples: int, coverage: bool) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 20261123,
            "generation": {
                "max-examples": max_examples,
                "deterministic": True,
                # Nothing kept between runs: a run depends on the seed alone.
                "database": "none",
            },
            # The coverage phase: each parameter at its bounds, left out, of the wrong type...
            "phases": {"coverage": {"enabled": coverage}},
            "checks": {
                "positive_data_acceptance": {
                    # The default, less 5xx (never expected), with 423: a valid verification of
                    # a locked profile is refused for the profile's state, as a 409 is.
                    "expected-statuses": ["2xx", "401", "403", "404", "409", "423", "429"],
                },
            },
        }
    )


# The document the portal serves at /openapi.json (and `make openapi` commits to docs/).
DOCUMENT = json.loads(openapi.document())
# For who can reach every operation's rules: the coverage phase (about 750 requests) and 20
# generated requests an operation.
schema = schemathesis.openapi.from_dict(DOCUMENT, config=_config(max_examples=20, coverage=True))
# For who adds little to that: without a token, where all but three operations answer 401 to
# anything (the coverage phase sent 750 requests to get them), and on PostgreSQL, where what
# differs is the storage, not the rules. 10 generated requests an operation.
quick_schema = schemathesis.openapi.from_dict(
    DOCUMENT, config=_config(max_examples=10, coverage=False)
)

IDENTITIES = {"no token": None, "agent": "alice", "supervisor": "sam"}


@dataclass
class State:
    """What a test's database holds beyond the test data: tokens by username, ids by the name of
    the path parameter or body field that takes them."""

    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)


# The state of the test running now, for the auth provider and the hooks below (the tests of a
# worker run one at a time).
current = State()


class Bearer:
    """The identity's token on every request but those that drop Authorization on purpose."""

    def get(self, case: schemathesis.Case, ctx: schemathesis.AuthContext) -> str | None:
        return current.tokens.get("bearer")

    def set(self, case: schemathesis.Case, data: str, ctx: schemathesis.AuthContext) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


def _authorise_coverage_case(case: schemathesis.Case) -> None:
    """The coverage phase's cases (boundary values, each parameter left out or mutated in turn)
    are made as the tests are collected, when there is no token yet: they get the identity's
    here, but for those that drop or spoil Authorization on purpose."""
    bearer = current.tokens.get("bearer")
    coverage = case.meta is not None and case.meta.phase.name == TestPhase.COVERAGE
    if bearer and coverage and not case.operation.schema.is_security_param_negated(case):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {bearer}"


def _existing_or_drawn(values: Any) -> st.SearchStrategy[Any]:
    """``values`` as drawn, or with its ids replaced by ids that exist."""
    if not isinstance(values, dict):
        return st.just(values)
    names = [name for name, value in values.items() if isinstance(value, str)]
    names = [name for name in names if current.ids.get(name)]
    if not names:
        return st.just(values)
    existing = st.fixed_dictionaries({name: st.sampled_from(current.ids[name]) for name in names})
    return st.one_of(st.just(values), existing.map(lambda ids: {**values, **ids}))


def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: Any
) -> st.SearchStrategy[Any]:
    return _existing_or_drawn(path_parameters)


def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
    return _existing_or_drawn(body)


for generated in (schema, quick_schema):
    generated.auth(refresh_interval=None)(Bearer)
    generated.hook(flatmap_path_parameters)
    generated.hook(flatmap_body)


@schemathesis.check
def error_shape(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """Every 4xx and 5xx is JSON of the contract's shape: {"error": {"code", "message",
    "details"}}, a code and a message that say something, details an object."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), f"an error as {content_type!r}"
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, f"not the error shape: {body}"
    error = body["error"]
    assert isinstance(error, dict), f"not the error shape: {body}"
    assert set(error) == {"code", "message", "details"}, f"not the error shape: {body}"
    assert isinstance(error["code"], str) and error["code"], f"no code: {body}"
    assert isinstance(error["message"], str) and error["message"], f"no message: {body}"
    assert isinstance(error["details"], dict), f"details not an object: {body}"
    return True


# Refusals of requests the document calls valid, each documented in docs/API.md ("What the
# document cannot say"): the value is checked against the data, or against a rule no JSON Schema
# keyword states. A 422 passes when every field it names is refused for one of these reasons.
DOCUMENTED_422 = {
    # a cursor is opaque: the document's pattern gives its form, not which cursors were given
    ("cursor", "not a cursor this portal gave"),
    # an RFC 3339 time whose offset takes it out of the years 1-9999 in UTC
    ("since", "out of the range of times"),
    ("until", "out of the range of times"),
    # a case names one of the account's representatives, and a contact the account has on file
    ("representative_id", "not one of this account's representatives"),
    ("delivery", "there is no e-mail address on file"),
    ("delivery", "there is no postal address on file"),
    # answers are compared normalised (NFKC, case folded, accents removed); one that normalises
    # to nothing (combining marks alone) is refused, and no keyword states a normalisation
    *((f"answers[{n}]", "an answer cannot be empty") for n in range(3)),
}
# PostgreSQL cannot store a NUL: a string holding one is refused wherever it is.
NUL_REFUSED = "must not contain a NUL character"


def _documented_refusal(response: schemathesis.Response) -> bool:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False  # not the error shape: error_shape says so
    if response.status_code == 400:
        # Any string that is not an active code is code_invalid, of whatever form: a guesser
        # learns nothing of what a code looks like.
        return bool(error["code"] == "code_invalid")
    fields = error.get("details", {}).get("fields") if response.status_code == 422 else None
    return (
        isinstance(fields, dict)
        and bool(fields)
        and all(
            reason == NUL_REFUSED or (name, reason) in DOCUMENTED_422
            for name, reason in fields.items()
        )
    )


@schemathesis.check
def valid_requests_accepted(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """schemathesis's positive_data_acceptance (a request the document calls valid is not
    refused as malformed), less the documented refusals above."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except AssertionError:
        if _documented_refusal(response):
            return None
        raise


def _created(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


def _make_state(portal: Portal) -> State:
    """Sign the agent and the supervisor in, and make the state the generated requests find."""
    tokens = {name: portal.token(name) for name in ("alice", "sam")}
    with portal.client(tokens["alice"]) as alice, portal.client(tokens["sam"]) as sam:
        for n in range(5):
            _created(verify(alice, JOHN, wrong(n)))
        request = alice.post(f"{V1}/unlock-requests", json={"profile_id": JOHN.id, "reason": "r"})
        case = alice.post(
            f"{V1}/user-code-recoveries",
            json={
                "profile_id": PECHERIES.id,
                "caller_name": PECHERIES.representatives[0][1],
                "representative_id": PECHERIES.representatives[0][0],
                "evidence": ["registry checked"],
                "delivery": "mail",
            },
        )
        for client in (alice, sam):
            assert _created(verify(client, MARIE))["verified"] is True
        code = alice.post(f"{V1}/profiles/{MARIE.id}/access-codes")
        ids = {
            "profile_id": [caller.id for caller in CALLERS],
            "representative_id": [rep for c in CALLERS for rep, _, _ in c.representatives],
            "request_id": [_created(request)["id"]],
            "case_id": [_created(case)["id"]],
            "code_id": [_created(code)["id"]],
        }
    return State(tokens=tokens, ids=ids)


# The state made in the SQLite template (below), valid in every copy of it.
template_state = State()


@pytest.fixture(scope="module")
def sqlite_templates(
    sqlite_templates: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
    server: tuple[AppSwitch, str],
) -> dict[str, Path]:
    """conftest's templates, the populated one with the state made once, through the API (a
    dozen writes: made for each test they were a quarter of its time). conftest's ``populated``
    copies it for each test of this module, tokens included."""
    path = tmp_path_factory.mktemp("generated") / "populated.db"
    shutil.copyfile(sqlite_templates["populated"], path)
    database = Database.from_url(f"sqlite:///{path}")
    settings = PortalSettings(database_url="unused://", environment="demo", policy=CHEAP_POLICY)
    clock = ManualClock(START)
    switch, url = server
    switch.app = create_app(settings, clock=clock, database=database)
    try:
        state = _make_state(Portal(url, clock, database, settings))
    finally:
        switch.app = None
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    template_state.tokens, template_state.ids = state.tokens, state.ids
    return {**sqlite_templates, "populated": path}


@pytest.fixture
def identity(request: pytest.FixtureRequest, portal: Portal) -> Iterator[str]:
    """Who sends the test's requests. The state is made for the test on PostgreSQL (its tables
    are refilled for each), copied with the database on SQLite."""
    state = _make_state(portal) if portal.database.is_postgresql else template_state
    username = IDENTITIES[request.param]
    current.ids = state.ids
    current.tokens = {"bearer": state.tokens[username]} if username else {}
    try:
        yield request.param
    finally:
        current.ids, current.tokens = {}, {}


@pytest.fixture
def http(identity: str) -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def _call_and_validate(case: schemathesis.Case, portal: Portal, http: requests.Session) -> None:
    _authorise_coverage_case(case)
    case.call_and_validate(
        base_url=portal.url,
        session=http,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[error_shape, valid_requests_accepted],
    )


# One database for all the examples of a test, as a portal takes one request after another.
@pytest.mark.parametrize(
    ("populated", "identity"), [("sqlite", "agent"), ("sqlite", "supervisor")], indirect=True
)
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_requests(
    case: schemathesis.Case, portal: Portal, http: requests.Session
) -> None:
    _call_and_validate(case, portal, http)


@pytest.mark.parametrize(
    ("populated", "identity"),
    [("sqlite", "no token"), *([("postgresql", "agent")] if POSTGRES_URL else [])],
    indirect=True,
)
@quick_schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_requests_quick(
    case: schemathesis.Case, portal: Portal, http: requests.Session
) -> None:
    _call_and_validate(case, portal, http)
