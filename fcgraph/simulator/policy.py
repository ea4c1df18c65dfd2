"""What a competent assistant does next in the current task turn, read from the messages alone.

The simulated assistant follows this policy (plus injected faults); the simulated checker and user
compare a reply against it. Messages are OpenAI chat dicts, the one format shared with HTTP clients.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fcgraph.simulator.grammar import (
    Clause,
    answer_of,
    generic_intents,
    language_of,
    parse_answer,
    parse_request,
    second_person,
)
from fcgraph.simulator.grounding import Chain, Intent, Question
from fcgraph.simulator.lexicon import REPLIES


@dataclass(frozen=True)
class Call:
    name: str
    arguments: dict[str, Any]

    @property
    def key(self) -> str:
        return self.name + json.dumps(self.arguments, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Action:
    """Either tool calls or a text reply; `kind` says which reply (answer, ask, refuse, summary, chat)."""

    kind: str
    calls: tuple[Call, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Turn:
    """The current task turn: its request, what follows it, and what the assistant has learnt so far."""

    clauses: list[Clause]
    after: list[dict[str, Any]]  # messages after the task message
    task: str = ""

    @property
    def answer(self) -> str | None:
        for message in self.after:
            if message["role"] == "user" and (value := parse_answer(_text(message))):
                return value
        return None

    def results(self) -> dict[str, Any]:
        """Successful tool results by call key; failed calls are absent, so they get redone."""
        calls: dict[str, Call] = {}
        results: dict[str, Any] = {}
        for message in self.after:
            for tool_call in message.get("tool_calls") or []:
                function = tool_call["function"]
                try:
                    arguments = json.loads(function.get("arguments") or "{}")
                except json.JSONDecodeError:
                    continue
                calls[tool_call["id"]] = Call(function["name"], arguments)
            if message["role"] == "tool" and message.get("tool_call_id") in calls:
                ok, value = read_tool_content(_text(message))
                if ok:
                    results[calls[message["tool_call_id"]].key] = value
        return results


def _text(message: dict[str, Any]) -> str:
    content = message.get("content") or ""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content


def read_tool_content(content: str) -> tuple[bool, Any]:
    try:
        value = json.loads(content)
    except json.JSONDecodeError:
        if content.startswith("[") and (items := _leading_items(content)):
            return True, items  # a truncated list: read what arrived, as a model would
        return (not content.lower().startswith("error")), content
    if isinstance(value, dict) and set(value) == {"error"}:
        return False, value["error"]
    return True, value


def _leading_items(content: str) -> list[Any]:
    """The complete items at the start of a JSON list whose end was cut off."""
    decoder, items, position = json.JSONDecoder(), [], 1
    while True:
        while position < len(content) and content[position] in " ,\n":
            position += 1
        try:
            item, position = decoder.raw_decode(content, position)
        except json.JSONDecodeError:
            return items
        items.append(item)


def current_turn(messages: Sequence[dict[str, Any]], tools: Mapping[str, dict[str, Any]] = {}) -> Turn | None:  # noqa: B006
    """The latest request and what followed it; `tools` (offered name -> parameters) adds generic wordings."""
    extra = generic_intents(tools)
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if message["role"] == "user" and (clauses := parse_request(_text(message), extra)):
            return Turn(clauses, list(messages[index + 1:]), _text(message))
    return None


Schemas = Mapping[str, dict[str, Any]]  # offered tool name -> its JSON-schema parameters


def next_action(messages: Sequence[dict[str, Any]], tools: Schemas) -> Action:
    offered = set(tools)
    turn = current_turn(messages, tools)
    if turn is None:
        return Action("chat", text=REPLIES["en"]["chat"])
    language = language_of(turn.task)
    replies = REPLIES[language]
    questions = [c.source for c in turn.clauses if isinstance(c.source, Question)]
    if questions:
        return Action("answer", text=" ".join(answer_of(question, language) for question in questions))
    missing = [c for c in turn.clauses if not set(c.tools) <= offered]
    if missing:
        return Action("refuse", text=replies["refuse"].format(task=_repeat(missing[0])))
    vague = [c for c in turn.clauses if c.hint]
    answer = turn.answer
    if vague and answer is None:
        return Action("ask", text=replies["ask"].format(hint=vague[0].hint, task=_repeat(vague[0])))
    results = turn.results()
    for step in range(2):
        calls = [call for clause in turn.clauses if (call := _call(clause, step, results, answer, tools))]
        pending = tuple(call for call in calls if call.key not in results)
        if pending:
            return Action("calls", calls=pending)
    return Action("summary", text=_summary(results, replies))


def _repeat(clause: Clause) -> str:
    """The user's request as the assistant says it back."""
    return second_person(clause.text[0].lower() + clause.text[1:])


