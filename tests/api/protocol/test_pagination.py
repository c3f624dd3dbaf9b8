"""FOSSBilling's pagination rules, seen through a real list method (admin/client/get_list)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api.protocol.conftest import require_method

TOO_LARGE = "The number of items per page (per_page) is too large. Please specify a smaller number."
PER_PAGE_POSITIVE = "The number of items per page (per_page) must be a positive integer."
PAGE_POSITIVE = "Page number (page) must be a positive integer."


@pytest.fixture
def tagged_clients(make_client: Any) -> tuple[str, list[int]]:
    require_method("admin", "client", "get_list")
    tag = "pg" + uuid.uuid4().hex[:8]
    ids = [make_client(last_name=f"{tag}{i}").id for i in range(5)]
    return tag, ids


def test_defaults_are_page_1_and_100_per_page(admin: Any, tagged_clients: tuple[str, list[int]]) -> None:
    tag, _ = tagged_clients
    result = admin.api.get("client/get_list", search=tag).ok()
    assert set(result) == {"pages", "page", "per_page", "total", "list"}
    assert (result["page"], result["per_page"], result["total"], result["pages"]) == (1, 100, 5, 1)
    assert len(result["list"]) == 5


def test_pages_split_the_list(admin: Any, tagged_clients: tuple[str, list[int]]) -> None:
    tag, ids = tagged_clients
    seen: list[int] = []
    for page in (1, 2, 3):
        result = admin.api.get("client/get_list", search=tag, per_page=2, page=page).ok()
        assert (result["page"], result["per_page"], result["total"], result["pages"]) == (page, 2, 5, 3)
        seen += [row["id"] for row in result["list"]]
    assert sorted(seen) == sorted(ids)
    beyond = admin.api.get("client/get_list", search=tag, per_page=2, page=9).ok()
    assert beyond["list"] == []
    assert beyond["page"] == 9


def test_an_empty_list_has_zero_pages(admin: Any) -> None:
    require_method("admin", "client", "get_list")
    result = admin.api.get("client/get_list", search="nothing-matches-" + uuid.uuid4().hex).ok()
    assert (result["pages"], result["total"], result["list"]) == (0, 0, [])


def test_per_page_500_is_the_maximum(admin: Any) -> None:
    require_method("admin", "client", "get_list")
    assert admin.api.get("client/get_list", per_page=500).ok()["per_page"] == 500
    admin.api.get("client/get_list", per_page=501).fails(TOO_LARGE, code=9999, status=200)
    admin.api("client/get_list", per_page=100000).fails(TOO_LARGE)


@pytest.mark.parametrize("value", [0, -1, "0", "-5"])
def test_per_page_must_be_positive(admin: Any, value: Any) -> None:
    require_method("admin", "client", "get_list")
    admin.api("client/get_list", per_page=value).fails(PER_PAGE_POSITIVE, code=9999, status=200)


@pytest.mark.parametrize("value", [0, -1, "0", "-3"])
def test_page_must_be_positive(admin: Any, value: Any) -> None:
    require_method("admin", "client", "get_list")
    admin.api("client/get_list", page=value).fails(PAGE_POSITIVE, code=9999, status=200)


@pytest.mark.parametrize("value", ["abc", "1.5", "", "1e3", "1; DROP TABLE client", [5], {"a": 1}, True, None])
def test_non_integers_fall_back_to_the_defaults(admin: Any, value: Any) -> None:
    require_method("admin", "client", "get_list")
    result = admin.api("client/get_list", per_page=value, page=value).ok()
    assert (result["page"], result["per_page"]) == (1, 100)
