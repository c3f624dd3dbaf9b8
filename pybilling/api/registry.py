"""How modules declare API methods: `(role, module, action) → handler` with typed parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from pybilling.api.context import Call

Role = Literal["admin", "client", "guest"]
ROLES: tuple[Role, ...] = ("admin", "client", "guest")


class Params(BaseModel):
    """Base of every method's parameter model: unknown keys are ignored, as FOSSBilling does."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False, str_max_length=65535)
    # The dispatcher refuses a NUL character in any parameter, except in these (the method answers it).
    nul_checked_by_method: ClassVar[frozenset[str]] = frozenset()


class NoParams(Params):
    pass


P = TypeVar("P", bound=Params)
Handler = Callable[["Call", Any], Any]


@dataclass(frozen=True)
class ApiMethod:
    role: Role
    module: str
    action: str
    handler: Handler
    params: type[Params]
    required: tuple[tuple[str, str], ...] = ()
    permission: str | None = None
    summary: str = ""
    session_wins_over_key: bool = False
    blocking: bool = False  # slow work (hashing, network): run in the thread pool, off the event loop


@dataclass
class ModuleInfo:
    name: str
    always_accessible: bool = False  # no staff module-access check (FOSSBilling's can_always_access)
    core: bool = True


@dataclass
class Registry:
    methods: dict[tuple[str, str, str], ApiMethod] = field(default_factory=dict)
    modules: dict[str, ModuleInfo] = field(default_factory=dict)

    def add(self, method: ApiMethod) -> None:
        key = (method.role, method.module, method.action.lower())
        if key in self.methods:
            raise ValueError(f"API method registered twice: {key}")
        self.methods[key] = method
        self.modules.setdefault(method.module, ModuleInfo(method.module))

    def find(self, role: str, module: str, action: str) -> ApiMethod | None:
        return self.methods.get((role, module, action.lower()))

    def module(self, name: str, *, always_accessible: bool = False, core: bool = True) -> None:
        self.modules[name] = ModuleInfo(name, always_accessible=always_accessible, core=core)


registry = Registry()


def api_method(
    role: Role,
    module: str,
    action: str,
    *,
    required: dict[str, str] | None = None,
    permission: str | None = None,
    session_wins_over_key: bool = False,
    blocking: bool = False,
) -> Callable[[Callable[[Call, P], Any]], Callable[[Call, P], Any]]:
    """Register a handler `def handler(call, params: SomeParams) -> result`.

    `required` maps parameter names to FOSSBilling's exact "missing" message, checked before
    `permission` (`"client.view"`) and before the model's validation, in FOSSBilling's order.
    """

    def decorate(fn: Callable[[Call, P], Any]) -> Callable[[Call, P], Any]:
        params_model = fn.__annotations__.get("params")
        if isinstance(params_model, str):
            params_model = fn.__globals__.get(params_model)
        if not (isinstance(params_model, type) and issubclass(params_model, Params)):
            raise TypeError(f"{fn.__qualname__}: annotate `params` with a Params subclass")
        registry.add(
            ApiMethod(
                role=role,
                module=module,
                action=action,
                handler=fn,
                params=params_model,
                required=tuple((required or {}).items()),
                permission=permission,
                summary=(fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else "",
                session_wins_over_key=session_wins_over_key,
                blocking=blocking,
            )
        )
        return fn

    return decorate
