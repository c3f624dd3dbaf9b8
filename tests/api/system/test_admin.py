"""`/api/admin/system/*`: settings, localization, environment, updates, error reporting, network interface."""

from __future__ import annotations

import platform
import re
import socket
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling import __version__
from pybilling.api.context import AppServices
from pybilling.core import settings_store
from pybilling.core.clock import utcnow
from pybilling.core.events import Event
from pybilling.core.settings_store import Setting
from pybilling.modules.system import service
from tests.helpers import Caller

HOWTO = (
    "PyBilling is updated through its package: install the new version of the pybilling package, "
    "then run `pybilling init` to apply the database changes."
)
# action → the staff permission it needs, and what it answers when allowed (HOWTO: the refusal)
METHODS: list[tuple[str, str, Any]] = [
    ("get_params", "system.manage_settings", dict),
    ("localization_settings", "system.manage_settings", {"locale": "en_US", "auto_detect_locale": True}),
    ("update_params", "system.update_params", True),
    ("update_localization_settings", "system.update_params", True),
    ("template_exists", "system.manage_settings", False),
    ("env", "system.manage_settings", dict),
    ("clear_cache", "system.invalidate_cache", True),
    ("update_available", "system.view", False),
    ("update_info", "system.view", dict),
    ("recheck_update", "system.recheck_update", True),
    ("update_core", "system.system_update", HOWTO),
    ("manual_update", "system.system_update", HOWTO),
    ("update_finalization_status", "system.system_update", dict),
    ("finalize_update", "system.system_update", HOWTO),
    ("complete_update_finalization", "system.system_update", HOWTO),
    ("is_behind_on_patches", "system.view", False),
    ("instance_id", "system.view", str),
    ("error_reporting_enabled", "system.view", False),
    ("toggle_error_reporting", "system.toggle_error_reporting", True),
    ("last_error_reporting_change", "system.view", "0.1.0"),
    ("get_interface_ips", "system.manage_network_interface", list),
    ("set_interface_ip", "system.manage_network_interface", True),
]


def stored(db: Session, param: str) -> str | None:
    db.expire_all()
    with db.begin():
        return settings_store.get_param(db, param)


def store(db: Session, **values: str | None) -> None:
    with db.begin():
        for param, value in values.items():
            settings_store.set_param(db, param, value)


# -- access --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("action", "permission", "expected"), METHODS, ids=[m[0] for m in METHODS])
def test_each_method_needs_its_permission(
    staff_with: Callable[..., Any], action: str, permission: str, expected: Any
) -> None:
    key = permission.split(".")[1]
    other = "manage_settings" if key != "manage_settings" else "view"
    staff_with(other).api(f"system/{action}").fails(
        f'You need the "{permission}" permission to perform this action', code=403, status=403
    )
    answer = staff_with(key).api(f"system/{action}")
    if expected == HOWTO:
        answer.fails(HOWTO)
    elif isinstance(expected, type):
        assert isinstance(answer.ok(), expected)
    else:
        assert answer.ok() == expected


def test_staff_without_module_access_is_refused(staff_with: Callable[..., Any]) -> None:
    no_access = staff_with(access=False)
    for action in ("get_params", "is_allowed", "messages", "instance_id"):
        no_access.api(f"system/{action}", mod="system").fails("You do not have access to the system module", code=725)


def test_other_roles_are_refused(http: Any, make_client: Any, guest: Caller) -> None:
    Caller(http, "admin")("system/get_params").fails("Authentication Failed", code=201, status=401)
    guest("system/get_params").fails(code=740, status=404)
    make_client().api("system/update_params", company_name="Mine").fails(code=740, status=404)


# -- settings ------------------------------------------------------------------------------------
def test_get_params_lists_every_setting(admin: Any, db: Session) -> None:
    store(db, zz_custom_flag="on")
    result = admin.api.get("system/get_params").ok()
    assert result["company_name"] == "Company Name"
    assert result["invoice_series"] == "FOSS"
    assert result["nameserver_1"] is None
    assert result["zz_custom_flag"] == "on"
    assert list(result)[:3] == ["last_patch", "company_name", "company_email"]


