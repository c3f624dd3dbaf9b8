"""Request parameters: query, form (urlencoded and multipart, PHP brackets), JSON, merge, bad bodies."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson
from starlette.testclient import TestClient

from tests.api.protocol.conftest import PROBE, Probe
from tests.helpers import Caller

ECHO = f"/api/guest/{PROBE}/echo"


def _result(r: Any) -> Any:
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["error"] is None, body
    return body["result"]


def test_get_query_string(http: TestClient, probe: Probe) -> None:
    assert _result(http.get(ECHO, params={"a": "1", "b": "x y"})) == {"a": "1", "b": "x y"}


def test_get_query_with_php_brackets(http: TestClient, probe: Probe) -> None:
    r = http.get(f"{ECHO}?ids[]=1&ids[]=2&config[a]=b&config[c][]=d&deep[x][y][z]=1")
    assert _result(r) == {
        "ids": ["1", "2"],
        "config": {"a": "b", "c": ["d"]},
        "deep": {"x": {"y": {"z": "1"}}},
    }


def test_form_urlencoded_with_php_brackets(http: TestClient, probe: Probe) -> None:
    body = "a[b][]=1&a[b][]=2&a[c]=x&name=Jane&empty="
    r = http.post(ECHO, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert _result(r) == {"a": {"b": ["1", "2"], "c": "x"}, "name": "Jane", "empty": ""}


def test_multipart_form_with_php_brackets(http: TestClient, probe: Probe) -> None:
    r = http.post(ECHO, files={"a[b][]": (None, "1"), "a[c]": (None, "x"), "name": (None, "Jane")})
    assert _result(r) == {"a": {"b": ["1"], "c": "x"}, "name": "Jane"}


def test_json_body_keeps_native_types(http: TestClient, probe: Probe) -> None:
    sent = {"i": 1, "f": 1.5, "t": True, "n": None, "s": "x", "l": [1, "2"], "o": {"k": [None]}}
    assert _result(http.post(ECHO, json=sent)) == sent


def test_json_with_charset_content_type(http: TestClient, probe: Probe) -> None:
    r = http.post(ECHO, content=b'{"a": "\xc3\xa9"}', headers={"Content-Type": "application/json; charset=utf-8"})
    assert _result(r) == {"a": "é"}


def test_query_is_merged_under_the_body_and_the_body_wins(http: TestClient, probe: Probe) -> None:
    assert _result(http.post(f"{ECHO}?a=1&b=2", json={"b": "body"})) == {"a": "1", "b": "body"}
    r = http.post(f"{ECHO}?a=1&b=2", data={"b": "form"})
    assert _result(r) == {"a": "1", "b": "form"}


def test_empty_post_body_uses_the_query(http: TestClient, probe: Probe) -> None:
    assert _result(http.post(f"{ECHO}?a=1")) == {"a": "1"}


def test_malformed_json_is_code_400_with_http_200(http: TestClient, probe: Probe) -> None:
    r = http.post(ECHO, content=b'{"a": ', headers={"Content-Type": "application/json"})
    assert r.status_code == 200
    body = r.json()
    assert body["result"] is None
    assert body["error"]["code"] == 400
    assert body["error"]["message"].startswith("Malformed JSON input: ")


def test_body_without_content_type_is_read_as_json(http: TestClient, probe: Probe) -> None:
    assert _result(http.post(ECHO, content=b'{"a": 2}')) == {"a": 2}
    r = http.post(ECHO, content=b"a=1")
    assert r.json()["error"]["code"] == 400


def test_json_array_body_is_refused(http: TestClient, probe: Probe) -> None:
    for raw in (b"[1, 2]", b'"text"', b"42", b"null"):
        r = http.post(ECHO, content=raw, headers={"Content-Type": "application/json"})
        assert r.status_code == 200, raw
        assert r.json()["result"] is None
        assert r.json()["error"]["code"] == 400, raw
        assert r.json()["error"]["message"].startswith("Malformed JSON input: ")


def test_xml_body_is_a_clean_error(http: TestClient, probe: Probe) -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    r = http.post(ECHO, content=xml, headers={"Content-Type": "application/xml"})
    assert r.status_code == 200
    assert r.json()["result"] is None
    assert r.json()["error"]["code"] == 400
    assert "root:" not in r.text


def test_invalid_utf8_form_is_a_clean_error(http: TestClient, probe: Probe) -> None:
    r = http.post(ECHO, content=b"a=%ff%fe\xff", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200
    assert r.json()["result"] is None


def test_deeply_nested_json_is_a_clean_answer(http: TestClient, probe: Probe) -> None:
    raw = b'{"a": ' + b"[" * 2000 + b"]" * 2000 + b"}"
    r = http.post(ECHO, content=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 200
    assert r.json()["result"] is None or isinstance(r.json()["result"], dict)


def test_csrf_token_never_reaches_a_method(http: TestClient, probe: Probe) -> None:
    assert _result(http.get(ECHO, params={"CSRFToken": "abc", "a": "1"})) == {"a": "1"}
    assert _result(http.post(ECHO, json={"CSRFToken": "abc", "a": 1})) == {"a": 1}
    assert _result(http.post(ECHO, data={"CSRFToken": "abc", "a": "1"})) == {"a": "1"}
    assert _result(http.post(ECHO, files={"CSRFToken": (None, "abc"), "a": (None, "1")})) == {"a": "1"}


def test_required_parameter_messages(guest: Caller, probe: Probe) -> None:
    need = f"{PROBE}/need_id"
    for sent in ({}, {"id": ""}, {"id": "   "}, {"id": None}, {"id": False}, {"id": []}, {"id": {}}):
        guest(need, **sent).fails("ID was not passed", code=9999, status=200)
    guest.get(need).fails("ID was not passed", code=9999)
    guest.get(need, id="").fails("ID was not passed", code=9999)
    # FOSSBilling's rule: 0 and "0" are present.
    assert guest(need, id=0).ok() == {"id": 0}
    assert guest.get(need, id="0").ok() == {"id": "0"}
    assert guest(need, id=[1]).ok() == {"id": [1]}


def _over_limit_app(make_app: Callable[..., TestClient]) -> TestClient:
    return make_app(max_body_bytes=2048)


def test_huge_body_is_refused(make_app: Callable[..., TestClient], probe: Probe) -> None:
    small = _over_limit_app(make_app)
    ok = small.post(ECHO, json={"a": "x" * 100})
    assert _result(ok) == {"a": "x" * 100}
    big = orjson.dumps({"a": "x" * 5000})
    for headers in ({"Content-Type": "application/json"}, {"Content-Type": "application/x-www-form-urlencoded"}):
        r = small.post(ECHO, content=big, headers=headers)
        assert r.json() == {"result": None, "error": {"message": "Request body is too large", "code": 413}}
        assert r.status_code == 413


def test_huge_chunked_body_without_length_is_refused(make_app: Callable[..., TestClient], probe: Probe) -> None:
    small = _over_limit_app(make_app)

    def chunks() -> Iterator[bytes]:
        yield b'{"a": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    r = small.post(ECHO, content=chunks(), headers={"Content-Type": "application/json"})
    assert r.json()["error"]["code"] == 413


def test_huge_multipart_body_is_refused(make_app: Callable[..., TestClient], probe: Probe) -> None:
    small = _over_limit_app(make_app)
    r = small.post(ECHO, files={"a": (None, "x" * 5000)})
    assert r.json()["error"]["code"] == 413


def test_huge_chunked_multipart_body_is_refused(make_app: Callable[..., TestClient], probe: Probe) -> None:
    small = _over_limit_app(make_app)
    boundary = "zzboundary"
    payload = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n'.encode()
        + b"x" * 10000
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(payload), 1000):
            yield payload[start : start + 1000]

    r = small.post(ECHO, content=chunks(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.json()["error"]["code"] == 413


def test_malformed_multipart_is_a_clean_error(http: TestClient, probe: Probe) -> None:
    for content_type in ("multipart/form-data", "multipart/form-data; boundary=zz"):
        r = http.post(ECHO, content=b"--zz\r\nnot a part at all", headers={"Content-Type": content_type})
        assert r.status_code == 200, r.text
        assert r.json()["result"] is None
        assert r.json()["error"]["code"] == 400
