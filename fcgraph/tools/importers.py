"""Tool definitions converted from other people's API descriptions: BFCL function docs and OpenAPI/Swagger.

Both end as the definitions `definitions.py` loads, so whatever a source allows itself (BFCL's Python
type names, OpenAPI's `nullable` and `$ref`s, names with dots or slashes) is repaired here into
Draft 2020-12 JSON Schema and names endpoints accept. Repairs are preferred to rejection: a source
is imported as far as it can be, and only an operation whose schemas still fail the check is left out.

A request body becomes one `body` parameter (the JSON body's schema, or an object of the form fields)
rather than being flattened among the path and query parameters: its property names cannot then clash
with theirs, and a body that is an array or a string needs no special case.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain, count
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from jsonschema import Draft202012Validator, SchemaError

NAME_MAX = 64
DESCRIPTION_MAX = 1024  # a tool's description
PROPERTY_DESCRIPTION_MAX = 300  # a parameter's: the schema is sent with every request that offers the tool
SCHEMA_DEPTH_MAX = 6  # nesting kept before a sub-schema is cut to its type; smaller depths are tried until it fits
PARAMETERS_SIZE_MAX = 12_000  # characters of JSON; an operation whose parameters do not fit at depth 1 is left out
RESPONSE_SIZE_MAX = 6_000  # a response that does not fit is dropped, the tool kept

JSON_TYPES = ("object", "array", "string", "number", "integer", "boolean", "null")
# BFCL writes Python, Java and JavaScript type names; "any" and anything unknown leave the type open.
BFCL_TYPES: dict[str, str] = {name: name for name in JSON_TYPES} | {
    "dict": "object", "hashmap": "object", "map": "object",
    "float": "number", "double": "number",
    "int": "integer", "long": "integer",
    "tuple": "array", "list": "array", "arraylist": "array",
    "str": "string", "char": "string",
    "bool": "boolean",
}
OPENAPI_TYPES: dict[str, str] = {name: name for name in JSON_TYPES} | {"file": "string"}  # Swagger 2 uploads

# SPDX id -> spellings of `info.license.name` besides the id itself (both normalised by `_licence_words`)
# and licence URLs that name it unambiguously. Only these are bundled; "BSD" without a clause count or
# "CC-BY" without a version are not, because their terms cannot be told.
PERMISSIVE_LICENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Apache-2.0": (("apache 2",), ("apache.org/licenses/license-2.0",)),
    "MIT": (("mit for oas 2.0",), ("opensource.org/licenses/mit", "spdx.org/licenses/mit")),
    "BSD-2-Clause": ((), ("opensource.org/licenses/bsd-2-clause",)),
    "BSD-3-Clause": (("bsd 3",), ("opensource.org/licenses/bsd-3-clause",)),
    "CC0-1.0": (("cc 0",), ("creativecommons.org/publicdomain/zero/1.0",)),
    "CC-BY-4.0": (("creative commons attribution 4.0", "creative commons attribution 4.0 international",
                   "creative commons attribution 4.0 international public"), ("creativecommons.org/licenses/by/4.0",)),
    "ISC": ((), ("opensource.org/licenses/isc",)),
    "Unlicense": ((), ("unlicense.org",)),
    "MPL-2.0": (("mozilla public 2.0",), ("mozilla.org/mpl/2.0",)),
}
_LICENCE_NOISE = {"the", "license", "licence", "v", "version", "distributed", "under", "software", "available"}

# AWS and Azure write HTML: block tags part words, inline ones ("<code>key</code>.") do not
_BLOCK_TAG = re.compile(r"</?(?:p|pre|ul|ol|li|br|div|note|important|fullname|h[1-6]|dl|dt|dd|table|thead|tbody|tr|td"
                        r"|th)\b[^>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?(?:a|b|i|em|strong|code|span)\b[^>]*>", re.IGNORECASE)
# Headers an HTTP client sets itself, credentials and transport, which a caller of the tool never chooses
_CLIENT_HEADER = re.compile(r"auth|api[-_]?key|token|secret|signature|signed|credential|cookie"
                            r"|^(?:accept(?:-.*)?|content-(?:type|length|encoding)|user-agent|cache-control|connection"
                            r"|host|x-amz-(?:date|algorithm|content-sha256|target))$", re.IGNORECASE)
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def tool_name(raw: str) -> str:
    """What OpenAI-compatible endpoints accept: BFCL's `math.factorial` becomes `math_factorial`."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", raw).strip("_-")[:NAME_MAX].rstrip("_-")
    return name or "tool"


