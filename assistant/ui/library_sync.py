"""Keeps every page in step with the library, whichever browser session (or CLI) changed it.

Each page remembers the library generation (snapshot name) it last showed. On page load and on
a short timer the server compares it with the current one; only when they differ does it bump
the page's `library_version`, which every tab listens to and refreshes its pickers from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import gradio as gr

from assistant.ui.services import UIServices

POLL_SECONDS = 3.0  # how stale another session's view of the library may get


def build_library_sync(services: UIServices, demo: gr.Blocks, library_version: gr.Number) -> gr.Timer:
    """Refresh this page's pickers on load and whenever the library generation changes."""
    seen = gr.State("")  # the generation this page shows ("" before the first load)
    timer = gr.Timer(POLL_SECONDS)
    poll = generation_poll(services)
    demo.load(poll, [seen, library_version], [seen, library_version], show_progress="hidden",
              api_visibility="private")
    timer.tick(poll, [seen, library_version], [seen, library_version], show_progress="hidden",
               concurrency_limit=None, api_visibility="private")
    return timer


def generation_poll(services: UIServices):
    """(seen, version) -> (generation, version + 1) when the library changed, else skips."""

    def poll(seen: str, version: Any) -> tuple[Any, Any]:
        current = services.library_generation()
        if seen and current == seen:
            return gr.skip(), gr.skip()
        return current, int(version or 0) + 1

    return poll


def kept(value: Any, choices: Iterable[tuple[str, Any]]) -> Any:
    """The picker's value (one id or a list) limited to ids that are still choices."""
    ids = {key for _, key in choices}
    if isinstance(value, list):
        return [v for v in value if v in ids]
    return value if value in ids else None


def refreshed(choices: Sequence[tuple[str, Any]], value: Any) -> dict[str, Any]:
    """A picker update: new choices, the current selection kept where it still exists.

    An unchanged selection is not sent again: that would fire the picker's change event and,
    in the 文档库 tab, overwrite metadata the user is editing.
    """
    still = kept(value, choices)
    if still == value:
        return gr.update(choices=list(choices))
    return gr.update(choices=list(choices), value=still)
