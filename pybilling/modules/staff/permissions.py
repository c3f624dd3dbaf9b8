"""Staff permissions: `{module: {access: bool, key: bool}}` per group; super administrators pass all."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pybilling.modules.staff.models import SUPER_ADMIN, Staff

# FOSSBilling's permission keys per module (`default-data.md`); every module also has `access`.
MODULE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "activity": ("view", "manage", "manage_settings"),
    "antispam": ("view", "manage", "manage_settings"),
    "client": (
        "view", "create", "edit_profile", "impersonate_login", "manage_api_keys", "change_password",
        "manage_balance", "view_login_history", "manage_groups", "delete", "bulk_delete", "export",
        "manage_settings",
    ),
    "cookieconsent": ("manage_settings",),
    "cron": ("view", "manage", "manage_settings"),
    "currency": ("view", "create", "edit", "delete", "set_default", "update_rates", "manage_settings"),
    "custompages": ("view", "manage"),
    "email": (
        "view_email_history", "delete_email_history", "send_emails", "view_templates", "manage_templates",
        "manage_settings",
    ),
    "extension": ("view", "manage_extensions", "uninstall_extensions"),
    "formbuilder": ("view", "manage", "manage_settings"),
    "hook": ("view", "manage_hooks", "trigger_hooks"),
    "invoice": (
        "view", "manage_invoices", "manage_transactions", "manage_gateways", "manage_subscriptions",
        "manage_tax", "export", "manage_settings",
    ),
    "massmailer": ("view", "create_and_edit", "send", "delete", "manage_settings"),
    "news": ("view", "manage"),
    "notification": ("view", "manage"),
    "order": ("view", "manage", "export", "manage_settings"),
    "orderbutton": ("manage_settings",),
    "product": ("view", "manage_products", "manage_categories", "manage_promos"),
    "redirect": ("view", "create_and_edit", "delete", "manage_settings"),
    "security": ("view", "run_checks", "manage_rate_limits"),
    "seo": ("view", "manage", "manage_settings"),
    "serviceapikey": ("manage",),
    "servicecustom": ("manage",),
    "servicedomain": ("manage_domains", "manage_tlds", "manage_registrars"),
    "servicedownloadable": ("manage",),
    "servicehosting": ("manage_accounts", "view_servers", "manage_servers", "manage_plans"),
    "servicelicense": ("manage",),
    "staff": (
        "view", "create_and_edit_staff", "delete_staff", "reset_staff_password", "manage_groups",
        "manage_settings",
    ),
    "stats": ("view",),
    "support": ("view", "manage_tickets", "manage_helpdesk", "manage_canned", "manage_kb", "manage_settings"),
    "system": (
        "view", "manage_settings", "manage_company_details", "manage_company_legal", "update_params",
        "invalidate_cache", "system_update", "recheck_update", "toggle_error_reporting",
        "manage_network_interface",
    ),
    "theme": ("view", "manage", "manage_settings"),
    "widgets": ("view", "manage"),
}
HIDDEN_MODULES = ("api", "branding", "cart", "page", "profile")
ALWAYS_ACCESSIBLE = ("page", "profile")


def is_super_admin(staff: Staff) -> bool:
    return any(group.system_name == SUPER_ADMIN for group in staff.groups)


def merged_permissions(staff: Staff) -> dict[str, dict[str, Any]]:
    """The union of the permissions of every group the member belongs to."""
    merged: dict[str, dict[str, Any]] = {}
    for group in staff.groups:
        for module, keys in (group.permissions or {}).items():
            if isinstance(keys, dict):
                target = merged.setdefault(module, {})
                for key, value in keys.items():
                    if value:
                        target[key] = value
    return merged


def has_module_access(staff: Staff, module: str) -> bool:
    if is_super_admin(staff) or module in ALWAYS_ACCESSIBLE:
        return True
    return bool(merged_permissions(staff).get(module, {}).get("access"))


def has_permission(staff: Staff, permission: str) -> bool:
    """`"client.view"` → module access and that key; `"client"` → module access alone."""
    if is_super_admin(staff):
        return True
    module, _, key = permission.partition(".")
    perms = merged_permissions(staff).get(module, {})
    if not perms.get("access"):
        return False
    return not key or bool(perms.get(key))


class StaffAuthorizer:
    def can_access_module(self, db: Session, staff: Any, module: str) -> bool:
        return has_module_access(staff, module)

    def has_permission(self, db: Session, staff: Any, permission: str) -> bool:
        return has_permission(staff, permission)
