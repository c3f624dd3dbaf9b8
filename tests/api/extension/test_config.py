"""Per-module settings: config_get / config_save (secrets encrypted at rest) and guest settings."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.core import module_config
from pybilling.core.module_config import ExtensionMeta
from pybilling.modules.activity.models import ActivitySystem
from tests.helpers import Caller


def stored(db: Session, ext: str) -> dict[str, Any]:
    db.expire_all()
    with db.begin():
        raw = db.scalar(
            select(ExtensionMeta.meta_value).where(ExtensionMeta.extension == ext, ExtensionMeta.meta_key == "config")
        )
    assert raw is not None
    value = json.loads(raw)
    assert isinstance(value, dict)
    return value


def test_empty_config_names_its_extension(admin: Any) -> None:
    assert admin.api("extension/config_get", ext="mod_support").ok() == {"ext": "mod_support"}
    assert admin.api("extension/config_get", ext="support").ok() == {"ext": "mod_support"}


def test_save_then_get_round_trip_with_a_secret_encrypted_at_rest(admin: Any, db: Session, services: Any) -> None:
    saved = admin.api(
        "extension/config_save", ext="mod_support", wait_hours="24", smtp_password="s3cret-Value",
        api_key="k-123", public={"kb_enable": "1"},
    ).ok()
    assert saved is True
    assert admin.api("extension/config_get", ext="mod_support").ok() == {
        "ext": "mod_support", "wait_hours": "24", "smtp_password": "s3cret-Value", "api_key": "k-123",
        "public": {"kb_enable": "1"},
    }
    raw = stored(db, "mod_support")
    assert raw["wait_hours"] == "24"
    assert raw["smtp_password"].startswith("enc:")
    assert "s3cret-Value" not in json.dumps(raw)
    assert raw["api_key"].startswith("enc:")
    # Modules read their settings through the store; with the app's cipher they get the plain values.
    with db.begin():
        assert module_config.get_config(db, "support", services.secrets)["smtp_password"] == "s3cret-Value"
        assert module_config.get_config(db, "support")["smtp_password"] != "s3cret-Value"


def test_save_replaces_the_whole_config(admin: Any) -> None:
    admin.api("extension/config_save", ext="mod_support", a="1", b="2").ok()
    admin.api("extension/config_save", ext="mod_support", b="3").ok()
    assert admin.api("extension/config_get", ext="mod_support").ok() == {"ext": "mod_support", "b": "3"}


def test_form_values_are_stored_as_sent(admin: Any) -> None:
    admin.api.form("extension/config_save", {"ext": "mod_redirect", "token_secret": "abc", "enabled": "1"}).ok()
    assert admin.api.get("extension/config_get", ext="mod_redirect").ok() == {
        "ext": "mod_redirect", "token_secret": "abc", "enabled": "1",
    }


def test_guest_settings_show_only_the_public_part(admin: Any, guest: Caller) -> None:
    assert guest("extension/settings", ext="mod_support").ok() == []
    admin.api("extension/config_save", ext="mod_support", secret="x", public={"kb_enable": "1", "site_key": "pk"}).ok()
    assert guest("extension/settings", ext="mod_support").ok() == {"kb_enable": "1", "site_key": "pk"}
    guest("extension/settings").fails("Parameter ext is missing")
    assert guest("extension/settings", ext="mod_nothing").ok() == []


def test_required_ext(admin: Any) -> None:
    admin.api("extension/config_get").fails('Parameter "ext" was not passed')
    admin.api("extension/config_save", a="1").fails('Parameter "ext" was not passed')


def test_unknown_or_inactive_module(admin: Any) -> None:
    admin.api("extension/config_save", ext="mod_nothing", a="1").fails("Extension mod_nothing does not exist")
    admin.api("extension/config_get", ext="mod_nothing").fails("Extension mod_nothing does not exist")
    admin.api("extension/config_save", ext="mod_seo", a="1").fails(
        "Module seo is not active. Activate it before saving its settings."
    )
    admin.api("extension/activate", id="seo", type="mod").ok()
    assert admin.api("extension/config_save", ext="mod_seo", a="1").ok() is True


def test_settings_need_module_access_and_manage_settings(staff_with: Any) -> None:
    support_staff = staff_with({"support": {"access": True, "view": True}})
    support_staff.api("extension/config_save", ext="mod_support", a="1").fails(
        "You do not have permission to perform this action", code=403, status=403
    )
    support_staff.api("extension/config_get", ext="mod_client").fails(
        "You do not have permission to access the client module", code=403, status=403
    )
    manager = staff_with({"support": {"access": True, "manage_settings": True}})
    assert manager.api("extension/config_save", ext="mod_support", a="1").ok() is True
    assert manager.api("extension/config_get", ext="mod_support").ok() == {"ext": "mod_support", "a": "1"}
    # news has no manage_settings permission: module access is enough
    news_staff = staff_with({"news": {"access": True}})
    assert news_staff.api("extension/config_save", ext="mod_news", a="1").ok() is True


def test_config_save_fires_its_events(admin: Any, db: Session) -> None:
    admin.api("extension/config_save", ext="mod_support", smtp_password="hidden-pw").ok()
    db.expire_all()
    with db.begin():
        lines = list(db.scalars(select(ActivitySystem.message).where(ActivitySystem.message.like("%ConfigSave%"))))
        everything = " ".join(m or "" for m in db.scalars(select(ActivitySystem.message)))
    assert lines == ["onBeforeAdminExtensionConfigSave", "onAfterAdminExtensionConfigSave"]
    assert "hidden-pw" not in everything
