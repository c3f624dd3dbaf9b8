"""What PyBilling knows about every FOSSBilling module: core or optional, titles, admin menu entries.

Core modules are always on. Optional modules are on only while an `extension` row says `installed`;
a fresh install activates `news`, `branding` and `redirect` (FOSSBilling's defaults).
"""

from __future__ import annotations

from dataclasses import dataclass

# FOSSBilling's core list (`FOSSBilling\\Module::CORE_MODULES`), plus `antispam` and `widgets`, which
# FOSSBilling main answers without an extension row (live samples) and lists with the core modules.
CORE_MODULES: frozenset[str] = frozenset({
    "activity", "antispam", "api", "cart", "client", "cron", "currency", "email", "extension",
    "formbuilder", "hook", "index", "invoice", "order", "orderbutton", "page", "product", "profile",
    "security", "servicecustom", "servicedomain", "servicedownloadable", "servicehosting",
    "servicelicense", "staff", "stats", "support", "system", "theme", "widgets",
})
OPTIONAL_MODULES: tuple[str, ...] = (
    "branding", "cookieconsent", "custompages", "embed", "massmailer", "news", "notification",
    "redirect", "seo", "serviceapikey",
)
# Active on a fresh install, in FOSSBilling's seeding order, with their versions.
DEFAULT_ACTIVE: tuple[tuple[str, str], ...] = (("news", "1.0.0"), ("branding", "0.0.1"), ("redirect", "1.0.0"))

# Modules with a settings page (their permissions include `manage_settings`).
WITH_SETTINGS: frozenset[str] = frozenset({
    "activity", "antispam", "client", "cookieconsent", "cron", "currency", "email", "formbuilder",
    "invoice", "massmailer", "order", "orderbutton", "redirect", "seo", "staff", "support", "system",
    "theme",
})


@dataclass(frozen=True)
class ModuleEntry:
    title: str
    description: str
    version: str = "1.0.0"


MODULE_INFO: dict[str, ModuleEntry] = {
    "activity": ModuleEntry("Activity", "Staff and client login history, the system log and sent emails."),
    "antispam": ModuleEntry("Antispam", "Captcha, honeypot and blocked IP addresses against abuse."),
    "api": ModuleEntry("API", "The HTTP API every area of the application talks to."),
    "branding": ModuleEntry("Branding", "Show your support by voluntarily displaying references to the software.",
                            "0.0.1"),
    "cart": ModuleEntry("Shopping cart", "Shopping cart, promotions and checkout."),
    "client": ModuleEntry("Clients", "Client accounts, groups, balances and signup."),
    "cookieconsent": ModuleEntry("Cookie consent", "Shows a cookie consent banner in the client area."),
    "cron": ModuleEntry("Cron", "Runs the periodic jobs: renewals, reminders, suspensions, email queue."),
    "currency": ModuleEntry("Currencies", "Currencies, exchange rates and price formatting."),
    "custompages": ModuleEntry("Custom pages", "Static pages managed from the admin area."),
    "email": ModuleEntry("Email", "Email templates, the outgoing queue and sent-email history."),
    "embed": ModuleEntry("Embed", "Embed parts of the client area on other websites."),
    "extension": ModuleEntry("Extensions", "Activate and configure modules and languages."),
    "formbuilder": ModuleEntry("Form builder", "Custom order forms attached to products."),
    "hook": ModuleEntry("Hooks", "The event listeners modules attach to application events."),
    "index": ModuleEntry("Dashboard", "The client area dashboard."),
    "invoice": ModuleEntry("Invoices", "Invoices, taxes, payment gateways, transactions and subscriptions."),
    "massmailer": ModuleEntry("Mass mailer", "Send emails to filtered lists of clients."),
    "news": ModuleEntry("News", "News and announcements for clients."),
    "notification": ModuleEntry("Notifications", "Notifications for staff members."),
    "order": ModuleEntry("Orders", "Client orders and their life cycle."),
    "orderbutton": ModuleEntry("Order button", "An embeddable order form for other websites."),
    "page": ModuleEntry("Pages", "Pages of the client area."),
    "product": ModuleEntry("Products", "Products, addons, categories and promotions."),
    "profile": ModuleEntry("Profile", "The signed-in person's own profile and API key."),
    "redirect": ModuleEntry("Redirects", "Redirect old addresses to new ones."),
    "security": ModuleEntry("Security", "Security checks, IP lookup and rate limits."),
    "seo": ModuleEntry("SEO", "Search engine notifications and sitemap."),
    "serviceapikey": ModuleEntry("API key service", "Sell API keys as a product type."),
    "servicecustom": ModuleEntry("Custom service", "A product type provisioned by hand or by a plugin."),
    "servicedomain": ModuleEntry("Domains", "Domain registration and transfer through registrars."),
    "servicedownloadable": ModuleEntry("Downloadable products", "Sell files as a product type."),
    "servicehosting": ModuleEntry("Hosting", "Shared hosting accounts on server panels."),
    "servicelicense": ModuleEntry("Licenses", "Software licenses with validation rules."),
    "staff": ModuleEntry("Staff", "Staff members, groups and permissions."),
    "stats": ModuleEntry("Statistics", "Income, orders, clients and tickets in figures."),
    "support": ModuleEntry("Support", "Helpdesks, tickets, canned responses and knowledge base."),
    "system": ModuleEntry("System", "Global settings and company details."),
    "theme": ModuleEntry("Themes", "Admin and client area themes and their settings."),
    "widgets": ModuleEntry("Widgets", "Dashboard widgets provided by modules."),
}

