"""The dialogue graph end to end with the simulator: every routing edge and every call mode's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import NO_FAULTS, play, scripted_model
from langchain_core.messages import AIMessage

from fcgraph.config import CALL_MODES, DEFAULT_FILE_SYSTEM
from fcgraph.filters import rejection_reason
from fcgraph.graph import routing
from fcgraph.records import build_record
from fcgraph.simulator.grammar import CJK


def transitions(visited: list[str]) -> set[tuple[str, str]]:
    return set(zip(visited, visited[1:]))


def one_mode(make_config, mode: str, **overrides):
    return make_config(mode_weights={mode: 1}, task_turn_weights={1: 1}, sim=NO_FAULTS, **overrides)


def calls_of(messages) -> list[list[dict]]:
    return [m["tool_calls"] for m in messages if m["role"] == "assistant" and m.get("tool_calls")]


def first_playable(config, attempts: range = range(20)):
    """The first attempt whose task could be written (the simulator refuses impossible combinations)."""
    for attempt in attempts:
        state, visited = play(config, attempt)
        if state["outcome"] != "no_task":
            return state, visited
    pytest.fail("no playable attempt")


# ---------------------------------------------------------------- routing edges
def test_tool_loop_and_completion_edges(make_config):
    state, visited = first_playable(one_mode(make_config, "single"))
    assert visited[:3] == ["setup", "user", "assistant"]
    assert {("checker", "tool"), ("tool", "assistant"), ("checker", "user"), ("user", "finish")} <= transitions(visited)
    assert state["outcome"] == "completed"
    assert state["task_complete_index"] == [len(state["messages"]) - 1]
    assert state["is_task_completable"] == [True]


def test_checker_retry_edge_then_kept_after_max_retries(make_config):
    config = make_config(task_turn_weights={1: 1}, mode_weights={"single": 1},
                         sim={**NO_FAULTS, "unknown_tool_rate": 0.6}, checker_max_retries=1, n=1)
    retried = kept = False
    for attempt in range(12):
        state, visited = play(config, attempt)
        retried |= ("checker", "assistant") in transitions(visited)
        for index in state.get("checker_not_pass_index", []):
            kept = True
            message = state["messages"][index]
            assert message.tool_calls and message.tool_calls[0]["name"].split("_", 1)[0] in ("get", "run")
        if retried and kept:
            break
    assert retried and kept


def test_no_retry_when_checker_max_retries_is_zero(make_config):
    config = make_config(task_turn_weights={1: 1}, mode_weights={"single": 1},
                         sim={**NO_FAULTS, "wrong_type_rate": 1.0}, checker_max_retries=0, max_steps_per_turn=3)
    state, visited = first_playable(config)
    assert ("checker", "assistant") not in transitions(visited)
    assert state["checker_not_pass_index"]  # faulty replies kept and indexed
    assert state["outcome"] == "step_limit"  # every call is malformed, so the turn never finishes


def test_step_limit_ends_dialogue(make_config):
    state, visited = first_playable(one_mode(make_config, "dependent", max_steps_per_turn=1))
    assert state["outcome"] == "step_limit"
    assert visited[-1] == "finish" and ("checker", "finish") in transitions(visited)


def test_turn_limit_ends_after_last_turn(make_config):
    config = make_config(task_turn_weights={3: 1}, max_task_turns=2, mode_weights={"single": 1, "no_tool_use": 1},
                         sim=NO_FAULTS)
    state, visited = first_playable(config)
    assert state["outcome"] == "completed"
    assert len(state["task_complete_index"]) == 2  # capped by max_task_turns
    assert visited.count("finish") == 1


def test_impossible_ends_with_minus_one(make_config):
    state, visited = first_playable(one_mode(make_config, "miss_func"))
    assert state["outcome"] == "impossible"
    assert state["task_complete_index"] == [-1] and state["is_task_completable"] == [False]
    assert "tool" not in visited and ("user", "finish") in transitions(visited)


def test_routing_functions_read_only_the_state():
    with_call = AIMessage("", tool_calls=[{"name": "x", "args": {}, "id": "1"}])
    assert routing.after_checker({"checker_feedback": "fix it", "messages": [with_call]}) == "assistant"
    assert routing.after_checker({"outcome": "step_limit", "messages": [with_call]}) == "finish"
    assert routing.after_checker({"messages": [with_call]}) == "tool"
    assert routing.after_checker({"messages": [AIMessage("done")]}) == "user"
    assert routing.after_user({"outcome": "completed"}) == "finish"
    assert routing.after_user({"outcome": None}) == "assistant"


# ---------------------------------------------------------------- call modes
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("mode", CALL_MODES)
def test_mode_shape(make_config, mode, language):
    config = one_mode(make_config, mode, language=language)
    state, _ = first_playable(config)
    record = build_record(state, config)
    messages, offered = record["messages"], {t["function"]["name"] for t in record["tools"]}
    calls = calls_of(messages)
    assert record["dialog_mode"] == [mode] and record["language"] == language
    texts = [m["content"] for m in messages if m["role"] in ("system", "user", "assistant") and m.get("content")]
    assert all(bool(CJK.search(text)) == (language == "zh") for text in texts)
    if mode == "single":
        assert len(calls) == 1 and len(calls[0]) == 1
    elif mode == "parallel":
        assert len(calls[0]) >= 2  # independent calls in one assistant message
    elif mode == "multiple":
        assert len(offered) >= 2 and len(calls) == 1 and len(calls[0]) == 1
    elif mode == "dependent":
        assert len(calls) == 2
        first_result = next(m["content"] for m in messages if m["role"] == "tool")
        second_args = json.loads(calls[1][0]["function"]["arguments"])
        assert any(isinstance(v, str) and v.strip("/") in first_result for v in second_args.values())
    elif mode == "no_tool_use":
        assert calls == [] and messages[-1]["role"] == "assistant" and messages[-1]["content"]
    elif mode == "miss_param":
        ask = next(i for i, m in enumerate(messages) if m["role"] == "assistant")
        assert "tool_calls" not in messages[ask] and ("?" in messages[ask]["content"] or "？" in messages[ask]["content"])
        answer = messages[ask + 1]
        path = answer["content"].split("`")[1]
        assert answer["role"] == "user" and (Path(DEFAULT_FILE_SYSTEM) / path).is_file()
        assert path in json.dumps(calls[0])  # the real value the user gave is used
    elif mode == "miss_func":
        assert calls == [] and record["task_complete_index"] == [-1]
    if mode != "miss_func":
        assert record["outcome"] == "completed"
    assert all(call["function"]["name"] in offered for group in calls for call in group)


# ---------------------------------------------------------------- misbehaving models
def test_unparseable_checker_reply_fails_the_dialogue_with_a_reason(make_config):
    config = one_mode(make_config, "no_tool_use")
    state, visited = play(config, models={"checker": scripted_model(AIMessage("looks fine to me!"))})
    assert state["outcome"] == "bad_checker_reply" and "JSON" in state["outcome_detail"]
    assert rejection_reason(build_record(state, config), config.filters) == "bad_checker_reply"
    assert visited[-1] == "finish"


def test_unparseable_user_verdict_fails_the_dialogue_with_a_reason(make_config):
    config = one_mode(make_config, "no_tool_use")
    user = scripted_model(AIMessage("Explain what a primary key in a database table is"), AIMessage('{"verdict": "maybe"}'))
    state, _ = play(config, models={"user": user})
    assert state["outcome"] == "bad_user_reply" and "maybe" in state["outcome_detail"]


def test_malformed_tool_call_json_becomes_checker_feedback(make_config):
    config = one_mode(make_config, "no_tool_use", checker_max_retries=1)
    broken = AIMessage("", invalid_tool_calls=[{"name": "read_file", "args": '{"path": ', "id": "c1", "error": "bad JSON"}])
    state, visited = play(config, models={"assistant": scripted_model(broken, AIMessage("A primary key identifies each row."))})
    assert ("checker", "assistant") in transitions(visited)  # retried with feedback, no crash
    assert state["outcome"] == "completed" and not state["checker_not_pass_index"]


@pytest.mark.parametrize("detail", ["none", "tree", "tree_with_info"])
def test_what_the_assistant_is_told_about_the_workspace(make_config, detail):
    config = one_mode(make_config, "no_tool_use", provide_file_system_info=detail)
    state, _ = play(config)
    system = state["messages"][0].text
    files = state["plan"]["files"]
    if detail == "none":
        assert not any(Path(path).name in system for path in files)
    else:
        assert all(Path(path).name in system for path in files)
    assert ("columns" in system or "rows" in system) == (detail == "tree_with_info")
