"""Default data every fresh install has; modules register loaders, `pybilling init` runs them."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

DefaultLoader = Callable[[Session], None]
_loaders: list[tuple[int, str, DefaultLoader]] = []


def default_data(order: int) -> Callable[[DefaultLoader], DefaultLoader]:
    """Register an idempotent loader; lower `order` runs first."""

    def register(fn: DefaultLoader) -> DefaultLoader:
        _loaders.append((order, f"{fn.__module__}.{fn.__qualname__}", fn))
        return fn

    return register


def load_default_data(db: Session) -> None:
    for _, _, loader in sorted(_loaders, key=lambda item: (item[0], item[1])):
        loader(db)
        db.flush()