def claim_name(name: str, taken: set[str], prefix: str = "") -> str:
    """The name if free, else `prefix_name`, else a numbered one: whoever comes first keeps the plain name,
    so the result depends only on the order of the input."""
    candidates = [name, tool_name(f"{prefix}_{name}")] if prefix else [name]
    numbered = (f"{candidates[-1][:NAME_MAX - len(str(number)) - 1]}_{number}" for number in count(2))
    chosen = next(candidate for candidate in chain(candidates, numbered) if candidate not in taken)
    taken.add(chosen)
    return chosen


def text(raw: Any, limit: int) -> str:
    """Plain one-line text: HTML tags gone, whitespace collapsed, long text cut with an ellipsis."""
    if not isinstance(raw, str):
        return ""
    plain = " ".join(html.unescape(_INLINE_TAG.sub("", _BLOCK_TAG.sub(" ", raw))).split())
    return plain if len(plain) <= limit else plain[:limit - 1].rstrip() + "…"


def permissive_licence(licence: Any) -> str | None:
    """The SPDX id of an OpenAPI `info.license` object when it names one of `PERMISSIVE_LICENCES`."""
    if not isinstance(licence, dict):
        return None
    if licence.get("identifier") in PERMISSIVE_LICENCES:
        return licence["identifier"]
    words = _licence_words(str(licence.get("name") or ""))
    url = str(licence.get("url") or "").lower()
    for spdx, (names, _) in PERMISSIVE_LICENCES.items():
        if words in names or words == _licence_words(spdx):
            return spdx
    return next((spdx for spdx, (_, urls) in PERMISSIVE_LICENCES.items() if any(part in url for part in urls)), None)


def _licence_words(name: str) -> str:
    """'The MIT License (MIT)', 'Apache v2 License' and 'BSD3' become 'mit', 'apache 2' and 'bsd 3'."""
    words = re.findall(r"[a-z]+|\d+(?:\.\d+)*", name.lower())
    return " ".join(dict.fromkeys(word for word in words if word not in _LICENCE_NOISE))


# --- schemas ---------------------------------------------------------------------------------------------

class _TooLarge(Exception):
    """A schema outgrew its budget while being built."""


@dataclass
class _Budget:
    """Schema nodes a build may still create. Specs such as GitHub's nest `$ref`s so deeply that an expansion
    would fill the memory before its size could be checked."""

    left: int = 0

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooLarge


@dataclass(frozen=True)
class _Dialect:
    """What differs between the schema dialects imported: type names, and the document `$ref`s point into."""

    types: Mapping[str, str]
    document: Mapping[str, Any] | None = None
    budget: _Budget = field(default_factory=_Budget)
    hidden: str | None = None  # properties flagged so are left out: `readOnly` in requests, `writeOnly` in replies


