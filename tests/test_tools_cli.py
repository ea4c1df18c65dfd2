"""`fcgraph tools list|show|validate` as a user runs them."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

from fcgraph.tools.registry import ToolRegistry

USER_TOOL = '''LICENCE = "MIT"


def shout(text: str) -> str:
    """Upper-case a text.

    Args:
        text: What to shout.
    """
    return text.upper()
'''


@pytest.fixture
def user_tools(tmp_path):
    folder = tmp_path / "tools"
    folder.mkdir()
    (folder / "loud.py").write_text(USER_TOOL)
    (folder / "api.json").write_text(json.dumps({"name": "lookup_order", "description": "Look up an order.",
                                                 "parameters": {"type": "object", "properties": {}},
                                                 "licence": "CC0-1.0", "category": "orders"}))
    return folder


def test_list_json_describes_every_tool(user_tools):
    result = run_cli("tools", "list", "--json", "--tool-defines-path", str(user_tools))
    assert result.returncode == 0, result.stderr
    listed = {item["name"]: item for item in json.loads(result.stdout)}
    assert set(listed) == set(ToolRegistry.load([user_tools], schema_only=["*"]).names)
    assert listed["shout"] == {"name": "shout", "category": "loud", "kind": "executable", "source": "loud.py",
                               "licence": "MIT"}
    assert listed["lookup_order"]["kind"] == "schema_only" and listed["lookup_order"]["licence"] == "CC0-1.0"
    assert listed["read_file"]["source"] == "fcgraph" and listed["read_file"]["licence"] == "Apache-2.0"


def test_list_by_category_and_show():
    result = run_cli("tools", "list", "--category", "sqlite", "--json")
    assert {item["category"] for item in json.loads(result.stdout)} == {"sqlite"}
    shown = json.loads(run_cli("tools", "show", "csv_columns").stdout)
    assert shown["schema"]["function"]["parameters"]["required"] == ["path"] and shown["kind"] == "executable"
    missing = run_cli("tools", "show", "csv_colums")
    assert missing.returncode == 2 and "csv_columns" in missing.stderr and "Traceback" not in missing.stderr


def test_validate_accepts_good_files_and_names_the_problem_in_bad_ones(user_tools, tmp_path):
    good = run_cli("tools", "validate", str(user_tools))
    assert good.returncode == 0 and "2 tool(s) valid" in good.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "description": "d", "parameters": {"type": "object", "required": ["y"]}}')
    result = run_cli("tools", "validate", str(bad))
    assert result.returncode == 2 and "bad.json" in result.stderr and "required" in result.stderr
    clash = tmp_path / "clash.py"
    clash.write_text('def read_file(path: str) -> str:\n    """Read.\n\n    Args:\n        path: p.\n    """\n    return path\n')
    result = run_cli("tools", "validate", str(clash))
    assert result.returncode == 2 and "read_file" in result.stderr and "defined twice" in result.stderr


def test_list_includes_the_schema_only_bundle():
    listed = json.loads(run_cli("tools", "list", "--json").stdout)
    kinds = {item["kind"] for item in listed}
    assert kinds == {"executable", "schema_only"}
    assert sum(item["kind"] == "executable" for item in listed) >= 300
    assert sum(item["kind"] == "schema_only" for item in listed) >= 3400
    assert all(item["licence"] and item["source"] for item in listed)


def test_import_openapi_writes_definitions_that_a_run_can_load(tmp_path):
    spec = tmp_path / "orders.yaml"
    spec.write_text("""openapi: 3.0.0
info: {title: Orders, version: "1", license: {name: MIT}}
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      summary: Fetch one order
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object, properties: {id: {type: string}, total: {type: number}}}}}
""")
    result = run_cli("tools", "import", "openapi", str(spec), "--out", str(tmp_path / "tools"))
    assert result.returncode == 0, result.stderr
    registry = ToolRegistry.load([tmp_path / "tools"])
    imported = [spec for spec in registry.specs() if spec.kind == "schema_only"]
    assert [s.name for s in imported] == ["getOrder"] and imported[0].response["properties"]["total"]["type"] == "number"
    bad = tmp_path / "not_an_api.yaml"
    bad.write_text("hello: world\n")
    result = run_cli("tools", "import", "openapi", str(bad), "--out", str(tmp_path / "tools"))
    assert result.returncode == 2 and "not_an_api.yaml" in result.stderr and "Traceback" not in result.stderr
