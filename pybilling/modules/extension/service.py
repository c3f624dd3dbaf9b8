"""Module states, the module list, activation, per-module settings, languages and the admin menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel import Locale, UnknownLocaleError
from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError
from pybilling.core import module_config, settings_store
from pybilling.core.events import events
from pybilling.modules.extension import catalog
from pybilling.modules.extension.models import STATUS_INSTALLED, TYPE_MOD, Extension

NOT_FOUND = "Extension not found"
CORE_DEACTIVATE = "Core modules are an integral part of the FOSSBilling system and cannot be deactivated."
CORE_UNINSTALL = "Core modules are an integral part of the FOSSBilling system and cannot be uninstalled."
CORE_INSTALL = "FOSSBilling core modules cannot be installed or removed"
ACTIVE_UNINSTALL = "Cannot uninstall an active module. Please deactivate it first."
SHIPPED = (
    "PyBilling modules ship with the package: there is no extension directory to install, update or "
    "uninstall extensions from. Activate or deactivate a module instead."
)
UPDATE_CODE = 252
LOCALE_MISSING = "Unable to enable / disable the locale as it is not present in the locale folder."
DISABLED_LOCALES_PARAM = "disabled_locales"


# -- state -------------------------------------------------------------------------------------
def _row(db: Session, ext_type: str, name: str) -> Extension | None:
    return db.scalar(select(Extension).where(Extension.type == ext_type, Extension.name == name))


def is_active(db: Session, name: str, ext_type: str = TYPE_MOD) -> bool:
    """Core modules without a query; anything else by its `extension` row (one indexed lookup)."""
    if ext_type == TYPE_MOD and catalog.is_core(name):
        return True
    found = db.scalar(
        select(Extension.id).where(
            Extension.type == ext_type, Extension.name == name, Extension.status == STATUS_INSTALLED
        ).limit(1)
    )
    return found is not None


def installed_modules(db: Session) -> list[Extension]:
    stmt = (
        select(Extension)
        .where(Extension.type == TYPE_MOD, Extension.status == STATUS_INSTALLED)
        .order_by(Extension.id)
    )
    return [row for row in db.scalars(stmt) if catalog.is_known(row.name)]


def active_modules(db: Session) -> set[str]:
    return set(catalog.CORE_MODULES) | {row.name for row in installed_modules(db)}


# -- the list ------------------------------------------------------------------------------------
def manifest(name: str, base_url: str) -> dict[str, Any]:
    entry = catalog.MODULE_INFO[name]
    folder = name.capitalize()
    return {
        "id": name,
        "type": TYPE_MOD,
        "name": entry.title,
        "description": entry.description,
        "homepage_url": None,
        "author": "PyBilling",
        "author_url": None,
        "license": "Apache-2.0",
        "version": entry.version,
        "icon_url": f"{base_url.rstrip('/')}/modules/{folder}/icon.svg",
        "download_url": None,
        "project_url": None,
        "minimum_fossbilling_version": None,
        "maximum_fossbilling_version": None,
    }


def _with_state(item: dict[str, Any], status: str | None, has_settings: bool) -> dict[str, Any]:
    item["status"] = status
    item["has_settings"] = has_settings
    item["icon_path"] = f"mod_{item['id'].capitalize()}_icon.svg"
    return item


def list_extensions(
    db: Session, base_url: str, *, installed: bool, active: bool, has_settings: bool,
    search: str | None, ext_type: str | None,
) -> list[dict[str, Any]]:
    """FOSSBilling's list: `active` → core + activated; `installed` → activated; else activated + available."""
    result: list[dict[str, Any]] = []
    wants_mods = ext_type in (None, "", TYPE_MOD)
    rows = installed_modules(db) if wants_mods else []
    if active and wants_mods:
        for name in sorted(catalog.CORE_MODULES):
            result.append(_with_state(manifest(name, base_url), "core", name in catalog.WITH_SETTINGS))
    for row in rows:
        item = manifest(row.name, base_url)
        item["version"] = row.version or item["version"]
        result.append(_with_state(item, row.status, row.name in catalog.WITH_SETTINGS))
    if not installed and not active and wants_mods:
        taken = {row.name for row in rows}
        for name in catalog.OPTIONAL_MODULES:
            if name not in taken:
                item = _with_state(manifest(name, base_url), None, False)
                item["has_settings_routes"] = False
                item["settings_routes"] = []
                result.append(item)
    if has_settings:
        result = [item for item in result if item["has_settings"]]
    if search:
        needle = search.lower()
        result = [item for item in result if needle in str(item["name"]).lower() or needle in item["id"]]
    return result


# -- activation ----------------------------------------------------------------------------------
def _known_optional(ext_type: str, name: str) -> str:
    """The module name to act on; anything we cannot switch answers FOSSBilling's "not found"."""
    name = name.lower()
    if ext_type != TYPE_MOD or not catalog.is_known(name):
        raise ApiError(NOT_FOUND)
    return name


def activate(db: Session, ext_type: str, name: str) -> dict[str, Any]:
    if ext_type == TYPE_MOD and catalog.is_core(name.lower()):
        raise ApiError(CORE_INSTALL)
    name = _known_optional(ext_type, name)
    row = _row(db, TYPE_MOD, name)
    if row is None:
        row = Extension(type=TYPE_MOD, name=name, status=None, version=None)
        db.add(row)
        db.flush()
    events.fire(db, "onBeforeAdminActivateExtension", id=row.id)
    row.status = STATUS_INSTALLED
    row.version = catalog.MODULE_INFO[name].version
    db.flush()
    events.fire(db, "onAfterAdminActivateExtension", id=row.id)
    return {"id": name, "type": TYPE_MOD, "redirect": name in catalog.WITH_SETTINGS or name in _WITH_ADMIN_AREA,
            "has_settings": name in catalog.WITH_SETTINGS}


