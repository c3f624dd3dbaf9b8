"""Generated bad-input tests: every method, every parameter set to one malformed kind of value.

Each call must end in the envelope with a clean error (9999 or another documented code) or a
success — never a 500, never the 9998 "unexpected error", never internals in the answer.
"""

from __future__ import annotations

from typing import Any

import pytest

from pybilling.api.errors import UNEXPECTED_CODE
from pybilling.api.registry import ApiMethod, registry
from pybilling.modules import load_modules
from tests.helpers import Caller, basic

load_modules()

METHODS: dict[str, ApiMethod] = {"/".join(key): method for key, method in sorted(registry.methods.items())}

BAD_VALUES: dict[str, Any] = {
    "list": [1, 2],
    "nested": {"a": {"b": 1}},
    "huge_text": "x" * 70_000,
    "long_text": "y" * 1_000,  # fits the 65,535 limit of parameters, not most columns
    "minus_one": -1,
    "word": "abc",
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


CASES = [
    pytest.param(key, kind, id=f"{key}-{kind}")
    for key, method in METHODS.items() if _names(method)
    for kind in BAD_VALUES
]


def _caller(request: pytest.FixtureRequest, method: ApiMethod) -> Caller:
    http = request.getfixturevalue("http")
    if method.role == "admin":
        return Caller(http, "admin", request.getfixturevalue("admin").key)
    if method.role == "client":
        return Caller(http, "client", request.getfixturevalue("make_client")().key)
    return Caller(http, "guest")


def test_most_methods_take_parameters() -> None:
    assert len({key for key, _ in (c.values for c in CASES)}) > 60  # type: ignore[misc]


@pytest.mark.parametrize(("key", "kind"), CASES)
def test_malformed_values_give_a_clean_answer(request: pytest.FixtureRequest, key: str, kind: str) -> None:
    method = METHODS[key]
    caller = _caller(request, method)
    params = dict.fromkeys(_names(method), BAD_VALUES[kind])
    headers = basic(caller.role, caller.key) if caller.key else {}
    response = caller.http.post(f"/api/{key}", json=params, headers=headers)
    assert response.status_code != 500, response.text[:500]
    for leak in LEAKS:
        assert leak not in response.text, response.text[:500]
    if response.headers["content-type"].startswith("text/csv"):  # a download answers raw, never on failure
        assert response.status_code == 200
        return
    body = response.json()
    assert isinstance(body, dict), response.text[:500]
    assert set(body) == {"result", "error"}, response.text[:500]
    if body["error"] is not None:
        assert body["result"] is None
        assert body["error"]["code"] != UNEXPECTED_CODE, body["error"]
        assert isinstance(body["error"]["message"], str)
        assert body["error"]["message"]
