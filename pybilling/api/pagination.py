"""The paginated list shape every FOSSBilling list answers with."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def page_request(page: Any = None, per_page: Any = None, default_per_page: int = DEFAULT_PER_PAGE) -> PageRequest:
    """Non-integers fall back to the defaults; out-of-range integers are refused, as FOSSBilling does."""
    page_number = _as_int(page)
    size = _as_int(per_page)
    page_number = 1 if page_number is None else page_number
    size = default_per_page if size is None else size
    if page_number < 1:
        raise ApiError("Page number (page) must be a positive integer.")
    if size < 1:
        raise ApiError("The number of items per page (per_page) must be a positive integer.")
    if size > MAX_PER_PAGE:
        raise ApiError("The number of items per page (per_page) is too large. Please specify a smaller number.")
    return PageRequest(page_number, size)


def page_result(request: PageRequest, total: int, items: list[Any]) -> dict[str, Any]:
    return {
        "pages": math.ceil(total / request.per_page) if total else 0,
        "page": request.page,
        "per_page": request.per_page,
        "total": total,
        "list": items,
    }


def paginate(
    db: Session,
    stmt: Select[Any],
    request: PageRequest,
    to_api: Callable[[Any], dict[str, Any]],
    *,
    scalars: bool = True,
) -> dict[str, Any]:
    """Two queries whatever the page: a count and the page itself."""
    total = db.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page_stmt = stmt.limit(request.per_page).offset(request.offset)
    rows: Sequence[Any] = db.scalars(page_stmt).all() if scalars else db.execute(page_stmt).all()
    return page_result(request, int(total), [to_api(row) for row in rows])


def paginate_list(items: list[Any], request: PageRequest) -> dict[str, Any]:
    """For lists built in memory: FOSSBilling's paginateArray clamps the page to the last one."""
    total = len(items)
    pages = math.ceil(total / request.per_page) if total else 0
    page = min(request.page, pages) if pages else 1
    clamped = PageRequest(page, request.per_page)
    return page_result(clamped, total, items[clamped.offset : clamped.offset + clamped.per_page])
