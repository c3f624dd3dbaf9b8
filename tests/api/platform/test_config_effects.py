"""Settings that change how every call is treated: key rotation, IP allow-list, trusted proxies, Redis."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from pybilling.app import build_services, create_app
from pybilling.core.ratelimit import RateLimitService
from pybilling.core.sessions import RedisSessionStore, new_session_data
from tests.conftest import TEST_SECRET, test_settings
from tests.helpers import Caller

REDIS_URL = "redis://127.0.0.1:6379/0"


def app_with(tmp_path: Path, session_factory: sessionmaker[Session], **overrides: Any) -> TestClient:
    services = build_services(test_settings(tmp_path, **overrides), session_factory=session_factory)
    return TestClient(create_app(services=services), base_url="http://testserver", client=("127.0.0.2", 50000))


def test_keys_issued_under_an_old_secret_still_work_after_rotation(
    tmp_path: Path, session_factory: sessionmaker[Session], admin: Any
) -> None:
    rotated = app_with(tmp_path, session_factory, secret_key="a-brand-new-secret-key-0123456789",
                       secret_key_old=TEST_SECRET)
    Caller(rotated, "admin", admin.key)("staff/get_pairs").ok()
    without_old = app_with(tmp_path, session_factory, secret_key="a-brand-new-secret-key-0123456789")
    Caller(without_old, "admin", admin.key)("staff/get_pairs").fails(code=205, status=401)


def test_api_allowed_ips_refuse_other_addresses(tmp_path: Path, session_factory: sessionmaker[Session]) -> None:
    # The test client connects from 127.0.0.2; allow only another address.
    http = app_with(tmp_path, session_factory, api_allowed_ips="203.0.113.9")
    Caller(http, "guest").get("system/version").fails("Unauthorized IP", code=1002, status=401)


def test_forwarded_for_is_ignored_unless_from_a_trusted_proxy(
    tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    # The whitelist holds the forwarded address: it exempts the caller only when the proxy is trusted.
    spoofed = app_with(tmp_path, session_factory, rate_limit_whitelist="198.51.100.7")
    guest = Caller(spoofed, "guest")
    headers = {"X-Forwarded-For": "198.51.100.7"}
    statuses = [guest.get("system/version", headers=headers).status for _ in range(101)]
    assert statuses[-1] == 429
    trusted = app_with(tmp_path, session_factory, rate_limit_whitelist="198.51.100.7", trusted_proxies="127.0.0.0/8")
    guest = Caller(trusted, "guest")
    assert all(guest.get("system/version", headers=headers).status == 200 for _ in range(101))


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable: {exc}")
    return REDIS_URL


def test_redis_session_store_round_trip_and_destroy(redis_url: str) -> None:
    store = RedisSessionStore(redis_url)
    staff_id = int(uuid.uuid4().int % 10**9)
    sessions = [new_session_data(uuid.uuid4().hex, 60, staff_id=staff_id) for _ in range(2)]
    for session in sessions:
        store.save(None, session)  # type: ignore[arg-type]
    loaded = store.load(None, sessions[0].key)  # type: ignore[arg-type]
    assert loaded is not None
    assert loaded.staff_id == staff_id
    assert loaded.csrf_token == sessions[0].csrf_token
    assert store.delete_for(None, staff_id=staff_id) == 2  # type: ignore[arg-type]
    assert store.load(None, sessions[1].key) is None  # type: ignore[arg-type]


def test_redis_rate_limits_are_shared_between_instances(redis_url: str) -> None:
    subject = f"203.0.113.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:6]}"
    first = RateLimitService(redis_url)
    second = RateLimitService(redis_url)
    for _ in range(5):
        assert first.consume("client_signup", subject)
    assert not second.consume("client_signup", subject)
    assert ("client_signup", subject.lower()) in {(p, s) for p, s, _ in second.limited_subjects()}
    second.reset("client_signup", subject)
    assert first.consume("client_signup", subject)
