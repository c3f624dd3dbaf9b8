"""In-process event bus with FOSSBilling's event names (`onAfterClientSignUp`, …)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session


@dataclass
class Event:
    name: str
    db: Session
    params: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = defaultdict(list)
        self._any: list[Listener] = []

    def on(self, name: str) -> Callable[[Listener], Listener]:
        def register(fn: Listener) -> Listener:
            self._listeners[name].append(fn)
            return fn

        return register

    def on_any(self, fn: Listener) -> Listener:
        self._any.append(fn)
        return fn

    def off(self, fn: Listener, name: str | None = None) -> None:
        """Stop calling `fn` (for `name`, or as a listener of every event when no name is given)."""
        listeners = self._any if name is None else self._listeners.get(name, [])
        if fn in listeners:
            listeners.remove(fn)

    def fire(self, db: Session, name: str, **params: Any) -> Event:
        """Listeners run inside the caller's transaction: what they write commits or rolls back with it."""
        event = Event(name, db, params)
        for listener in (*self._listeners.get(name, ()), *self._any):
            listener(event)
        return event


events = EventBus()
