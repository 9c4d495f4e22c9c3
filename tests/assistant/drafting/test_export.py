from docx import Document
from docx.oxml.ns import qn
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from markdown_it import MarkdownIt

from assistant.drafting.composer import compose_draft
from assistant.drafting.docx_export import export_docx
from assistant.drafting.models import DraftRequest, SourcePassage
from assistant.drafting.render import render_html, render_markdown, render_skeleton_markdown
from assistant.drafting.skeleton import build_skeleton

REG = SourcePassage(0, "第十条 重大决策应当经合法性审查。", "示例机关事务管理办法", "第十条")


def _drafts(blocks):
    model = FakeListChatModel(responses=[
        "一是集体研究“三重一大”事项18次[1]。二是清理文件27件[2]。",
        "全年主持专题学法5次[1]。",
    ])
    notes = "集体研究“三重一大”事项18次\n主持专题学法5次"
    decision = compose_draft(DraftRequest("decision", 2025, "示例市机关事务管理局", notes),
                             blocks, [REG], model)
    leader = compose_draft(DraftRequest("leader", 2025, "示例市机关事务管理局", notes),
                           blocks, [], model)
    return [leader, decision]


def _fonts(run):
    fonts = run._element.rPr.rFonts
    return run.font.name, fonts.get(qn("w:eastAsia")), run.font.size.pt


def test_docx_follows_gbt9704_fonts_and_lists_sources(report_blocks, tmp_path):
    path = export_docx(_drafts(report_blocks), tmp_path / "draft.docx", "示例市2025年法治政府建设情况报告")
    doc = Document(str(path))
    paras = [p for p in doc.paragraphs if p.text]
    assert paras[0].text == "示例市2025年法治政府建设情况报告"
    assert _fonts(paras[0].runs[0]) == ("方正小标宋简体", "方正小标宋简体", 22.0)
    assert paras[1].text == "一、主要负责人履行推进法治建设第一责任人职责情况"
    assert _fonts(paras[1].runs[0]) == ("黑体", "黑体", 16.0)
    sub = next(p for p in paras if p.text.startswith("（一）"))
    assert sub.text == "（一）依法科学民主决策"
    assert _fonts(sub.runs[0])[:2] == ("楷体_GB2312", "楷体_GB2312")
    body = next(p for p in paras if p.text.startswith("一是集体研究"))
    assert {_fonts(r) for r in body.runs} == {("仿宋_GB2312", "仿宋_GB2312", 16.0)}
    marked = [r.text for r in body.runs if r.font.highlight_color is not None]
    assert marked == ["【待核实：27】"]
    texts = [p.text for p in paras]
    assert "参考来源" in texts
    assert "待核实事项" in texts
    assert any(t.startswith("[2] 《示例机关事务管理办法》 第十条") for t in texts)
    assert round(doc.sections[0].top_margin.mm) == 37


def test_markdown_renders_marks_and_sources(report_blocks):
    markdown = render_markdown(_drafts(report_blocks), "示例报告")
    html = MarkdownIt("commonmark").render(markdown)
    assert "<h1>示例报告</h1>" in html
    assert "<h3>依法科学民主决策</h3>" in html
    assert "<mark>【待核实：27】</mark>" in html
    assert "<h2>参考来源</h2>" in html


def test_html_escapes_text_and_highlights(report_blocks):
    draft = _drafts(report_blocks)[1]
    draft.text += "\n<script>x</script>"
    html = render_html(draft)
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert "<mark>【待核实：27】</mark>" in html


def test_extractive_banner_reaches_every_output(report_blocks, tmp_path):
    draft = compose_draft(DraftRequest("plan", 2025, "示例市机关事务管理局", "健全制度"),
                          report_blocks, [], None)
    assert "> 【抽取式草稿，需人工修改】" in render_markdown(draft)
    assert draft.text.splitlines()[0] == "2026年，示例市机关事务管理局将重点做好以下工作："
    doc = Document(str(export_docx(draft, tmp_path / "plan.docx")))
    assert "【抽取式草稿，需人工修改】" in [p.text for p in doc.paragraphs]


def test_skeleton_markdown_lists_headings_and_last_year(report_blocks):
    skeleton = build_skeleton(report_blocks, 2025, "示例市机关事务管理局", "示例2024年报告")
    markdown = render_skeleton_markdown(skeleton)
    assert markdown.startswith("# 示例2025年报告")
    assert "- 打造数字法治政府：（待填写）" in markdown
    assert "> 上年表述：局主要负责人带头学法，全年主持专题学法4次。" in markdown
