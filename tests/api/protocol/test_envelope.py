"""The envelope, its headers, and FOSSBilling's code → HTTP status map."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from pybilling.api.errors import ApiError, http_status_for
from tests.api.protocol.conftest import PROBE, Probe
from tests.helpers import Caller

EXPIRES = "Mon, 26 Jul 1997 05:00:00 GMT"


def test_success_envelope_has_exactly_result_and_error_null(http: TestClient) -> None:
    r = http.get("/api/guest/system/version")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"result": r.json()["result"], "error": None}
    assert b'"error":null' in r.content  # null is written, never omitted


def test_null_values_inside_results_are_kept(guest: Caller, probe: Probe) -> None:
    r = guest.http.get(f"/api/guest/{PROBE}/nulls")
    assert r.json() == {"result": {"nothing": None, "list": [], "nested": {"inner": None}}, "error": None}
    assert b'"nothing":null' in r.content


def test_error_envelope_has_null_result_and_message_and_code(http: TestClient) -> None:
    r = http.get("/api/guest/system/no_such_action")
    body = r.json()
    assert set(body) == {"result", "error"}
    assert body["result"] is None
    assert set(body["error"]) == {"message", "code"}
    assert isinstance(body["error"]["code"], int)
    assert b'"result":null' in r.content


@pytest.mark.parametrize("path", ["/api/guest/system/version", "/api/guest/system/nope", "/api/nope"])
def test_cache_headers_on_every_answer(http: TestClient, path: str) -> None:
    r = http.get(path)
    assert "no-cache" in r.headers["cache-control"]
    assert "must-revalidate" in r.headers["cache-control"]
    assert r.headers["expires"] == EXPIRES


def test_no_server_or_version_header(http: TestClient) -> None:
    r = http.get("/api/guest/system/version")
    lowered = {k.lower() for k in r.headers}
    assert "server" not in lowered
    assert "x-powered-by" not in lowered
    version = r.json()["result"]
    for name, value in r.headers.items():
        assert not (version and version in value), (name, value)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (201, 401), (202, 401), (203, 401), (204, 401), (205, 401), (206, 401), (1002, 401), (1004, 401),
        (403, 403), (740, 404), (429, 429), (503, 503), (701, 400), (879, 400),
        (9999, 200), (9998, 200), (400, 200), (401, 200), (715, 200), (725, 200), (714, 200), (788954, 200),
    ],
)
def test_code_to_http_status_map(code: int, status: int) -> None:
    assert http_status_for(code) == status
    assert ApiError("x", code).http_status == status


def test_status_map_is_what_the_client_sees(http: TestClient, admin: object) -> None:
    # 879 → 400, 740 → 404, 201 → 401, 9999 → 200: one request each, as a client would see them.
    assert http.get("/api/nope/system/version").status_code == 400
    assert http.get("/api/guest/system/nothing_here").status_code == 404
    assert http.get("/api/admin/system/version").status_code == 401
    r = http.get("/api/guest/system/version", params={"x": "y"})
    assert r.status_code == 200
