"""`python -m assistant ask "…"`: a cited answer, streamed, then its sources."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.answering import Answer, AnswerService, Filters
from assistant.answering.formatting import QUOTE_HEADING, SUMMARY_HEADING, format_sources
from assistant.cli.common import add_filter_args, service_from_args
from assistant.cli.library_cmds import add_as_of_arg

# In a terminal the withheld summary is already on screen, so the note says it does not stand.
TERMINAL_NOTES = {"withheld": "⚠ 上面的模型归纳未通过核验，请以资料原文为准。",
                  "gave_up": "⚠ 模型未能根据资料归纳，请以资料原文为准。"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="ask a question; answer with citations from the library")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the checked answer as JSON")
    add_filter_args(p)
    add_as_of_arg(p)
    p.set_defaults(func=cmd_ask)


def build_service(args: argparse.Namespace) -> tuple[AnswerService, Any]:
    """The answer service and its library, built from the command line's settings."""
    service, assistant = service_from_args(args, "answers")
    return service, assistant.library


def filters_from_args(args: argparse.Namespace, library: Any) -> Filters:
    """--doc accepts ids or file names; the library resolves names to ids."""
    doc_ids = None
    if args.doc:
        found = [library.get_document(key) for key in args.doc]
        doc_ids = [meta.doc_id if meta else key for meta, key in zip(found, args.doc, strict=True)]
    as_of = getattr(args, "as_of", None)
    return Filters(doc_ids=doc_ids, doc_types=args.doc_type, years=args.year, as_of=as_of)


def cmd_ask(args: argparse.Namespace) -> int:
    service, library = build_service(args)
    filters = filters_from_args(args, library)
    if args.json:
        answer = service.answer(args.question, filters=filters)
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
        return 0
    print_stream(service, args.question, filters)
    return 0


def print_stream(service: AnswerService, question: str, filters: Filters) -> Answer | None:
    """Print the quote at once, then the summary's tokens as they arrive, then the checks."""
    streamed, answer = "", None
    summary_follows = service.style == "quote_and_summary"
    for event in service.stream(question, filters=filters):
        if event.kind == "quote":
            print(f"{QUOTE_HEADING}：\n{event.text}" if summary_follows else event.text)
            if summary_follows:
                print(f"\n{SUMMARY_HEADING}：")
        elif event.kind == "token":
            streamed += event.text
            sys.stdout.write(event.text)
        elif event.kind == "final":
            answer = event.answer
        sys.stdout.flush()
    print()
    if answer is not None:
        print_checked(answer, streamed)
    return answer


def print_checked(answer: Answer, streamed: str) -> None:
    """What the checks changed (a withheld summary, a corrected text), the flags, the sources."""
    if answer.note:  # the summary was already printed: say that it does not stand
        print(TERMINAL_NOTES.get(answer.summary_status, answer.note))
    elif streamed and (answer.summary or answer.text).strip() != streamed.strip():
        print("\n核查后的回答：")
        print(answer.summary if answer.quote and answer.summary else answer.text)
    for flag in answer.flags:
        print(f"⚠ {flag.message}")
    print()
    print(format_sources(answer.sources))


def answer_json(answer: Answer) -> dict[str, Any]:
    """The answer as JSON, without the full passage texts (the quotes are kept)."""
    data = answer.to_dict()
    for source in data["sources"]:
        source.pop("text", None)
    return data
