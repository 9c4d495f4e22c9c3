"""Login over HTTP against app.py served on 0.0.0.0 with the real PBKDF2 cost (issue 10.5).

Measures the response time of a wrong password for an existing user and for an unknown name
(interleaved; a correct login between attempts clears the throttle, so every timed attempt is a
first failure), then 10 wrong passwords followed by the right one. Writes
benchmarks/results/login.json.

    .venv/bin/python benchmarks/bench_login.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.components.passwords import ITERATIONS, hash_password  # noqa: E402
from tests.ui.app_process import running_app  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "login.json"
RIGHT = "bench-口令-2026"


def login(url: str, user: str, password: str) -> tuple[int, float]:
    """(HTTP status, seconds) of one POST /login."""
    form = urllib.parse.urlencode({"username": user, "password": password}).encode()
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url + "login", data=form), timeout=60) as r:
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


def timing(url: str, rounds: int) -> dict[str, list[float]]:
    """Wrong password for the real user and for an unknown name, each a first failure."""
    times: dict[str, list[float]] = {"known user, wrong password": [], "unknown user": []}
    for i in range(rounds):
        for label, user in (("known user, wrong password", "zhang"), ("unknown user", f"nobody{i}")):
            times[label].append(login(url, user, f"wrong{i}")[1])
            assert login(url, "zhang", RIGHT)[0] == 200  # clears this address's failures
    return times


def lockout(url: str) -> dict[str, object]:
    """10 wrong passwords, then the right one."""
    wrong = [login(url, "zhang", f"guess{i}") for i in range(10)]
    right = login(url, "zhang", RIGHT)
    return {"wrong_statuses": [s for s, _ in wrong], "wrong_seconds": [round(t, 3) for _, t in wrong],
            "right_after_10_status": right[0], "right_after_10_seconds": round(right[1], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    users = {"zhang": hash_password(RIGHT, iterations=ITERATIONS)}
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp), host="0.0.0.0",
                                                            auth_users=users) as url:
        times = timing(url, args.rounds)
        locked = lockout(url)
    result = {"iterations": ITERATIONS, "rounds": args.rounds,
              "median_seconds": {k: round(statistics.median(v), 3) for k, v in times.items()},
              "all_seconds": {k: [round(t, 3) for t in v] for k, v in times.items()}, **locked}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
