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

from fcgraph.tools.definitions import ToolDefinitionError, load_definitions
from fcgraph.tools.discovery import BUILTIN_MODULES, load_module, module_category, tool_functions


@dataclass(frozen=True)
class ToolSpec:
    name: str
    category: str
    schema: dict[str, Any]  # OpenAI function-tool format: {"type": "function", "function": {...}}
    module: str | None  # what the sandbox worker imports to execute it; None for a schema-only tool
    source: str = "fcgraph"
    licence: str = "Apache-2.0"
    response: dict[str, Any] | None = None  # JSON schema of a schema-only tool's replies, when known

    @property
    def parameters(self) -> dict[str, Any]:
        return self.schema["function"]["parameters"]

    @property
    def kind(self) -> str:
        return "executable" if self.module else "schema_only"

    def summary(self) -> dict[str, str]:
        return {"name": self.name, "category": self.category, "kind": self.kind, "source": self.source,
                "licence": self.licence}


SCHEMA_ONLY_DIR = Path(__file__).parent / "schema_only"  # the bundle built by fcgraph.tools.build_schema_only


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
    def load(cls, tool_defines_path: Sequence[Path] = (), schema_only: Sequence[str] = ()) -> ToolRegistry:
        """Built-in tools, the bundled schema-only files matching `schema_only` (glob patterns on their
        names, e.g. "openapi_*"), and every `*.py` module and `*.json` definition in the user's folders."""
        bundled = sorted({path for pattern in schema_only for path in SCHEMA_ONLY_DIR.glob(f"{pattern}.json")})
        files = [
            path
            for entry in tool_defines_path
            for path in (sorted(entry.rglob("*")) if entry.is_dir() else [entry])
            if path.suffix in (".py", ".json") and not path.name.startswith(("_", "."))
        ]
        specs = [spec for module in BUILTIN_MODULES for spec in _specs_of(module)]
        specs += [spec for path in bundled for spec in load_definitions(path, validate=False)]
        for path in files:
            specs += _specs_of(str(path)) if path.suffix == ".py" else load_definitions(path)
        return cls(specs)

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
        """What a sandbox worker imports: the modules of every executable tool."""
        return sorted({spec.module for spec in self._specs.values() if spec.module})

    def specs(self) -> list[ToolSpec]:
        return [self._specs[name] for name in self.names]

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
        provenance = {} if module_name.startswith("fcgraph.") else {  # a user's file speaks for itself
            "source": Path(module_name).name, "licence": getattr(module, "LICENCE", getattr(module, "LICENSE", "unknown"))}
        return [
            ToolSpec(name=name, category=category, schema=convert_to_openai_tool(function), module=module_name,
                     **provenance)
            for name, function in tool_functions(module).items()
        ]
    except Exception as exc:  # any import or schema problem is a definition error of that file
        raise ToolDefinitionError(f"{module_name}: {type(exc).__name__}: {exc}") from None
