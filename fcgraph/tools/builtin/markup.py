"""Markup tools: read and convert YAML, XML, HTML and Markdown files.

YAML values are addressed by dotted key paths such as "database.port" or "teams.0.name" (list items
by their 0-based index). XML elements are selected with the XPath subset of Python's ElementTree,
with namespaces reduced to local names. HTML is parsed offline with the standard library; nothing is
fetched. Paths are relative to the working directory and confined to it.
"""

import collections.abc
import csv
import datetime
import html.parser
import io
import json
import math
import re
from pathlib import Path
from typing import Any

from fcgraph.tools.paths import ToolError, relative, resolve

CATEGORY = "markup"

_MAX_CHARS = 3000
_WORD = re.compile(r"\w+(?:['’.,-]\w+)*")


# ---------------------------------------------------------------- shared helpers
def _at_least(name: str, value: int, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ToolError(f"'{name}' must be an integer >= {minimum}, got {value!r}")


def _bytes(path: str, what: str = "a file") -> tuple[Path, bytes]:
    """A file's path and raw content; a folder is refused as not being `what`."""
    resolved = resolve(path)
    if resolved.is_dir():
        raise ToolError(f"'{path}' is a directory, not {what}")
    return resolved, resolved.read_bytes()


def _read(path: str) -> tuple[Path, str]:
    resolved, data = _bytes(path)
    if b"\0" in data[:8192]:
        raise ToolError(f"'{path}' is a binary file, not a text file")
    try:
        return resolved, data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ToolError(f"'{path}' is not a UTF-8 text file") from None


def _write(output_path: str, text: str, source: Path) -> Path:
    """Write a new text file inside the sandbox (folders created); never over the file being converted."""
    target = resolve(output_path, must_exist=False)
    if target.is_dir():
        raise ToolError(f"'{output_path}' is a directory; give a file name")
    if target == source:
        raise ToolError("output_path must differ from the file being read")
    if target.parent.exists() and not target.parent.is_dir():
        raise ToolError(f"'{relative(target.parent)}' is a file, not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _plain(value: Any) -> Any:
    """A YAML or XML value as JSON: dates as ISO text, keys as text, NaN and infinity as null."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _capped(text: str, max_chars: int) -> dict:
    return {"text": text[:max_chars], "characters": len(text), "truncated": len(text) > max_chars}


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- YAML
def _yaml_error(exc: Exception) -> dict:
    mark = getattr(exc, "problem_mark", None)
    message = _one_line(str(exc))
    return {"error": message, "line": mark.line + 1 if mark else None, "column": mark.column + 1 if mark else None}


def _yaml_load(path: str) -> tuple[Path, str, Any]:
    import yaml

    resolved, text = _read(path)
    try:
        return resolved, text, yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ToolError(f"'{path}' is not valid YAML: {_yaml_error(exc)['error']}") from None


def _yaml_dump(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _leading_comments(text: str) -> str:
    """The comment lines at the top of a YAML file, which a rewrite would otherwise lose."""
    lines = []
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            break
        lines.append(line + "\n")
    return "".join(lines)


def _key_tokens(key_path: str) -> list[str]:
    tokens = key_path.split(".") if key_path else []
    if any(not token for token in tokens):
        raise ToolError(f"invalid key path '{key_path}': use names separated by dots, e.g. 'database.port'")
    return tokens


def _list_index(items: list, token: str, key_path: str, extend: bool = False) -> int:
    if not token.isdigit():
        raise ToolError(f"'{token}' in '{key_path}' must be a list index (0, 1, ...): that value is a list")
    index = int(token)
    if index > len(items) or index == len(items) and not extend:
        raise ToolError(f"index {index} in '{key_path}' is out of range (the list has {len(items)} items)")
    return index


def _mapping_key(mapping: dict, token: str) -> Any:
    """The key matching a path token: YAML keys may be numbers or booleans, a path spells them as text."""
    if token in mapping:
        return token
    return next((key for key in mapping if str(key) == token), token)


def _yaml_step(node: Any, token: str, key_path: str) -> Any:
    if isinstance(node, dict):
        key = _mapping_key(node, token)
        if key not in node:
            raise ToolError(f"key '{token}' not found in '{key_path}'; available keys: "
                            f"{', '.join(map(str, list(node)[:30]))}")
        return node[key]
    if isinstance(node, list):
        return node[_list_index(node, token, key_path)]
    raise ToolError(f"cannot look up '{token}' in '{key_path}': the value before it is not a mapping or list")


def _yaml_at(data: Any, tokens: list[str], key_path: str) -> Any:
    for token in tokens:
        data = _yaml_step(data, token, key_path)
    return data


def _kind(value: Any) -> str:
    for kinds, name in ((dict, "mapping"), (list, "list"), (bool, "boolean"), (int | float, "number"),
                        (str, "text"), (datetime.date, "date"), (type(None), "null")):
        if isinstance(value, kinds):
            return name
    return type(value).__name__


def _merge(base: Any, other: Any, prefix: str, changed: list[str]) -> Any:
    if isinstance(base, dict) and isinstance(other, dict):
        merged = dict(base)
        for key, value in other.items():
            where = f"{prefix}.{key}" if prefix else str(key)
            merged[key] = _merge(base[key], value, where, changed) if key in base else value
            if key not in base:
                changed.append(where)
        return merged
    if base != other:
        changed.append(prefix)
    return other


def yaml_keys(path: str, key_path: str = "") -> list[dict]:
    """List the keys of a mapping in a YAML file, in file order, each with the type of its value.

    For a list the item indexes are listed instead ("0", "1", ...).

    Args:
        path: YAML file to read, relative to the working directory.
        key_path: Dotted path of the mapping to list, e.g. "carriers" or "teams.0"; "" (the default) means the top level.
    """
    _, _, data = _yaml_load(path)
    node = _yaml_at(data, _key_tokens(key_path), key_path)
    if isinstance(node, dict):
        return [{"key": str(key), "type": _kind(value)} for key, value in node.items()]
    if isinstance(node, list):
        return [{"key": str(index), "type": _kind(value)} for index, value in enumerate(node)]
    raise ToolError(f"the value at '{key_path}' is {_kind(node)}, not a mapping or list")


def yaml_get(path: str, key_path: str) -> Any:
    """Read the value at a dotted key path in a YAML file (text, number, list, mapping, true/false or null).

    Args:
        path: YAML file to read, relative to the working directory.
        key_path: Dotted path of the value, e.g. "carriers.UPS.base_fee" or "teams.0.lead.name"; "" returns the whole document.
    """
    _, _, data = _yaml_load(path)
    return _plain(_yaml_at(data, _key_tokens(key_path), key_path))


def yaml_set(path: str, key_path: str, value: Any) -> dict:
    """Set the value at a dotted key path in a YAML file and save it.

    An existing key or list item is replaced, a new key is added to an existing mapping, and the
    index equal to a list's length appends to it. The file is rewritten in block style: the comment
    lines at its top are kept, comments elsewhere are lost. Returns the old and new values.

    Args:
        path: YAML file to modify, relative to the working directory.
        key_path: Dotted path of the value to set, e.g. "replicas" or "env.LOG_LEVEL"; its parent must exist.
        value: New value: text, number, true/false, null, list or mapping.
    """
    resolved, text, data = _yaml_load(path)
    tokens = _key_tokens(key_path)
    if not tokens:
        raise ToolError("key_path must not be empty: name the key to set, e.g. 'replicas'")
    parent = _yaml_at(data, tokens[:-1], key_path)
    last, old = tokens[-1], None
    if isinstance(parent, dict):
        key = _mapping_key(parent, last)
        old = parent.get(key)
        parent[key] = value
    elif isinstance(parent, list):
        index = _list_index(parent, last, key_path, extend=True)
        if index == len(parent):
            parent.append(value)
        else:
            old, parent[index] = parent[index], value
    else:
        raise ToolError(f"cannot set '{last}': the value holding it in '{key_path}' is not a mapping or list")
    resolved.write_text(_leading_comments(text) + _yaml_dump(data), encoding="utf-8")
    return {"path": relative(resolved), "key_path": key_path, "old": _plain(old), "new": _plain(value)}


def yaml_validate(path: str) -> dict:
    """Check whether a file is valid YAML; if not, report the error with its line and column.

    Args:
        path: File to check, relative to the working directory.
    """
    import yaml

    _, text = _read(path)
    try:
        documents = list(yaml.safe_load_all(text))
    except yaml.YAMLError as exc:
        return {"valid": False, "documents": None, **_yaml_error(exc)}
    return {"valid": True, "documents": len(documents), "error": None, "line": None, "column": None}


def yaml_to_json(path: str, output_path: str) -> dict:
    """Convert a YAML file to a JSON file (indented with 2 spaces; dates become ISO text).

    Args:
        path: YAML file to convert, relative to the working directory.
        output_path: JSON file to write, relative to the working directory, e.g. "hr/org_chart_export.json".
    """
    source, _, data = _yaml_load(path)
    target = _write(output_path, json.dumps(_plain(data), indent=2, ensure_ascii=False) + "\n", source)
    return {"output_path": relative(target), "type": _kind(data)}


def yaml_from_json(path: str, output_path: str) -> dict:
    """Convert a JSON file to a YAML file (block style, keys in their original order).

    Args:
        path: JSON file to convert, relative to the working directory.
        output_path: YAML file to write, relative to the working directory, e.g. "engineering/config/app_config.yaml".
    """
    source, text = _read(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ToolError(f"'{path}' is not valid JSON: {exc}") from None
    yaml_text = _yaml_dump(data)
    target = _write(output_path, yaml_text, source)
    return {"output_path": relative(target), "lines": len(yaml_text.splitlines())}


def yaml_merge(path: str, other_path: str, output_path: str) -> dict:
    """Deep-merge two YAML files into a new one: mappings are merged key by key, the second file wins.

    Lists and plain values from the second file replace those of the first. Returns the top-level
    keys of the result and the key paths that the second file added or changed.

    Args:
        path: Base YAML file, relative to the working directory.
        other_path: YAML file whose values override the base, e.g. an environment-specific config.
        output_path: YAML file to write the merged result to, relative to the working directory.
    """
    source, _, base = _yaml_load(path)
    _, _, other = _yaml_load(other_path)
    if not isinstance(base, dict) or not isinstance(other, dict):
        raise ToolError("both YAML files must hold a mapping (key: value pairs) at the top level")
    changed: list[str] = []
    merged = _merge(base, other, "", changed)
    target = _write(output_path, _yaml_dump(merged), source)
    return {"output_path": relative(target), "keys": [str(key) for key in merged], "changed": changed[:100]}


# ---------------------------------------------------------------- XML
def _xml_root(path: str) -> tuple[Path, Any]:
    """The root element, with namespaces reduced to local names ('{uri}order' -> 'order')."""
    import xml.etree.ElementTree as ElementTree

    resolved, data = _bytes(path, "an XML file")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ToolError(f"'{path}' is not well-formed XML: {exc}") from None
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]
        element.attrib = {name.rsplit("}", 1)[-1]: value for name, value in element.attrib.items()}
    return resolved, root


def _select(root: Any, xpath: str) -> list[Any]:
    """Elements matching an XPath as read from the document: "/orders/order", "//customer", "orders/order"."""
    import xml.etree.ElementTree as ElementTree

    query = xpath.strip()
    if not query:
        raise ToolError("xpath must not be empty, e.g. './/order' or '/orders/order'")
    document = ElementTree.Element("\0document")  # the document node above the root, as in XPath
    document.append(root)
    try:
        found = document.findall("." + query if query.startswith("/") else query)
    except (SyntaxError, KeyError, ValueError, TypeError):
        raise ToolError(f"unsupported or invalid path '{xpath}'; ElementTree supports "
                        "tag, *, //, .., [@attr], [@attr='value'], [tag], [tag='text'] and [n]") from None
    return [element for element in found if element is not document]


def _element_json(element: Any) -> Any:
    """Attributes as "@name", repeated children as lists, text as "#text" (or the value itself for a bare leaf)."""
    text = _one_line((element.text or "") + "".join(child.tail or "" for child in element))
    value: dict[str, Any] = {"@" + name: item for name, item in element.attrib.items()}
    repeated = {tag for tag, count in collections.Counter(child.tag for child in element).items() if count > 1}
    for child in element:
        if child.tag in repeated:
            value.setdefault(child.tag, []).append(_element_json(child))
        else:
            value[child.tag] = _element_json(child)
    if not value:
        return text or None
    if text:
        value["#text"] = text
    return value


def _depth(element: Any) -> int:
    return 1 + max((_depth(child) for child in element), default=0)


def xml_structure(path: str) -> dict:
    """Describe an XML file's shape: root tag and attributes, its child tags with counts, total elements and depth.

    Args:
        path: XML file to inspect, relative to the working directory.
    """
    _, root = _xml_root(path)
    children = collections.Counter(child.tag for child in root)
    return {"root": root.tag, "attributes": dict(root.attrib),
            "children": [{"tag": tag, "count": count} for tag, count in children.items()],
            "elements": sum(1 for _ in root.iter()), "depth": _depth(root)}


def xml_tag_counts(path: str) -> list[dict]:
    """List every element tag used anywhere in an XML file, in order of first appearance, with its count and attribute names.

    Args:
        path: XML file to inspect, relative to the working directory.
    """
    _, root = _xml_root(path)
    counts: collections.Counter = collections.Counter()
    attributes: dict[str, set[str]] = {}
    for element in root.iter():
        counts[element.tag] += 1
        attributes.setdefault(element.tag, set()).update(element.attrib)
    return [{"tag": tag, "count": count, "attributes": sorted(attributes[tag])} for tag, count in counts.items()]


def xml_find(path: str, xpath: str, limit: int = 20) -> dict:
    """Find the elements of an XML file matching a path and return each with its attributes, text and children.

    Paths follow ElementTree's XPath subset, read from the document: "/orders/order" (from the
    root), "//customer" (anywhere), "//order[@status='shipped']" (attribute test),
    "//testcase[failure]" (has a child), "//order[1]" (position). Each match is given as
    {tag: value} in xml_to_json's form: attributes as "@name", text as "#text".

    Args:
        path: XML file to search, relative to the working directory.
        xpath: Path of the elements to find, e.g. "//order[@status='delivered']/customer".
        limit: Maximum number of elements to return.
    """
    _at_least("limit", limit)
    _, root = _xml_root(path)
    found = _select(root, xpath)
    return {"matches": len(found), "elements": [{element.tag: _element_json(element)} for element in found[:limit]]}


def xml_count(path: str, xpath: str) -> dict:
    """Count the elements of an XML file that match a path, e.g. "//order[@status='shipped']".

    Args:
        path: XML file to search, relative to the working directory.
        xpath: Path of the elements to count (ElementTree's XPath subset), e.g. "//testcase" or "/orders/order".
    """
    _, root = _xml_root(path)
    return {"xpath": xpath, "count": len(_select(root, xpath))}


def xml_attribute_values(path: str, xpath: str, attribute: str, limit: int = 50) -> dict:
    """Collect the values of one attribute over the elements matching a path, with the most common values.

    Args:
        path: XML file to read, relative to the working directory.
        xpath: Path of the elements to read, e.g. "//order" (ElementTree's XPath subset).
        attribute: Attribute name, e.g. "status" or "sku".
        limit: Maximum number of values to return (in document order).
    """
    _at_least("limit", limit)
    _, root = _xml_root(path)
    found = _select(root, xpath)
    values = [element.attrib[attribute] for element in found if attribute in element.attrib]
    common = sorted(collections.Counter(values).items(), key=lambda item: (-item[1], item[0]))[:10]
    return {"matched": len(found), "with_attribute": len(values), "distinct": len(set(values)),
            "values": values[:limit], "most_common": [[value, count] for value, count in common]}


def xml_to_json(path: str, output_path: str) -> dict:
    """Convert an XML file to JSON: {root: ...} with attributes as "@name", text as "#text", repeated tags as lists.

    Args:
        path: XML file to convert, relative to the working directory.
        output_path: JSON file to write, relative to the working directory, e.g. "data/exports/orders.json".
    """
    source, root = _xml_root(path)
    text = json.dumps({root.tag: _element_json(root)}, indent=2, ensure_ascii=False) + "\n"
    target = _write(output_path, text, source)
    return {"output_path": relative(target), "root": root.tag, "elements": sum(1 for _ in root.iter())}


def _drop_blank_text(node: Any) -> None:
    """Remove the whitespace between elements, which the re-indenting replaces."""
    for child in list(node.childNodes):
        if child.nodeType == child.TEXT_NODE and not child.data.strip():
            node.removeChild(child)
        elif child.hasChildNodes():
            _drop_blank_text(child)


def xml_pretty_print(path: str, output_path: str = "", indent: int = 2, max_chars: int = _MAX_CHARS) -> dict:
    """Re-indent an XML file, one element per line; show the result or save it to a file.

    Namespaces, comments and attributes are kept; whitespace between elements is replaced.

    Args:
        path: XML file to format, relative to the working directory.
        output_path: New file to save the formatted XML to; empty (the default) returns the text instead.
        indent: Number of spaces per nesting level.
        max_chars: Maximum number of characters of text to return when output_path is empty.
    """
    import xml.dom.minidom
    from xml.parsers import expat

    _at_least("indent", indent, 0)
    _at_least("max_chars", max_chars)
    source, data = _bytes(path, "an XML file")
    try:
        document = xml.dom.minidom.parseString(data)
    except expat.ExpatError as exc:
        raise ToolError(f"'{path}' is not well-formed XML: {exc}") from None
    _drop_blank_text(document)
    text = document.toprettyxml(indent=" " * indent, encoding="utf-8").decode("utf-8")
    if not output_path:
        return _capped(text, max_chars)
    target = _write(output_path, text, source)
    return {"output_path": relative(target), "lines": len(text.splitlines())}


def xml_validate(path: str) -> dict:
    """Check whether a file is well-formed XML; if not, report the error with its line and column.

    Args:
        path: File to check, relative to the working directory.
    """
    import xml.etree.ElementTree as ElementTree

    _, data = _bytes(path)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        return {"well_formed": False, "root": None, "error": str(exc), "line": line, "column": column + 1}
    return {"well_formed": True, "root": root.tag.rsplit("}", 1)[-1], "error": None, "line": None, "column": None}


# ---------------------------------------------------------------- HTML
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_CODE = frozenset("script style template".split())
_HIDDEN = _CODE | {"head", "noscript", "title"}
_SPACED = frozenset("td th option button textarea select".split())  # inline, yet never run together
_BLOCK = frozenset(("address article aside blockquote body br dd div dl dt fieldset figcaption figure footer form "
                    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tr ul caption").split())
_IMPLIED_END = {  # a start tag that closes an open element of these kinds, but not across the boundaries below
    "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"},
    "th": {"td", "th"}, "option": {"option"}, "thead": {"thead", "tbody", "tr", "td", "th"},
    "tbody": {"thead", "tbody", "tr", "td", "th"}, "tfoot": {"thead", "tbody", "tr", "td", "th"},
    **{tag: {"p"} for tag in _BLOCK - {"br", "body", "tr", "li", "dd", "dt", "caption"}},
}
_BOUNDARIES = frozenset("table ul ol dl select div body html td th".split())


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag, self.attrs, self.children = tag, attrs, []

    def find_all(self, *tags: str, within_tables: bool = True) -> list["_Node"]:
        """Descendants with these tags, in document order; `within_tables=False` skips nested tables."""
        found = []
        for child in self.children:
            if isinstance(child, _Node):
                if child.tag in tags:
                    found.append(child)
                if within_tables or child.tag != "table":
                    found.extend(child.find_all(*tags, within_tables=within_tables))
        return found

    def text(self) -> str:
        return _one_line(_render(self, _CODE))


class _TreeBuilder(html.parser.HTMLParser):
    """A forgiving HTML parser: void elements, implied end tags and stray end tags as browsers treat them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        closes, outermost = _IMPLIED_END.get(tag, set()), None
        for depth in range(len(self.stack) - 1, 0, -1):
            open_tag = self.stack[depth].tag
            if open_tag in closes:
                outermost = depth
            elif open_tag in _BOUNDARIES:
                break
        if outermost is not None:
            del self.stack[outermost:]
        node = _Node(tag, {name: value if value is not None else "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _html(path: str) -> _Node:
    _, text = _read(path)
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def _render(node: _Node, hidden: frozenset[str]) -> str:
    """The text under a node as a browser lays it out: blocks on lines of their own, cells apart, runs of spaces as one."""
    parts: list[str] = []

    def walk(parent: _Node) -> None:
        for child in parent.children:
            if isinstance(child, str):
                parts.append(re.sub(r"\s+", " ", child))
            elif child.tag not in hidden:
                edge = "\n" if child.tag in _BLOCK else " " if child.tag in _SPACED else ""
                parts.append(edge)
                walk(child)
                parts.append(edge)

    walk(node)
    return "".join(parts)


def _visible_text(root: _Node) -> str:
    lines = (" ".join(line.split()) for line in _render(root, _HIDDEN).splitlines())
    return "\n".join(line for line in lines if line)


def html_title(path: str) -> dict:
    """Get the title of an HTML page (the <title> element) and its declared language.

    Args:
        path: HTML file to read, relative to the working directory.
    """
    root = _html(path)
    titles = root.find_all("title")
    page = next(iter(root.find_all("html")), None)
    return {"title": titles[0].text() if titles else None, "language": page.attrs.get("lang") if page else None}


def html_headings(path: str) -> list[dict]:
    """Outline an HTML page: its headings h1-h6 in order, with their level.

    Args:
        path: HTML file to read, relative to the working directory.
    """
    return [{"level": int(node.tag[1]), "text": node.text()}
            for node in _html(path).find_all("h1", "h2", "h3", "h4", "h5", "h6")]


def html_links(path: str, limit: int = 100) -> dict:
    """List the links of an HTML page: each <a> element's target (href) and its text.

    Args:
        path: HTML file to read, relative to the working directory.
        limit: Maximum number of links to return (in page order).
    """
    _at_least("limit", limit)
    links = [{"href": node.attrs["href"], "text": node.text()} for node in _html(path).find_all("a") if "href" in node.attrs]
    return {"count": len(links), "links": links[:limit]}


def html_tables(path: str, limit: int = 50) -> list[dict]:
    """Read the tables of an HTML page, each as rows of cell text (header rows included, as they appear).

    Args:
        path: HTML file to read, relative to the working directory.
        limit: Maximum number of rows to return per table.
    """
    _at_least("limit", limit)
    tables = []
    for number, table in enumerate(_html(path).find_all("table"), start=1):
        rows = [[cell.text() for cell in row.find_all("td", "th", within_tables=False)]
                for row in table.find_all("tr", within_tables=False)]
        caption = table.find_all("caption", within_tables=False)
        tables.append({"table": number, "caption": caption[0].text() if caption else None,
                       "rows": len(rows), "data": rows[:limit]})
    return tables


def html_text(path: str, max_chars: int = _MAX_CHARS) -> dict:
    """Extract the text a reader sees on an HTML page, one block (paragraph, heading, row ...) per line.

    Scripts, styles, comments and the page head are left out.

    Args:
        path: HTML file to read, relative to the working directory.
        max_chars: Maximum number of characters to return ("truncated" tells whether text was cut).
    """
    _at_least("max_chars", max_chars)
    return _capped(_visible_text(_html(path)), max_chars)


def html_meta(path: str) -> list[dict]:
    """List the <meta> tags of an HTML page (charset, description, viewport, Open Graph ...) with their attributes.

    Args:
        path: HTML file to read, relative to the working directory.
    """
    return [dict(node.attrs) for node in _html(path).find_all("meta")]


def html_images(path: str) -> dict:
    """List the images of an HTML page with their source, alternative text and size, and count those without alt text.

    Args:
        path: HTML file to read, relative to the working directory.
    """
    images = [{"src": node.attrs.get("src"), "alt": node.attrs.get("alt"), "width": node.attrs.get("width"),
               "height": node.attrs.get("height")} for node in _html(path).find_all("img")]
    return {"count": len(images), "missing_alt": sum(1 for image in images if image["alt"] is None), "images": images}


def html_forms(path: str) -> list[dict]:
    """List the forms of an HTML page: where each submits (action, method) and its fields (name, type, value, options).

    Args:
        path: HTML file to read, relative to the working directory.
    """
    forms = []
    for number, form in enumerate(_html(path).find_all("form"), start=1):
        fields = []
        for control in form.find_all("input", "select", "textarea", "button"):
            attrs = control.attrs
            field = {"tag": control.tag, "name": attrs.get("name"),
                     "type": attrs.get("type", {"input": "text", "button": "submit"}.get(control.tag, control.tag)),
                     "value": attrs.get("value", control.text() if control.tag in ("textarea", "button") else None),
                     "required": "required" in attrs}
            if control.tag == "select":
                field["options"] = [option.attrs.get("value", option.text()) for option in control.find_all("option")]
            fields.append(field)
        forms.append({"form": number, "id": form.attrs.get("id"), "action": form.attrs.get("action", ""),
                      "method": form.attrs.get("method", "get").lower(), "fields": fields})
    return forms


# ---------------------------------------------------------------- Markdown
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^\s*(?:$|#|>|[-*+]\s|\d+[.)]\s|\||```|~~~)")
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_INLINE_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*[\"')])?\s*\)")
_REFERENCE_LINK = re.compile(r"(!?)\[([^\]]+)\]\[([^\]]*)\]")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+[\"'(].*[\"')])?\s*$")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_EMPHASIS = re.compile(r"(\*{1,3}|(?<!\w)_{1,3}|~~)(\S(?:.*?\S)?)\1(?!\w)")  # no '_' emphasis inside a word


class _Markdown:
    """A Markdown file split into what the tools look at: code blocks, headings, tables and prose lines."""

    def __init__(self, path: str):
        self.path, text = _read(path)
        self.lines = text.splitlines()
        self.code_blocks: list[dict] = []
        self.in_code: set[int] = set()
        self._scan_code()

    def _scan_code(self) -> None:
        opened: tuple[str, str, int] | None = None
        for number, line in enumerate(self.lines):
            if opened is None:
                if match := _FENCE.match(line):
                    opened = (match[1], match[2], number)
                    self.in_code.add(number)
                continue
            self.in_code.add(number)
            fence, language, start = opened
            if re.match(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", line):
                self._close(language, start, number)
                opened = None
        if opened is not None:  # an unclosed fence runs to the end of the file
            self._close(opened[1], opened[2], len(self.lines))

    def _close(self, language: str, start: int, end: int) -> None:
        self.code_blocks.append({"language": language or None, "line": start + 1,
                                 "code": "\n".join(self.lines[start + 1:end])})

    def prose(self) -> collections.abc.Iterator[tuple[int, str]]:
        """(1-based line number, line) outside code blocks."""
        return ((i + 1, line) for i, line in enumerate(self.lines) if i not in self.in_code)

    def headings(self) -> list[dict]:
        found = []
        for i, line in enumerate(self.lines):
            if i in self.in_code:
                continue
            if match := _ATX.match(line):
                found.append({"level": len(match[1]), "text": _inline_text(match[2] or ""), "line": i + 1})
            elif (match := _SETEXT.match(line)) and i > 0 and i - 1 not in self.in_code \
                    and not _NOT_PARAGRAPH.match(self.lines[i - 1]) and not _SETEXT.match(self.lines[i - 1]):
                level = 1 if match[1][0] == "=" else 2
                found.append({"level": level, "text": _inline_text(self.lines[i - 1]), "line": i})
        return found

    def tables(self) -> list[dict]:
        found, i = [], 0
        while i < len(self.lines) - 1:
            header, delimiter = self.lines[i], self.lines[i + 1]
            if i in self.in_code or "|" not in header or "|" not in delimiter or not _DELIMITER_ROW.match(delimiter):
                i += 1
                continue
            rows, j = [], i + 2
            while j < len(self.lines) and j not in self.in_code and "|" in self.lines[j] and self.lines[j].strip():
                rows.append(_cells(self.lines[j]))
                j += 1
            found.append({"line": i + 1, "header": _cells(header), "rows": rows})
            i = j
        return found


def _cells(line: str) -> list[str]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", text)]


def _inline_text(text: str) -> str:
    """Markdown inline markup reduced to the words a reader sees; code spans are kept as written."""
    pieces, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        pieces += [_unmarked(text[last:match.start()]), match[2]]
        last = match.end()
    return ("".join(pieces) + _unmarked(text[last:])).strip()


def _unmarked(text: str) -> str:
    text = _INLINE_LINK.sub(lambda m: m[2], text)
    text = _REFERENCE_LINK.sub(lambda m: m[2], text)
    text = _HTML_TAG.sub("", text)
    return _EMPHASIS.sub(r"\2", text)


def _slug(text: str, seen: collections.Counter) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as '-', repeats numbered."""
    base = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
    count = seen[base]
    seen[base] += 1
    return base if count == 0 else f"{base}-{count}"


def markdown_headings(path: str) -> list[dict]:
    """Outline a Markdown file: its headings (# style and underlined) in order, with level and line number.

    Lines inside fenced code blocks are ignored.

    Args:
        path: Markdown file to read, relative to the working directory.
    """
    return _Markdown(path).headings()


def markdown_links(path: str, include_images: bool = False, limit: int = 100) -> dict:
    """List the links of a Markdown file: inline [text](url), reference links, <autolinks> and bare URLs.

    Args:
        path: Markdown file to read, relative to the working directory.
        include_images: Whether to include images ![alt](src) too (marked "image": true).
        limit: Maximum number of links to return (in file order).
    """
    _at_least("limit", limit)
    document = _Markdown(path)
    definitions = {m[1].lower(): m[2] for _, line in document.prose() if (m := _DEFINITION.match(line))}
    links = []
    for number, line in document.prose():
        if _DEFINITION.match(line):
            continue
        line = _CODE_SPAN.sub(lambda m: " " * len(m[0]), line)
        found = []
        for match in _INLINE_LINK.finditer(line):
            found.append((match.start(), match[1] == "!", match[2], match[3]))
        for match in _REFERENCE_LINK.finditer(line):
            url = definitions.get((match[3] or match[2]).lower())
            if url is not None:
                found.append((match.start(), match[1] == "!", match[2], url))
        rest = _REFERENCE_LINK.sub(lambda m: " " * len(m[0]), _INLINE_LINK.sub(lambda m: " " * len(m[0]), line))
        for match in _AUTOLINK.finditer(rest):
            found.append((match.start(), False, match[1], match[1]))
        for match in _BARE_URL.finditer(_AUTOLINK.sub(lambda m: " " * len(m[0]), rest)):
            found.append((match.start(), False, match[0], match[0]))
        for _, image, text, url in sorted(found):
            if include_images or not image:
                links.append({"text": text, "url": url, "line": number, **({"image": True} if image else {})})
    return {"count": len(links), "links": links[:limit]}


def markdown_code_blocks(path: str, language: str = "", max_chars: int = 2000) -> dict:
    """List the fenced code blocks (``` or ~~~) of a Markdown file with their language, line and code.

    Args:
        path: Markdown file to read, relative to the working directory.
        language: Only blocks marked with this language, e.g. "python" or "sql"; "" for all blocks.
        max_chars: Maximum number of characters of code returned per block.
    """
    _at_least("max_chars", max_chars)
    blocks = [block for block in _Markdown(path).code_blocks
              if not language or (block["language"] or "").lower() == language.lower()]
    return {"count": len(blocks), "blocks": [{**block, "lines": len(block["code"].splitlines()),
                                              "code": block["code"][:max_chars]} for block in blocks]}


def markdown_tables(path: str, limit: int = 50) -> list[dict]:
    """Read the pipe tables of a Markdown file, each with its header, rows of cell text and line number.

    Args:
        path: Markdown file to read, relative to the working directory.
        limit: Maximum number of rows to return per table.
    """
    _at_least("limit", limit)
    return [{"table": number, "line": table["line"], "header": table["header"], "rows": len(table["rows"]),
             "data": table["rows"][:limit]} for number, table in enumerate(_Markdown(path).tables(), start=1)]


def markdown_word_count(path: str, include_code: bool = False) -> dict:
    """Count the words of a Markdown file as a reader sees them (markup, link targets and, by default, code left out).

    Args:
        path: Markdown file to count, relative to the working directory.
        include_code: Whether to count the words inside fenced code blocks as well.
    """
    document = _Markdown(path)
    words = 0
    for number, line in enumerate(document.lines):
        if number in document.in_code:
            if include_code and not _FENCE.match(line):
                words += len(_WORD.findall(line))
            continue
        if _DEFINITION.match(line):
            continue
        text = re.sub(r"^\s*(?:#{1,6}\s|>\s?|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+)", "", line)
        words += len(_WORD.findall(_inline_text(text)))
    return {"words": words, "lines": len(document.lines), "headings": len(document.headings()),
            "code_blocks": len(document.code_blocks), "tables": len(document.tables())}


def markdown_table_to_csv(path: str, output_path: str, table: int = 1) -> dict:
    """Save one pipe table of a Markdown file as a CSV file (header row first).

    Args:
        path: Markdown file to read, relative to the working directory.
        output_path: CSV file to write, relative to the working directory, e.g. "finance/reports/q2_revenue.csv".
        table: Which table to convert, counting from 1 in file order.
    """
    _at_least("table", table)
    document = _Markdown(path)
    tables = document.tables()
    if table > len(tables):
        raise ToolError(f"'{path}' has {len(tables)} table(s); choose a table number from 1 to {len(tables)}"
                        if tables else f"'{path}' has no Markdown tables")
    chosen = tables[table - 1]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(chosen["header"])
    writer.writerows(chosen["rows"])
    target = _write(output_path, buffer.getvalue(), document.path)
    return {"output_path": relative(target), "columns": chosen["header"], "rows": len(chosen["rows"])}


def markdown_toc(path: str, min_level: int = 2, max_level: int = 3) -> dict:
    """Generate a table of contents for a Markdown file: a nested list of links to its headings.

    Anchors follow GitHub's rules, so the links work on GitHub and most Markdown viewers. The
    default levels leave out the single top title (#) and go down to ### sections.

    Args:
        path: Markdown file to read, relative to the working directory.
        min_level: Smallest heading level to include (1 = #, 2 = ##, ...).
        max_level: Largest heading level to include, from min_level to 6.
    """
    _at_least("min_level", min_level)
    if not isinstance(max_level, int) or isinstance(max_level, bool) or not min_level <= max_level <= 6:
        raise ToolError(f"'max_level' must be an integer from min_level ({min_level}) to 6, got {max_level!r}")
    seen: collections.Counter = collections.Counter()
    lines = []
    for heading in _Markdown(path).headings():
        slug = _slug(heading["text"], seen)  # every heading takes its anchor, shown or not
        if min_level <= heading["level"] <= max_level:
            lines.append("  " * (heading["level"] - min_level) + f"- [{heading['text']}](#{slug})")
    return {"entries": len(lines), "toc": "\n".join(lines)}
