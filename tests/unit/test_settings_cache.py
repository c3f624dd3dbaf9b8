"""Settings are served from a per-factory copy: what each kind of reader sees, and when."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from pybilling.core import settings_store
from pybilling.core.settings_store import CACHE_KEY, Setting, SettingsCache
from tests.conftest import StaffAccount
from tests.helpers import Caller


def _cache(factory: sessionmaker[Session]) -> SettingsCache:
    cache = factory.kw["info"][CACHE_KEY]
    assert isinstance(cache, SettingsCache)
    return cache


def test_a_change_through_the_api_is_seen_by_the_next_call_at_once(admin: StaffAccount, guest: Caller) -> None:
    assert guest("system/version").ok() != ""  # loads the copy
    assert admin.api("system/update_params", hide_version_public="1").ok() is True
    assert guest("system/version").ok() == ""
    assert admin.api("system/update_params", hide_version_public="0").ok() is True
    assert guest("system/version").ok() != ""


def test_a_writing_session_sees_its_own_change_and_a_rollback_leaves_the_copy_clean(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as reader, reader.begin():
        assert settings_store.get_param(reader, "company_name") is not None
    with session_factory() as writer:
        writer.begin()
        settings_store.set_param(writer, "company_name", "Uncommitted Ltd")
        assert settings_store.get_param(writer, "company_name") == "Uncommitted Ltd"
        with session_factory() as other, other.begin():
            assert settings_store.get_param(other, "company_name") != "Uncommitted Ltd"
        writer.rollback()
    with session_factory() as reader, reader.begin():
        assert settings_store.get_param(reader, "company_name") != "Uncommitted Ltd"


def test_a_commit_replaces_the_copy(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as reader, reader.begin():
        settings_store.get_param(reader, "company_name")
    with session_factory() as writer, writer.begin():
        settings_store.set_param(writer, "company_name", "Committed Ltd")
    with session_factory() as reader, reader.begin():
        assert settings_store.get_param(reader, "company_name") == "Committed Ltd"


def test_a_change_made_by_another_process_is_seen_once_the_copy_expires(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as reader, reader.begin():
        settings_store.get_param(reader, "company_name")
    # Another worker process writes the table; this process's copy knows nothing of it.
    with session_factory() as elsewhere, elsewhere.begin():
        elsewhere.connection().execute(
            update(Setting.__table__).where(Setting.__table__.c.param == "company_name").values(value="Elsewhere Ltd")
        )
    with session_factory() as reader, reader.begin():
        assert settings_store.get_param(reader, "company_name") != "Elsewhere Ltd"
    _cache(session_factory).ttl = 0.0
    with session_factory() as reader, reader.begin():
        assert settings_store.get_param(reader, "company_name") == "Elsewhere Ltd"
