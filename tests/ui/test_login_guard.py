"""Login throttling, failure log and even timing (issue 10.5), on the real PBKDF2 hashes."""

from __future__ import annotations

import asyncio
import logging
import statistics
import time

import pytest

from assistant.components.passwords import hash_password
from assistant.ui.login_guard import (
    CLIENT_ADDRESS,
    MAX_LOCK_SECONDS,
    LoginThrottle,
    make_guarded_auth,
)

RIGHT = "正确口令-2026"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _login(auth, user: str, password: str, address: str = "192.0.2.10") -> bool:
    async def attempt() -> bool:
        CLIENT_ADDRESS.set(address)
        return await auth(user, password)

    return asyncio.run(attempt())


@pytest.fixture
def users() -> dict[str, str]:
    return {"zhang": hash_password(RIGHT, iterations=2000)}


def test_ten_wrong_passwords_then_the_right_one_is_refused(users) -> None:
    clock = Clock()
    auth = make_guarded_auth(users, LoginThrottle(clock))
    assert [_login(auth, "zhang", f"guess{i}") for i in range(10)] == [False] * 10
    assert _login(auth, "zhang", RIGHT) is False  # locked out, although the password is right
    clock.now += MAX_LOCK_SECONDS + 1
    assert _login(auth, "zhang", RIGHT) is True


def test_lockout_starts_at_the_third_failure_and_doubles() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    waits = []
    for _ in range(6):
        throttle.failed("zhang", "192.0.2.10")
        waits.append(throttle.wait_seconds("zhang", "192.0.2.10"))
    assert waits == [0.0, 0.0, 1.0, 2.0, 4.0, 8.0]
    for _ in range(30):
        throttle.failed("zhang", "192.0.2.10")
    assert throttle.wait_seconds("zhang", "192.0.2.10") == MAX_LOCK_SECONDS


def test_one_address_guessing_many_names_is_locked_too(users) -> None:
    clock = Clock()
    auth = make_guarded_auth(users, LoginThrottle(clock))
    for name in ("li", "wang", "zhao", "qian"):
        _login(auth, name, "123456", address="198.51.100.7")
    assert _login(auth, "zhang", RIGHT, address="198.51.100.7") is False
    assert _login(auth, "zhang", RIGHT, address="192.0.2.10") is True  # another address may


def test_success_clears_the_count(users) -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    auth = make_guarded_auth(users, throttle)
    _login(auth, "zhang", "typo1")
    _login(auth, "zhang", "typo2")
    assert _login(auth, "zhang", RIGHT) is True
    _login(auth, "zhang", "typo3")
    assert throttle.wait_seconds("zhang", "192.0.2.10") == 0.0


def test_failures_are_logged_with_user_and_address_never_the_password(users, caplog) -> None:
    auth = make_guarded_auth(users, LoginThrottle(Clock()))
    with caplog.at_level(logging.WARNING, logger="assistant.ui.login_guard"):
        _login(auth, "zhang", "秘密猜测", address="203.0.113.5")
    assert "zhang" in caplog.text
    assert "203.0.113.5" in caplog.text
    assert "秘密猜测" not in caplog.text


def test_unknown_user_takes_as_long_as_a_known_one() -> None:
    users = {"zhang": hash_password(RIGHT, iterations=150_000)}  # ~0.1 s per check
    times: dict[str, list[float]] = {"zhang": [], "nobody": []}
    for i in range(7):  # interleaved, so a busy machine slows both alike
        for user in times:
            auth = make_guarded_auth(users, LoginThrottle(Clock()))  # fresh: never locked
            started = time.perf_counter()
            _login(auth, user, f"wrong{i}")
            times[user].append(time.perf_counter() - started)
    known, unknown = statistics.median(times["zhang"]), statistics.median(times["nobody"])
    # Before: 0.005 s against 0.4 s. Both now run one PBKDF2 of the same cost.
    assert 0.5 < unknown / known < 2.0
