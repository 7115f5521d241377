from __future__ import annotations

from tests.portal.conftest import Portal


def test_health(portal: Portal) -> None:
    with portal.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "environment": "demo", "version": "0.1.0"}
    assert response.headers["x-request-id"].startswith("req_")
