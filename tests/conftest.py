"""Shared pytest fixtures: where the committed test files and the shared real corpus live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fixtures_dir() -> Path:
    """Small fictional 示例 documents committed with the tests (regenerate: tests/fixtures/make_fixtures.py)."""
    return REPO_ROOT / "tests" / "fixtures"


@pytest.fixture
def corpus_dir() -> Path:
    """The real public documents shared by the team (../shared/corpus); skips when absent."""
    path = REPO_ROOT / ".." / "shared" / "corpus"
    if not path.is_dir():
        pytest.skip("shared corpus not available at ../shared/corpus")
    return path