def _schema(node: Any, dialect: _Dialect, depth: int, refs: tuple[str, ...] = ()) -> dict[str, Any]:
    """A Draft 2020-12 schema keeping only keywords it knows, with values of the types it requires.

    `refs` are the `$ref`s being expanded on the way here: meeting one again is a cycle, cut to a bare
    object. At `depth` 0 sub-schemas are cut: the node keeps its type, description and value constraints.
    """
    if not isinstance(node, dict):
        return {}
    dialect.budget.spend()
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in refs:
            return {"type": "object"}
        target = _pointer(dialect.document, ref)
        schema = _schema(target, dialect, depth, (*refs, ref)) if target is not None else {}
        return schema | ({"description": description} if (description := text(node.get("description"),
                                                                                  PROPERTY_DESCRIPTION_MAX)) else {})
    schema: dict[str, Any] = {}
    types = _types(node, dialect)
    if types:
        schema["type"] = types[0] if len(types) == 1 else types
    if description := text(node.get("description"), PROPERTY_DESCRIPTION_MAX):
        schema["description"] = description
    schema |= _value_keywords(node, nullable="null" in types)
    if depth > 0:
        schema |= _structure_keywords(node, dialect, depth - 1, refs)
    return _flattened(schema)


def _flattened(schema: dict[str, Any]) -> dict[str, Any]:
    """`allOf` branches merged into the schema when no keyword clashes. swagger2openapi wraps every AWS
    property as `allOf: [its type, its description]`, and models read plain properties better."""
    if "allOf" not in schema:
        return schema
    branches = schema["allOf"]
    merged = {key: value for key, value in schema.items() if key not in ("allOf", "description")}
    for branch in branches:
        for key, value in branch.items():
            if key == "description" or merged.get(key, value) == value:
                merged.setdefault(key, value)
            elif key == "properties" and not merged[key].keys() & value.keys():
                merged[key] = merged[key] | value
            elif key == "required":
                merged[key] = list(dict.fromkeys(merged[key] + value))
            else:
                return schema
    descriptions = [schema.get("description"), *(branch.get("description") for branch in reversed(branches))]
    description = next((candidate for candidate in descriptions if candidate), None)  # outer, then the last branch
    return merged | ({"description": description} if description else {})


def _types(node: Mapping[str, Any], dialect: _Dialect) -> list[str]:
    raw = node.get("type")
    names = raw if isinstance(raw, list) else [raw]
    types = [dialect.types[name.lower()] for name in names if isinstance(name, str) and name.lower() in dialect.types]
    if types and node.get("nullable") is True:  # OpenAPI 3.0's spelling of a null type
        types.append("null")
    return list(dict.fromkeys(types))


def _value_keywords(node: Mapping[str, Any], nullable: bool) -> dict[str, Any]:
    """Keywords constraining values, dropped when their value is of a type the metaschema rejects."""
    kept: dict[str, Any] = {}
    for key in ("format", "pattern"):
        if isinstance(node.get(key), str) and (key != "pattern" or _compiles(node[key])):
            kept[key] = node[key]
    if isinstance(node.get("enum"), list):
        kept["enum"] = node["enum"] + ([None] if nullable and None not in node["enum"] else [])
    for key in ("const", "default"):
        if key in node:
            kept[key] = node[key]
    for key in ("minimum", "maximum", "multipleOf", "exclusiveMinimum", "exclusiveMaximum"):
        if _is_number(node.get(key)) and (key != "multipleOf" or node[key] > 0):
            kept[key] = node[key]
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if node.get(exclusive) is True and bound in kept:  # OpenAPI 3.0 / draft 4: a flag on the bound
            kept[exclusive] = kept.pop(bound)
    for key in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
        if _is_number(node.get(key)) and node[key] >= 0 and float(node[key]).is_integer():
            kept[key] = int(node[key])
    if isinstance(node.get("uniqueItems"), bool):
        kept["uniqueItems"] = node["uniqueItems"]
    return kept


