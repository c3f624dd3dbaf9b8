"""Cron API methods (admin and guest)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints

from pybilling.api.context import Call
from pybilling.api.fields import PhpBool
from pybilling.api.registry import NoParams, Params, api_method
from pybilling.modules.cron import service


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and value.strip() == "" else value


HashText = Annotated[str, StringConstraints(max_length=255)]  # the limit applies to text, not to null


class SaveSettingsParams(Params):
    guest_cron: PhpBool | None = None
    cron_hash: Annotated[HashText | None, BeforeValidator(_blank_to_none)] = None


class GuestRunParams(Params):
    hash: Any = None  # anything but the right string is refused with the same 403


@api_method("admin", "cron", "info", permission="cron.view")
def admin_info(call: Call, params: NoParams) -> dict[str, Any]:
    """When cron last ran, how to run it, and each job's last run."""
    return service.cron_info(call.db)


@api_method("admin", "cron", "run", permission="cron.manage")
def admin_run(call: Call, params: NoParams) -> bool:
    """Run the due jobs now, each in its own transaction."""
    service.run_crons(call.services.session_factory)
    return True


@api_method("admin", "cron", "save_settings", permission="cron.manage")
def admin_save_settings(call: Call, params: SaveSettingsParams) -> bool:
    """Turn the guest cron URL on or off (on keeps or makes a secret hash; off clears it)."""
    return service.save_settings(call.db, guest_cron=bool(params.guest_cron), cron_hash=params.cron_hash)


@api_method("admin", "cron", "regenerate_cron_hash", permission="cron.manage")
def admin_regenerate_cron_hash(call: Call, params: NoParams) -> dict[str, str]:
    """Replace the guest cron hash; the new one is shown here only."""
    return {"cron_hash": service.regenerate_hash(call.db)}


@api_method("guest", "cron", "run")
def guest_run(call: Call, params: GuestRunParams) -> bool:
    """Run cron from a URL when the guest cron is on and the hash matches; false if it ran in the last minute."""
    return service.guest_run(call.db, call.services.session_factory, params.hash)
