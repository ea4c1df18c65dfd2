"""Prompt templates, one per agent and purpose, rendered with string.Template.

Every prompt except the assistant's ends with a `<context>` block: the structured facts the agent
works from (files, tools, mode, dialogue) as JSON. Real models read it like any text; the simulator
reads it back with CONTEXT_BLOCK, which is what lets it answer the same prompts offline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

PROMPT_DIR = Path(__file__).parent
CONTEXT_BLOCK = re.compile(r"<context>\s*(\{.*\})\s*</context>", re.DOTALL)


def context_block(payload: dict[str, Any]) -> str:
    return "<context>\n" + json.dumps(payload, ensure_ascii=False, indent=1) + "\n</context>"


PROMPT_NAMES = tuple(sorted(path.stem for path in PROMPT_DIR.glob("*.md") if "." not in path.stem))


@cache
def _packaged(name: str, language: str) -> Template:
    file = PROMPT_DIR / (f"{name}.md" if language == "en" else f"{name}.{language}.md")
    return Template(file.read_text(encoding="utf-8"))


def override_problem(name: str, path: Path) -> str | None:
    """Why a user's template cannot replace a packaged prompt, or None: checked before any dialogue starts."""
    if name not in PROMPT_NAMES:
        return f"there is no prompt '{name}' (prompts: {', '.join(PROMPT_NAMES)})"
    try:
        template = Template(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot read '{path}': {exc}"
    if not template.is_valid():
        return f"'{path}' is not a valid template (write a literal $ as $$)"
    unknown = set(template.get_identifiers()) - set(_packaged(name, "en").get_identifiers())
    if unknown:
        return f"'{path}' uses unknown placeholders {', '.join(sorted(unknown))}; {name} offers " + \
            ", ".join(sorted(_packaged(name, "en").get_identifiers()))
    return None


@dataclass(frozen=True)
class Prompts:
    """A run's templates: the packaged ones in its language, or the user's files named in `prompts`."""

    language: str = "en"
    overrides: Mapping[str, Path] = field(default_factory=dict)

    def render(self, name: str, payload: dict[str, Any] | None = None, **values: str) -> str:
        """Fills a template; `payload` becomes its context block (with the purpose and language)."""
        if payload is not None:
            values["context"] = context_block({"purpose": name.replace("_", ".", 1), "language": self.language,
                                               **payload})
        return self._template(name).substitute(values)

    def _template(self, name: str) -> Template:
        if name in self.overrides:
            return _own(Path(self.overrides[name]))
        return _packaged(name, self.language)


@cache
def _own(path: Path) -> Template:
    return Template(path.read_text(encoding="utf-8"))
