"""Fixtures of the currency tests: a fake European Central Bank, the module config, stored rows."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.core import module_config
from pybilling.modules.currency.models import Currency
from pybilling.modules.staff.models import StaffGroup
from tests.helpers import unique_email

ECB_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
                 xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
  <Cube>
    <Cube time='2026-11-24'>
      <Cube currency='USD' rate='1.0823'/>
      <Cube currency='JPY' rate='162.45'/>
      <Cube currency='GBP' rate='0.8571'/>
      <Cube currency='CHF' rate='0.9402'/>
    </Cube>
  </Cube>
</gesmes:Envelope>
"""


@dataclass
class FakeEcb:
    """A real HTTP server on 127.0.0.1 answering `/eurofxref-daily.xml` with `body` and `status`."""

    base_url: str
    body: bytes = ECB_XML
    status: int = 200
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def ecb() -> Iterator[FakeEcb]:
    fake = FakeEcb(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.paths.append(self.path)
            if self.path != "/eurofxref-daily.xml":
                self.send_error(404)
                return
            self.send_response(fake.status)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(fake.body)))
            self.end_headers()
            self.wfile.write(fake.body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (a port bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def currency_config(db: Session) -> Callable[..., None]:
    """`currency_config(sync_rate=True, rate_provider_url=…)` stores the currency module config."""

    def save(**config: Any) -> None:
        with db.begin():
            module_config.save_config(db, "currency", config)

    return save


@pytest.fixture
def add_currency(db: Session) -> Callable[..., None]:
    """`add_currency("EUR", "0.9", is_rate_manual=False)` arranges a currency row directly."""

    def add(code: str, rate: str = "1", **fields: Any) -> None:
        with db.begin():
            db.add(Currency(code=code, conversion_rate=Decimal(rate), **fields))

    return add


@pytest.fixture
def stored(db: Session) -> Callable[[str], Currency | None]:
    """`stored("EUR")` → the currency row as the database has it now."""

    def read(code: str) -> Currency | None:
        db.expire_all()
        with db.begin():
            return db.scalar(select(Currency).where(Currency.code == code))

    return read


@pytest.fixture
def staff_with(db: Session, make_staff: Any) -> Callable[..., Any]:
    """`staff_with("view")` → a staff member whose group has currency access and only these keys."""

    def make(*keys: str, access: bool = True) -> Any:
        with db.begin():
            group = StaffGroup(
                name=f"Currency group {unique_email()}",
                permissions={"currency": {"access": access, **dict.fromkeys(keys, True)}},
            )
            db.add(group)
            db.flush()
            group_id = group.id
        return make_staff(group_id=group_id)

    return make
