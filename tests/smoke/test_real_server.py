"""A real `pybilling serve` (uvicorn in a subprocess): real Basic auth, real cookies, a real CSRF round trip.

The server runs on the database the suite was asked for (SQLite, PostgreSQL or MariaDB), set up the
way an operator would: `pybilling init`, `pybilling staff create`, `pybilling staff api-key`.
Every wait is bounded; the server is stopped at the end whatever happens.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backends import BackendUnavailable, selected_backend, temporary_database

BIN = Path(sys.executable).parent
PYBILLING = str(BIN / "pybilling")
STAFF_PASSWORD = "Smoke-Staff-Pass-123!"
CLIENT_PASSWORD = "Smoke-Client-Pass-123!"
START_TIMEOUT = 30.0
COMMAND_TIMEOUT = 120.0


@dataclass
class Server:
    base: str
    admin_key: str
    staff_email: str
    data_dir: Path
    log: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYBILLING, *args], env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"`pybilling {' '.join(args[:2])}` failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"pybilling serve exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/api/guest/system/version", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"pybilling serve did not answer within {START_TIMEOUT:.0f} s: {log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("smoke")
    try:
        with temporary_database(selected_backend(), data_dir) as url:
            yield from _serve(data_dir, url)
    except BackendUnavailable as exc:
        if os.environ.get("PYBILLING_TEST_REQUIRE_DBS") == "1":
            pytest.fail(f"required database backend unavailable: {exc}")
        pytest.skip(str(exc))


def _serve(data_dir: Path, url: str) -> Iterator[Server]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYBILLING_")}
    env.update(
        PYBILLING_DATA_DIR=str(data_dir),
        PYBILLING_DATABASE_URL=url,
        PYBILLING_STAFF_PASSWORD=STAFF_PASSWORD,
        PYBILLING_PASSWORD_HASH_COST="low",
    )
    staff_email = f"smoke_{uuid.uuid4().hex[:8]}@example.com"
    _cli(env, "init")
    _cli(env, "staff", "create", "--email", staff_email, "--name", "Smoke Admin", "--group-id", "1")
    admin_key = _cli(env, "staff", "api-key", staff_email).strip()
    assert admin_key
    port = _free_port()
    log = data_dir / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [PYBILLING, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, process, log)
        yield Server(base, admin_key, staff_email, data_dir, log)
    finally:
        _stop(process)


def _urllib(server: Server, path: str, data: Any = None, auth: str | None = None) -> tuple[int, Any, Any]:
    headers = {"Content-Type": "application/json"}
    if auth is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(server.base + path, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read()), r.headers
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), e.headers


def test_guest_envelope_and_headers(server: Server) -> None:
    status, body, headers = _urllib(server, "/api/guest/system/version")
    assert status == 200
    assert body["error"] is None
    assert isinstance(body["result"], str)
    assert headers["Expires"] == "Mon, 26 Jul 1997 05:00:00 GMT"
    assert "no-cache" in headers["Cache-Control"]
    assert headers.get("Server") is None


def test_real_basic_auth(server: Server) -> None:
    status, body, _ = _urllib(server, "/api/admin/staff/get_list", {"per_page": 5}, auth=f"admin:{server.admin_key}")
    assert status == 200, body
    assert server.staff_email in [row["email"] for row in body["result"]["list"]]
    assert _urllib(server, "/api/admin/staff/get_list", {}, auth="admin:wrong-key")[:2] == (
        401, {"result": None, "error": {"message": "Authentication Failed", "code": 205}}
    )
    assert _urllib(server, "/api/admin/staff/get_list", {})[0] == 401
    assert _urllib(server, "/api/admin/staff/get_list", {}, auth="admin:")[1]["error"]["code"] == 202


def test_bad_path_and_other_verbs(server: Server) -> None:
    status, body, _ = _urllib(server, "/api/Admin/staff/get_list")
    assert (status, body["error"]["code"]) == (400, 879)
    r = httpx.delete(f"{server.base}/api/guest/system/version", timeout=10)
    assert r.status_code == 404
    assert "result" not in r.text


def test_real_cookies_and_csrf_round_trip(server: Server) -> None:
    email = f"smoke_client_{uuid.uuid4().hex[:8]}@example.com"
    status, body, _ = _urllib(
        server, "/api/admin/client/create",
        {"email": email, "first_name": "Smoke", "password": CLIENT_PASSWORD}, auth=f"admin:{server.admin_key}",
    )
    assert status == 200, body
    assert isinstance(body["result"], int), body
    with httpx.Client(base_url=server.base, timeout=10) as browser:
        login = browser.post("/api/guest/client/login", json={"email": email, "password": CLIENT_PASSWORD})
        assert login.json()["error"] is None, login.json()
        assert login.json()["result"]["email"] == email
        set_cookies = {line.split("=", 1)[0]: line.lower() for line in login.headers.get_list("set-cookie")}
        assert "httponly" in set_cookies["pybilling_session"]
        assert "samesite=lax" in set_cookies["pybilling_session"]
        token = browser.cookies["csrf_token"]
        assert browser.cookies["fossbilling_csrf"] == token

        without = browser.post("/api/client/profile/get", json={})
        assert without.status_code == 403
        assert without.json() == {"result": None, "error": {"message": "CSRF token invalid", "code": 403}}

        wrong = browser.post("/api/client/profile/get", json={}, headers={"X-CSRF-Token": "0" * 64})
        assert wrong.status_code == 403

        with_header = browser.post("/api/client/profile/get", json={}, headers={"X-CSRF-Token": token})
        assert with_header.status_code == 200, with_header.text
        assert with_header.json()["result"]["email"] == email

        in_body = browser.post("/api/client/profile/get", json={"CSRFToken": token})
        assert in_body.json()["result"]["email"] == email
        in_query = browser.get("/api/client/profile/get", params={"CSRFToken": token})
        assert in_query.json()["result"]["email"] == email

    # Another browser without the session cookie is a stranger.
    assert httpx.post(f"{server.base}/api/client/profile/get", json={"CSRFToken": token}, timeout=10).status_code == 401


def test_the_shared_protocol_probe_passes(server: Server) -> None:
    tool = Path(__file__).resolve().parents[3] / "shared" / "tools" / "protocol_smoke.py"
    if not tool.exists():
        pytest.skip("../shared/tools/protocol_smoke.py is not beside the checkout")
    env = {**os.environ, "BASE_URL": server.base, "ADMIN_API_KEY": server.admin_key}
    done = subprocess.run(
        [sys.executable, str(tool)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
