"""`make bench`: PyBilling's throughput, latency and memory on 10,000 clients, beside a bare Starlette app.

Steps, each bounded in time (a run takes about two minutes):
1. a fresh SQLite database in a temp dir: `pybilling init`, a super-admin and its API key, 10,000
   clients inserted in bulk;
2. SQL queries per `admin/client/get_list` call, counted in-process with a `before_cursor_execute`
   event, for per_page 10 and 100 (it must not grow with the page size);
3. `pybilling serve --workers 2` (rate limits off) and `uvicorn bench.bare_app:app --workers 2`;
4. load with wrk when available (installed with apt-get when missing and running as root), else a
   Python asyncio + httpx load generator; only 127.0.0.1 is ever targeted;
5. a table: req/s, p50, p99, RSS per worker, ratio to bare, FOSSBilling's reference numbers.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYBILLING = str(BIN / "pybilling")
HOST = "127.0.0.1"
CLIENTS = 10_000
WORKERS = 2
DURATION = int(os.environ.get("BENCH_DURATION", "10"))  # seconds of load per target
WARMUP = 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
# A PostgreSQL or MariaDB server to bench on instead of SQLite (a database is made there and dropped),
# e.g. postgresql://postgres@127.0.0.1:5432/postgres or mysql://root@127.0.0.1:3306/mysql.
SERVER_URL = os.environ.get("BENCH_DATABASE_URL", "")
START_TIMEOUT = 30.0
STAFF_EMAIL = "bench@example.com"
STAFF_PASSWORD = "Bench-Pass-123!"  # noqa: S105 - a throwaway account in a temp database
# FOSSBilling main on this class of machine (2 vCPU), req/s: see bench/README.md.
FOSSBILLING_REQ_S = {"guest/system/version": 200, "client/get_list per_page=100": 70, "  + search=client12": 44}


@dataclass
class Target:
    name: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    server: str = "pybilling"


@dataclass
class Result:
    req_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    rss_mb: list[float]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def bench_database(data_dir: Path) -> Any:
    """The URL of an empty database: SQLite in the temp dir, or one made on BENCH_DATABASE_URL's server."""
    if not SERVER_URL:
        yield f"sqlite:///{data_dir / 'bench.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from pybilling.db.engine import normalise_url

    server = make_url(normalise_url(SERVER_URL))
    name = f"pybilling_bench_{os.getpid()}"
    postgres = server.get_backend_name() == "postgresql"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}" + ("" if postgres else " CHARACTER SET utf8mb4")))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name}" + (" WITH (FORCE)" if postgres else "")))
        admin.dispose()


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYBILLING, *args], env=env, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        sys.exit(f"pybilling {' '.join(args[:2])} failed: {done.stderr.strip()}")
    return done.stdout.strip()


