"""The client balance ledger: staff add funds, void lines and list them; a client reads its own."""

from __future__ import annotations

from typing import Any

from pybilling.api.context import Call
from pybilling.api.pagination import page_request, paginate
from pybilling.api.registry import NoParams, api_method
from pybilling.modules.client import balance, service
from pybilling.modules.client.schemas import AddFundsParams, BalanceListParams, ClientBalanceListParams, IdParams


def _list(call: Call, page: Any, per_page: Any, filters: dict[str, Any]) -> dict[str, Any]:
    request = page_request(page, per_page)
    default = balance.default_currency_code(call.db)
    return paginate(
        call.db, balance.visible_lines(filters), request,
        lambda row: balance.line_to_api(row[0], row[1], default), scalars=False,
    )


@api_method("admin", "client", "balance_get_list", permission="client.manage_balance")
def admin_balance_get_list(call: Call, params: BalanceListParams) -> dict[str, Any]:
    """Ledger lines, newest first (voided lines and their reversals are not shown)."""
    return _list(call, params.page, params.per_page, params.model_dump(exclude={"page", "per_page"}))


@api_method(
    "admin", "client", "balance_delete", required={"id": "Client ID was not passed"},
    permission="client.manage_balance",
)
def admin_balance_delete(call: Call, params: IdParams) -> bool:
    """Void a ledger line (`id` is the line's): a reversing line is added, nothing is erased."""
    balance.void_line(call.db, params.id)
    return True


@api_method(
    "admin", "client", "balance_add_funds",
    required={"id": "Client ID required", "amount": "Amount is required", "description": "Description is required"},
    permission="client.manage_balance",
)
def admin_balance_add_funds(call: Call, params: AddFundsParams) -> bool:
    """Credit (or, with a negative amount, debit) a client's balance."""
    client = service.get(call.db, params.id)
    balance.add_funds(call.db, client, params.amount, params.description, type_=params.type, rel_id=params.rel_id)
    return True


@api_method("client", "client", "balance_get_list")
def client_balance_get_list(call: Call, params: ClientBalanceListParams) -> dict[str, Any]:
    """The signed-in client's own ledger lines, newest first."""
    filters = {"client_id": call.client.id, "date_from": params.date_from, "date_to": params.date_to}
    return _list(call, params.page, params.per_page, filters)


@api_method("client", "client", "balance_get_total")
def client_balance_get_total(call: Call, params: NoParams) -> int | float:
    """The signed-in client's balance, as a number."""
    return balance.as_number(balance.client_balance(call.db, call.client.id))
