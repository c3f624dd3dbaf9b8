"""The module list, activation and deactivation, and the 715 gate of optional modules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.modules.extension.models import Extension
from tests.helpers import Caller

MANIFEST_KEYS = {
    "id", "type", "name", "description", "homepage_url", "author", "author_url", "license", "version",
    "icon_url", "download_url", "project_url", "minimum_fossbilling_version", "maximum_fossbilling_version",
    "status", "has_settings", "icon_path",
}


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def test_get_list_shows_activated_and_available_optional_modules(admin: Any) -> None:
    items = admin.api("extension/get_list").ok()
    listed = by_id(items)
    assert [item["id"] for item in items[:3]] == ["news", "branding", "redirect"]
    assert set(listed) == {
        "news", "branding", "redirect", "cookieconsent", "custompages", "embed", "massmailer",
        "notification", "seo", "serviceapikey",
    }
    news = listed["news"]
    assert set(news) == MANIFEST_KEYS
    assert (news["type"], news["name"], news["status"], news["version"]) == ("mod", "News", "installed", "1.0.0")
    assert news["has_settings"] is False
    assert news["icon_path"] == "mod_News_icon.svg"
    assert listed["branding"]["version"] == "0.0.1"
    seo = listed["seo"]
    assert seo["status"] is None
    assert (seo["has_settings"], seo["has_settings_routes"], seo["settings_routes"]) == (False, False, [])


def test_get_list_filters(admin: Any) -> None:
    active = by_id(admin.api.get("extension/get_list", active=1).ok())
    assert active["client"]["status"] == "core"
    assert active["extension"]["status"] == "core"
    assert active["news"]["status"] == "installed"
    assert "seo" not in active
    installed = admin.api("extension/get_list", installed=True).ok()
    assert sorted(item["id"] for item in installed) == ["branding", "news", "redirect"]
    with_settings = by_id(admin.api("extension/get_list", active=True, has_settings=True).ok())
    assert "support" in with_settings
    assert "redirect" in with_settings
    assert "news" not in with_settings
    assert [item["id"] for item in admin.api("extension/get_list", search="NEWS").ok()] == ["news"]
    assert admin.api("extension/get_list", type="theme").ok() == []


def test_get_list_rejects_an_array_for_a_flag(admin: Any) -> None:
    answer = admin.api("extension/get_list", installed=["x"])
    answer.fails(code=9999)
    assert answer.message.startswith("Invalid value for parameter 'installed'")


def test_activate_and_deactivate_an_optional_module(admin: Any, guest: Caller, db: Session) -> None:
    assert guest("extension/is_on", mod="seo").ok() is False
    result = admin.api("extension/activate", id="seo", type="mod").ok()
    assert result == {"id": "seo", "type": "mod", "redirect": True, "has_settings": True}
    assert guest("extension/is_on", mod="seo").ok() is True
    with db.begin():
        row = db.scalar(select(Extension).where(Extension.name == "seo"))
        assert row is not None
        assert (row.type, row.status, row.version) == ("mod", "installed", "1.0.0")
    listed = by_id(admin.api("extension/get_list", installed=1).ok())
    assert listed["seo"]["status"] == "installed"

    assert admin.api("extension/deactivate", id="seo", type="mod").ok() is True
    assert guest("extension/is_on", mod="seo").ok() is False
    assert "seo" not in by_id(admin.api("extension/get_list", installed=1).ok())
    admin.api("extension/deactivate", id="seo", type="mod").fails("Extension not found")


def test_activate_refusals(admin: Any) -> None:
    admin.api("extension/activate").fails("Extension ID was not passed")
    admin.api("extension/activate", id="seo").fails("Extension type was not passed")
    admin.api("extension/activate", id="client", type="mod").fails(
        "FOSSBilling core modules cannot be installed or removed"
    )
    admin.api("extension/activate", id="nosuchmodule", type="mod").fails("Extension not found")
    admin.api("extension/activate", id="seo", type="theme").fails("Extension not found")


def test_core_modules_cannot_be_deactivated(admin: Any, guest: Caller) -> None:
    admin.api("extension/deactivate", id="client", type="mod").fails(
        "Core modules are an integral part of the FOSSBilling system and cannot be deactivated."
    )
    admin.api("extension/deactivate", id="extension", type="mod").fails(
        "Core modules are an integral part of the FOSSBilling system and cannot be deactivated."
    )
    admin.api("extension/deactivate", type="mod").fails("Extension ID was not passed")
    assert guest("extension/is_on", mod="client").ok() is True


def test_deactivated_optional_module_answers_715_until_activated(admin: Any, guest: Caller, news_probe: str) -> None:
    assert admin.api(news_probe).ok() == "pong"
    assert guest(news_probe).ok() == "pong"
    admin.api("extension/deactivate", id="news", type="mod").ok()
    message = "FOSSBilling module news is not installed/activated"
    admin.api(news_probe).fails(message, code=715, status=200)
    guest(news_probe).fails(message, code=715, status=200)
    admin.api("extension/activate", id="news", type="mod").ok()
    assert admin.api(news_probe).ok() == "pong"
    assert guest(news_probe).ok() == "pong"


def test_unregistered_and_core_modules_through_the_gate(admin: Any, guest: Caller) -> None:
    guest("seo/info").fails("FOSSBilling module seo is not installed/activated", code=715)
    admin.api("extension/activate", id="seo", type="mod").ok()
    # activated but not implemented: still 715 (the gate wants a registered module)
    admin.api("seo/info").fails("FOSSBilling module seo is not installed/activated", code=715)
    assert guest("extension/languages").ok() == ["en_US"]


def test_is_on(guest: Caller) -> None:
    assert guest("extension/is_on").ok() is True
    assert guest("extension/is_on", mod="news").ok() is True
    assert guest("extension/is_on", mod="serviceapikey").ok() is False
    assert guest("extension/is_on", id="news", type="mod").ok() is True
    assert guest("extension/is_on", id="seo", type="mod").ok() is False


def test_remote_directory_methods_answer_a_clear_error(admin: Any) -> None:
    shipped = (
        "PyBilling modules ship with the package: there is no extension directory to install, update or "
        "uninstall extensions from. Activate or deactivate a module instead."
    )
    admin.api("extension/get_latest").fails(shipped)
    admin.api("extension/install", id="seo", type="mod").fails(shipped)
    admin.api("extension/install", id="seo").fails("Extension type was not passed")
    admin.api("extension/update", id="news", type="mod").fails(shipped, code=252)
    admin.api("extension/update", id="nothing", type="mod").fails("Extension not found")
    admin.api("extension/uninstall", id="seo", type="mod").fails(shipped)
    admin.api("extension/uninstall", id="news", type="mod").fails(
        "Cannot uninstall an active module. Please deactivate it first."
    )
    admin.api("extension/uninstall", id="client", type="mod").fails(
        "Core modules are an integral part of the FOSSBilling system and cannot be uninstalled."
    )
    admin.api("extension/uninstall").fails("Extension ID was not passed")


def test_readme(admin: Any) -> None:
    readme = admin.api("extension/get_extension_readme", extension_id="news").ok()
    assert readme.startswith("<h1>News</h1>")
    admin.api("extension/get_extension_readme").fails("Extension ID was not passed")
    admin.api("extension/get_extension_readme", extension_id="nothing").fails("Extension not found")


def test_staff_permissions(staff_with: Any) -> None:
    outsider = staff_with({"support": {"access": True}})
    # the extension module is always accessible (no 725); each action has its permission
    outsider.api("extension/get_list").fails(
        'You need the "extension.view" permission to perform this action', code=403, status=403
    )
    outsider.api("extension/activate", id="seo", type="mod").fails(
        'You need the "extension.manage_extensions" permission to perform this action', code=403, status=403
    )
    viewer = staff_with({"extension": {"access": True, "view": True}})
    assert viewer.api("extension/get_list").ok()
    viewer.api("extension/deactivate", id="news", type="mod").fails(
        'You need the "extension.manage_extensions" permission to perform this action', code=403
    )
    viewer.api("extension/uninstall", id="seo", type="mod").fails(
        'You need the "extension.uninstall_extensions" permission to perform this action', code=403
    )
    manager = staff_with({"extension": {"access": True, "manage_extensions": True}})
    assert manager.api("extension/activate", id="seo", type="mod").ok()["id"] == "seo"


def test_other_roles_are_refused(http: Any, make_client: Any, guest: Caller) -> None:
    Caller(http, "admin")("extension/get_list").fails("Authentication Failed", code=201, status=401)
    client = make_client()
    Caller(http, "admin", client.key)("extension/get_list").fails("Authentication Failed", code=205, status=401)
    guest("extension/get_list").fails(code=740, status=404)