def _structure_keywords(node: Mapping[str, Any], dialect: _Dialect, depth: int,
                        refs: tuple[str, ...]) -> dict[str, Any]:
    """Keywords holding sub-schemas, each converted in turn."""
    def sub(child: Any) -> dict[str, Any]:
        return _schema(child, dialect, depth, refs)

    kept: dict[str, Any] = {}
    properties = node.get("properties")
    if isinstance(properties, dict):
        shown = {str(key): value for key, value in properties.items() if not _hidden(value, dialect)}
        kept["properties"] = {key: sub(value) for key, value in shown.items()}
        required = [key for key in _strings(node.get("required")) if key in shown and not _optional(shown[key])]
        if required:
            kept["required"] = required
    items = node.get("items")
    if isinstance(items, list):  # BFCL's tuples
        kept["prefixItems"] = [sub(item) for item in items]
    elif isinstance(items, dict):
        kept["items"] = sub(items)
    extra = node.get("additionalProperties")
    if isinstance(extra, (bool, dict)):
        kept["additionalProperties"] = extra if isinstance(extra, bool) else sub(extra)
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(key), list) and node[key]:
            kept[key] = [sub(branch) for branch in node[key]]
    if isinstance(node.get("not"), dict):
        kept["not"] = sub(node["not"])
    return kept


def _hidden(node: Any, dialect: _Dialect) -> bool:
    target = _dereferenced(dialect.document, node)
    return dialect.hidden is not None and isinstance(target, dict) and target.get(dialect.hidden) is True


def _strings(value: Any) -> list[str]:
    return list(dict.fromkeys(item for item in value if isinstance(item, str))) if isinstance(value, list) else []