def test_update_params_round_trip(admin: Any, db: Session, fired: list[Event]) -> None:
    assert admin.api("system/update_params", company_name="Acme UAB", invoice_due_days=14, nameserver_1=None,
                     My_New_Param="created", funds_min_amount=2.5, hide_version_public=True).ok() is True
    result = admin.api.get("system/get_params").ok()
    assert result["company_name"] == "Acme UAB"
    assert result["invoice_due_days"] == "14"
    assert result["nameserver_1"] is None
    assert result["my_new_param"] == "created"
    assert "My_New_Param" not in result
    assert result["funds_min_amount"] == "2.5"
    assert result["hide_version_public"] == "1"
    assert [event.name for event in fired] == ["onBeforeAdminSettingsUpdate", "onAfterAdminSettingsUpdate"]
    assert fired[0].params["params"]["company_name"] == "Acme UAB"
    form = admin.api.form("system/update_params", {"company_email": "billing@acme.test"}).ok()
    assert form is True
    assert stored(db, "company_email") == "billing@acme.test"


def test_update_params_refuses_bad_names_and_values_before_writing(admin: Any, db: Session) -> None:
    admin.api("system/update_params", **{"invoice_series": "NEW", "bad name": "x"}).fails(
        "Invalid parameter name, received: bad name."
    )
    admin.api("system/update_params", invoice_series="NEW", company_tel=["1", "2"]).fails(
        "Invalid value for parameter 'company_tel': must be a string"
    )
    admin.api("system/update_params", invoice_series="NEW", timezone="Mars/Base").fails("Invalid timezone: Mars/Base")
    admin.api("system/update_params", locale="xx_XX").fails("Invalid locale code: xx_XX")
    admin.api("system/update_params", default_country="ZZ").fails("Invalid country code: ZZ")
    for managed in ("instance_id", "error_reporting", "interface_ip", "custom_interface_ip"):
        admin.api("system/update_params", **{managed: "1"}).fails(
            f"You do not have permission to update the parameter {managed}"
        )
    assert stored(db, "invoice_series") == "FOSS"


def test_company_settings_need_their_own_permission(staff_with: Callable[..., Any], db: Session) -> None:
    plain = staff_with("update_params")
    plain.api("system/update_params", invoice_series="X", company_name="Evil").fails(
        "You do not have permission to update the parameter company_name"
    )
    plain.api("system/update_params", Company_Note="Evil").fails(
        "You do not have permission to update the parameter Company_Note"
    )
    assert stored(db, "invoice_series") == "FOSS"
    assert plain.api("system/update_params", invoice_series="X").ok() is True
    assert stored(db, "invoice_series") == "X"
    details = staff_with("update_params", "manage_company_details")
    assert details.api("system/update_params", company_name="Fine").ok() is True
    details.api("system/update_params", company_tos="Nope").fails(
        "You do not have permission to update the parameter company_tos"
    )
    legal = staff_with("update_params", "manage_company_legal")
    assert legal.api("system/update_params", company_tos="Terms").ok() is True
    assert (stored(db, "company_name"), stored(db, "company_tos")) == ("Fine", "Terms")


def test_timezone_setting_changes_api_dates(admin: Any) -> None:
    assert admin.api("system/update_params", last_cron_exec="2026-01-15 12:00:00").ok() is True
    assert admin.api.get("cron/info").ok()["last_cron_exec"] == "2026-01-15 12:00:00"
    assert admin.api("system/update_params", timezone="Europe/Vilnius").ok() is True
    assert admin.api.get("cron/info").ok()["last_cron_exec"] == "2026-01-15 14:00:00"
    assert admin.api("system/update_params", timezone="America/New_York").ok() is True
    assert admin.api.get("cron/info").ok()["last_cron_exec"] == "2026-01-15 07:00:00"


# -- localization --------------------------------------------------------------------------------
def test_localization_settings_round_trip(admin: Any, guest: Caller, db: Session) -> None:
    assert admin.api.get("system/localization_settings").ok() == {"locale": "en_US", "auto_detect_locale": True}
    assert admin.api("system/update_localization_settings", locale="lt_LT", auto_detect_locale="0").ok() is True
    assert admin.api("system/localization_settings").ok() == {"locale": "lt_LT", "auto_detect_locale": False}
    assert guest("system/locale").ok() == "lt_LT"
    assert admin.api("system/update_localization_settings", locale="").ok() is True
    assert admin.api("system/localization_settings").ok() == {"locale": "lt_LT", "auto_detect_locale": True}
    admin.api("system/update_localization_settings", locale="xx_XX").fails("Invalid locale code: xx_XX")
    admin.api("system/update_localization_settings", auto_detect_locale="maybe").fails(
        "Invalid value for parameter 'auto_detect_locale': "
        "must be a boolean (true/false, 1/0, yes/no, on/off)"
    )
    assert stored(db, "locale") == "lt_LT"


