"""Calling the API as a user would, and making test data through the services."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.testclient import TestClient


def basic(role: str, key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{role}:{key}".encode()).decode()}


@dataclass
class Answer:
    status: int
    body: Any
    headers: Any

    @property
    def result(self) -> Any:
        return self.body["result"]

    @property
    def error(self) -> Any:
        return self.body["error"]

    @property
    def code(self) -> int | None:
        return self.body["error"]["code"] if self.body["error"] else None

    @property
    def message(self) -> str | None:
        return self.body["error"]["message"] if self.body["error"] else None

    def ok(self) -> Any:
        assert self.status == 200, (self.status, self.body)
        assert self.body["error"] is None, self.body["error"]
        return self.body["result"]

    def fails(self, message: str | None = None, code: int = 9999, status: int | None = None) -> None:
        assert self.body["result"] is None, self.body
        assert self.body["error"] is not None, self.body
        assert self.body["error"]["code"] == code, self.body
        if message is not None:
            assert self.body["error"]["message"] == message, self.body
        if status is not None:
            assert self.status == status, (self.status, self.body)


class Caller:
    """Calls `/api/{role}/{path}` with Basic auth (`key`), with the client's cookies, or as a guest."""

    def __init__(self, http: TestClient, role: str, key: str | None = None):
        self.http = http
        self.role = role
        self.key = key
        self.csrf: str | None = None  # sent as X-CSRF-Token when set (session callers)

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.key is not None:
            headers.update(basic(self.role, self.key))
        if self.csrf is not None:
            headers.setdefault("X-CSRF-Token", self.csrf)
        return headers

    def __call__(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Answer:
        r = self.http.post(f"/api/{self.role}/{path}", json=params, headers=self._headers(headers))
        return Answer(r.status_code, r.json(), r.headers)

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Answer:
        r = self.http.get(f"/api/{self.role}/{path}", params=params, headers=self._headers(headers))
        return Answer(r.status_code, r.json(), r.headers)

    def form(self, path: str, data: Any, headers: dict[str, str] | None = None) -> Answer:
        r = self.http.post(f"/api/{self.role}/{path}", data=data, headers=self._headers(headers))
        return Answer(r.status_code, r.json(), r.headers)


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}@example.com"
