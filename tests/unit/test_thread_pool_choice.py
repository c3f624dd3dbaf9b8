"""Which calls leave the event loop: slow ones (hashing, network, jobs) go to the thread pool."""

from __future__ import annotations

import pytest

from pybilling.api.dispatcher import runs_in_thread_pool
from pybilling.modules import load_modules


@pytest.mark.parametrize(
    ("role", "cls", "method", "threaded"),
    [
        ("guest", "staff", "login", True),
        ("guest", "client", "create", True),
        ("client", "profile", "change_password", True),
        ("admin", "currency", "update_rates", True),
        ("admin", "client_export", "csv", True),  # FOSSBilling's first-underscore split
        ("admin", "client", "GET_LIST", False),
        ("guest", "system", "version", False),
    ],
)
def test_slow_calls_run_in_the_thread_pool(role: str, cls: str, method: str, threaded: bool) -> None:
    load_modules()
    assert runs_in_thread_pool(role, cls, method) is threaded
