"""The call in progress: its grants and the one Idempotency-Key of each intent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from helpdesk.call import CurrentCall

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def test_an_intent_keeps_its_key_until_the_portal_answers() -> None:
    call = CurrentCall(NOW)
    first = call.idempotency_key("unlock:prf_1")
    assert call.idempotency_key("unlock:prf_1") == first, "a retry is a replay"
    assert call.idempotency_key("unlock:prf_2") != first, "another intent, another key"
    call.answered("unlock:prf_1")
    assert call.idempotency_key("unlock:prf_1") != first, "after an answer, a new attempt"


def test_a_new_call_holds_nothing_of_the_last_one() -> None:
    call = CurrentCall(NOW)
    call.verified("prf_1", NOW + timedelta(minutes=15))
    key = call.idempotency_key("unlock:prf_1")
    assert call.grant_expires_at("prf_1") == NOW + timedelta(minutes=15)
    fresh = CurrentCall(NOW)
    assert fresh.grant_expires_at("prf_1") is None
    assert fresh.idempotency_key("unlock:prf_1") != key
    call.grant_ended("prf_1")
    assert call.grant_expires_at("prf_1") is None