def _call(clause: Clause, step: int, results: dict[str, Any], answer: str | None, tools: Schemas) -> Call | None:
    source = clause.source
    args = dict(clause.args)
    if isinstance(source, Intent):
        if clause.hint:
            args[source.path_arg] = answer
        return Call(source.tool, typed(args, tools[source.tool])) if step == 0 else None
    assert isinstance(source, Chain)
    first = Call(source.first, typed(args, tools[source.first]))
    if step == 0:
        return first
    if first.key not in results:
        return None
    try:
        second = source.link(first.arguments, results[first.key])
    except (LookupError, TypeError, AttributeError):
        return None  # the first result does not lead anywhere; the summary says what was found
    return Call(source.second, typed(second, tools[source.second])) if None not in second.values() else None


def typed(arguments: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    """Argument values read from a request, typed as the tool's schema asks (as a model reads a schema)."""
    properties = parameters.get("properties", {})
    return {name: _as_schema(value, properties.get(name, {})) for name, value in arguments.items()}


def _as_schema(value: Any, schema: dict[str, Any]) -> Any:
    kinds = [schema.get("type")] + [option.get("type") for option in schema.get("anyOf", [])]
    if not isinstance(value, str) or "string" in kinds:
        return value
    try:
        return json.loads(value)  # numbers, booleans, lists and objects; untyped values that parse
    except json.JSONDecodeError:
        return value


def _summary(results: dict[str, Any], replies: dict[str, str]) -> str:
    if not results:
        return replies["nothing"]
    parts = [f"**{_heading(key)}**\n{_render(value, replies)}" for key, value in results.items()]
    return replies["found"] + "\n\n" + "\n\n".join(parts)


def _heading(call_key: str) -> str:
    """'read_file{"path": "a.txt"}' -> 'read_file (path: a.txt)', so parallel results can be told apart."""
    name, _, arguments = call_key.partition("{")
    shown = ", ".join(f"{k}: {_short(v, 40)}" for k, v in json.loads("{" + arguments).items())
    return f"{name} ({shown})" if shown else name


def _render(value: Any, replies: dict[str, str], rows: int = 6) -> str:
    """A tool result as a person would summarise it: tables as rows, records as lines, long lists cut."""

    def rest(items: list[Any], shown: int) -> str:
        return "\n" + replies["total"].format(count=len(items)) if len(items) > shown else ""

    if isinstance(value, dict) and isinstance(value.get("columns"), list) and isinstance(value.get("rows"), list):
        lines = [" | ".join(map(str, value["columns"]))] + [" | ".join(map(str, row)) for row in value["rows"][:rows]]
        return "\n".join(lines) + rest(value["rows"], rows)
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        lines = ["- " + ", ".join(f"{k}: {_short(v)}" for k, v in item.items()) for item in value[:rows]]
        return "\n".join(lines) + rest(value, rows)
    if isinstance(value, list):
        return (", ".join(_short(item) for item in value[: rows * 3]) or replies["empty"]) + rest(value, rows * 3)
    if isinstance(value, dict):
        return "\n".join(f"- {key}: {_short(item)}" for key, item in list(value.items())[:12])
    return _short(value, 600)


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."
