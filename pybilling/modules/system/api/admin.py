"""System API methods (admin): settings, localization, environment, updates, network interface."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import ConfigDict, StringConstraints

from pybilling.api.context import Call
from pybilling.api.fields import PhpBool
from pybilling.api.identity import staff_authorizer
from pybilling.api.registry import NoParams, Params, api_method
from pybilling.core.clock import utcnow
from pybilling.modules.system import host, service
from pybilling.modules.system import params as sysparams

ShortText = Annotated[str | None, StringConstraints(max_length=255)]
_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def _allowed(call: Call, permission: str) -> bool:
    return staff_authorizer().has_permission(call.db, call.staff, permission)


# -- settings ---------------------------------------------------------------------------------
@api_method("admin", "system", "get_params", permission="system.manage_settings")
def admin_get_params(call: Call, params: NoParams) -> dict[str, str | None]:
    """Every install setting: param → value."""
    return sysparams.all_params(call.db)


class UpdateParams(Params):
    # Every key sent is a setting to store.
    model_config = ConfigDict(extra="allow")


@api_method("admin", "system", "update_params", permission="system.update_params")
def admin_update_params(call: Call, params: UpdateParams) -> bool:
    """Store the settings sent (creating new ones); company details and legal texts need their permission."""
    return sysparams.update_params(call.db, params.model_extra or {}, lambda perm: _allowed(call, perm))


@api_method("admin", "system", "localization_settings", permission="system.manage_settings")
def admin_localization_settings(call: Call, params: NoParams) -> dict[str, Any]:
    """The install's default locale and whether visitors' browsers choose theirs."""
    return sysparams.localization(call.db)


class LocalizationParams(Params):
    locale: ShortText = None
    auto_detect_locale: PhpBool = True


@api_method("admin", "system", "update_localization_settings", permission="system.update_params")
def admin_update_localization_settings(call: Call, params: LocalizationParams) -> bool:
    """Change the default locale (blank keeps it) and locale auto-detection."""
    return sysparams.update_localization(call.db, params.locale, params.auto_detect_locale)


# -- dashboard --------------------------------------------------------------------------------
class MessagesParams(Params):
    type: ShortText = None


@api_method("admin", "system", "messages")
def admin_messages(call: Call, params: MessagesParams) -> list[dict[str, Any]]:
    """Warnings for the dashboard; staff without `system.manage_settings` get none (as FOSSBilling)."""
    if not _allowed(call, "system.manage_settings"):
        return []
    return host.messages(call.db, params.type, production=not call.settings.debug, now=utcnow())


@api_method("admin", "system", "cas_messages")
def admin_cas_messages(call: Call, params: NoParams) -> list[dict[str, Any]]:
    """Central alerts: PyBilling fetches none (no network calls), so the list is empty."""
    return []


class TemplateParams(Params):
    file: ShortText = None


@api_method("admin", "system", "template_exists", permission="system.manage_settings")
def admin_template_exists(call: Call, params: TemplateParams) -> bool:
    """Whether the admin area has a template of that file name."""
    return service.template_exists(call.db, params.file, admin=True)


class EnvParams(Params):
    ip: PhpBool = False


@api_method("admin", "system", "env", permission="system.manage_settings")
def admin_env(call: Call, params: EnvParams) -> dict[str, Any] | str:
    """Python, packages, database and OS facts; `ip=1` asks for the public IP, which needs the network: ""."""
    if params.ip:
        return ""
    return host.environment(call.db)


class IsAllowedParams(Params):
    mod: Annotated[str, StringConstraints(max_length=255)]
    f: ShortText = None


@api_method("admin", "system", "is_allowed", required={"mod": '"mod" key is missing'})
def admin_is_allowed(call: Call, params: IsAllowedParams) -> bool:
    """Whether the caller may use module `mod` (and, with `f`, its permission key `f`)."""
    if not _NAME.fullmatch(params.mod) or (params.f and not _NAME.fullmatch(params.f)):
        return False
    authorizer = staff_authorizer()
    if not params.f:
        return authorizer.can_access_module(call.db, call.staff, params.mod)
    return authorizer.has_permission(call.db, call.staff, f"{params.mod}.{params.f}")


@api_method("admin", "system", "clear_cache", permission="system.invalidate_cache")
def admin_clear_cache(call: Call, params: NoParams) -> bool:
    """Nothing that matters is cached in process: true."""
    return True


# -- updates ----------------------------------------------------------------------------------
@api_method("admin", "system", "update_available", permission="system.view")
def admin_update_available(call: Call, params: NoParams) -> bool:
    """Always false: newer versions come through the package, not a network check."""
    return False


@api_method("admin", "system", "update_info", permission="system.view")
def admin_update_info(call: Call, params: NoParams) -> dict[str, Any]:
    """This version, and how PyBilling is updated."""
    return host.update_info()


@api_method("admin", "system", "recheck_update", permission="system.recheck_update")
def admin_recheck_update(call: Call, params: NoParams) -> bool:
    """Nothing to re-fetch: true."""
    return True


@api_method("admin", "system", "update_core", permission="system.system_update")
@api_method("admin", "system", "manual_update", permission="system.system_update")
@api_method("admin", "system", "finalize_update", permission="system.system_update")
@api_method("admin", "system", "complete_update_finalization", permission="system.system_update")
def admin_refuse_self_update(call: Call, params: NoParams) -> bool:
    """Refused: updates come through the package and `pybilling init`."""
    host.refuse_self_update()
    return False


@api_method("admin", "system", "update_finalization_status", permission="system.system_update")
def admin_update_finalization_status(call: Call, params: NoParams) -> dict[str, Any]:
    """No update ever waits for finalization."""
    return host.finalization_status(call.db)


@api_method("admin", "system", "is_behind_on_patches", permission="system.view")
def admin_is_behind_on_patches(call: Call, params: NoParams) -> bool:
    """Whether database migrations are waiting for `pybilling init`."""
    return host.pending_patches(call.db) > 0


@api_method("admin", "system", "instance_id", permission="system.view")
def admin_instance_id(call: Call, params: NoParams) -> str:
    """This install's stable random id."""
    return sysparams.instance_id(call.db)


# -- error reporting --------------------------------------------------------------------------
@api_method("admin", "system", "error_reporting_enabled", permission="system.view")
def admin_error_reporting_enabled(call: Call, params: NoParams) -> bool:
    return sysparams.error_reporting_enabled(call.db)


@api_method("admin", "system", "toggle_error_reporting", permission="system.toggle_error_reporting")
def admin_toggle_error_reporting(call: Call, params: NoParams) -> bool:
    """Switch the stored error-reporting preference."""
    return sysparams.toggle_error_reporting(call.db)


@api_method("admin", "system", "last_error_reporting_change", permission="system.view")
def admin_last_error_reporting_change(call: Call, params: NoParams) -> str:
    """The PyBilling version whose error reporting last changed."""
    return sysparams.ERROR_REPORTING_LAST_CHANGE


# -- network interface ------------------------------------------------------------------------
@api_method("admin", "system", "get_interface_ips", permission="system.manage_network_interface")
def admin_get_interface_ips(call: Call, params: NoParams) -> list[str]:
    """The host's addresses that outgoing connections may use."""
    return host.interface_ips()


class InterfaceParams(Params):
    interface: ShortText = None
    custom_interface: ShortText = None


@api_method("admin", "system", "set_interface_ip", permission="system.manage_network_interface")
def admin_set_interface_ip(call: Call, params: InterfaceParams) -> bool:
    """Choose the address outgoing connections use ("0": the default) and/or a custom one."""
    return host.set_interface(call.db, params.interface, params.custom_interface)

