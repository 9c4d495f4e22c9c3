"""`python -m assistant <command>`: one module per command group, each exposing `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules that add subcommands; each defines register(subparsers) and sets `func` on its parser.
COMMAND_MODULES = (
    "assistant.cli.library_cmds",
    "assistant.cli.ask_cmd",
    "assistant.cli.draft_cmd",
    "assistant.cli.check_cmd",
    "assistant.cli.compare_cmd",
    "assistant.cli.setup_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="政策文档助手")
    parser.add_argument("--config", default=None, help="settings YAML (default: settings.yaml if present)")
    parser.add_argument("--index", dest="data_dir", default=None, help="data directory of the library")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; set-up problems (settings, missing packages or models) print one line."""
    from assistant.cli.common import setup_errors

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except setup_errors() as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
