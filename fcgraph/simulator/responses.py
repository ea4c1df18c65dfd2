"""Simulated replies of schema-only tools: realistic JSON generated from the tool's response schema.

jsf generates values from the schema; Faker hints chosen by property name ("email", "city", ...)
make them look real. Both draw from the global `random` and Faker seeds, which are set from the
caller's seeded generator right before generating, so a reply depends only on the request.
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

from faker import Faker
from jsf import JSF

HINTS = {  # property-name fragment -> Faker provider for string properties
    "email": "faker.email", "first_name": "faker.first_name", "last_name": "faker.last_name",
    "name": "faker.name", "company": "faker.company", "city": "faker.city", "country": "faker.country",
    "address": "faker.street_address", "street": "faker.street_name", "zip": "faker.postcode",
    "phone": "faker.phone_number", "url": "faker.url", "website": "faker.url", "date": "faker.date",
    "time": "faker.iso8601", "title": "faker.catch_phrase", "description": "faker.sentence",
    "summary": "faker.sentence", "text": "faker.sentence", "currency": "faker.currency_code",
    "language": "faker.language_name", "color": "faker.color_name", "id": "faker.uuid4",
}


def fake_reply(response_schema: dict[str, Any] | None, arguments: dict[str, Any], seed: int) -> Any:
    if not response_schema:
        response_schema = {"type": "object", "required": ["status", "result"], "properties": {
            "status": {"type": "string", "enum": ["ok"]},
            "result": {"type": "object", "required": ["summary"], "properties": {"summary": {"type": "string"}}}}}
    random.seed(seed)
    Faker.seed(seed)
    value = JSF(_with_hints(copy.deepcopy(response_schema))).generate()
    return _echo_arguments(value, arguments)


def _with_hints(schema: Any, name: str = "") -> Any:
    if isinstance(schema, dict):
        if schema.get("type") == "string" and "enum" not in schema and "format" not in schema and "$provider" not in schema:
            hint = next((provider for fragment, provider in HINTS.items() if fragment in name.lower()), None)
            if hint:
                schema["$provider"] = hint
        for key, sub in schema.get("properties", {}).items():
            _with_hints(sub, key)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                _with_hints(schema[key], name)
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key, []):
                _with_hints(sub, name)
    return schema


def _echo_arguments(value: Any, arguments: dict[str, Any]) -> Any:
    """A reply repeats the caller's own values where it has a field of that name, as real APIs do."""
    if isinstance(value, dict):
        return {key: arguments[key] if key in arguments and type(arguments[key]) is type(item) else _echo_arguments(item, arguments)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_echo_arguments(item, arguments) for item in value]
    return value


def fake_arguments(parameters: dict[str, Any], seed: int) -> dict[str, Any] | None:
    """Values for a tool's required arguments, generated from its parameter schema (None if they cannot be
    written into a request: a value containing a backtick would end the request's value marker)."""
    required = [name for name in parameters.get("required", []) if name in parameters.get("properties", {})]
    schema = {"type": "object", "required": required,
              "properties": {name: parameters["properties"][name] for name in required}}
    random.seed(seed)
    Faker.seed(seed)
    arguments = JSF(_with_hints(copy.deepcopy(schema))).generate() if required else {}
    texts = [value if isinstance(value, str) else json.dumps(value) for value in arguments.values()]
    return None if any("`" in text or not text for text in texts) else arguments
