"""Parameter types that accept what FOSSBilling's clients send (form strings, PHP-style booleans)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _php_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise ValueError("must be a boolean (true/false, 1/0, yes/no, on/off)")


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and value.strip() == "":
        return None
    return value


def _strict_id(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be an integer")
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped.lstrip("-").isdigit():
            raise ValueError("must be an integer")
        return int(stripped)
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError("must be an integer")
    return value


PhpBool = Annotated[bool, BeforeValidator(_php_bool)]
Id = Annotated[int, BeforeValidator(_strict_id), Field(ge=1, le=2**53)]
OptionalId = Annotated[int | None, BeforeValidator(lambda v: None if _blank_to_none(v) is None else _strict_id(v))]
Text255 = Annotated[str, StringConstraints(max_length=255)]
Text100 = Annotated[str, StringConstraints(max_length=100)]
LongText = Annotated[str, StringConstraints(max_length=65535)]
OptionalDate = Annotated[date | None, BeforeValidator(_blank_to_none)]
