"""Which paths route: 879 for bad paths, plain 404 for other verbs, case-insensitive names, 714/715/725/740."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.protocol.conftest import PROBE, Probe, require_method
from tests.helpers import Caller


@pytest.mark.parametrize(
    "path",
    [
        "/api/Admin/system/version",
        "/api/GUEST/system/version",
        "/api/Guest/system/version",
        "/api/staff/system/version",
        "/api/api/system/version",
        "/api/system/version",
        "/api/guest/system",
        "/api/guest/system/version/extra",
        "/api/guest/system%2Fversion",
        "/api/guest%2Fsystem/version",
        "/api/guest/sys-tem/version",
        "/api/guest/system/ver.sion",
        "/api/guest//version",
        "/api/",
        "/api",
    ],
)
@pytest.mark.parametrize("verb", ["GET", "POST"])
def test_bad_paths_are_879_with_http_400(http: TestClient, path: str, verb: str) -> None:
    r = http.request(verb, path)
    assert r.status_code == 400, (path, r.status_code, r.text)
    body = r.json()
    assert body["result"] is None
    assert body["error"]["code"] == 879
    assert body["error"]["message"].startswith("Unknown API call")


def test_879_message_names_the_call(http: TestClient) -> None:
    r = http.get("/api/system/version")
    assert r.json()["error"]["message"] == "Unknown API call system/version"


@pytest.mark.parametrize("verb", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_verbs_get_a_plain_404_not_the_envelope(http: TestClient, verb: str) -> None:
    r = http.request(verb, "/api/guest/system/version")
    assert r.status_code == 404
    assert not r.headers.get("content-type", "").startswith("application/json")
    assert "result" not in r.text


def test_head_is_treated_as_get(http: TestClient) -> None:
    r = http.head("/api/guest/system/version")
    assert r.status_code == 200


@pytest.mark.parametrize(
    "path", ["SYSTEM/VERSION", "System/Version", "system/VeRsIoN", "sYsTeM/version"]
)
def test_module_and_action_names_are_case_insensitive(guest: Caller, path: str) -> None:
    assert guest.get(path).ok() == guest.get("system/version").ok()


def test_class_and_method_split_on_the_first_underscore(guest: Caller, probe: Probe) -> None:
    # /zzprobe_get/echo ≡ /zzprobe/get_echo: FOSSBilling joins class and method, then splits once.
    assert guest.get(f"{PROBE}_get/echo", a="1").ok() == {"a": "1"}
    assert guest.get(f"{PROBE}/get_echo", a="1").ok() == {"a": "1"}
    assert guest.get(f"{PROBE.upper()}_GET/ECHO", a="1").ok() == {"a": "1"}


def test_admin_client_get_list_alias(admin: Any) -> None:
    require_method("admin", "client", "get_list")
    a = admin.api.get("client_get/list", per_page=1).ok()
    b = admin.api.get("client/get_list", per_page=1).ok()
    assert a == b


def test_class_starting_with_underscore_is_714(guest: Caller) -> None:
    guest.get("_system/version").fails("Invalid module name", code=714, status=200)


def test_unknown_module_is_715(guest: Caller) -> None:
    guest.get("nosuchmodule/get").fails(
        "FOSSBilling module nosuchmodule is not installed/activated", code=715, status=200
    )


def test_unknown_module_name_is_lowercased_in_715(guest: Caller) -> None:
    guest.get("NoSuchModule/get").fails(
        "FOSSBilling module nosuchmodule is not installed/activated", code=715, status=200
    )


def test_unknown_action_is_740_with_http_404(guest: Caller, admin: Any) -> None:
    guest.get("system/nothing_here").fails(
        "Guest API call nothing_here does not exist in module system", code=740, status=404
    )
    admin.api("system/nothing_here").fails(
        "Admin API call nothing_here does not exist in module system", code=740, status=404
    )


def test_authentication_comes_before_module_and_action_checks(http: TestClient) -> None:
    anonymous = Caller(http, "admin")
    anonymous("nosuchmodule/get").fails("Authentication Failed", code=201, status=401)
    anonymous("_x/y").fails("Authentication Failed", code=201, status=401)
    Caller(http, "client")("system/nothing").fails("Authentication Failed", code=201, status=401)


def test_715_comes_before_740(admin: Any) -> None:
    admin.api("nosuchmodule/nothing_here").fails(code=715, status=200)


def test_725_module_access_comes_before_740_and_required(make_staff: Any, probe: Probe) -> None:
    support_staff = make_staff(group_id=3)  # FOSSBilling's "Support Staff": support module only
    support_staff.api(f"{PROBE}/echo").fails(f"You do not have access to the {PROBE} module", code=725, status=200)
    support_staff.api(f"{PROBE}/nothing_here").fails(code=725, status=200)
    support_staff.api(f"{PROBE}/need_id").fails(code=725, status=200)


def test_super_admin_passes_725_and_gets_740(admin: Any, probe: Probe) -> None:
    admin.api(f"{PROBE}/nothing_here").fails(
        f"Admin API call nothing_here does not exist in module {PROBE}", code=740, status=404
    )


def test_required_parameters_come_before_the_permission_check(make_staff: Any, probe: Probe) -> None:
    support_staff = make_staff(group_id=3)
    support_staff.api("support/zzprobe_guarded").fails("ID was not passed", code=9999, status=200)
    support_staff.api("support/zzprobe_guarded", id=1).fails(
        'You need the "support.manage_settings" permission to perform this action', code=403, status=403
    )


def test_super_admin_passes_the_permission_check(admin: Any, probe: Probe) -> None:
    assert admin.api("support/zzprobe_guarded", id=5).ok() == {"id": 5}


def test_probe_methods_never_reach_the_openapi_document() -> None:
    from pybilling.api.openapi import openapi_document
    from pybilling.api.registry import registry

    assert not any(PROBE in path for path in openapi_document()["paths"])
    assert not any(PROBE in key[1] or PROBE in key[2] for key in registry.methods)
