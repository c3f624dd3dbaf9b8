"""Request parameters: PHP bracket syntax (`a[b][]=1`) decoding and FOSSBilling's emptiness rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_KEY_RE = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)")
_PART_RE = re.compile(r"\[([^\[\]]*)\]")
MAX_DEPTH = 8


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        value = {k: _listify(v) for k, v in value.items()}
        if value and all(k == str(i) for i, k in enumerate(value)):
            return list(value.values())
        return value
    return value


def decode_pairs(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Decode `(name, value)` pairs the way PHP builds `$_GET`/`$_POST` from bracketed names."""
    root: dict[str, Any] = {}
    for raw_key, value in pairs:
        match = _KEY_RE.match(raw_key)
        if not match:
            continue
        parts = [match.group(1), *_PART_RE.findall(match.group(2))][:MAX_DEPTH]
        node: dict[str, Any] = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if part == "":
                part = str(sum(1 for k in node if k.isdigit()))
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
    return {k: _listify(v) for k, v in root.items()}


def is_missing(params: dict[str, Any], name: str) -> bool:
    """FOSSBilling's RequiredParams rule: unset, blank string, or PHP-empty non-numeric value."""
    if name not in params:
        return True
    value = params[name]
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | dict):
        return len(value) == 0
    return False