def _optional(node: Any) -> bool:
    """BFCL marks some parameters `"optional": true` (or "true", "yes") while also listing them as required."""
    return isinstance(node, dict) and str(node.get("optional")).lower() in ("true", "yes")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _compiles(pattern: str) -> bool:
    """The metaschema checks `pattern` as a regex; ECMA syntax Python cannot read is dropped, not rejected."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError):
        return False
    return True


def _pointer(document: Any, ref: str) -> Any:
    """The node a local `#/...` reference points to, or None for a reference that leads nowhere."""
    if not ref.startswith("#/"):
        return None
    node = document
    for part in ref[2:].split("/"):
        key = unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node


def _fitted(build: Callable[[int], dict[str, Any]], dialect: _Dialect, size_max: int) -> dict[str, Any] | None:
    """The deepest version of a schema that is valid and at most `size_max` characters of JSON.

    Specs such as GitHub's inline whole objects into every property; cutting depth keeps the top-level
    parameters, which are what a caller fills in.
    """
    for depth in range(SCHEMA_DEPTH_MAX, 0, -1):
        dialect.budget.left = size_max // 2  # each node is at least "{}": more would be too large anyway
        try:
            schema = build(depth)
        except _TooLarge:
            continue
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError:
            return None
        if len(json.dumps(schema, ensure_ascii=False)) <= size_max:
            return schema
    return None


def _definition(name: str, description: str, parameters: dict[str, Any], response: dict[str, Any] | None,
                category: str, source: str, licence: str) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "type": "function", "function": {"name": name, "description": description, "parameters": parameters},
        "category": category, "source": source, "licence": licence,
    }
    if response:
        definition["response"] = response
    return definition


# --- BFCL ------------------------------------------------------------------------------------------------

def from_bfcl_doc(doc: dict[str, Any] | list[dict[str, Any]], source: str, *, category: str = "bfcl",
                  licence: str = "Apache-2.0", taken: set[str] | None = None) -> list[dict[str, Any]]:
    """Definitions from one BFCL function doc or a list of them (a BFCL entry's "function").

    Names are made unique within `taken`, which a caller shares across calls to keep a whole bundle unique.
    """
    taken = set() if taken is None else taken
    dialect = _Dialect(BFCL_TYPES)
    definitions = []
    for entry in doc if isinstance(doc, list) else [doc]:
        name = tool_name(str(entry.get("name", "")))
        parameters = _fitted(partial(_bfcl_parameters, entry.get("parameters"), dialect), dialect, PARAMETERS_SIZE_MAX)
        if parameters is None:
            continue
        response = _fitted(partial(_schema, entry.get("response"), dialect), dialect, RESPONSE_SIZE_MAX)
        description = text(entry.get("description"), DESCRIPTION_MAX) or name.replace("_", " ")
        definitions.append(_definition(claim_name(name, taken), description, parameters, response,
                                       category, source, licence))
    return definitions


def _bfcl_parameters(node: Any, dialect: _Dialect, depth: int) -> dict[str, Any]:
    """Tool parameters are always an object, even where a doc left the type out."""
    schema = _schema(node, dialect, depth)
    return schema | {"type": "object", "properties": schema.get("properties", {})}


# --- OpenAPI / Swagger -----------------------------------------------------------------------------------

def from_openapi(spec: Mapping[str, Any], source: str, licence: str, *, category: str | None = None,
                 taken: set[str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """One definition per operation of an OpenAPI 3.x or Swagger 2.0 document, in the document's order.

    Deprecated operations are left out, so that no dialogue teaches calling them; `limit` stops after
    that many definitions. A name clash is settled with the API's name as a prefix, then a number.
    """
    taken = set() if taken is None else taken
    info = spec.get("info") if isinstance(spec.get("info"), dict) else {}
    title = str(info.get("x-serviceName") or info.get("title") or "api")
    category = category or f"openapi_{tool_name(title).lower()}"
    request = _Dialect(OPENAPI_TYPES, spec, hidden="readOnly")
    reply = replace(request, hidden="writeOnly")
    credentials = _credential_names(spec)
    definitions: list[dict[str, Any]] = []
    for path, method, operation, shared in _operations(spec):
        if limit is not None and len(definitions) >= limit:
            break
        parameters = _fitted(partial(_operation_parameters, spec, operation, shared, credentials, request),
                             request, PARAMETERS_SIZE_MAX)
        if parameters is None:
            continue
        response = _fitted(partial(_schema, _response_schema(spec, operation), reply), reply, RESPONSE_SIZE_MAX)
        name = claim_name(tool_name(str(operation.get("operationId") or f"{method} {path}")), taken, tool_name(title))
        definitions.append(_definition(name, _operation_description(operation, method, path, info),
                                       parameters, response, category, source, licence))
    return definitions


def import_openapi_file(path: Path) -> list[dict[str, Any]]:
    """Definitions from a user's own OpenAPI or Swagger file (JSON or YAML), licensed as the file says."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read: {exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: neither JSON nor YAML: {exc}") from None
    if not _is_openapi(data):
        raise ValueError(f"{path}: not an OpenAPI 3.x or Swagger 2.0 document "
                         "(needs an 'openapi: 3.x' or 'swagger: 2.0' field and 'paths')")
    spec = json.loads(json.dumps(data, default=str))  # YAML's dates and integer keys (response codes) as JSON has them
    licence = spec.get("info", {}).get("license")
    named = (licence.get("identifier") or licence.get("name")) if isinstance(licence, dict) else None
    return from_openapi(spec, source=path.name, licence=permissive_licence(licence) or str(named or "unknown"))


def _is_openapi(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("paths"), dict)
            and (str(data.get("openapi", "")).startswith("3") or str(data.get("swagger", "")).startswith("2")))


def _operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], list[Any]]]:
    """(path, method, operation, the path's own parameters) for every live operation."""
    for path, item in spec["paths"].items():
        item = _dereferenced(spec, item)
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and operation.get("deprecated") is not True:
                yield str(path), method, operation, shared


