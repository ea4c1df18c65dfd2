"""The YAML, XML, HTML and Markdown tools, run in a real sandbox worker on a copy of the seed tree.

Expectations come from the files themselves: PyYAML and json called directly, and for XML, HTML and
Markdown regular expressions over the raw text, a method independent of the tools' parsers. Edge
cases (namespaces, unclosed HTML tags, code fences) use small files written by the tests.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest
import yaml
from tool_checks import assert_described, grounded_calls, seed_files

from fcgraph.simulator.intents import markup as markup_intents
from fcgraph.tools.builtin import markup
from fcgraph.tools.discovery import tool_functions

YAMLS, XMLS = seed_files(".yaml", ".yml"), seed_files(".xml")
HTMLS, MARKDOWNS, JSONS = seed_files(".html", ".htm"), seed_files(".md"), seed_files(".json")


def text_of(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def strip_tags(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def write(root: Path, path: str, text: str) -> str:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")
    return path


def test_the_seed_has_markup_to_test_on():
    assert YAMLS and XMLS and HTMLS and len(MARKDOWNS) >= 3


@pytest.mark.parametrize("name", sorted(tool_functions(markup)))
def test_every_parameter_is_described(name: str):
    assert name.startswith(("yaml_", "xml_", "html_", "markdown_"))
    assert_described(markup, "markup", [name])


# ---------------------------------------------------------------------------------------------------
# YAML


def plain(value):
    return json.loads(json.dumps(value, default=str))


def leaf_paths(value, prefix=""):
    """(dotted path, value) for every leaf of a YAML document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_paths(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaf_paths(item, f"{prefix}.{index}" if prefix else str(index))
    else:
        yield prefix, value


@pytest.mark.parametrize("path", YAMLS)
def test_yaml_keys_and_get_match_pyyaml(tool_sandbox, path: str):
    data = yaml.safe_load(text_of(tool_sandbox.root, path))
    keys = tool_sandbox.ok("yaml_keys", path=path)
    assert [k["key"] for k in keys] == [str(k) for k in data]
    assert {k["key"]: k["type"] for k in keys if isinstance(data[k["key"]], dict)} == {
        str(k): "mapping" for k, v in data.items() if isinstance(v, dict)}
    leaves = list(leaf_paths(data))
    for key_path, value in leaves[:: max(1, len(leaves) // 15)]:
        assert tool_sandbox.ok("yaml_get", path=path, key_path=key_path) == plain(value), key_path
    assert tool_sandbox.ok("yaml_get", path=path, key_path="") == plain(data)
    nested = next(k for k, v in data.items() if isinstance(v, dict | list))
    assert [k["key"] for k in tool_sandbox.ok("yaml_keys", path=path, key_path=str(nested))] == [
        str(k) for k in (data[nested] if isinstance(data[nested], dict) else range(len(data[nested])))]


def test_yaml_get_errors_name_the_available_keys(tool_sandbox):
    path = YAMLS[0]
    data = yaml.safe_load(text_of(tool_sandbox.root, path))
    missing = tool_sandbox.call("yaml_get", path=path, key_path="no_such_key")
    assert missing.error_kind == "tool" and str(next(iter(data))) in missing.error
    assert tool_sandbox.call("yaml_get", path=path, key_path="a..b").error_kind == "tool"
    assert tool_sandbox.call("yaml_keys", path="missing.yaml").error_kind == "tool"


def test_yaml_set_keeps_the_top_comments(tool_sandbox):
    root = tool_sandbox.root
    path = write(root, "cfg/settings.yaml", "# owned by ops\n# do not edit by hand\nservice: portal\n"
                                            "replicas: 2\nowners:\n- mei\n- omar\nlimits:\n  cpu: 500m\n")
    result = tool_sandbox.ok("yaml_set", path=path, key_path="limits.cpu", value="750m")
    assert result == {"path": path, "key_path": "limits.cpu", "old": "500m", "new": "750m"}
    tool_sandbox.ok("yaml_set", path=path, key_path="replicas", value=4)
    tool_sandbox.ok("yaml_set", path=path, key_path="owners.2", value="hannah")  # index == length appends
    tool_sandbox.ok("yaml_set", path=path, key_path="reviewed", value={"by": "Dana", "ok": True})
    text = text_of(root, path)
    assert text.startswith("# owned by ops\n# do not edit by hand\n")
    assert yaml.safe_load(text) == {"service": "portal", "replicas": 4, "owners": ["mei", "omar", "hannah"],
                                    "limits": {"cpu": "750m"}, "reviewed": {"by": "Dana", "ok": True}}
    for key_path in ("owners.7", "service.name", ""):
        assert tool_sandbox.call("yaml_set", path=path, key_path=key_path, value=1).error_kind == "tool"


def test_yaml_validate(tool_sandbox):
    for path in YAMLS:
        assert tool_sandbox.ok("yaml_validate", path=path) == {"valid": True, "documents": 1, "error": None,
                                                               "line": None, "column": None}
    write(tool_sandbox.root, "bad/broken.yaml", "name: a\nitems: [1, 2\nother: 3\n")
    broken = tool_sandbox.ok("yaml_validate", path="bad/broken.yaml")
    assert broken["valid"] is False and broken["line"] == 3 and broken["error"]
    write(tool_sandbox.root, "bad/two.yaml", "a: 1\n---\nb: 2\n")
    assert tool_sandbox.ok("yaml_validate", path="bad/two.yaml")["documents"] == 2
    assert tool_sandbox.call("yaml_keys", path="bad/broken.yaml").error_kind == "tool"


def test_yaml_json_round_trip(tool_sandbox):
    root = tool_sandbox.root
    for number, path in enumerate(YAMLS):
        data = yaml.safe_load(text_of(root, path))
        result = tool_sandbox.ok("yaml_to_json", path=path, output_path=f"out/yaml/{number}.json")
        assert result == {"output_path": f"out/yaml/{number}.json", "type": "mapping"}
        assert json.loads(text_of(root, result["output_path"])) == plain(data)
    for number, path in enumerate(JSONS):
        result = tool_sandbox.ok("yaml_from_json", path=path, output_path=f"out/yaml/{number}.yaml")
        assert yaml.safe_load(text_of(root, result["output_path"])) == json.loads(text_of(root, path))
    same = tool_sandbox.call("yaml_to_json", path=YAMLS[0], output_path=YAMLS[0])
    assert same.error_kind == "tool" and "differ" in same.error
    assert tool_sandbox.call("yaml_from_json", path=YAMLS[0], output_path="out/x.yaml").error_kind == "tool"


def test_yaml_merge(tool_sandbox):
    root = tool_sandbox.root
    write(root, "merge/base.yaml", "service: portal\nreplicas: 1\nenv:\n  LOG_LEVEL: INFO\n  DB: a.db\nports: [80]\n")
    write(root, "merge/prod.yaml", "replicas: 3\nenv:\n  LOG_LEVEL: WARN\n  REGION: eu\nports: [443]\n")
    result = tool_sandbox.ok("yaml_merge", path="merge/base.yaml", other_path="merge/prod.yaml",
                             output_path="merge/merged.yaml")
    assert yaml.safe_load(text_of(root, "merge/merged.yaml")) == {
        "service": "portal", "replicas": 3, "env": {"LOG_LEVEL": "WARN", "DB": "a.db", "REGION": "eu"}, "ports": [443]}
    assert result["keys"] == ["service", "replicas", "env", "ports"]
    assert sorted(result["changed"]) == ["env.LOG_LEVEL", "env.REGION", "ports", "replicas"]
    write(root, "merge/list.yaml", "- 1\n- 2\n")
    assert tool_sandbox.call("yaml_merge", path="merge/base.yaml", other_path="merge/list.yaml",
                             output_path="merge/x.yaml").error_kind == "tool"


# ---------------------------------------------------------------------------------------------------
# XML

START_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)[\s/>]")


@pytest.mark.parametrize("path", XMLS)
def test_xml_structure_and_tag_counts_match_the_text(tool_sandbox, path: str):
    text = re.sub(r"<!--.*?-->", "", text_of(tool_sandbox.root, path), flags=re.DOTALL)
    tags = START_TAG.findall(text)
    counts = tool_sandbox.ok("xml_tag_counts", path=path)
    assert [(c["tag"], c["count"]) for c in counts] == list({t: tags.count(t) for t in tags}.items())
    structure = tool_sandbox.ok("xml_structure", path=path)
    assert structure["root"] == tags[0] and structure["elements"] == len(tags)
    root_attributes = dict(re.findall(r'(\w+)="([^"]*)"', re.search(rf"<{tags[0]}[^>]*>", text).group()))
    assert structure["attributes"] == root_attributes
    for item in structure["children"]:
        assert 0 < item["count"] <= tags.count(item["tag"])


def test_xml_find_count_and_attributes_on_the_orders_export(tool_sandbox):
    path = next(p for p in XMLS if "<order " in text_of(tool_sandbox.root, p))
    text = text_of(tool_sandbox.root, path)
    statuses = re.findall(r'<order [^>]*status="([^"]+)"', text)
    for xpath in ("/orders/order", "//order", "orders/order", ".//order"):
        assert tool_sandbox.ok("xml_count", path=path, xpath=xpath)["count"] == len(statuses), xpath
    assert tool_sandbox.ok("xml_count", path=path, xpath="order")["count"] == 0  # XPath: relative to the document
    status = statuses[-1]
    shipped = tool_sandbox.ok("xml_count", path=path, xpath=f"//order[@status='{status}']")
    assert shipped["count"] == statuses.count(status)

    values = tool_sandbox.ok("xml_attribute_values", path=path, xpath="//order", attribute="status", limit=5)
    assert values["values"] == statuses[:5] and values["distinct"] == len(set(statuses))
    assert values["most_common"][0][1] == max(statuses.count(s) for s in set(statuses))

    first = re.search(r'<order id="([^"]+)"[^>]*>\s*<customer id="([^"]+)">([^<]+)</customer>', text)
    found = tool_sandbox.ok("xml_find", path=path, xpath=f"//order[@id='{first[1]}']")
    order = found["elements"][0]["order"]
    assert found["matches"] == 1 and order["@id"] == first[1]
    assert order["customer"] == {"@id": first[2], "#text": first[3]}
    customers = tool_sandbox.ok("xml_find", path=path, xpath="//customer", limit=3)
    assert customers["matches"] == len(statuses) and len(customers["elements"]) == 3


def test_xml_find_on_a_namespaced_document(tool_sandbox):
    path = write(tool_sandbox.root, "feeds/atom.xml",
                 '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:x">'
                 '<entry x:id="1"><title>One</title></entry><entry x:id="2"><title>Two</title></entry>'
                 '<!-- a comment --></feed>')
    assert tool_sandbox.ok("xml_count", path=path, xpath="//entry")["count"] == 2
    assert tool_sandbox.ok("xml_attribute_values", path=path, xpath="//entry", attribute="id")["values"] == ["1", "2"]
    assert tool_sandbox.ok("xml_find", path=path, xpath="/feed/entry[2]/title")["elements"] == [{"title": "Two"}]
    as_json = tool_sandbox.ok("xml_to_json", path=path, output_path="feeds/atom.json")
    assert json.loads(text_of(tool_sandbox.root, "feeds/atom.json")) == {
        "feed": {"entry": [{"@id": "1", "title": "One"}, {"@id": "2", "title": "Two"}]}}
    assert as_json["elements"] == 5
    pretty = tool_sandbox.ok("xml_pretty_print", path=path)
    assert 'xmlns="http://www.w3.org/2005/Atom"' in pretty["text"] and "<!-- a comment -->" in pretty["text"]
    bad = tool_sandbox.call("xml_find", path=path, xpath="//entry[@")
    assert bad.error_kind == "tool" and "invalid path" in bad.error


def test_xml_to_json_and_pretty_print_keep_the_content(tool_sandbox):
    root = tool_sandbox.root
    for number, path in enumerate(XMLS):
        text = text_of(root, path)
        converted = tool_sandbox.ok("xml_to_json", path=path, output_path=f"out/xml/{number}.json")
        data = json.loads(text_of(root, converted["output_path"]))
        flat = json.dumps(data)
        for name, value in re.findall(r'(\w+)="([^"]*)"', text.split("?>", 1)[-1])[:50]:
            assert f'"@{name}": {json.dumps(value)}' in flat
        pretty = tool_sandbox.ok("xml_pretty_print", path=path, output_path=f"out/xml/{number}.xml", indent=4)
        formatted = text_of(root, pretty["output_path"])
        assert START_TAG.findall(formatted) == START_TAG.findall(text)
        assert all(re.match(r"^( {4})*<", line) for line in formatted.splitlines())
        capped = tool_sandbox.ok("xml_pretty_print", path=path, max_chars=40)
        assert capped["truncated"] is True and len(capped["text"]) == 40


def test_xml_validate(tool_sandbox):
    for path in XMLS:
        assert tool_sandbox.ok("xml_validate", path=path)["well_formed"] is True
    write(tool_sandbox.root, "bad/broken.xml", "<a>\n  <b>\n</a>\n")
    broken = tool_sandbox.ok("xml_validate", path="bad/broken.xml")
    assert broken["well_formed"] is False and broken["line"] == 3 and "mismatched" in broken["error"]
    assert tool_sandbox.call("xml_structure", path="bad/broken.xml").error_kind == "tool"
    assert tool_sandbox.call("xml_count", path="nope.xml", xpath="//a").error_kind == "tool"


# ---------------------------------------------------------------------------------------------------
# HTML


@pytest.mark.parametrize("path", HTMLS)
def test_html_title_headings_links_and_images_match_the_text(tool_sandbox, path: str):
    text = text_of(tool_sandbox.root, path)
    title = re.search(r"<title>(.*?)</title>", text, re.DOTALL)
    assert tool_sandbox.ok("html_title", path=path) == {"title": strip_tags(title[1]) if title else None,
                                                         "language": re.search(r'<html lang="(\w+)"', text)[1]}
    headings = [{"level": int(level), "text": strip_tags(body)}
                for level, body in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", text, re.DOTALL)]
    assert tool_sandbox.ok("html_headings", path=path) == headings
    links = [{"href": html.unescape(href), "text": strip_tags(body)}
             for href, body in re.findall(r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', text, re.DOTALL)]
    assert tool_sandbox.ok("html_links", path=path) == {"count": len(links), "links": links}
    images = re.findall(r"<img\s[^>]*>", text)
    found = tool_sandbox.ok("html_images", path=path)
    assert found["count"] == len(images)
    assert [image["src"] for image in found["images"]] == [re.search(r'src="([^"]*)"', i)[1] for i in images]
    metas = re.findall(r"<meta\s([^>]*)>", text)
    assert tool_sandbox.ok("html_meta", path=path) == [dict(re.findall(r'([\w-]+)="([^"]*)"', m)) for m in metas]


@pytest.mark.parametrize("path", HTMLS)
def test_html_tables_and_text(tool_sandbox, path: str):
    text = text_of(tool_sandbox.root, path)
    rows = [[strip_tags(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", text, re.DOTALL)]
    tables = tool_sandbox.ok("html_tables", path=path)
    assert [row for table in tables for row in table["data"]] == rows
    visible = tool_sandbox.ok("html_text", path=path, max_chars=100_000)["text"]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>|<!--.*?-->", "", text.split("<body", 1)[1], flags=re.DOTALL)
    assert "".join(visible.split()) == "".join(strip_tags("<body" + body).split())  # same words, same order
    assert "{" not in visible.replace("{{", "").replace("{order_id}", "")  # no CSS leaked in
    capped = tool_sandbox.ok("html_text", path=path, max_chars=30)
    assert capped["truncated"] is True and capped["text"] == visible[:30]


def test_html_on_forms_and_sloppy_markup(tool_sandbox):
    path = write(tool_sandbox.root, "web/contact.html", """<!doctype html><html><head><title>Contact &amp; quotes</title>
<meta name="description" content="Ask us"><script>var x = "<b>not text</b>";</script></head><body>
<h1>Contact <small>us</small></h1>
<form id="quote" action="/quote" method="POST">
  <input name="email" type="email" required><input name="qty" value="10">
  <select name="region"><option value="eu">Europe<option>Asia</select>
  <textarea name="note">Hello</textarea><button>Send</button>
</form>
<ul><li>One<li>Two<ul><li>Two A</ul><li>Three</ul>
<table><tr><td>a<td>b<tr><td>c<table><tr><td>inner</table><td>d</table>
<p>First<p>Second <b>bold</b>text
</body></html>""")
    assert tool_sandbox.ok("html_title", path=path)["title"] == "Contact & quotes"
    assert tool_sandbox.ok("html_headings", path=path) == [{"level": 1, "text": "Contact us"}]
    assert tool_sandbox.ok("html_forms", path=path) == [{"form": 1, "id": "quote", "action": "/quote", "method": "post",
                                                         "fields": [
        {"tag": "input", "name": "email", "type": "email", "value": None, "required": True},
        {"tag": "input", "name": "qty", "type": "text", "value": "10", "required": False},
        {"tag": "select", "name": "region", "type": "select", "value": None, "required": False,
         "options": ["eu", "Asia"]},
        {"tag": "textarea", "name": "note", "type": "textarea", "value": "Hello", "required": False},
        {"tag": "button", "name": None, "type": "submit", "value": "Send", "required": False}]}]
    tables = tool_sandbox.ok("html_tables", path=path)
    assert [t["data"] for t in tables] == [[["a", "b"], ["c inner", "d"]], [["inner"]]]
    assert tool_sandbox.ok("html_text", path=path)["text"].splitlines() == [
        "Contact us", "Europe Asia Hello Send", "One", "Two", "Two A", "Three", "a b", "c", "inner", "d", "First",
        "Second boldtext"]
    assert tool_sandbox.ok("html_meta", path=path) == [{"name": "description", "content": "Ask us"}]
    assert tool_sandbox.ok("html_images", path=path) == {"count": 0, "missing_alt": 0, "images": []}
    assert tool_sandbox.call("html_links", path="web/missing.html").error_kind == "tool"
    assert tool_sandbox.call("html_text", path=next(iter(p for p in seed_files(".png")))).error_kind == "tool"


# ---------------------------------------------------------------------------------------------------
# Markdown

SAMPLE = """Release notes
=============

Intro with a [site](https://example.com "Home") and a [ref link][docs] and <https://auto.example/x>.
See also https://bare.example/page. ![logo](img/logo.png)

## Setup

```python
# not a heading
print("[not a link](x)")
```

Setup
-----

| Name | Value |
|:-----|------:|
| a \\| b | 1 |
| c | 2 |

~~~
plain code
~~~

### Setup

[docs]: https://docs.example/guide
"""


def test_markdown_on_an_edge_case_file(tool_sandbox):
    path = write(tool_sandbox.root, "notes/sample.md", SAMPLE)
    assert tool_sandbox.ok("markdown_headings", path=path) == [
        {"level": 1, "text": "Release notes", "line": 1}, {"level": 2, "text": "Setup", "line": 7},
        {"level": 2, "text": "Setup", "line": 14}, {"level": 3, "text": "Setup", "line": 26}]
    links = tool_sandbox.ok("markdown_links", path=path)["links"]
    assert [(l["text"], l["url"]) for l in links] == [
        ("site", "https://example.com"), ("ref link", "https://docs.example/guide"),
        ("https://auto.example/x", "https://auto.example/x"), ("https://bare.example/page", "https://bare.example/page")]
    with_images = tool_sandbox.ok("markdown_links", path=path, include_images=True)["links"]
    assert {"text": "logo", "url": "img/logo.png", "line": 5, "image": True} in with_images
    blocks = tool_sandbox.ok("markdown_code_blocks", path=path)
    assert [(b["language"], b["line"], b["lines"]) for b in blocks["blocks"]] == [("python", 9, 2), (None, 22, 1)]
    assert tool_sandbox.ok("markdown_code_blocks", path=path, language="PYTHON")["count"] == 1
    assert tool_sandbox.ok("markdown_tables", path=path) == [
        {"table": 1, "line": 17, "header": ["Name", "Value"], "rows": 2, "data": [["a | b", "1"], ["c", "2"]]}]
    toc = tool_sandbox.ok("markdown_toc", path=path)
    assert toc["toc"].splitlines() == ["- [Setup](#setup)", "- [Setup](#setup-1)", "  - [Setup](#setup-2)"]
    assert tool_sandbox.ok("markdown_toc", path=path, min_level=1, max_level=1)["toc"] == "- [Release notes](#release-notes)"
    bad = tool_sandbox.call("markdown_toc", path=path, min_level=3, max_level=2)
    assert bad.error_kind == "tool"
    counted = tool_sandbox.ok("markdown_word_count", path=path)
    with_code = tool_sandbox.ok("markdown_word_count", path=path, include_code=True)
    assert with_code["words"] - counted["words"] == 10  # not a heading / print not a link x / plain code
    assert (counted["headings"], counted["code_blocks"], counted["tables"]) == (4, 2, 1)


@pytest.mark.parametrize("path", MARKDOWNS)
def test_markdown_headings_tables_and_words_match_the_text(tool_sandbox, path: str):
    lines = text_of(tool_sandbox.root, path).splitlines()
    assert not any(line.startswith(("```", "~~~")) for line in lines), "seed Markdown has no code fences"
    headings = [{"level": len(m[1]), "text": m[2].strip(), "line": i}
                for i, line in enumerate(lines, start=1) if (m := re.match(r"(#{1,6}) (.*)", line))]
    assert tool_sandbox.ok("markdown_headings", path=path) == headings
    tables, current = [], None
    for line in lines:
        if line.startswith("|"):
            current = current if current is not None else tables.append([]) or tables[-1]
            current.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        else:
            current = None
    found = tool_sandbox.ok("markdown_tables", path=path)
    assert [[t["header"], *t["data"]] for t in found] == [[t[0], *t[2:]] for t in tables]
    prose = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", "\n".join(
        re.sub(r"^\s*(#{1,6}\s|[-*+]\s+(\[[ xX]\]\s+)?|\d+[.)]\s+)", "", line) for line in lines))
    words = len(re.findall(r"\w+(?:['’.,-]\w+)*", re.sub(r"\*\*(.+?)\*\*|`", r"\1", prose)))
    assert tool_sandbox.ok("markdown_word_count", path=path)["words"] == words


def test_markdown_table_to_csv(tool_sandbox):
    root = tool_sandbox.root
    path = next(p for p in MARKDOWNS if len(re.findall(r"^\|[-:| ]+\|$", text_of(root, p), re.MULTILINE)) >= 2)
    tables = tool_sandbox.ok("markdown_tables", path=path)
    result = tool_sandbox.ok("markdown_table_to_csv", path=path, output_path="out/md/second.csv", table=2)
    with (root / "out/md/second.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [tables[1]["header"], *tables[1]["data"]]
    assert result == {"output_path": "out/md/second.csv", "columns": tables[1]["header"], "rows": len(rows) - 1}
    too_far = tool_sandbox.call("markdown_table_to_csv", path=path, output_path="out/md/x.csv", table=len(tables) + 1)
    assert too_far.error_kind == "tool" and f"has {len(tables)} table" in too_far.error


# ---------------------------------------------------------------------------------------------------
# the simulator's requests


@pytest.mark.parametrize("intent", markup_intents.INTENTS, ids=lambda intent: intent.tool)
def test_every_request_succeeds_on_every_fitting_seed_file(tool_sandbox, intent):
    calls = grounded_calls(intent)
    for call in calls:
        tool_sandbox.ok(intent.tool, **call)
    assert calls
