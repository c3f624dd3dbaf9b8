"""Generated bad-input tests: every method, every parameter set to one malformed kind of value.

Each call must end in the envelope with a clean error (9999 or another documented code) or a
success — never a 500, never the 9998 "unexpected error", never internals in the answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pybilling.api.errors import UNEXPECTED_CODE
from pybilling.api.registry import ApiMethod, registry
from pybilling.config import Settings
from pybilling.modules import load_modules
from tests.conftest import test_settings
from tests.helpers import Caller, basic, unique_email

load_modules()

METHODS: dict[str, ApiMethod] = {"/".join(key): method for key, method in sorted(registry.methods.items())}

BAD_VALUES: dict[str, Any] = {
    "list": [1, 2],
    "nested": {"a": {"b": 1}},
    "huge_text": "x" * 70_000,
    "long_text": "y" * 1_000,  # fits the 65,535 limit of parameters, not most columns
    "minus_one": -1,
    "word": "abc",
    "nul_text": "a\x00b",  # PostgreSQL cannot store a NUL character
    "null": None,
    "true": True,
}
# Models that accept any key (settings, extension config) also get names no model declares.
EXTRA_NAMES = ("company_name", "generated_extra")
LEAKS = ("Traceback", "sqlalchemy", "/work/", '.py"')


def _names(method: ApiMethod) -> list[str]:
    names = list(method.params.model_fields) + [name for name, _ in method.required]
    if method.params.model_config.get("extra") == "allow":
        names += list(EXTRA_NAMES)
    return list(dict.fromkeys(names))


KEYS = [key for key, method in METHODS.items() if _names(method)]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Rate limits off, so every kind of value reaches the method (a 429 would hide the rest)."""
    return test_settings(tmp_path, rate_limit_enabled=False)


def _caller(request: pytest.FixtureRequest, method: ApiMethod) -> Caller:
    http = request.getfixturevalue("http")
    if method.role == "admin":
        return Caller(http, "admin", request.getfixturevalue("admin").key)
    if method.role == "client":
        return Caller(http, "client", request.getfixturevalue("make_client")().key)
    return Caller(http, "guest")


def _problem(caller: Caller, key: str, params: dict[str, Any]) -> str | None:
    """What is wrong with the answer to these parameters, or None when it is clean."""
    headers = basic(caller.role, caller.key) if caller.key else {}
    response = caller.http.post(f"/api/{key}", json=params, headers=headers)
    text = response.text[:500]
    if response.status_code >= 500:
        return f"HTTP {response.status_code}: {text}"
    leaks = [leak for leak in LEAKS if leak in response.text]
    if leaks:
        return f"internals {leaks} in {text}"
    if response.headers["content-type"].startswith("text/csv"):  # a download answers raw, never on failure
        return None if response.status_code == 200 else f"raw answer with HTTP {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {text}"
    if not isinstance(body, dict) or set(body) != {"result", "error"}:
        return f"not the envelope: {text}"
    error = body["error"]
    if error is None:
        return None
    if body["result"] is not None or not isinstance(error.get("message"), str) or not error["message"]:
        return f"malformed error: {text}"
    if error.get("code") == UNEXPECTED_CODE:
        return f"unexpected error: {text}"
    return None


def test_most_methods_take_parameters() -> None:
    assert len(KEYS) > 60


@pytest.mark.parametrize("key", KEYS)
def test_malformed_values_give_a_clean_answer(request: pytest.FixtureRequest, key: str) -> None:
    """One call per kind of malformed value, every parameter of the method set to it."""
    method = METHODS[key]
    caller = _caller(request, method)
    names = _names(method)
    problems = {kind: _problem(caller, key, dict.fromkeys(names, value)) for kind, value in BAD_VALUES.items()}
    assert {kind: p for kind, p in problems.items() if p} == {}


# Plausible values for required parameters, so a long text in another parameter reaches the write.
PASSWORD = "Generated-Pass-123!"
FILLERS: dict[str, Any] = {
    "password": PASSWORD, "password_confirm": PASSWORD, "new_password": PASSWORD, "confirm_password": PASSWORD,
    "first_name": "Gen", "name": "Generated", "title": "Generated", "description": "Generated", "amount": "10",
    "code": "USD", "type": "mod", "ext": "activity", "mod": "activity", "extension_id": "activity",
    "ip": "10.0.0.1", "locale_id": "en_US", "key": "company_name", "hash": "abc", "group_id": "1",
}
CALLER_PASSWORDS = {"admin": "Staff-Pass-123!", "client": "Client-Pass-123!"}
LONG_TEXT = "z" * 1_000  # under the 65,535 parameter limit, over most column limits
TEXT_KEYS = [key for key, method in METHODS.items() if method.params.model_fields]


def _fillers(request: pytest.FixtureRequest, method: ApiMethod) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, _ in method.required:
        if name == "email":
            values[name] = unique_email("gen")
        elif name == "current_password":
            values[name] = CALLER_PASSWORDS.get(method.role, PASSWORD)
        elif name in ("id", "ids") and method.module == "client":
            client_id = request.getfixturevalue("make_client")().id
            values[name] = [client_id] if name == "ids" else client_id
        elif name in ("id", "admin_id") and method.module == "staff":
            values[name] = request.getfixturevalue("make_staff")(group_id=2).id
        else:
            values[name] = FILLERS.get(name, "1")
    return values


@pytest.mark.parametrize("key", TEXT_KEYS)
def test_long_text_in_each_parameter_gives_a_clean_answer(request: pytest.FixtureRequest, key: str) -> None:
    """One parameter at a time gets a 1,000-character text, the required others plausible values.

    A text no model limits reaches the database, where MariaDB and PostgreSQL refuse what does not fit.
    """
    method = METHODS[key]
    caller = _caller(request, method)
    problems: dict[str, str | None] = {}
    for name in method.params.model_fields:
        params = {**_fillers(request, method), name: LONG_TEXT}
        problems[name] = _problem(caller, key, params)
    assert {name: p for name, p in problems.items() if p} == {}
