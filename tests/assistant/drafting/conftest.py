"""Fixtures: a fictional 2024 report (示例) parsed with the real structure parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.loaders import load_file
from index.models import StructuredBlock
from index.structure import parse_structure

# Fictional report written for these tests (示例), not a real document.
REPORT_2024 = """示例市机关事务管理局2024年法治政府建设情况报告

2024年，示例市机关事务管理局坚持依法行政，各项工作取得积极成效。现将有关情况报告如下：

一、本年度推进法治政府建设的主要举措和成效

一是推进依法科学民主决策。严格执行“三重一大”事项议事规则，全年集体研究重大事项15次。重大决策均经法律顾问合法性审查。

二是严格规范公正文明执法。开展公共机构节能执法检查8次，执法人员持证上岗率100%。

三是打造数字法治政府。建成公务用车管理平台，接入车辆230辆。

二、主要负责人履行推进法治建设第一责任人职责情况

局主要负责人带头学法，全年主持专题学法4次。

三、存在的不足和原因

一是执法队伍专业化水平有待提高；二是法治宣传形式较为单一。

四、下一年度工作计划

一是健全制度体系。二是加强执法队伍建设。
"""


@pytest.fixture
def report_blocks(tmp_path: Path) -> list[StructuredBlock]:
    """The fictional 2024 report, loaded and parsed as the library would."""
    path = tmp_path / "示例市机关事务管理局2024年法治政府建设情况报告.txt"
    path.write_text(REPORT_2024, encoding="utf-8")
    return parse_structure(load_file(path, max_bytes=1_000_000))


@pytest.fixture
def seeds_dir() -> Path:
    """The real annual reports in the shared development corpus."""
    path = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "seeds"
    if not path.is_dir():
        pytest.skip("shared corpus not available")
    return path
