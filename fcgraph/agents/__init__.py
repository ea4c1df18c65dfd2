"""The four agents. Each is a few async functions around a chat model; the graph decides when they run."""

import json


class BadModelReply(Exception):
    """A model's reply that breaks its prompt's output contract; the dialogue fails with this reason."""


def parse_json_object(text: str) -> dict:
    """The first JSON object in a reply, tolerating prose or code fences around it."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise BadModelReply(f"expected a JSON object, got: {text[:200]!r}")
    try:
        value = json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise BadModelReply(f"reply is not valid JSON ({exc.msg}): {text[:200]!r}") from None
    if not isinstance(value, dict):
        raise BadModelReply(f"expected a JSON object, got: {text[:200]!r}")
    return value