_WITH_ADMIN_AREA = frozenset({"custompages", "massmailer", "news", "notification", "redirect", "seo",
                              "serviceapikey"})


def deactivate(db: Session, ext_type: str, name: str) -> bool:
    if ext_type == TYPE_MOD and catalog.is_core(name.lower()):
        raise ApiError(CORE_DEACTIVATE)
    name = _known_optional(ext_type, name)
    row = _row(db, TYPE_MOD, name)
    if row is None:
        raise ApiError(NOT_FOUND)
    events.fire(db, "onBeforeAdminDeactivateExtension", id=row.id)
    db.delete(row)  # as FOSSBilling: a deactivated module has no row
    db.flush()
    events.fire(db, "onAfterAdminDeactivateExtension", id=name, type=TYPE_MOD)
    return True


def uninstall(db: Session, ext_type: str, name: str) -> bool:
    lowered = name.lower()
    if ext_type == TYPE_MOD and catalog.is_core(lowered):
        raise ApiError(CORE_UNINSTALL)
    if ext_type == TYPE_MOD and catalog.is_known(lowered) and is_active(db, lowered):
        raise ApiError(ACTIVE_UNINSTALL)
    raise ApiError(SHIPPED)


def update(db: Session, ext_type: str, name: str) -> None:
    lowered = name.lower()
    if ext_type != TYPE_MOD or not catalog.is_known(lowered):
        raise ApiError(NOT_FOUND)
    raise ApiError(SHIPPED, UPDATE_CODE)


def readme(name: str) -> str:
    lowered = name.lower()
    if not catalog.is_known(lowered):
        raise ApiError(NOT_FOUND)
    entry = catalog.MODULE_INFO[lowered]
    return f"<h1>{entry.title}</h1>\n<p>{entry.description}</p>\n"


# -- settings ------------------------------------------------------------------------------------
def config_module(ext: str) -> str:
    """`mod_support` (or plain `support`) → `support`; anything else is refused."""
    name = ext.strip().lower()
    name = name.removeprefix("mod_")
    if not catalog.is_known(name):
        raise ApiError(f"Extension {ext} does not exist")
    return name


def get_config(db: Session, cipher: module_config.Cipher, name: str) -> dict[str, Any]:
    config = module_config.get_config(db, name, cipher)
    config["ext"] = f"mod_{name}"
    return config


def save_config(db: Session, cipher: module_config.Cipher, name: str, values: dict[str, Any]) -> bool:
    if not is_active(db, name):
        raise ApiError(f"Module {name} is not active. Activate it before saving its settings.")
    # The settings travel as one parameter: their keys are free and must not clash with `fire`'s own.
    events.fire(db, "onBeforeAdminExtensionConfigSave", ext=f"mod_{name}", config=values)
    module_config.save_config(db, name, values, cipher)
    events.fire(db, "onAfterAdminExtensionConfigSave", ext=f"mod_{name}", config=values)
    return True


def public_settings(db: Session, cipher: module_config.Cipher, ext: str) -> Any:
    name = ext.strip().lower().removeprefix("mod_")
    if not catalog.is_known(name):
        return []
    public = module_config.get_config(db, name, cipher).get("public")
    return public if isinstance(public, dict) else []


# -- languages -------------------------------------------------------------------------------------
def _disabled(db: Session) -> set[str]:
    raw = settings_store.get_param(db, DISABLED_LOCALES_PARAM) or ""
    return {code for code in raw.split(",") if code in catalog.SHIPPED_LOCALES}


def locales(db: Session, *, disabled: bool) -> list[str]:
    off = _disabled(db)
    return sorted(code for code in catalog.SHIPPED_LOCALES if (code in off) == disabled)


def locale_details(code: str) -> dict[str, str]:
    try:
        name = Locale.parse(code).get_display_name("en_US") or code
    except (UnknownLocaleError, ValueError):
        name = code
    return {"locale": code, "title": name, "name": name}


def toggle_locale(db: Session, code: str) -> bool:
    if code not in catalog.SHIPPED_LOCALES:
        raise ApiError(LOCALE_MISSING)
    off = _disabled(db)
    off.symmetric_difference_update({code})
    settings_store.set_param(db, DISABLED_LOCALES_PARAM, ",".join(sorted(off)))
    return True


def locale_completion(code: str) -> int:
    return 100 if code == "en_US" else 0


# -- admin menu ----------------------------------------------------------------------------------
def navigation(db: Session, base_url: str, may_access: Callable[[str], bool]) -> dict[str, Any]:
    """The admin menu: groups of the active modules the staff member may access, subpages by index."""
    on = active_modules(db)
    root = base_url.rstrip("/") + "/admin/"

    def visible(module: str) -> bool:
        return module in on and may_access(module)

    nav: dict[str, dict[str, Any]] = {}
    for module, group in sorted(catalog.NAV_GROUPS, key=lambda item: item[1].index):
        if visible(module):
            nav[group.location] = {
                "index": group.index, "label": group.label, "uri": root + group.path,
                "class": group.css_class, "active": False, "subpages": [],
            }
    for page in sorted(catalog.NAV_PAGES, key=lambda item: item.index):
        if page.location in nav and visible(page.module):
            nav[page.location]["subpages"].append(
                {"index": page.index, "label": page.label, "uri": root + page.path, "class": "", "active": False}
            )
    return nav
