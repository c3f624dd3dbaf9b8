"""Rate limits with the `limits` library: FOSSBilling's policies, memory or Redis storage.

Every subject that was limited is kept in an index so the security module can list and reset it.
With the memory backend the counters live in each worker process; use Redis to share them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter, RateLimiter

from pybilling.api.errors import RateLimited


@dataclass(frozen=True)
class Policy:
    name: str
    limit: RateLimitItem
    moving: bool = False  # FOSSBilling's token buckets become moving windows here


def _p(name: str, spec: str, moving: bool = False) -> Policy:
    return Policy(name, parse(spec), moving)


POLICIES: dict[str, Policy] = {
    p.name: p
    for p in (
        _p("api_guest", "100/minute", moving=True),
        _p("api_login", "10/hour"),
        _p("api_authenticated_ip", "1000/hour", moving=True),
        _p("api_authenticated_account", "1000/hour", moving=True),
        _p("client_signup", "5/hour"),
        _p("client_password_reset_ip", "10/hour"),
        _p("client_password_reset_email", "3/hour"),
        _p("client_password_reset_confirm_ip", "20/minute"),
        _p("client_password_reset_confirm_post_ip", "20/minute"),
        _p("client_email_confirm_ip", "20/minute"),
        _p("staff_password_reset_ip", "5/hour"),
        _p("staff_password_reset_email", "3/hour"),
        _p("staff_password_reset_confirm_ip", "20/minute"),
        _p("staff_password_reset_confirm_post_ip", "20/minute"),
        _p("client_email_verification_resend_ip", "30/hour"),
        _p("client_email_verification_resend_account", "3/hour"),
        _p("client_email_resend_ip", "30/hour"),
        _p("client_email_resend_account", "5/hour"),
        _p("profile_password_change_ip", "30/hour"),
        _p("profile_password_change_account", "5/hour"),
    )
}

INDEX_KEY = "pybilling:ratelimit:index"


@dataclass(frozen=True)
class SubjectState:
    """Where one subject stands under one policy right now (nothing is counted by asking)."""

    policy: str
    subject: str
    limit: int
    remaining: int
    reset_at: float  # epoch seconds when the window frees a slot again

    @property
    def limited(self) -> bool:
        return self.remaining < 1


class RateLimitService:
    def __init__(self, redis_url: str = "", enabled: bool = True, whitelist: list[str] | None = None):
        self.enabled = enabled
        self.whitelist = set(whitelist or [])
        self._redis: Any = None
        if redis_url:
            import redis

            storage = storage_from_string(redis_url)
            assert isinstance(storage, Storage)
            self.storage: Storage = storage
            self._redis = redis.Redis.from_url(redis_url)
        else:
            self.storage = MemoryStorage()
        self._fixed: RateLimiter = FixedWindowRateLimiter(self.storage)
        self._moving: RateLimiter = MovingWindowRateLimiter(self.storage)
        self._index: dict[str, float] = {}

    def _limiter(self, policy: Policy) -> RateLimiter:
        return self._moving if policy.moving else self._fixed

    def _remember(self, policy: str, subject: str) -> None:
        entry = f"{policy}|{subject}"
        if self._redis is not None:
            self._redis.zadd(INDEX_KEY, {entry: time.time()})
        else:
            self._index[entry] = time.time()

    def exempt(self, ip: str | None) -> bool:
        return not self.enabled or (ip is not None and ip in self.whitelist)

    def hit(self, policy_name: str, subject: str, *, ip: str | None = None) -> None:
        """Count one attempt; raise RateLimited (429 + Retry-After) when over the limit."""
        if not self.consume(policy_name, subject, ip=ip):
            policy = POLICIES[policy_name]
            stats = self._limiter(policy).get_window_stats(policy.limit, policy_name, subject.lower())
            raise RateLimited(int(stats.reset_time - time.time()) + 1)

    def consume(self, policy_name: str, subject: str, *, ip: str | None = None) -> bool:
        """Count one attempt; False when over the limit (for limiters that fail silently)."""
        if self.exempt(ip):
            return True
        policy = POLICIES[policy_name]
        allowed = self._limiter(policy).hit(policy.limit, policy_name, subject.lower())
        if not allowed:
            self._remember(policy_name, subject.lower())
        return bool(allowed)

    def limited_subjects(self) -> list[tuple[str, str, float]]:
        if self._redis is not None:
            rows = self._redis.zrange(INDEX_KEY, 0, -1, withscores=True)
            items = [(k.decode(), score) for k, score in rows]
        else:
            items = list(self._index.items())
        result = []
        for entry, at in items:
            policy, _, subject = entry.partition("|")
            result.append((policy, subject, at))
        return result

    def state(self, policy_name: str, subject: str) -> SubjectState:
        policy = POLICIES[policy_name]
        stats = self._limiter(policy).get_window_stats(policy.limit, policy_name, subject.lower())
        return SubjectState(policy_name, subject.lower(), policy.limit.amount, int(stats.remaining),
                            float(stats.reset_time))

    def forget(self, policy_name: str, subject: str) -> None:
        """Drop a subject from the index of limited subjects (its counters stay as they are)."""
        entry = f"{policy_name}|{subject.lower()}"
        if self._redis is not None:
            self._redis.zrem(INDEX_KEY, entry)
        else:
            self._index.pop(entry, None)

    def reset(self, policy_name: str, subject: str) -> None:
        policy = POLICIES.get(policy_name)
        if policy is not None:  # an index entry of a policy that no longer exists is only forgotten
            self._limiter(policy).clear(policy.limit, policy_name, subject.lower())
        self.forget(policy_name, subject)

    def reset_subject(self, subject: str, policy_name: str | None = None) -> int:
        """Clear a subject's counters under one policy or all; the number of index entries removed."""
        indexed = {(p, s) for p, s, _ in self.limited_subjects()}
        names = [policy_name] if policy_name is not None else list(POLICIES)
        removed = 0
        for name in names:
            removed += (name, subject.lower()) in indexed
            self.reset(name, subject)
        return removed

    def reset_all(self) -> int:
        """Clear every counter; the number of limited subjects that were indexed."""
        subjects = self.limited_subjects()
        for policy_name, subject, _ in subjects:
            self.reset(policy_name, subject)
        self.storage.reset()
        return len(subjects)