ALL_MODULES: tuple[str, ...] = tuple(sorted(MODULE_INFO))


def is_known(name: str) -> bool:
    return name in MODULE_INFO


def is_core(name: str) -> bool:
    return name in CORE_MODULES


# -- admin navigation ----------------------------------------------------------------------------
@dataclass(frozen=True)
class NavGroup:
    location: str
    index: int
    label: str
    path: str
    css_class: str


@dataclass(frozen=True)
class NavPage:
    module: str  # shown only while this module is active and the staff member may access it
    location: str
    index: int
    label: str
    path: str


NAV_GROUPS: tuple[tuple[str, NavGroup], ...] = (
    ("client", NavGroup("client", 200, "Clients", "client", "address-book")),
    ("order", NavGroup("order", 300, "Orders", "order", "package")),
    ("invoice", NavGroup("invoice", 400, "Invoices", "invoice", "receipt")),
    ("product", NavGroup("products", 401, "Products", "products", "photo")),
    ("support", NavGroup("support", 500, "Support", "support?status=open", "headset")),
    ("system", NavGroup("system", 600, "System", "system", "settings")),
    ("security", NavGroup("security", 650, "Security", "security", "lock")),
    ("activity", NavGroup("activity", 700, "Activity", "activity", "chart-bar")),
    ("extension", NavGroup("extensions", 1000, "Extensions", "extension", "iPlugin")),
)

NAV_PAGES: tuple[NavPage, ...] = (
    NavPage("client", "client", 100, "Overview", "client"),
    NavPage("massmailer", "client", 200, "Mass Mailer", "massmailer"),
    NavPage("order", "order", 100, "Overview", "order"),
    NavPage("invoice", "invoice", 100, "Overview", "invoice"),
    NavPage("invoice", "invoice", 200, "Transactions", "invoice/transactions"),
    NavPage("invoice", "invoice", 300, "Subscriptions", "invoice/subscriptions"),
    NavPage("product", "products", 110, "Products & Services", "product"),
    NavPage("product", "products", 120, "Product Addons", "product/addons"),
    NavPage("product", "products", 130, "Product Promotions", "product/promos"),
    NavPage("support", "support", 100, "Support Tickets", "support?status=open"),
    NavPage("support", "support", 200, "Public Tickets", "support/public-tickets?status=open"),
    NavPage("support", "support", 300, "Knowledge Base", "support/kb"),
    NavPage("support", "support", 400, "Canned Responses", "support/canned-responses"),
    NavPage("news", "support", 500, "Announcements", "news"),
    NavPage("system", "system", 100, "Settings", "system"),
    NavPage("system", "system", 100, "Update", "system/update"),
    NavPage("servicehosting", "system", 140, "Hosting Plans and Servers", "servicehosting"),
    NavPage("servicedomain", "system", 150, "Domain Registration", "servicedomain"),
    NavPage("invoice", "system", 160, "Payment Gateways", "invoice/gateways"),
    NavPage("invoice", "system", 180, "Tax Rules", "invoice/tax"),
    NavPage("redirect", "system", 190, "Redirects", "redirect"),
    NavPage("custompages", "system", 195, "Custom Pages", "custompages"),
    NavPage("security", "security", 100, "Security Dashboard", "security"),
    NavPage("security", "security", 200, "IP Lookup", "security/iplookup"),
    NavPage("activity", "activity", 100, "System Activity", "activity"),
    NavPage("email", "activity", 200, "Email History", "email/history"),
    NavPage("staff", "activity", 400, "Staff Login History", "staff/logins"),
    NavPage("client", "activity", 900, "Client Login History", "client/logins"),
    NavPage("extension", "extensions", 100, "Overview", "extension"),
    NavPage("extension", "extensions", 200, "Languages", "extension/languages"),
)

# Locales shipped with the package (FOSSBilling ships en_US; others are added as translations).
SHIPPED_LOCALES: tuple[str, ...] = ("en_US",)
