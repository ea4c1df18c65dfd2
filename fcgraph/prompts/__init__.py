"""Prompt templates, one per agent and purpose, rendered with string.Template.

Every prompt except the assistant's ends with a `<context>` block: the structured facts the agent
works from (files, tools, mode, dialogue) as JSON. Real models read it like any text; the simulator
reads it back with CONTEXT_BLOCK, which is what lets it answer the same prompts offline.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

PROMPT_DIR = Path(__file__).parent
CONTEXT_BLOCK = re.compile(r"<context>\s*(\{.*\})\s*</context>", re.DOTALL)


def context_block(payload: dict[str, Any]) -> str:
    return "<context>\n" + json.dumps(payload, ensure_ascii=False, indent=1) + "\n</context>"


@cache
def _template(name: str, language: str) -> Template:
    file = PROMPT_DIR / (f"{name}.md" if language == "en" else f"{name}.{language}.md")
    return Template(file.read_text(encoding="utf-8"))


def render(name: str, payload: dict[str, Any] | None = None, *, language: str = "en", **values: str) -> str:
    """Fill a template in a language; `payload` becomes its context block (with the purpose and language)."""
    if payload is not None:
        values["context"] = context_block({"purpose": name.replace("_", ".", 1), "language": language, **payload})
    return _template(name, language).substitute(values)
