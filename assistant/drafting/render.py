"""Render drafts to Markdown or HTML, unverified items highlighted with <mark>."""

from __future__ import annotations

import html
from collections.abc import Sequence

from assistant.drafting.models import Draft, Skeleton, SourcePassage
from assistant.drafting.traceability import MARK_RE

SOURCES_HEADING = "参考来源"
UNVERIFIED_HEADING = "待核实事项"


def numbered_sources(drafts: Sequence[Draft]) -> list[SourcePassage]:
    """Sources of all drafts, deduplicated by label and text, in first-cited order."""
    seen: dict[tuple[str, str], SourcePassage] = {}
    for draft in drafts:
        for src in draft.sources:
            seen.setdefault((src.label, src.text), src)
    return list(seen.values())


def highlight(text: str, *, escape: bool = False) -> str:
    """Wrap each 【待核实：…】 in <mark>; escape the rest for HTML when asked."""
    if escape:
        text = html.escape(text)
    return MARK_RE.sub(lambda m: f"<mark>{m.group(0)}</mark>", text)


def render_markdown(drafts: Draft | Sequence[Draft], title: str = "", *, mark: bool = True) -> str:
    """Markdown of one or more drafted sections, then sources and items to verify."""
    drafts = [drafts] if isinstance(drafts, Draft) else list(drafts)
    out = [f"# {title}", ""] if title else []
    for draft in drafts:
        out += [f"{'#' * (draft.level + 1)} {draft.heading}", ""]
        if draft.banner:
            out += [f"> {draft.banner}", ""]
        for para in draft.text.splitlines():
            out += [highlight(para) if mark else para, ""]
    out += _markdown_sources(drafts)
    return "\n".join(out).rstrip() + "\n"


def _markdown_sources(drafts: list[Draft]) -> list[str]:
    out = [f"## {SOURCES_HEADING}", ""]
    out += [f"- [{s.n}] {s.label}：{s.text[:80]}" for s in numbered_sources(drafts)]
    items = [item for d in drafts for item in d.unverified]
    if items:
        out += ["", f"## {UNVERIFIED_HEADING}", ""]
        out += [f"- <mark>{item.text}</mark>（{item.reason}）" for item in items]
    return out + [""]


def render_html(drafts: Draft | Sequence[Draft], title: str = "") -> str:
    """HTML fragment of drafted sections for the UI; unverified items in <mark>."""
    drafts = [drafts] if isinstance(drafts, Draft) else list(drafts)
    out = [f"<h1>{html.escape(title)}</h1>"] if title else []
    for draft in drafts:
        tag = f"h{draft.level + 1}"
        out.append(f"<{tag}>{html.escape(draft.heading)}</{tag}>")
        if draft.banner:
            out.append(f'<p class="banner"><strong>{html.escape(draft.banner)}</strong></p>')
        out += [f"<p>{highlight(p, escape=True)}</p>" for p in draft.text.splitlines() if p]
    out.append(f"<h2>{SOURCES_HEADING}</h2><ol>")
    out += [f"<li>[{s.n}] {html.escape(s.label)}：{html.escape(s.text[:80])}</li>"
            for s in numbered_sources(drafts)]
    out.append("</ol>")
    items = [item for d in drafts for item in d.unverified]
    if items:
        out.append(f"<h2>{UNVERIFIED_HEADING}</h2><ul>")
        out += [f"<li><mark>{html.escape(i.text)}</mark>（{html.escape(i.reason)}）</li>" for i in items]
        out.append("</ul>")
    return "\n".join(out)


def render_skeleton_markdown(skeleton: Skeleton) -> str:
    """The outline as Markdown: headings, sub-points, and last year's wording to update."""
    out = [f"# {skeleton.title}", ""]
    for sec in skeleton.sections:
        out += [f"{'#' * (sec.level + 1)} {sec.heading}", ""]
        out += [f"- {sub}：（待填写）" for sub in sec.subheadings]
        if sec.last_year_summary:
            out += ["", f"> 上年表述：{sec.last_year_summary}"]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
