"""Schema-only tools: function definitions in JSON files, answered by virtual replies.

A definition is OpenAI's function-tool format, `{"type": "function", "function": {name, description,
parameters}}` or just the inner object, optionally with `category`, `source`, `licence` and a
`response` JSON schema. A file holds one definition or a list. Every problem is reported with the
file, the definition and what is wrong, because users add tools by dropping files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator, SchemaError

if TYPE_CHECKING:
    from fcgraph.tools.registry import ToolSpec

NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what OpenAI-compatible endpoints accept


class ToolDefinitionError(Exception):
    """A tool file that cannot be loaded or described; the message names the file and the problem."""


def load_definitions(path: Path, validate: bool = True) -> list[ToolSpec]:
    """The tools a file defines; `validate=False` skips the JSON-schema checks (for the bundle, tested at build)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ToolDefinitionError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ToolDefinitionError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    definitions = data if isinstance(data, list) else [data]
    return [_spec(path, index, definition, validate) for index, definition in enumerate(definitions)]


def _spec(path: Path, index: int, definition: Any, validate: bool) -> ToolSpec:
    from fcgraph.tools.registry import ToolSpec

    where = f"{path}: definition {index + 1}"
    if not isinstance(definition, dict):
        raise ToolDefinitionError(f"{where}: expected an object, got {type(definition).__name__}")
    function = definition.get("function", definition) if definition.get("type", "function") == "function" else None
    if not isinstance(function, dict):
        raise ToolDefinitionError(f"{where}: expected a function tool ({{\"type\": \"function\", \"function\": ...}})")
    name = function.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise ToolDefinitionError(f"{where}: 'name' must be 1-64 letters, digits, '_' or '-', got {name!r}")
    where = f"{path}: tool '{name}'"
    if not isinstance(function.get("description"), str) or not function["description"].strip():
        raise ToolDefinitionError(f"{where}: 'description' must be a non-empty string")
    parameters = function.get("parameters", {"type": "object", "properties": {}})
    response = definition.get("response", function.get("response"))
    if validate:
        _check_parameters(where, parameters)
        if response is not None:
            _check_schema(f"{where}: 'response'", response)
    schema = {"type": "function", "function": {"name": name, "description": function["description"],
                                               "parameters": parameters}}
    return ToolSpec(name=name, category=str(definition.get("category") or path.parent.name or "custom"),
                    schema=schema, module=None, source=str(definition.get("source") or path.name),
                    licence=str(definition.get("licence") or definition.get("license") or "unknown"),
                    response=response)


def _check_parameters(where: str, parameters: Any) -> None:
    _check_schema(f"{where}: 'parameters'", parameters)
    if parameters.get("type") != "object":
        raise ToolDefinitionError(f"{where}: 'parameters' must be a JSON schema of type 'object'")
    properties = parameters.get("properties", {})
    missing = [key for key in parameters.get("required", []) if key not in properties]
    if missing:
        raise ToolDefinitionError(f"{where}: required parameter(s) {', '.join(missing)} not in 'properties'")


def _check_schema(where: str, schema: Any) -> None:
    if not isinstance(schema, dict):
        raise ToolDefinitionError(f"{where} must be a JSON schema object")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise ToolDefinitionError(f"{where} is not a valid JSON schema: {exc.message}") from None
