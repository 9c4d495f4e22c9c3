"""Login for a LAN-served app: throttled per user name and per address, logged, even in timing.

Gradio calls the `auth` callable with the user name and password only; the client address is
put into `CLIENT_ADDRESS` for the duration of each request by `http_guard.HttpGuard`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass

from assistant.components.passwords import ITERATIONS, hash_password, verify_password

log = logging.getLogger(__name__)
CLIENT_ADDRESS: ContextVar[str] = ContextVar("client_address", default="unknown")
FREE_FAILURES = 3  # typos happen; the lockout starts with the third failure in a row
BASE_LOCK_SECONDS = 1.0  # then 1 s, 2 s, 4 s ... per further failure
MAX_LOCK_SECONDS = 300.0
FORGET_AFTER_SECONDS = 900.0  # failures older than this no longer count
MAX_RECORDS = 10_000  # bounds memory when an attacker cycles through user names
PBKDF2_AT_ONCE = 2  # login hashing may not take every core


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0


class LoginThrottle:
    """Consecutive failures per user name and per address; a lockout that doubles with each one."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, user: str, address: str) -> float:
        """How long this user name or this address must still wait (0 when free to try)."""
        now = self._clock()
        with self._lock:
            waits = [r.locked_until - now for k in _keys(user, address) if (r := self._records.get(k))]
        return max([0.0, *waits])

    def failed(self, user: str, address: str) -> int:
        """Count a failure; returns the larger of the two failure counts."""
        now = self._clock()
        with self._lock:
            self._prune(now)
            counts = [self._fail(self._records.setdefault(k, _Record()), now)
                      for k in _keys(user, address)]
        return max(counts)

    def succeeded(self, user: str, address: str) -> None:
        """A correct password clears both records."""
        with self._lock:
            for key in _keys(user, address):
                self._records.pop(key, None)

    def _fail(self, record: _Record, now: float) -> int:
        if now - record.last_failure > FORGET_AFTER_SECONDS:
            record.failures = 0
        record.failures += 1
        record.last_failure = now
        if record.failures >= FREE_FAILURES:
            lock = BASE_LOCK_SECONDS * 2 ** (record.failures - FREE_FAILURES)
            record.locked_until = now + min(lock, MAX_LOCK_SECONDS)
        return record.failures

    def _prune(self, now: float) -> None:
        if len(self._records) < MAX_RECORDS:
            return
        stale = [k for k, r in self._records.items()
                 if r.locked_until < now and now - r.last_failure > FORGET_AFTER_SECONDS]
        for key in stale or list(self._records)[: MAX_RECORDS // 10]:
            del self._records[key]


def _keys(user: str, address: str) -> tuple[str, str]:
    return f"user:{user.strip().lower()}", f"address:{address}"


def make_guarded_auth(users: Mapping[str, str], throttle: LoginThrottle | None = None
                      ) -> Callable[[str, str], Awaitable[bool]]:
    """Gradio `auth=` coroutine: throttled, logged, and as slow for unknown names as for known."""
    throttle = throttle or LoginThrottle()
    # Unknown names are checked against a hash of the same cost, so timing reveals no names.
    dummy = hash_password(secrets.token_urlsafe(16), iterations=_iterations(users))
    hashing = asyncio.Semaphore(PBKDF2_AT_ONCE)

    async def auth(username: str, password: str) -> bool:
        address = CLIENT_ADDRESS.get()
        wait = throttle.wait_seconds(username, address)
        if wait > 0:
            count = throttle.failed(username, address)
            log.warning("login refused (locked %.0f s more) for user %r from %s, %d failures",
                        wait, username, address, count)
            return False
        stored = users.get(username)
        async with hashing:  # off the event loop: other users' pages keep loading
            matches = await asyncio.to_thread(verify_password, stored or dummy, password)
        if matches and stored is not None:
            throttle.succeeded(username, address)
            log.info("login of user %r from %s", username, address)
            return True
        count = throttle.failed(username, address)
        log.warning("login failed for user %r from %s, %d failures", username, address, count)
        return False

    return auth


def _iterations(users: Mapping[str, str]) -> int:
    """The PBKDF2 cost of the stored hashes (the highest), for the dummy hash."""
    rounds = []
    for stored in users.values():
        parts = stored.split("$")
        if len(parts) == 4 and parts[1].isdigit():
            rounds.append(int(parts[1]))
    return max(rounds, default=ITERATIONS)