def _dereferenced(spec: Mapping[str, Any] | None, node: Any) -> Any:
    """A parameter, request body, response or path item behind its `$ref` chain (None when it leads nowhere)."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        node = _pointer(spec, node["$ref"])
    return node


def _credential_names(spec: Mapping[str, Any]) -> set[str]:
    """Names of the API-key parameters the security schemes declare: a client sets them, never a caller."""
    schemes = spec.get("components", {}).get("securitySchemes") or spec.get("securityDefinitions") or {}
    return {str(scheme.get("name", "")).lower() for scheme in schemes.values()
            if isinstance(scheme, dict) and scheme.get("type") == "apiKey"}


def _operation_parameters(spec: Mapping[str, Any], operation: Mapping[str, Any], shared: list[Any],
                          credentials: set[str], dialect: _Dialect, depth: int) -> dict[str, Any]:
    """Path, query and header parameters plus `body`, with what the spec marks required."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    body = _request_body(spec, operation)
    form: dict[str, Any] = {"type": "object", "properties": {}, "required": []}  # Swagger 2's form fields
    for parameter in _merged_parameters(spec, shared, operation.get("parameters")):
        name, where, needed = parameter["name"], parameter["in"], parameter.get("required") is True
        if name.lower() in credentials or where == "cookie" or (where == "header" and _CLIENT_HEADER.search(name)):
            continue
        if where == "body":  # Swagger 2
            body = (parameter.get("schema"), needed)
        elif where == "formData":  # Swagger 2: the parameter is its own schema
            form["properties"][name] = parameter
            form["required"] += [name] if needed else []
        elif name not in properties:
            properties[name] = _schema(parameter.get("schema") or _media_schema(parameter.get("content")) or parameter,
                                       dialect, depth)
            if description := text(parameter.get("description"), PROPERTY_DESCRIPTION_MAX):
                properties[name]["description"] = description
            required += [name] if where == "path" or needed else []
    if body is None and form["properties"]:
        body = (form, bool(form["required"]))
    if body is not None:
        body_key = "request_body" if "body" in properties else "body"
        properties[body_key] = _schema(body[0], dialect, depth)
        required += [body_key] if body[1] else []
    return {"type": "object", "properties": properties} | ({"required": required} if required else {})


def _merged_parameters(spec: Mapping[str, Any], shared: list[Any], own: Any) -> list[dict[str, Any]]:
    """The path's parameters overridden by the operation's, keyed by (name, in) as OpenAPI says."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for parameter in [*shared, *(own if isinstance(own, list) else [])]:
        parameter = _dereferenced(spec, parameter)
        if isinstance(parameter, dict) and all(isinstance(parameter.get(key), str) for key in ("name", "in")):
            merged[(parameter["name"], parameter["in"])] = parameter
    return list(merged.values())


def _request_body(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> tuple[Any, bool] | None:
    """An OpenAPI 3 request body's schema and whether it is required."""
    body = _dereferenced(spec, operation.get("requestBody"))
    if not isinstance(body, dict):
        return None
    schema = _media_schema(body.get("content"))
    return (schema, body.get("required") is True) if schema is not None else None


def _media_schema(content: Any) -> Any:
    """The schema of the JSON media type, else of a form, else of the first one that has a schema."""
    if not isinstance(content, dict):
        return None
    schemas = {str(media): entry["schema"] for media, entry in content.items()
               if isinstance(entry, dict) and isinstance(entry.get("schema"), dict)}
    for wanted in ("application/json", "json", "x-www-form-urlencoded", "form-data"):
        for media, schema in schemas.items():
            if wanted in media:
                return schema
    return next(iter(schemas.values()), None)


def _response_schema(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> Any:
    """The schema of the success (200, 201, else default) JSON response; Swagger 2 keeps it on the response."""
    responses = operation.get("responses")
    if not isinstance(responses, dict):
        return None
    for code in ("200", "201", "default"):
        response = _dereferenced(spec, responses.get(code))
        if isinstance(response, dict):
            schema = response.get("schema") or _media_schema(response.get("content"))
            if schema is not None:
                return schema
    return None


def _operation_description(operation: Mapping[str, Any], method: str, path: str, info: Mapping[str, Any]) -> str:
    """Summary then description; an undocumented operation is described by its method, path and API."""
    parts = [text(operation.get(key), DESCRIPTION_MAX) for key in ("summary", "description")]
    parts = [part if part.endswith((".", "!", "?", "…")) else f"{part}." for part in dict.fromkeys(parts) if part]
    fallback = f"{method.upper()} {path} ({text(info.get('title'), 200) or 'API'})"
    return text(" ".join(parts), DESCRIPTION_MAX) or fallback
