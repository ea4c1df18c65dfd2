"""The simulated user and checker: what they answer to the prompts the real agents send.

Each function takes the JSON context block of its prompt and returns the reply text a model would
give, in the same output contract the prompt asks of a real model.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import PurePosixPath
from random import Random
from typing import Any

from fcgraph.simulator.grammar import (
    CHAINS,
    INTENTS,
    QUESTIONS,
    generic_intents,
    language_of,
    render,
    vague_template,
    wording,
)
from fcgraph.simulator.grounding import FileView, Intent
from fcgraph.simulator.lexicon import ANSWERS, CONNECTORS, FOLLOW_UPS, NUDGES, TONES
from fcgraph.simulator.policy import current_turn, next_action
from fcgraph.simulator.responses import fake_arguments, fake_reply

CANNOT_WRITE = "CANNOT_WRITE_TASK"


def _tool_names(context: dict[str, Any]) -> set[str]:
    return {tool["name"] for tool in context["tools"]}


def _tool_parameters(context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {tool["name"]: tool.get("parameters", {}) for tool in context["tools"]}


def _views(context: dict[str, Any]) -> list[FileView]:
    return [FileView(info) for info in context["files"]]


def _groundings(sources: tuple, views: list[FileView], rng: Random) -> list[tuple[Any, dict[str, Any], FileView]]:
    options = []
    for source in sources:
        for view in views:
            if source.kinds and view.kind not in source.kinds:
                continue
            args = source.ground(view, rng)
            if args is not None:
                options.append((source, {**source.fixed, **args}, view))
    return options


def write_task(context: dict[str, Any], rng: Random) -> str:
    mode, offered, language = context["mode"], _tool_names(context), context.get("language", "en")
    views = _views(context)
    previous = " ".join(context.get("previous_tasks", []))
    fresh = functools.partial(_unasked, previous=previous, language=language)
    usable = [i for i in INTENTS if i.tool in offered]
    apis = _schema_only_options(context, views, rng)  # offered tools with no wording of their own

    if mode == "no_tool_use":
        question = rng.choice([q for q in QUESTIONS if wording(q, language) not in previous] or list(QUESTIONS))
        return _wrap(wording(question, language), context, rng)
    if mode == "miss_func":
        options = fresh(_groundings(tuple(i for i in INTENTS if i.tool not in offered), views, rng))
    elif mode == "dependent":
        options = fresh(_groundings(tuple(c for c in CHAINS if {c.first, c.second} <= offered), views, rng))
    elif mode == "miss_param":
        options = fresh(_groundings(tuple(i for i in usable if i.path_arg), views, rng))
    elif mode == "parallel":
        options = _groundings(tuple(i for i in usable if not i.writes), views, rng) + apis
        pair = _parallel_pair(options, rng, language)
        if pair is None:
            return f"{CANNOT_WRITE}: no two independent requests can be made with the offered tools and files"
        clauses = [render(wording(source, language), args) for source, args, _ in pair]
        return _wrap(rng.choice(CONNECTORS[language]).join(clauses), context, rng)
    elif mode == "multiple" and len(offered) < 2:
        return f"{CANNOT_WRITE}: a multiple-choice task needs at least two offered tools"
    else:
        options = fresh(_groundings(tuple(usable), views, rng) + apis)
    if not options:
        return f"{CANNOT_WRITE}: no {mode} task fits the offered tools {sorted(offered)} and the given files"
    source, args, view = rng.choice(options)
    if mode == "miss_param":
        assert isinstance(source, Intent)
        return _wrap(render(vague_template(source, language).replace("{hint}", view.stem), args), context, rng)
    return _wrap(render(wording(source, language), args), context, rng)


def _schema_only_options(context: dict[str, Any], views: list[FileView], rng: Random) -> list:
    """(intent, arguments, view) for offered schema-only tools, with argument values from their schemas."""
    options = []
    apis = {t["name"]: t.get("parameters", {}) for t in context["tools"] if t.get("kind") == "schema_only"}
    for intent in generic_intents(apis):
        arguments = fake_arguments(apis[intent.tool], rng.getrandbits(32))
        if arguments is not None and views:
            options.append((intent, arguments, views[0]))
    return options


def _unasked(options: list, previous: str, language: str) -> list:
    """Options not asked for in an earlier turn (all of them when every one was)."""
    return [o for o in options if render(wording(o[0], language), o[1]) not in previous] or options


def _parallel_pair(options: list, rng: Random, language: str) -> list | None:
    rng.shuffle(options)
    for index, first in enumerate(options):
        for second in options[index + 1:]:
            if render(wording(first[0], language), first[1]) != render(wording(second[0], language), second[1]):
                return [first, second]
    return None


def _wrap(body: str, context: dict[str, Any], rng: Random) -> str:
    tones = (FOLLOW_UPS if context.get("turn", 0) else TONES)[context.get("language", "en")]
    template = rng.choice(tones.get(context.get("tone", "polite"), tones["polite"]))
    return template.format(body=body, Body=body[0].upper() + body[1:], persona=_self_introduction(context))


def _self_introduction(context: dict[str, Any]) -> str:
    """The persona's first sentence, to follow "I'm" / "我是" inside a request."""
    first = re.split(r"(?<=[.。])\s*", context.get("persona") or "a member of staff")[0].rstrip(".。")
    return first[0].lower() + first[1:] if first else first


def judge(context: dict[str, Any], rng: Random) -> str:
    """The user's verdict on the assistant's last reply, as the JSON the judge prompt asks for."""
    dialogue, tools = context["dialogue"], _tool_parameters(context)
    turn = current_turn(dialogue, tools)
    action = next_action(dialogue, tools)
    if turn is None or action.kind in ("answer", "summary"):
        return _verdict("done")
    if action.kind == "refuse":
        return _verdict("impossible")
    language = language_of(turn.task)
    if action.kind == "ask":
        clause = next(c for c in turn.clauses if c.hint)
        kinds = clause.source.kinds  # type: ignore[union-attr]
        paths = [info["path"] for info in context["files"]
                 if PurePosixPath(info["path"]).stem == clause.hint and (not kinds or info["type"] in kinds)]
        if not paths:
            return _verdict("impossible")
        return _verdict("answer", rng.choice(ANSWERS[language]).format(value=f"`{paths[0]}`"))
    return _verdict("continue", rng.choice(NUDGES[language]))


def _verdict(verdict: str, message: str = "") -> str:
    return json.dumps({"verdict": verdict, "message": message}, ensure_ascii=False)


def check(context: dict[str, Any]) -> str:
    """Pass unless a text reply skips tool calls the request still needs (a premature final answer)."""
    candidate = context["candidate"]
    if candidate.get("tool_calls"):
        return json.dumps({"pass": True, "feedback": ""})
    expected = next_action(context["dialogue"], _tool_parameters(context))
    if expected.kind == "calls":
        names = ", ".join(sorted({call.name for call in expected.calls}))
        return json.dumps({"pass": False, "feedback": (
            f"The reply answers without the information the request needs. Call {names} first and answer "
            "from the tool results instead of assumptions.")})
    return json.dumps({"pass": True, "feedback": ""})


def tool_reply(context: dict[str, Any], rng: Random) -> str:
    """What a schema-only tool returns, generated from its response schema."""
    return json.dumps(fake_reply(context.get("response_schema"), context.get("arguments") or {}, rng.getrandbits(32)),
                      ensure_ascii=False, default=str)
