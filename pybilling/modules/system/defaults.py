"""A fresh install's settings (FOSSBilling's `setting` rows, as its installer writes them)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pybilling.core.bootstrap import default_data
from pybilling.core.settings_store import ensure_defaults

_TOS = (
    "This is a sample Terms of Service. Please replace this with your own legal terms.\n"
    "Include details such as:\n"
    "- Your company name and address\n"
    "- Conditions of service\n"
    "- Payment and refund policies\n"
    "- Service-level agreements (SLAs)"
)
_PRIVACY_POLICY = (
    "This is a sample Privacy Policy. Please replace this with your company's actual privacy terms.\n"
    "Include details such as:\n"
    "- How customer data is collected and used\n"
    "- Security measures\n"
    "- Third-party sharing policies\n"
    "- Customer rights"
)
_NOTE = (
    "This is a placeholder for your About Us page. It will be available in /about-us.\n"
    "Replace this with information about your company, such as:\n"
    "- Your company history and mission\n"
    "- Services offered\n"
    "- Values and vision\n"
    "- Contact or support information\n"
    "- Any other details you want your clients to know about your business"
)

DEFAULT_SETTINGS: dict[str, str | None] = {
    "last_patch": "106",
    "company_name": "Company Name",
    "company_email": "support@yourcompany.com",
    "company_signature": "PyBilling - Client Management, Invoicing and Support Software",
    "company_logo": "public/branding/logo.svg",
    "company_logo_dark": "public/branding/logo-dark.svg",
    "company_address_1": "Demo address line 1",
    "company_address_2": "Demo address line 2",
    "company_address_3": "Demo address line 3",
    "company_tel": "+123 456 12345",
    "company_tos": _TOS,
    "company_privacy_policy": _PRIVACY_POLICY,
    "company_note": _NOTE,
    "invoice_series": "FOSS",
    "invoice_due_days": "5",
    "invoice_auto_approval": "1",
    "invoice_issue_days_before_expire": "14",
    "theme": "huraga",
    "issue_invoice_days_before_expire": "7",
    "invoice_refund_logic": "credit_note",
    "invoice_cn_series": "CN-",
    "invoice_cn_starting_number": "1",
    "invoice_starting_number": "1",
    "nameserver_1": None,
    "nameserver_2": None,
    "nameserver_3": None,
    "nameserver_4": None,
    "funds_min_amount": "10",
    "funds_max_amount": "200",
    "company_favicon": "public/branding/favicon.ico",
    "hide_company_public": "1",
    "invoice_hash_lifetime_days": "90",
    "hide_version_public": "0",
}


@default_data(order=0)
def load_settings(db: Session) -> None:
    ensure_defaults(db, DEFAULT_SETTINGS)


@default_data(order=0)
def make_instance_id(db: Session) -> None:
    """Give the install its stable random id (`admin/system/instance_id`)."""
    from pybilling.modules.system.params import instance_id

    instance_id(db)
