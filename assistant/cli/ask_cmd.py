"""`python -m assistant ask "…"`: a cited answer, streamed, then its sources."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.answering import Answer, AnswerService, Filters
from assistant.answering.formatting import format_sources
from assistant.cli.common import add_filter_args, service_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="ask a question; answer with citations from the library")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the checked answer as JSON")
    add_filter_args(p)
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
    return Filters(doc_ids=doc_ids, doc_types=args.doc_type, years=args.year)


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
    """Print tokens as they arrive, then the checked answer if the checks changed it."""
    streamed, answer = "", None
    for event in service.stream(question, filters=filters):
        if event.kind == "token":
            streamed += event.text
            sys.stdout.write(event.text)
            sys.stdout.flush()
        elif event.kind == "final":
            answer = event.answer
    print()
    if answer is not None:
        print_checked(answer, streamed)
    return answer


def print_checked(answer: Answer, streamed: str) -> None:
    """The corrected text (when it differs), the flags, then the sources."""
    if answer.text.strip() != streamed.strip():
        print("\n核查后的回答：")
        print(answer.text)
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
