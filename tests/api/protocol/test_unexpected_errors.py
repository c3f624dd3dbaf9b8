"""Unexpected exceptions: a generic message with a request id, code 9998, nothing leaked, nothing kept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from pybilling.core import settings_store
from tests.api.protocol.conftest import LEAK, PROBE, Probe

GENERIC = re.compile(r"^An unexpected error occurred\. Request ID: [0-9a-f]{16}$")


@pytest.mark.parametrize("action", ["boom", "bad_sql"])
def test_unexpected_exception_is_9998_with_a_request_id(http: TestClient, probe: Probe, action: str) -> None:
    r = http.post(f"/api/guest/{PROBE}/{action}", json={})
    assert r.status_code == 200
    body = r.json()
    assert body["result"] is None
    assert body["error"]["code"] == 9998
    assert GENERIC.match(body["error"]["message"]), body
    for secret in (LEAK, "Traceback", "no_such_table", "SELECT", "/srv/", "/work/", ".py", "sqlalchemy"):
        assert secret.lower() not in r.text.lower(), secret


def test_request_ids_differ_and_are_logged(
    http: TestClient, probe: Probe, caplog: pytest.LogCaptureFixture
) -> None:
    first = http.get(f"/api/guest/{PROBE}/boom").json()["error"]["message"]
    second = http.get(f"/api/guest/{PROBE}/boom").json()["error"]["message"]
    assert first != second
    request_id = first.rsplit(" ", 1)[1]
    assert any(request_id in record.getMessage() for record in caplog.records)


def test_a_failed_call_keeps_nothing_it_wrote(http: TestClient, db: Session, probe: Probe) -> None:
    r = http.post(f"/api/guest/{PROBE}/write_then_fail", json={"value": "half-written"})
    assert r.json()["error"]["code"] == 9998
    with db.begin():
        assert settings_store.get_param(db, "zzprobe_marker") is None
