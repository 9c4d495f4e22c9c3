"""Prompt texts live in `prompts/<name>.txt`; this module loads them into checked templates.

Placeholders use `string.Template` syntax (`$question` or `${question}`) because prompts may
contain literal braces (JSON examples); a literal dollar sign is written `$$`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"


class PromptError(ValueError):
    """A prompt file is missing or was rendered with the wrong variables."""


@dataclass(frozen=True)
class Prompt:
    """A prompt text with named placeholders; `render` insists on exactly those variables."""

    name: str
    text: str

    @property
    def variables(self) -> frozenset[str]:
        """Names of the placeholders in the text."""
        return frozenset(_placeholders(self.text))

    def render(self, **values: object) -> str:
        """Fill the placeholders; raise PromptError on a missing or unexpected variable."""
        missing = self.variables - values.keys()
        unexpected = values.keys() - self.variables
        if missing or unexpected:
            raise PromptError(
                f"prompt {self.name!r}: missing {sorted(missing)}, unexpected {sorted(unexpected)}"
            )
        return string.Template(self.text).substitute({k: str(v) for k, v in values.items()})


def _placeholders(text: str) -> list[str]:
    names = []
    for match in string.Template.pattern.finditer(text):
        if match.group("invalid") is not None:
            raise PromptError(f"invalid placeholder near {text[match.start():match.start() + 20]!r}")
        name = match.group("named") or match.group("braced")
        if name:
            names.append(name)
    return names


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """Load `prompts/<name>.txt` (UTF-8) and validate its placeholders."""
    path = (directory or PROMPTS_DIR) / f"{name}.txt"
    if not path.is_file():
        raise PromptError(f"prompt file not found: {path}")
    prompt = Prompt(name=name, text=path.read_text(encoding="utf-8").strip())
    _ = prompt.variables  # fail at load time on a malformed placeholder
    return prompt


def prompt_names(directory: Path | None = None) -> list[str]:
    """Names of all prompt files in the prompts directory, sorted."""
    return sorted(p.stem for p in (directory or PROMPTS_DIR).glob("*.txt"))
