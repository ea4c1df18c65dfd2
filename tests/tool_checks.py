"""Checks shared by the tool tests: seed files, schema descriptions and the simulator's requests.

Plain functions, imported by the test modules as `from tool_checks import ...` (tests/ is on sys.path).
"""

from __future__ import annotations

import functools
import inspect
import json
from pathlib import Path
from random import Random
from types import ModuleType
from typing import Any

from fcgraph.config import DEFAULT_FILE_SYSTEM
from fcgraph.sampling import Environment
from fcgraph.simulator.grammar import LANGUAGES, SLOT, parse_request, render, wording
from fcgraph.simulator.grounding import FileView, Intent
from fcgraph.simulator.policy import typed
from fcgraph.tools.discovery import tool_functions
from fcgraph.tools.registry import ToolRegistry

WRAPS = {"en": "Could you please {}?", "zh": "麻烦您{}，谢谢！"}
SEED = sorted(p.relative_to(DEFAULT_FILE_SYSTEM).as_posix() for p in DEFAULT_FILE_SYSTEM.rglob("*") if p.is_file())
VIEWS = [FileView(info) for info in Environment(DEFAULT_FILE_SYSTEM).infos.values()]


def seed_files(*suffixes: str) -> list[str]:
    """Seed files of some types, chosen at run time: the seed tree may be regenerated with other names."""
    return [path for path in SEED if path.endswith(suffixes)]


# ---------------------------------------------------------------- schemas
def assert_described(module: ModuleType, category: str, names: list[str] | None = None) -> None:
    """Every tool of the module (or those named) is in its category and its schema describes it and every parameter."""
    registry = ToolRegistry.from_modules([module.__name__])
    functions = tool_functions(module)
    for name in functions if names is None else names:
        spec = registry[name]
        assert spec.schema["function"]["description"].strip() and spec.category == category
        assert list(spec.parameters["properties"]) == list(inspect.signature(functions[name]).parameters)
        for parameter, body in spec.parameters["properties"].items():
            assert body["description"].strip(), f"{name}.{parameter}"


def assert_tested_and_described(module: ModuleType, category: str, test_file: str) -> set[str]:
    """Every tool of the module is named (in quotes) in the test file and described; returns the tool names."""
    names = set(tool_functions(module))
    source = Path(test_file).read_text(encoding="utf-8")
    assert {name for name in names if f'"{name}"' not in source} == set()
    assert_described(module, category)
    return names


# ---------------------------------------------------------------- the simulator's requests
def grounded_calls(intent: Intent, seed: int = 0, fresh: bool = False, views: list[FileView] | None = None) -> list[dict]:
    """The calls an intent grounds to on every fitting seed file (`fresh`: a new Random(seed) for each file)."""
    rng, calls = Random(seed), []
    for view in VIEWS if views is None else views:
        if intent.kinds and view.kind not in intent.kinds:
            continue
        if (args := intent.ground(view, Random(seed) if fresh else rng)) is not None:
            calls.append({**intent.fixed, **args})
    return calls


@functools.cache
def _every_tool() -> ToolRegistry:
    return ToolRegistry.load()


def assert_reads_back(intent: Intent, args: dict[str, Any], registry: ToolRegistry | None = None,
                      whole: bool = False) -> None:
    """In every language the request's wording parses back to this intent with these arguments (its slots, or `whole`)."""
    registry = registry or _every_tool()
    for language in LANGUAGES:
        template = wording(intent, language)
        clauses = parse_request(WRAPS[language].format(render(template, args)))
        assert len(clauses) == 1 and clauses[0].source is intent, (intent.tool, language, template)
        read_back = typed(clauses[0].args, registry[intent.tool].parameters)
        if whole:
            assert read_back == args, (intent.tool, language, args)
        else:
            assert {k: read_back[k] for k in SLOT.findall(template)} == {k: args[k] for k in SLOT.findall(template)}


def first_time(done: set[str], tool: str, call: dict[str, Any]) -> bool:
    """Whether this call has not been made yet (and remember it)."""
    key = tool + json.dumps(call, sort_keys=True)
    fresh = key not in done
    done.add(key)
    return fresh


def run_every_intent(sandbox: Any, intents: tuple[Intent, ...], module: str) -> None:
    """Each intent grounded on every fitting seed file reads back as exactly its call, and that call succeeds."""
    registry = ToolRegistry.from_modules([module])
    done: set[str] = set()
    for intent in intents:
        calls = grounded_calls(intent)
        for args in calls:
            assert_reads_back(intent, args, registry, whole=True)
            if first_time(done, intent.tool, args):
                outcome = sandbox.call(intent.tool, **args)
                assert outcome.ok, f"{intent.tool}({args}) failed: {outcome.error}"
        assert calls, f"the seed files should ground {intent.tool}"
