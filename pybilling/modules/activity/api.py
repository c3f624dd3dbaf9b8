"""Admin methods of the activity module: the system log and the client email log."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from pybilling.api.context import Call
from pybilling.api.fields import LongText, OptionalId, PhpBool, Text255
from pybilling.api.pagination import page_request, paginate
from pybilling.api.registry import Params, api_method
from pybilling.modules.activity import service
from pybilling.modules.activity.models import INFO


def _priority(value: Any) -> Any:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool):
        raise ValueError("must be an integer from 0 to 7")
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


# The range applies to the number only: an explicit null stays null (constraints on `int | None` would
# be applied to None too, and pydantic answers that with a TypeError instead of a validation error).
Priority = Annotated[Annotated[int, Field(ge=0, le=7)] | None, BeforeValidator(_priority)]


class LogListParams(Params):
    page: Any = None
    per_page: Any = None
    min_priority: Priority = INFO
    priority: Priority = None
    search: Text255 | None = None
    admin_id: OptionalId = None
    client_id: OptionalId = None
    only_staff: PhpBool = False
    only_clients: PhpBool = False


class LogParams(Params):
    m: LongText | None = None
    client_id: OptionalId = None
    admin_id: OptionalId = None
    priority: Priority = INFO


class LogEmailParams(Params):
    subject: Text255 | None = None
    client_id: OptionalId = None
    sender: Text255 | None = None
    recipients: LongText | None = None
    content_html: LongText | None = None
    content_text: LongText | None = None


@api_method("admin", "activity", "log_get_list", permission="activity.view")
def admin_log_get_list(call: Call, params: LogListParams) -> dict[str, Any]:
    """The system log, newest first, down to `min_priority` (info by default)."""
    flt = service.LogFilter(
        min_priority=params.min_priority, priority=params.priority, search=params.search,
        admin_id=params.admin_id, client_id=params.client_id, only_staff=params.only_staff,
        only_clients=params.only_clients,
    )
    return paginate(call.db, service.search_query(flt), page_request(params.page, params.per_page),
                    service.to_api, scalars=False)


@api_method("admin", "activity", "log", permission="activity.manage")
def admin_log(call: Call, params: LogParams) -> bool:
    """Add a line to the system log; false when no message `m` is given."""
    if params.m is None:
        return False
    service.log(call.db, params.m, priority=params.priority, admin_id=params.admin_id,
                client_id=params.client_id, ip=call.request.ip)
    return True


@api_method("admin", "activity", "log_email", permission="activity.manage")
def admin_log_email(call: Call, params: LogEmailParams) -> bool:
    """Keep a copy of an email sent to a client; false when no `subject` is given."""
    if params.subject is None:
        return False
    service.log_email(
        call.db, params.subject, client_id=params.client_id, sender=params.sender,
        recipients=params.recipients, content_html=params.content_html, content_text=params.content_text,
    )
    return True
