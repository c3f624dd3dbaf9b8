"""Admin and guest methods of the extension module."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

from pybilling.api.context import Call
from pybilling.api.errors import ApiError, PermissionDenied
from pybilling.api.fields import PhpBool, Text255
from pybilling.api.identity import staff_authorizer
from pybilling.api.registry import NoParams, Params, api_method, registry
from pybilling.modules.extension import catalog, service

registry.module("extension", always_accessible=True)  # FOSSBilling: can_always_access

EXT_REQUIRED = {"id": "Extension ID was not passed", "type": "Extension type was not passed"}
LOCALE_REQUIRED = {"locale_id": "Locale ID was not passed"}
CONFIG_REQUIRED = {"ext": 'Parameter "ext" was not passed'}


class ListParams(Params):
    installed: PhpBool = False
    active: PhpBool = False
    has_settings: PhpBool = False
    search: Text255 | None = None
    type: Text255 | None = None


class TypeParams(Params):
    type: Text255 | None = None


class ReadmeParams(Params):
    extension_id: Text255


class NavigationParams(Params):
    url: str | None = None


class LanguagesParams(Params):
    disabled: PhpBool = False
    details: PhpBool = True


class LocaleParams(Params):
    locale_id: Text255


class ExtensionParams(Params):
    id: Text255
    type: Text255


class ConfigParams(Params):
    ext: Text255


class ConfigSaveParams(Params):
    model_config = ConfigDict(extra="allow")

    ext: Text255


class IsOnParams(Params):
    mod: Text255 | None = None
    id: Text255 | None = None
    type: Text255 | None = None


class SettingsParams(Params):
    ext: Text255


def _base_url(call: Call) -> str:
    return call.settings.base_url


# -- admin -----------------------------------------------------------------------------------------
@api_method("admin", "extension", "get_list", permission="extension.view")
def admin_get_list(call: Call, params: ListParams) -> list[dict[str, Any]]:
    """Modules with their status: activated and available, or core + activated with `active`."""
    return service.list_extensions(
        call.db, _base_url(call), installed=params.installed, active=params.active,
        has_settings=params.has_settings, search=params.search, ext_type=params.type,
    )


@api_method("admin", "extension", "get_latest", permission="extension.view")
def admin_get_latest(call: Call, params: TypeParams) -> list[Any]:
    """Extensions of the remote directory: there is none, modules ship with the package."""
    raise ApiError(service.SHIPPED)


@api_method("admin", "extension", "get_extension_readme", required={"extension_id": "Extension ID was not passed"},
            permission="extension.view")
def admin_get_extension_readme(call: Call, params: ReadmeParams) -> str:
    """A module's description as HTML."""
    return service.readme(params.extension_id)


@api_method("admin", "extension", "get_navigation")
def admin_get_navigation(call: Call, params: NavigationParams) -> dict[str, Any]:
    """The admin menu for the calling staff member."""
    authorizer = staff_authorizer()
    staff = call.staff
    return service.navigation(
        call.db, _base_url(call), lambda module: authorizer.can_access_module(call.db, staff, module)
    )


@api_method("admin", "extension", "languages", permission="extension.view")
def admin_languages(call: Call, params: LanguagesParams) -> list[Any]:
    """Enabled (or with `disabled`, disabled) locales, with their names unless `details` is off."""
    codes = service.locales(call.db, disabled=params.disabled)
    return [service.locale_details(code) for code in codes] if params.details else list(codes)


@api_method("admin", "extension", "toggle_language", required=LOCALE_REQUIRED,
            permission="extension.manage_extensions")
def admin_toggle_language(call: Call, params: LocaleParams) -> bool:
    """Enable a disabled locale or disable an enabled one."""
    return service.toggle_locale(call.db, params.locale_id)


@api_method("admin", "extension", "locale_completion", required=LOCALE_REQUIRED, permission="extension.view")
def admin_locale_completion(call: Call, params: LocaleParams) -> int:
    """How much of a locale is translated, in percent."""
    return service.locale_completion(params.locale_id)


@api_method("admin", "extension", "update", required=EXT_REQUIRED, permission="extension.manage_extensions")
def admin_update(call: Call, params: ExtensionParams) -> None:
    """Modules are updated with the package."""
    service.update(call.db, params.type, params.id)


@api_method("admin", "extension", "activate", required=EXT_REQUIRED, permission="extension.manage_extensions")
def admin_activate(call: Call, params: ExtensionParams) -> dict[str, Any]:
    """Turn an optional module on."""
    return service.activate(call.db, params.type, params.id)


@api_method("admin", "extension", "deactivate", required=EXT_REQUIRED, permission="extension.manage_extensions")
def admin_deactivate(call: Call, params: ExtensionParams) -> bool:
    """Turn an optional module off (its calls then answer 715)."""
    return service.deactivate(call.db, params.type, params.id)


@api_method("admin", "extension", "uninstall", required=EXT_REQUIRED, permission="extension.uninstall_extensions")
def admin_uninstall(call: Call, params: ExtensionParams) -> bool:
    """Modules ship with the package and cannot be removed."""
    return service.uninstall(call.db, params.type, params.id)


@api_method("admin", "extension", "install", required=EXT_REQUIRED, permission="extension.manage_extensions")
def admin_install(call: Call, params: ExtensionParams) -> dict[str, Any]:
    """There is no extension directory to install from."""
    raise ApiError(service.SHIPPED)


def _check_manage_permission(call: Call, module: str) -> None:
    """FOSSBilling's hasManagePermission: an active module's settings need its access and manage_settings."""
    if not service.is_active(call.db, module):
        return
    authorizer = staff_authorizer()
    if not authorizer.can_access_module(call.db, call.staff, module):
        raise PermissionDenied(f"You do not have permission to access the {module} module")
    if module in catalog.WITH_SETTINGS and not authorizer.has_permission(
        call.db, call.staff, f"{module}.manage_settings"
    ):
        raise PermissionDenied("You do not have permission to perform this action")


@api_method("admin", "extension", "config_get", required=CONFIG_REQUIRED)
def admin_config_get(call: Call, params: ConfigParams) -> dict[str, Any]:
    """A module's settings, secrets decrypted, with `ext`."""
    module = service.config_module(params.ext)
    _check_manage_permission(call, module)
    return service.get_config(call.db, call.services.secrets, module)


@api_method("admin", "extension", "config_save", required=CONFIG_REQUIRED)
def admin_config_save(call: Call, params: ConfigSaveParams) -> bool:
    """Replace an active module's settings with every other parameter; secret-named values are encrypted."""
    module = service.config_module(params.ext)
    _check_manage_permission(call, module)
    return service.save_config(call.db, call.services.secrets, module, dict(params.model_extra or {}))


# -- guest -----------------------------------------------------------------------------------------
@api_method("guest", "extension", "is_on")
def guest_is_on(call: Call, params: IsOnParams) -> bool:
    """Whether a module (`mod`) or an extension (`id` + `type`) is active; true when neither is named."""
    if params.mod:
        return service.is_active(call.db, params.mod.lower())
    if params.id is not None and params.type:
        return service.is_active(call.db, params.id.lower(), params.type)
    return True


@api_method("guest", "extension", "settings", required={"ext": "Parameter ext is missing"})
def guest_settings(call: Call, params: SettingsParams) -> Any:
    """The `public` part of a module's settings."""
    return service.public_settings(call.db, call.services.secrets, params.ext)


@api_method("guest", "extension", "languages")
def guest_languages(call: Call, params: NoParams) -> list[str]:
    """Enabled locale codes."""
    return service.locales(call.db, disabled=False)
