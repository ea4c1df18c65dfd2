"""The simulator's grammar and policy on their own: what the user writes, the assistant reads back."""

from __future__ import annotations

import json
from random import Random

import pytest

from fcgraph.config import DEFAULT_FILE_SYSTEM
from fcgraph.sampling import Environment
from fcgraph.simulator.grammar import (
    CHAINS,
    INTENTS,
    LANGUAGES,
    QUESTIONS,
    SLOT,
    parse_request,
    render,
    vague_template,
    wording,
)
from fcgraph.simulator.grounding import FileView, Intent
from fcgraph.simulator.policy import next_action, read_tool_content, typed
from fcgraph.tools.registry import ToolRegistry
from fcgraph.tools.relations import DEPENDENT_PAIRS

REGISTRY = ToolRegistry.load()
VIEWS = [FileView(info) for info in Environment(DEFAULT_FILE_SYSTEM).infos.values()]


WRAPS = {"en": "Hi! Could you please {}? Thanks.", "zh": "您好！麻烦您{}，谢谢！"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("source", INTENTS + CHAINS, ids=lambda s: s.template[:40])
def test_every_request_reads_back_to_its_own_call(source, language):
    rng, grounded = Random(0), 0
    template = wording(source, language)
    for view in VIEWS:
        if source.kinds and view.kind not in source.kinds or (args := source.ground(view, rng)) is None:
            continue
        grounded += 1
        args = {**source.fixed, **args}
        clauses = parse_request(WRAPS[language].format(render(template, args)))
        assert len(clauses) == 1 and clauses[0].source is source
        first_tool = source.tool if isinstance(source, Intent) else source.first
        slots = SLOT.findall(template)
        read_back = typed(clauses[0].args, REGISTRY[first_tool].parameters)
        assert {k: read_back[k] for k in slots} == {k: args[k] for k in slots}
        if isinstance(source, Intent) and source.path_arg:
            vague = parse_request(WRAPS[language].format(render(vague_template(source, language).replace("{hint}", view.stem), args)))
            assert len(vague) == 1 and vague[0].hint == view.stem and vague[0].source is source
    assert grounded, "the bundled file system should ground every request type"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_question_reads_back(language):
    for question in QUESTIONS:
        clauses = parse_request(WRAPS[language].format(wording(question, language)))
        assert [c.source for c in clauses] == [question]


def test_slots_are_the_same_in_every_language():
    for source in (*INTENTS, *CHAINS):
        assert sorted(SLOT.findall(wording(source, "zh"))) == sorted(SLOT.findall(wording(source, "en")))


def test_grammar_covers_the_registry_and_the_dependent_pairs():
    assert {intent.tool for intent in INTENTS} <= set(REGISTRY.names)
    assert {(chain.first, chain.second) for chain in CHAINS} == set(DEPENDENT_PAIRS)


def test_truncated_list_output_is_read_up_to_the_cut():
    full = json.dumps([{"path": f"a/{i}.txt", "line": i} for i in range(50)])
    ok, items = read_tool_content(full[:300] + "\n...[truncated: 300 of 2000 characters shown]")
    assert ok and items[0] == {"path": "a/0.txt", "line": 0} and 0 < len(items) < 50


def test_dependent_step_uses_the_first_result_even_when_truncated():
    request = {"role": "user", "content": "find which file mentions `Portland` and count the words in it"}
    call = {"role": "assistant", "content": "", "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "grep_files", "arguments": '{"pattern": "Portland"}'}}]}
    long_result = json.dumps([{"path": "hr/employees.csv", "line": i, "text": "x" * 80} for i in range(60)])
    result = {"role": "tool", "tool_call_id": "c1", "content": long_result[:4096] + "\n...[truncated]"}
    action = next_action([request, call, result], {name: REGISTRY[name].parameters for name in ("grep_files", "count_lines_words")})
    assert action.kind == "calls" and action.calls[0].arguments == {"path": "hr/employees.csv"}
