"""Staff client search (`search=` on get_list and get_pairs) follows every change to a client.

On SQLite the search goes through an FTS5 trigram index kept by triggers, on PostgreSQL through a
pg_trgm index; these tests hold on every database: what a search finds is what `search_text` holds.
"""

from __future__ import annotations

from typing import Any

from tests.helpers import unique_email


def _found(admin: Any, term: str) -> list[int]:
    return [row["id"] for row in admin.api("client/get_list", search=term, per_page=500).ok()["list"]]


def _tag() -> str:
    return unique_email("s").split("@")[0].replace("_", "")


def test_search_follows_edits_and_deletes(admin: Any, make_client: Any) -> None:
    tag = _tag()
    account = make_client(first_name="Orla", last_name=f"Quill{tag}")
    assert _found(admin, f"quill{tag}") == [account.id]
    assert admin.api("client/update", id=account.id, last_name=f"Marsh{tag}").ok() is True
    assert _found(admin, f"quill{tag}") == []
    assert _found(admin, f"MARSH{tag}") == [account.id]
    assert admin.api("client/update", id=account.id, company=f"Heron{tag} Ltd").ok() is True
    assert _found(admin, f"heron{tag} l") == [account.id]
    assert admin.api("client/delete", id=account.id).ok() is True
    assert _found(admin, f"marsh{tag}") == []
    assert admin.api("client/get_pairs", search=f"marsh{tag}").ok() == []


def test_search_matches_any_part_of_a_field_whatever_the_term(admin: Any, make_client: Any) -> None:
    tag = _tag()
    quoted = make_client(first_name='Ann "Q"', last_name=f"O'Neil{tag}")
    plain = make_client(first_name="Bo", last_name=f"Wu{tag}", email=f"bo.wu.{tag}@example.net")
    assert _found(admin, f'"q" o\'neil{tag}') == [quoted.id]
    assert _found(admin, f"o'neil{tag}") == [quoted.id]
    assert _found(admin, f"wu{tag}") == [plain.id]
    assert _found(admin, f"bo.wu.{tag}@exa") == [plain.id]  # inside the email
    assert _found(admin, f"eil{tag}") == [quoted.id]  # the middle of a word
    assert plain.id in _found(admin, "bo")  # shorter than a trigram: still found
    assert _found(admin, f'{tag}" OR "') == []
    assert _found(admin, f"{tag}*") == []
    assert _found(admin, f"NEAR({tag})") == []


def test_get_pairs_searches_the_same_way(admin: Any, make_client: Any) -> None:
    tag = _tag()
    account = make_client(first_name="Pia", last_name=f"Lark{tag}")
    assert admin.api("client/get_pairs", search=f"ark{tag}").ok() == {str(account.id): f"Pia Lark{tag}"}
