"""The pool of tools a dialogue can be offered, with schemas derived from the functions themselves.

Schemas are never written by hand: langchain-core reads each function's type hints and Google-style
docstring, so a tool's documentation and its schema cannot drift apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.utils.function_calling import convert_to_openai_tool

from fcgraph.tools.discovery import BUILTIN_MODULES, load_module, module_category, tool_functions


class ToolDefinitionError(Exception):
    """A tool module that cannot be loaded or described; the message names the file and the problem."""


@dataclass(frozen=True)
class ToolSpec:
    name: str
    category: str
    schema: dict[str, Any]  # OpenAI function-tool format: {"type": "function", "function": {...}}
    module: str  # what the sandbox worker imports to execute it

    @property
    def parameters(self) -> dict[str, Any]:
        return self.schema["function"]["parameters"]


class ToolRegistry:
    def __init__(self, specs: Iterable[ToolSpec]):
        self._specs: dict[str, ToolSpec] = {}
        for spec in specs:
            if spec.name in self._specs:
                raise ToolDefinitionError(
                    f"tool '{spec.name}' is defined twice ({self._specs[spec.name].module} and {spec.module})"
                )
            self._specs[spec.name] = spec

    @classmethod
    def from_modules(cls, modules: Sequence[str]) -> ToolRegistry:
        return cls(spec for module in modules for spec in _specs_of(module))

    @classmethod
    def load(cls, tool_defines_path: Sequence[Path] = ()) -> ToolRegistry:
        """Built-in tools plus every `*.py` file found in the user's tool folders."""
        user_modules = [
            str(path)
            for folder in tool_defines_path
            for path in (sorted(folder.rglob("*.py")) if folder.is_dir() else [folder])
            if not path.name.startswith("_")
        ]
        return cls.from_modules([*BUILTIN_MODULES, *user_modules])

    def __contains__(self, name: str) -> bool:
        return name in self._specs

    def __getitem__(self, name: str) -> ToolSpec:
        return self._specs[name]

    def __len__(self) -> int:
        return len(self._specs)

    @property
    def names(self) -> list[str]:
        return sorted(self._specs)

    @property
    def modules(self) -> list[str]:
        return sorted({spec.module for spec in self._specs.values()})

    def by_category(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for spec in self._specs.values():
            groups[spec.category].append(spec.name)
        return {category: sorted(names) for category, names in sorted(groups.items())}

    def schemas(self, names: Iterable[str]) -> list[dict[str, Any]]:
        return [self._specs[name].schema for name in names]


def _specs_of(module_name: str) -> list[ToolSpec]:
    try:
        module = load_module(module_name)
        category = module_category(module)
        return [
            ToolSpec(name=name, category=category, schema=convert_to_openai_tool(function), module=module_name)
            for name, function in tool_functions(module).items()
        ]
    except Exception as exc:  # any import or schema problem is a definition error of that file
        raise ToolDefinitionError(f"{module_name}: {type(exc).__name__}: {exc}") from None
