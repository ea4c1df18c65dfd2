"""JSON tools: explore, read, update, validate and search JSON documents.

Locations inside a document are JSON pointers (RFC 6901): "" is the whole document, "/database/port"
is the "port" key of the "database" object and "/items/0" the first element of the "items" list.
Paths are relative to the working directory and confined to it.
"""

import json
from pathlib import Path
from typing import Any

from fcgraph.tools.paths import ToolError, relative, resolve

CATEGORY = "json"

_MAX_RESULTS = 100


def _read(path: str) -> tuple[Path, str]:
    resolved = resolve(path)
    if resolved.is_dir():
        raise ToolError(f"'{path}' is a directory, not a JSON file")
    try:
        return resolved, resolved.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ToolError(f"'{path}' is not a UTF-8 text file") from None


def _load(path: str) -> tuple[Path, Any]:
    resolved, text = _read(path)
    try:
        return resolved, json.loads(text)
    except json.JSONDecodeError as exc:
        raise ToolError(f"'{path}' is not valid JSON: {exc}") from None


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ToolError(f"invalid JSON pointer '{pointer}': it must be empty or start with '/', e.g. '/{pointer}'")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _index(container: list, token: str, pointer: str) -> int:
    if not token.isdigit() or (token != "0" and token.startswith("0")):
        raise ToolError(f"'{token}' in pointer '{pointer}' is not a list index")
    index = int(token)
    if index >= len(container):
        raise ToolError(f"index {index} in pointer '{pointer}' is out of range (list has {len(container)} items)")
    return index


def _step(node: Any, token: str, pointer: str) -> Any:
    if isinstance(node, dict):
        if token not in node:
            keys = ", ".join(list(node)[:30])
            raise ToolError(f"key '{token}' not found at pointer '{pointer}'; available keys: {keys}")
        return node[token]
    if isinstance(node, list):
        return node[_index(node, token, pointer)]
    raise ToolError(f"cannot descend into a {type(node).__name__} value with '{token}' (pointer '{pointer}')")


def _get(document: Any, pointer: str) -> Any:
    node = document
    for token in _tokens(pointer):
        node = _step(node, token, pointer)
    return node


def json_keys(path: str, pointer: str = "") -> list[str]:
    """List the keys of the JSON object at a location in a JSON file, in file order.

    For a list the indexes are returned instead ("0", "1", ...).

    Args:
        path: JSON file to read, relative to the working directory.
        pointer: JSON pointer of the object to list, e.g. "/database"; "" (the default) means the top level.
    """
    _, document = _load(path)
    node = _get(document, pointer)
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return [str(i) for i in range(len(node))]
    raise ToolError(f"the value at '{pointer}' is a {type(node).__name__}, not an object or list")


def json_get(path: str, pointer: str) -> Any:
    """Read the value at a location in a JSON file (a number, text, list, object, true/false or null).

    Args:
        path: JSON file to read, relative to the working directory.
        pointer: JSON pointer of the value, e.g. "/database/port" or "/products/0/name"; "" returns the whole document.
    """
    _, document = _load(path)
    return _get(document, pointer)


def json_set(path: str, pointer: str, value: Any) -> dict:
    """Set the value at a location in a JSON file and save the file (indented with 2 spaces).

    An existing key or list element is replaced and a new key is added to an existing object; the
    pointer "/list/-" (or the index equal to the list length) appends to a list. Returns the old
    value (null if there was none) and the new one.

    Args:
        path: JSON file to modify, relative to the working directory.
        pointer: JSON pointer of the value to set, e.g. "/database/port"; its parent must already exist.
        value: New JSON value to store (number, text, true/false, null, list or object).
    """
    resolved, document = _load(path)
    tokens = _tokens(pointer)
    if not tokens:
        raise ToolError("pointer must not be empty: point at the key or list element to set, e.g. '/version'")
    parent_pointer = "".join("/" + _escape(token) for token in tokens[:-1])
    parent = _get(document, parent_pointer)
    last = tokens[-1]
    old = None
    if isinstance(parent, dict):
        old = parent.get(last)
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-" or last == str(len(parent)):
            parent.append(value)
        else:
            index = _index(parent, last, pointer)
            old = parent[index]
            parent[index] = value
    else:
        raise ToolError(f"the value at '{parent_pointer}' is a {type(parent).__name__}, not an object or list")
    resolved.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"path": relative(resolved), "pointer": pointer, "old": old, "new": value}


def json_validate(path: str) -> dict:
    """Check whether a file contains well-formed JSON; if not, report the error and where it is.

    Args:
        path: File to check, relative to the working directory.
    """
    _, text = _read(path)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return {"valid": False, "error": str(exc)}
    return {"valid": True, "error": None}


def json_search_key(path: str, key: str) -> list[dict]:
    """Find every occurrence of an object key anywhere in a JSON file, at any depth.

    Returns, in document order, the JSON pointer of each occurrence and its value (at most 100).

    Args:
        path: JSON file to search, relative to the working directory.
        key: Exact key name to look for, e.g. "price".
    """
    _, document = _load(path)
    found: list[dict] = []

    def walk(node: Any, pointer: str) -> None:
        if len(found) >= _MAX_RESULTS:
            return
        if isinstance(node, dict):
            for name, child in node.items():
                child_pointer = f"{pointer}/{_escape(name)}"
                if name == key and len(found) < _MAX_RESULTS:
                    found.append({"pointer": child_pointer, "value": child})
                walk(child, child_pointer)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{pointer}/{index}")

    walk(document, "")
    return found