# -- data ---------------------------------------------------------------------------------------
def seed_clients(database_url: str) -> None:
    """10,000 clients in one bulk insert (one password hash shared: hashing is not what is measured)."""
    from sqlalchemy import insert

    from pybilling.core import passwords
    from pybilling.db.engine import make_engine, make_session_factory
    from pybilling.modules import load_modules
    from pybilling.modules.client.models import Client, search_text_of

    load_modules()
    started = time.monotonic()
    password_hash = passwords.hash_password("Client-Pass-123!")
    now = datetime.now(UTC)
    base_rows = [
        {
            "email": f"client{i}@bench.example",
            "email_normalised": f"client{i}@bench.example",
            "password_hash": password_hash,
            "first_name": f"Client{i}",
            "last_name": "Bench",
            "company": f"Company {i % 97}",
            "status": "active",
            "role": "client",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(1, CLIENTS + 1)
    ]
    rows = [row | {"search_text": search_text_of(row)} for row in base_rows]
    engine = make_engine(database_url)
    with make_session_factory(engine)() as db, db.begin():
        for start in range(0, len(rows), 2000):
            db.execute(insert(Client), rows[start : start + 2000])
    # A live server's planner statistics and visibility map follow its data (autovacuum, InnoDB's
    # automatic statistics); right after a bulk load they do not yet, so do what those would.
    analyze = {"postgresql": "VACUUM ANALYZE", "mysql": "ANALYZE TABLE client", "mariadb": "ANALYZE TABLE client"}
    if engine.dialect.name in analyze:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(analyze[engine.dialect.name])
    engine.dispose()
    log(f"seeded {CLIENTS} clients in {time.monotonic() - started:.1f} s")


def count_queries(env: dict[str, str], admin_key: str) -> dict[str, int]:
    """SQL statements per get_list call, counted in-process on the app's own engine."""
    import logging

    from sqlalchemy import event
    from starlette.testclient import TestClient

    from pybilling.app import build_services, create_app
    from pybilling.config import Settings

    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = Settings(
        data_dir=Path(env["PYBILLING_DATA_DIR"]), database_url=env["PYBILLING_DATABASE_URL"],
        secret_key=env["PYBILLING_SECRET_KEY"], rate_limit_enabled=False,
    )
    services = build_services(settings)
    engine = services.session_factory.kw["bind"]
    statements: list[str] = []

    def on_execute(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", on_execute)
    auth = {"Authorization": "Basic " + base64.b64encode(f"admin:{admin_key}".encode()).decode()}
    counts: dict[str, int] = {}
    with TestClient(create_app(services=services), base_url="http://bench") as http:
        http.get("/api/admin/client/get_list?per_page=1", headers=auth)  # warm caches
        for label, query in (
            ("per_page=10", "per_page=10"),
            ("per_page=100", "per_page=100"),
            ("per_page=100&search=client12", "per_page=100&search=client12"),
            ("per_page=500", "per_page=500"),
        ):
            statements.clear()
            r = http.get(f"/api/admin/client/get_list?{query}", headers=auth)
            body = r.json()
            if body.get("error"):
                sys.exit(f"get_list failed: {body['error']}")
            counts[label] = len(statements)
    engine.dispose()
    return counts


# -- servers ------------------------------------------------------------------------------------
def wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"server did not answer {url} within {START_TIMEOUT:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def worker_pids(parent: int) -> list[int]:
    """Children of the uvicorn supervisor that serve requests (not multiprocessing's resource tracker)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and "resource_tracker" not in cmdline:
            pids.append(int(entry.name))
    return sorted(pids)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# -- load ---------------------------------------------------------------------------------------
def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found or os.environ.get("BENCH_NO_WRK") == "1":
        return found if os.environ.get("BENCH_NO_WRK") != "1" else None
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing; trying apt-get install -y wrk")
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, timeout=120, check=False)
    return shutil.which("wrk")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def run_wrk(wrk: str, target: Target, seconds: int) -> tuple[float, float, float, int]:
    args = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in target.headers.items():
        args += ["-H", f"{name}: {value}"]
    done = subprocess.run([*args, target.url], capture_output=True, text=True, timeout=seconds + 30, check=False)
    out = done.stdout
    req_s = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses:\s+(\d+)", r"Socket errors:.*?timeout (\d+)"):
        match = re.search(pattern, out)
        errors += int(match.group(1)) if match else 0
    return req_s, p50, p99, errors


def run_python_load(target: Target, seconds: int) -> tuple[float, float, float, int]:
    import httpx

    async def main() -> tuple[float, float, float, int]:
        latencies: list[float] = []
        errors = 0
        deadline = time.monotonic() + seconds
        limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
        async with httpx.AsyncClient(limits=limits, timeout=10, headers=target.headers) as client:

            async def worker() -> None:
                nonlocal errors
                while time.monotonic() < deadline:
                    started = time.perf_counter()
                    try:
                        r = await client.get(target.url)
                        if r.status_code != 200:
                            errors += 1
                    except httpx.HTTPError:
                        errors += 1
                        continue
                    latencies.append((time.perf_counter() - started) * 1000)

            started = time.monotonic()
            await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
            elapsed = time.monotonic() - started
        latencies.sort()
        if not latencies:
            return 0.0, float("nan"), float("nan"), errors
        pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
        return len(latencies) / elapsed, pick(0.50), pick(0.99), errors

    return asyncio.run(main())


def measure(target: Target, wrk: str | None, supervisor: int) -> Result:
    with urllib.request.urlopen(urllib.request.Request(target.url, headers=target.headers), timeout=10) as r:
        if b'"error":null' not in r.read().replace(b" ", b""):
            sys.exit(f"{target.name}: the endpoint answers with an error")
    load = (lambda t, s: run_wrk(wrk, t, s)) if wrk else run_python_load
    load(target, WARMUP)
    req_s, p50, p99, errors = load(target, DURATION)
    rss = [rss_mb(pid) for pid in worker_pids(supervisor)]
    log(f"{target.name}: {req_s:.0f} req/s")
    return Result(req_s, p50, p99, errors, rss)


# -- report -------------------------------------------------------------------------------------
def report(results: dict[str, Result], queries: dict[str, int], loader: str, database: str) -> None:
    bare = results["bare starlette"].req_s
    print()
    print(f"PyBilling bench — {CLIENTS} clients, {database}, {WORKERS} workers each, {CONNECTIONS} connections, "
          f"{DURATION} s per target, load: {loader}, CPUs: {os.cpu_count()}")
    header = f"{'target':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'RSS/worker MB':>16} " \
             f"{'vs bare':>8} {'FOSSBilling':>12}"
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        rss = "/".join(f"{m:.0f}" for m in r.rss_mb) or "?"
        ref = FOSSBILLING_REQ_S.get(name)
        ref_text = f"{ref} ({r.req_s / ref:.1f}x)" if ref else ""
        print(f"{name:32} {r.req_s:9.0f} {r.p50_ms:8.1f} {r.p99_ms:8.1f} {r.errors:7d} {rss:>16} "
              f"{r.req_s / bare:8.2f} {ref_text:>12}")
    print()
    print("SQL statements per admin/client/get_list call (in-process, after warm-up):")
    for label, count in queries.items():
        print(f"  {label:34} {count}")
    constant = len(set(queries.values())) == 1
    print(f"  constant in the page size: {'yes' if constant else 'NO'}")


def main() -> None:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="pybilling-bench-") as tmp, bench_database(Path(tmp)) as url:
        data_dir = Path(tmp)
        database = url.split(":", 1)[0].split("+", 1)[0]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYBILLING_")}
        env.update(
            PYBILLING_DATA_DIR=str(data_dir),
            PYBILLING_DATABASE_URL=url,
            PYBILLING_SECRET_KEY="bench-secret-key-" + "x" * 32,
            PYBILLING_RATE_LIMIT_ENABLED="0",
            PYBILLING_STAFF_PASSWORD=STAFF_PASSWORD,
        )
        log(f"fresh {database} database; data dir {data_dir}")
        cli(env, "init")
        cli(env, "staff", "create", "--email", STAFF_EMAIL, "--name", "Bench Admin", "--group-id", "1")
        admin_key = cli(env, "staff", "api-key", STAFF_EMAIL)
        os.environ.update({k: v for k, v in env.items() if k.startswith("PYBILLING_")})
        seed_clients(env["PYBILLING_DATABASE_URL"])
        queries = count_queries(env, admin_key)
        log(f"queries per get_list call: {queries}")

        auth = {"Authorization": "Basic " + base64.b64encode(f"admin:{admin_key}".encode()).decode()}
        port, bare_port = free_port(), free_port()
        base = f"http://{HOST}:{port}/api"
        targets = [
            Target("guest/system/version", f"{base}/guest/system/version"),
            Target("client/get_list per_page=100", f"{base}/admin/client/get_list?per_page=100", auth),
            Target("  + search=client12", f"{base}/admin/client/get_list?per_page=100&search=client12", auth),
            Target("bare starlette", f"http://{HOST}:{bare_port}/bare", server="bare"),
        ]
        results: dict[str, Result] = {}
        servers = {
            "pybilling": [PYBILLING, "serve", "--host", HOST, "--port", str(port), "--workers", str(WORKERS)],
            "bare": [sys.executable, "-m", "uvicorn", "bare_app:app", "--app-dir", str(ROOT / "bench"),
                     "--host", HOST, "--port", str(bare_port), "--workers", str(WORKERS),
                     "--no-server-header", "--no-access-log", "--log-level", "warning"],
        }
        for server_name, command in servers.items():
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                mine = [t for t in targets if t.server == server_name]
                wait_up(mine[0].url.split("?")[0] if server_name == "bare" else f"{base}/guest/system/version",
                        process)
                time.sleep(1)  # let every worker finish starting
                for target in mine:
                    results[target.name] = measure(target, wrk, process.pid)
            finally:
                stop(process)
        report(results, queries, "wrk" if wrk else "python asyncio+httpx", database)


if __name__ == "__main__":
    main()