# -- dashboard -----------------------------------------------------------------------------------
def test_messages_warn_about_cron(admin: Any, db: Session) -> None:
    store(db, last_cron_exec=None)
    result = admin.api.get("system/messages").ok()
    assert result == [{
        "type": "danger", "title": "Danger!",
        "message": "Cron was never executed, please ensure you have configured the cronjob or else scheduled "
                   "tasks within PyBilling will not behave correctly.",
        "buttons": [], "dismissible": True,
    }]
    assert admin.api("system/messages", type="warning").ok() == []
    store(db, last_cron_exec=(utcnow() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"))
    assert "abnormal time period" in admin.api("system/messages", type="danger").ok()[0]["message"]
    store(db, last_cron_exec=utcnow().strftime("%Y-%m-%d %H:%M:%S"))
    assert admin.api("system/messages").ok() == []


def test_messages_and_cas_messages_are_empty_without_permission(staff_with: Callable[..., Any], db: Session) -> None:
    store(db, last_cron_exec=None)
    viewer = staff_with("view")
    assert viewer.api("system/messages").ok() == []
    assert viewer.api("system/cas_messages").ok() == []
    assert staff_with("manage_settings").api("system/messages").ok() != []


def test_cas_messages_make_no_network_call(admin: Any) -> None:
    assert admin.api.get("system/cas_messages").ok() == []


@pytest.fixture
def admin_templates(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "admin_theme"
    folder.mkdir()
    (folder / "layout_default.html.twig").write_text("{{ content }}")
    service.register_template_dir(folder, admin=True)
    yield folder
    service.unregister_template_dir(folder, admin=True)


def test_template_exists_looks_in_the_admin_area(admin: Any, guest: Caller, admin_templates: Path) -> None:
    assert admin.api.get("system/template_exists").ok() is False
    assert admin.api.get("system/template_exists", file="layout_default.html.twig").ok() is True
    assert admin.api("system/template_exists", file="missing.html.twig").ok() is False
    assert admin.api("system/template_exists", file="../admin_theme/layout_default.html.twig").ok() is False
    assert guest("system/template_exists", file="layout_default.html.twig").ok() is False
    admin.api("system/template_exists", file=["layout_default.html.twig"]).fails()


def test_env_reports_facts_without_secrets_or_paths(admin: Any, services: AppServices, db: Session) -> None:
    result = admin.api.get("system/env").ok()
    assert result["python_version"]["version"] == platform.python_version()
    assert result["python_version"]["isOk"] is True
    assert result["python_version"]["min_version"] == "3.11"
    assert result["pybilling_version"] == __version__
    dialect = db.get_bind().dialect.name
    assert result["database"]["dialect"] == dialect
    assert re.match(r"^\d+\.\d+", result["database"]["version"])
    assert result["os"] == {"system": platform.system(), "release": platform.release(), "machine": platform.machine()}
    assert result["required_extensions"]["sqlalchemy"] is True
    assert result["suggested_extensions"]["psycopg"]["message"] == "PostgreSQL support"
    assert result["can_install"] is True
    assert result["last_patch"] == "106"
    assert (result["folders"], result["files"]) == ({}, {})
    text = admin.api.http.post("/api/admin/system/env", headers=admin.api._headers(None)).text
    secret = services.settings.secret_key
    assert secret
    assert secret not in text
    for path in {str(services.settings.data_dir), str(Path.cwd()), str(Path.home())}:
        assert path not in text
    assert socket.gethostname() not in text
    assert admin.api("system/env", ip=1).ok() == ""
    admin.api("system/env", ip="sometimes").fails()


def test_is_allowed(admin: Any, db: Session, make_staff: Any) -> None:
    admin.api.get("system/is_allowed").fails('"mod" key is missing')
    admin.api("system/is_allowed", mod="").fails('"mod" key is missing')
    assert admin.api.get("system/is_allowed", mod="client").ok() is True
    assert admin.api("system/is_allowed", mod="client", f="delete").ok() is True


def test_is_allowed_answers_for_the_caller(staff_with: Callable[..., Any], db: Session) -> None:
    from pybilling.modules.staff.models import Staff

    member = staff_with("view")
    with db.begin():
        staff = db.get(Staff, member.id)
        assert staff is not None
        group = staff.groups[0]
        group.permissions = {"system": {"access": True, "view": True}, "client": {"access": True, "view": True}}
    assert member.api("system/is_allowed", mod="client").ok() is True
    assert member.api("system/is_allowed", mod="client", f="view").ok() is True
    assert member.api("system/is_allowed", mod="client", f="delete").ok() is False
    assert member.api("system/is_allowed", mod="invoice").ok() is False
    assert member.api("system/is_allowed", mod="system", f="update_params").ok() is False
    assert member.api("system/is_allowed", mod="client.view").ok() is False
    member.api("system/is_allowed", mod=["client"]).fails()


# -- updates -------------------------------------------------------------------------------------
def test_updates_report_this_version(admin: Any) -> None:
    assert admin.api.get("system/update_available").ok() is False
    info = admin.api.get("system/update_info").ok()
    assert info["version"] == __version__
    assert info["update_available"] is False
    assert info["instructions"] == HOWTO
    assert info["current_python_version"] == platform.python_version()
    assert admin.api("system/recheck_update").ok() is True
    assert admin.api("system/is_behind_on_patches").ok() is False
    assert admin.api("system/update_finalization_status").ok() == {
        "required": False, "status": "complete", "current_version": __version__,
        "state": {"status": "complete", "version": __version__, "from_version": None, "target_version": __version__,
                  "finalized_at": None, "completed_at": None},
        "pending_patches": 0,
    }
    for action in ("update_core", "manual_update", "finalize_update", "complete_update_finalization"):
        admin.api(f"system/{action}").fails(HOWTO)


# -- instance id and error reporting -------------------------------------------------------------
def test_instance_id_is_stable_and_made_on_first_use(admin: Any, db: Session) -> None:
    first = admin.api.get("system/instance_id").ok()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)
    assert admin.api("system/instance_id").ok() == first
    assert stored(db, "instance_id") == first
    with db.begin():
        row = db.scalar(select(Setting).where(Setting.param == "instance_id"))
        assert row is not None
        db.delete(row)
    made = admin.api("system/instance_id").ok()
    assert made != first
    assert stored(db, "instance_id") == made
    assert admin.api("system/instance_id").ok() == made


def test_error_reporting_toggle(admin: Any, db: Session) -> None:
    assert admin.api.get("system/error_reporting_enabled").ok() is False
    assert admin.api("system/toggle_error_reporting").ok() is True
    assert admin.api("system/error_reporting_enabled").ok() is True
    assert stored(db, "error_reporting") == "1"
    assert admin.api("system/toggle_error_reporting").ok() is True
    assert admin.api("system/error_reporting_enabled").ok() is False
    assert admin.api("system/last_error_reporting_change").ok() == "0.1.0"


# -- network interface ---------------------------------------------------------------------------
def test_get_interface_ips_lists_the_host_addresses(admin: Any) -> None:
    result = admin.api.get("system/get_interface_ips").ok()
    assert "127.0.0.1" in result
    assert "::1" in result
    assert len(result) == len(set(result))


def test_set_interface_ip(admin: Any, db: Session) -> None:
    assert admin.api("system/set_interface_ip", interface="127.0.0.1").ok() is True
    assert stored(db, "interface_ip") == "127.0.0.1"
    assert admin.api("system/set_interface_ip", interface="0:0:0:0:0:0:0:1").ok() is True
    assert stored(db, "interface_ip") == "::1"
    assert admin.api("system/set_interface_ip", interface="0", custom_interface="mail.example.com").ok() is True
    assert (stored(db, "interface_ip"), stored(db, "custom_interface_ip")) == ("0", "mail.example.com")
    assert admin.api("system/set_interface_ip", custom_interface="").ok() is True
    assert (stored(db, "interface_ip"), stored(db, "custom_interface_ip")) == ("0", "")
    assert admin.api("system/set_interface_ip").ok() is True
    assert stored(db, "interface_ip") == "0"


def test_set_interface_ip_refuses_what_is_not_on_the_host(admin: Any, db: Session) -> None:
    admin.api("system/set_interface_ip", interface="203.0.113.7").fails("Invalid interface IP address")
    admin.api("system/set_interface_ip", interface="eth0; rm -rf /").fails("Invalid interface IP address")
    admin.api("system/set_interface_ip", interface="").fails("Invalid interface IP address")
    admin.api("system/set_interface_ip", custom_interface="not a host!").fails(
        "Invalid custom interface. Must be a valid IP address or hostname."
    )
    admin.api("system/set_interface_ip", interface=["127.0.0.1"]).fails()
    assert stored(db, "interface_ip") is None
    assert stored(db, "custom_interface_ip") is None
