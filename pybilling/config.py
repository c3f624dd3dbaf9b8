"""Settings from `PYBILLING_*` environment variables (see the README for every one)."""

from __future__ import annotations

import ipaddress
import secrets
from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


class ConfigError(Exception):
    """A configuration that must not start."""


def split_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PYBILLING_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path.cwd() / "var")
    database_url: str = ""
    secret_key: str = ""
    secret_key_old: str = ""
    redis_url: str = ""
    rate_limit_enabled: bool = True
    rate_limit_whitelist: str = ""
    api_allowed_ips: str = ""
    trusted_proxies: str = ""
    base_url: str = "http://127.0.0.1:8000/"
    session_lifetime: int = Field(default=7200, ge=60)
    csrf_enabled: bool = True
    email_dns_check: bool = False
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    debug: bool = False
    # Not in the public list: knobs the test suite turns down to stay fast.
    login_time_floor: bool = True
    password_hash_cost: str = "normal"  # noqa: S105 - a cost level name

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'pybilling.db'}"

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / SECRET_KEY_FILE

    @cached_property
    def resolved_secret_key(self) -> str:
        if self.secret_key:
            return self.secret_key
        if self.secret_key_file.exists():
            return self.secret_key_file.read_text().strip()
        raise ConfigError(
            "PYBILLING_SECRET_KEY is not set and no generated key exists; run `pybilling init` first"
        )

    @property
    def old_secret_keys(self) -> list[str]:
        return split_list(self.secret_key_old)

    @property
    def rate_limit_whitelist_list(self) -> list[str]:
        return split_list(self.rate_limit_whitelist)

    @property
    def api_allowed_ips_list(self) -> list[str]:
        return split_list(self.api_allowed_ips)

    @cached_property
    def trusted_proxy_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(item, strict=False) for item in split_list(self.trusted_proxies)]

    @property
    def secret_key_beside_database(self) -> bool:
        return not self.secret_key and self.secret_key_file.exists()

    def ensure_secret_key(self) -> bool:
        """Generate a key into the data directory when none is configured; True if one was made."""
        if self.secret_key or self.secret_key_file.exists():
            return False
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.secret_key_file.write_text(secrets.token_urlsafe(48))
        self.secret_key_file.chmod(0o600)
        return True

    def check_serve(self, host: str) -> None:
        if self.debug and host not in LOOPBACK_HOSTS:
            raise ConfigError(
                f"refusing to start: PYBILLING_DEBUG is on and the host {host} is not loopback"
            )
        for item in split_list(self.trusted_proxies):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError as exc:
                raise ConfigError(f"PYBILLING_TRUSTED_PROXIES: {item!r} is not an address") from exc
