"""Run LibreOffice headless to convert one file: one converter at a time, a timeout, no shell.

The user's file is copied into a private temporary folder under a fixed name first, so its name
never reaches a command line; LibreOffice runs with its own profile folder (a desktop instance
of the user would otherwise receive the job) in its own process group, killed whole on overrun.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from index.models import LoadError

# A 300-page .doc converts in well under a minute on 2 cores; a hang is cut off here, before
# the ingest sandbox's own no-progress limit (ingest.parse_timeout_s, 120 s) ends the parse.
CONVERT_TIMEOUT_S = 90.0
WRITER_PACKAGE = "libreoffice-writer-nogui"
CALC_PACKAGE = "libreoffice-calc-nogui"
_THREAD_LOCK = threading.Lock()  # flock is per process; threads of one process queue here


def find_soffice() -> str | None:
    """Path of the LibreOffice executable on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@contextlib.contextmanager
def converted(path: Path, target: str, *, source_suffix: str, package: str) -> Iterator[Path]:
    """Yield the converted copy of `path` (e.g. target "docx"), deleted afterwards.

    Args:
        path: the user's file (only copied, never named on a command line).
        target: LibreOffice output format, "docx" or "xlsx".
        source_suffix: suffix for the private copy, telling LibreOffice what the file is.
        package: the Debian package to name when LibreOffice is missing.

    Raises:
        LoadError: LibreOffice missing, crashed, timed out, or could not open the file.
    """
    soffice = find_soffice()
    if soffice is None:
        raise LoadError(
            f"读取“{path.name}”需要 LibreOffice，但本机未安装。请由管理员安装："
            f"sudo apt-get install -y {package}（或在 Word/WPS 中另存为 "
            f"{'.xlsx' if target == 'xlsx' else '.docx'} 后再上传）。"
        )
    with tempfile.TemporaryDirectory(prefix="pda-convert-") as tmp:
        source = Path(tmp) / f"source{source_suffix}"
        shutil.copyfile(path, source)
        outdir = Path(tmp) / "out"
        with _one_at_a_time():
            _run(soffice, source, target, outdir, display_name=path.name)
        result = outdir / f"source.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            raise LoadError(
                f"LibreOffice 无法打开文件“{path.name}”：文件可能已损坏、已加密，"
                "或不是它声称的格式。请用 Word/WPS 打开确认后另存为新文件再上传。"
            )
        yield result


def _run(soffice: str, source: Path, target: str, outdir: Path, *, display_name: str) -> None:
    profile = _profile_dir()
    command = [
        soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to", target, "--outdir", str(outdir), str(source),
    ]  # fmt: skip
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: soffice.bin dies with the launcher
        cwd=source.parent,
    )
    try:
        _, err = proc.communicate(timeout=CONVERT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        shutil.rmtree(profile, ignore_errors=True)  # a killed instance may leave it locked
        raise LoadError(
            f"LibreOffice 转换文件“{display_name}”超过 {CONVERT_TIMEOUT_S:.0f} 秒仍未完成，已中止。"
            "文件可能过大或已损坏；请在 Word/WPS 中另存为 .docx/.xlsx 后再上传。"
        ) from None
    if proc.returncode != 0:
        shutil.rmtree(profile, ignore_errors=True)
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise LoadError(
            f"LibreOffice 转换文件“{display_name}”时出错退出（退出码 {proc.returncode}"
            f"{'：' + detail[0][:120] if detail[0] else ''}）。"
            "文件可能已损坏；请在 Word/WPS 中另存为新文件后再上传。"
        )


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


@contextlib.contextmanager
def _one_at_a_time() -> Iterator[None]:
    """Serialise conversions across threads and processes (ingest workers, the app, the CLI)."""
    lock_path = Path(tempfile.gettempdir()) / f"pda-soffice-{os.getuid()}.lock"
    with _THREAD_LOCK, lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _profile_dir() -> Path:
    # Kept between runs (a fresh profile costs ~2 s per file); only used under the lock.
    return Path(tempfile.gettempdir()) / f"pda-soffice-profile-{os.getuid()}"
