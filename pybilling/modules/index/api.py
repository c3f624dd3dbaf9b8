"""The client area dashboard (FOSSBilling's `index` module)."""

from __future__ import annotations

from typing import Any

from pybilling.api.context import Call
from pybilling.api.registry import NoParams, api_method
from pybilling.modules.index import service


@api_method("client", "index", "get_dashboard")
def client_get_dashboard(call: Call, params: NoParams) -> dict[str, Any]:
    """The signed-in client's summary: profile, ticket/invoice/order counts, recent orders and tickets."""
    return service.dashboard(call.db, call.client)
