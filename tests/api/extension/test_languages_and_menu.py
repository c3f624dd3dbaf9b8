"""Languages (list, toggle, completion) and the admin navigation."""

from __future__ import annotations

from typing import Any

from tests.helpers import Caller

EN_US = {"locale": "en_US", "title": "English (United States)", "name": "English (United States)"}


def test_languages(admin: Any, guest: Caller) -> None:
    assert admin.api("extension/languages").ok() == [EN_US]
    assert admin.api.get("extension/languages", details=0).ok() == ["en_US"]
    assert admin.api.get("extension/languages", disabled=1).ok() == []
    assert guest("extension/languages").ok() == ["en_US"]


def test_toggle_language(admin: Any, guest: Caller) -> None:
    assert admin.api("extension/toggle_language", locale_id="en_US").ok() is True
    assert admin.api("extension/languages").ok() == []
    assert admin.api("extension/languages", disabled=True).ok() == [EN_US]
    assert guest("extension/languages").ok() == []
    assert admin.api("extension/toggle_language", locale_id="en_US").ok() is True
    assert guest("extension/languages").ok() == ["en_US"]
    admin.api("extension/toggle_language", locale_id="xx_XX").fails(
        "Unable to enable / disable the locale as it is not present in the locale folder."
    )
    admin.api("extension/toggle_language").fails("Locale ID was not passed")


def test_locale_completion(admin: Any) -> None:
    assert admin.api("extension/locale_completion", locale_id="en_US").ok() == 100
    assert admin.api("extension/locale_completion", locale_id="fr_FR").ok() == 0
    admin.api("extension/locale_completion").fails("Locale ID was not passed")


def test_language_permissions(staff_with: Any) -> None:
    viewer = staff_with({"extension": {"access": True, "view": True}})
    assert viewer.api("extension/languages", details=False).ok() == ["en_US"]
    viewer.api("extension/toggle_language", locale_id="en_US").fails(
        'You need the "extension.manage_extensions" permission to perform this action', code=403
    )


def test_navigation_of_a_super_admin(admin: Any, settings: Any) -> None:
    nav = admin.api("extension/get_navigation").ok()
    assert list(nav) == [
        "client", "order", "invoice", "products", "support", "system", "security", "activity", "extensions",
    ]
    root = settings.base_url.rstrip("/") + "/admin/"
    assert nav["client"] == {
        "index": 200, "label": "Clients", "uri": root + "client", "class": "address-book", "active": False,
        "subpages": [
            {"index": 100, "label": "Overview", "uri": root + "client", "class": "", "active": False},
        ],
    }
    indexes = [page["index"] for page in nav["system"]["subpages"]]
    assert indexes == sorted(indexes)
    labels = [page["label"] for page in nav["activity"]["subpages"]]
    assert labels == ["System Activity", "Email History", "Staff Login History", "Client Login History"]
    assert "Announcements" in [page["label"] for page in nav["support"]["subpages"]]


def test_navigation_follows_active_modules(admin: Any) -> None:
    admin.api("extension/deactivate", id="news", type="mod").ok()
    support = admin.api("extension/get_navigation").ok()["support"]
    assert "Announcements" not in [page["label"] for page in support["subpages"]]
    admin.api("extension/activate", id="massmailer", type="mod").ok()
    client = admin.api("extension/get_navigation").ok()["client"]
    assert [page["label"] for page in client["subpages"]] == ["Overview", "Mass Mailer"]


def test_navigation_follows_staff_permissions(staff_with: Any) -> None:
    support_staff = staff_with({"support": {"access": True, "view": True}})
    nav = support_staff.api("extension/get_navigation").ok()
    assert list(nav) == ["support"]
    assert [page["label"] for page in nav["support"]["subpages"]] == [
        "Support Tickets", "Public Tickets", "Knowledge Base", "Canned Responses",
    ]
