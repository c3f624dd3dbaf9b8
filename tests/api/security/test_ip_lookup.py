"""admin/security/ip_lookup: off until a provider URL is configured; answers FOSSBilling's shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.security.conftest import FakeLookup
from tests.helpers import Caller

INVALID_IP = "The provided input was not a valid IP address."


def test_lookup_is_off_until_configured(admin: Any) -> None:
    admin.api("security/ip_lookup", ip="192.0.2.1").fails("IP lookup is not configured")


def test_required_and_invalid_ip(admin: Any) -> None:
    admin.api("security/ip_lookup").fails("You must specify an IP address to lookup.")
    admin.api("security/ip_lookup", ip="example.com").fails(INVALID_IP)


def test_lookup_through_the_configured_provider(
    admin: Any, fake_lookup: FakeLookup, security_config: Callable[..., None]
) -> None:
    fake_lookup.answers["/json/2001:db8::1"] = (
        200, {"country_code": "DE", "asn": "AS3320", "asn_org": "Deutsche Telekom AG"},
    )
    security_config(ip_lookup_url=f"{fake_lookup.url}/json/{{ip}}")
    assert admin.api("security/ip_lookup", ip="2001:DB8::1").ok() == {
        "ip": {"address": "2001:db8::1", "type": "IPv6"},
        "country": {"name": "Germany", "flag": "\U0001f1e9\U0001f1ea", "currencies": ["EUR"]},
        "asn": {"asnNumber": 3320, "asnOrg": "Deutsche Telekom AG"},
    }
    assert fake_lookup.paths == ["/json/2001:db8::1"]


def test_maxmind_style_keys_and_an_appended_address(
    admin: Any, fake_lookup: FakeLookup, security_config: Callable[..., None]
) -> None:
    fake_lookup.answers["/geo/192.0.2.7"] = (
        200, {"country_iso_code": "fr", "autonomous_system_number": 3215, "autonomous_system_organization": "Orange"},
    )
    security_config(ip_lookup_url=f"{fake_lookup.url}/geo/")
    result = admin.api("security/ip_lookup", ip="192.0.2.7").ok()
    assert result["ip"] == {"address": "192.0.2.7", "type": "IPv4"}
    assert result["country"]["name"] == "France"
    assert result["asn"] == {"asnNumber": 3215, "asnOrg": "Orange"}


def test_unknown_details_are_empty_lists(
    admin: Any, fake_lookup: FakeLookup, security_config: Callable[..., None]
) -> None:
    fake_lookup.answers["/10.0.0.1"] = (200, {"bogon": True})
    security_config(ip_lookup_url=fake_lookup.url)
    assert admin.api("security/ip_lookup", ip="10.0.0.1").ok() == {
        "ip": {"address": "10.0.0.1", "type": "IPv4"}, "country": [], "asn": [],
    }


@pytest.mark.parametrize(("answer", "message"), [
    ((500, {"error": "down"}), "IP lookup failed: the provider answered HTTP 500"),
    ((200, "<html>not json</html>"), "IP lookup failed: the provider did not answer JSON"),
    ((200, ["a", "list"]), "IP lookup failed: the provider did not answer a JSON object"),
])
def test_provider_failures_are_clear_errors(
    admin: Any, fake_lookup: FakeLookup, security_config: Callable[..., None],
    answer: tuple[int, Any], message: str,
) -> None:
    fake_lookup.answers["/192.0.2.1"] = answer
    security_config(ip_lookup_url=fake_lookup.url)
    admin.api("security/ip_lookup", ip="192.0.2.1").fails(message)


def test_an_unreachable_provider_is_a_clear_error(
    admin: Any, fake_lookup: FakeLookup, security_config: Callable[..., None]
) -> None:
    security_config(ip_lookup_url="http://127.0.0.1:9/")  # the discard port: nothing listens
    admin.api("security/ip_lookup", ip="192.0.2.1").fails(
        "IP lookup failed: the provider could not be reached (ConnectError)"
    )


def test_a_url_that_is_not_http_is_refused(admin: Any, security_config: Callable[..., None]) -> None:
    security_config(ip_lookup_url="file:///etc/passwd")
    admin.api("security/ip_lookup", ip="192.0.2.1").fails("The IP lookup URL must start with http:// or https://")


def test_lookup_needs_the_view_permission(staff_with: Callable[..., Any], guest: Caller) -> None:
    staff_with("run_checks").api("security/ip_lookup", ip="192.0.2.1").fails(
        'You need the "security.view" permission to perform this action', code=403, status=403
    )
    staff_with("view").api("security/ip_lookup", ip="192.0.2.1").fails("IP lookup is not configured")
