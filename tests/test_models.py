"""Per-role model settings, prompts, majority voting, reasoning and usage, on the real graph with the simulator.

The same paths over real HTTP, against `fcgraph sim serve`, are in test_endpoints.py.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage, convert_to_openai_messages

from conftest import play, run_cli, scripted_model
from fcgraph.agents.calls import ask, majority, metering, split_reasoning, vote_key
from fcgraph.config import load_config
from fcgraph.prompts import CONTEXT_BLOCK, PROMPT_NAMES
from fcgraph.records import usage_cost
from fcgraph.simulator.chat_model import SimChatModel


class PromptLog(BaseCallbackHandler):
    """Every prompt a chat model received, by purpose (`assistant` for the assistant, which has no context block)."""

    def __init__(self) -> None:
        self.by_purpose: dict[str, list[list[dict[str, Any]]]] = {}

    def on_chat_model_start(self, serialized: Any, messages: list[list[Any]], **kwargs: Any) -> None:
        for prompt in messages:
            dialogue = convert_to_openai_messages(prompt)
            found = CONTEXT_BLOCK.search(str(dialogue[-1]["content"]))
            purpose = json.loads(found.group(1))["purpose"] if found else "assistant"
            self.by_purpose.setdefault(purpose, []).append(dialogue)

    def contexts(self, purpose: str) -> list[dict[str, Any]]:
        return [json.loads(CONTEXT_BLOCK.search(prompt[-1]["content"]).group(1)) for prompt in self.by_purpose[purpose]]


def call(name: str, **args: Any) -> dict[str, Any]:
    return {"name": name, "args": args, "id": f"call_{name}_{len(args)}", "type": "tool_call"}


# --- configuration ---------------------------------------------------------------------------------------------

def config_show(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = run_cli("config", "show", *args, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_flags_set_every_role_and_role_flags_win() -> None:
    shown = config_show("--base-url", "http://127.0.0.1:9/v1", "--model", "qwen3-8b", "--assistant-model", "deepseek-r1",
                        "--tool-base-url", "http://127.0.0.1:10/v1")
    models = shown["models"]
    assert {role: m["model"] for role, m in models.items()} == {
        "user": "qwen3-8b", "assistant": "deepseek-r1", "tool": "qwen3-8b", "checker": "qwen3-8b"}
    assert {m["provider"] for m in models.values()} == {"openai"}
    assert models["tool"]["base_url"] == "http://127.0.0.1:10/v1" and models["user"]["base_url"] == "http://127.0.0.1:9/v1"


def test_precedence_file_then_environment_then_set_then_flags(tmp_path: Path) -> None:
    config = tmp_path / "run.toml"
    config.write_text('[models.user]\nmodel = "from-file"\n[models.checker]\nmodel = "from-file"\n'
                      '[models.tool]\nmodel = "from-file"\n')
    env = {"FCGRAPH_MODELS__USER__MODEL": "from-env", "FCGRAPH_MODELS__CHECKER__MODEL": "from-env",
           "FCGRAPH_MODELS__ASSISTANT__TEMPERATURE": "0.2", "FCGRAPH_UNRELATED": "ignored"}
    models = config_show("--config", str(config), "--set", "models.checker.model=from-set", "--user-model", "from-flag",
                         env=env)["models"]
    assert [models[role]["model"] for role in ("tool", "checker", "user")] == ["from-file", "from-set", "from-flag"]
    assert models["assistant"]["temperature"] == 0.2 and models["assistant"]["provider"] == "sim"


def test_config_show_masks_secrets(tmp_path: Path) -> None:
    secret = "sk-live-0123456789abcdef"
    shown = config_show("--base-url", f"https://bob:{secret}@llm.example.com/v1?api_key={secret}&region=eu",
                        "--model", "gpt-4o", "--api-key-env", "MY_LLM_KEY", "--set", f'models.user.extra_body={{api_key="{secret}", top_k=20}}',
                        env={"MY_LLM_KEY": secret})
    text = json.dumps(shown)
    assert secret not in text and "bob" not in text
    user = shown["models"]["user"]
    assert user["base_url"] == "https://***@llm.example.com/v1?api_key=***&region=eu"
    assert user["extra_body"] == {"api_key": "***", "top_k": 20}
    assert user["api_key"] == "*** (from MY_LLM_KEY)" and user["api_key_env"] == "MY_LLM_KEY"
    assert config_show("--model", "gpt-4o", env={"OPENAI_API_KEY": ""})["models"]["tool"]["api_key"] == "not set (OPENAI_API_KEY)"


@pytest.mark.parametrize("args, message", [
    (["--set", "models.assistant.temperature=5"], "models.assistant.temperature"),
    (["--set", "models.user.provider='anthropic'"], "models.user.provider"),
    (["--set", "models.tool.n=0"], "models.tool.n"),
    (["--set", "prompts.no_such_prompt='x.md'"], "there is no prompt 'no_such_prompt'"),
])
def test_bad_model_settings_are_one_clear_message(args: list[str], message: str) -> None:
    result = run_cli("config", "show", *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_a_real_endpoint_without_key_is_refused_before_anything_runs(tmp_path: Path) -> None:
    result = run_cli("run", "--n", "1", "--out", str(tmp_path / "run"), "--model", "gpt-4o", env={"OPENAI_API_KEY": ""})
    assert result.returncode == 2 and "OPENAI_API_KEY is not set" in result.stderr
    assert not (tmp_path / "run" / "data.jsonl").exists()


# --- prompts ---------------------------------------------------------------------------------------------------

EXPECTED_CONTEXT = {  # what each agent is told, and nothing more (purpose and language come with every prompt)
    "user.write_task": {"mode", "turn", "persona", "tone", "files", "tools", "previous_tasks"},
    "user.judge": {"files", "tools", "dialogue"},
    "checker.tool_calls": {"tools", "dialogue", "candidate"},
    "checker.reply": {"tools", "dialogue", "candidate"},
    "tool.reply": {"tool", "response_schema", "arguments", "examples"},
}


@pytest.fixture(scope="module")
def prompt_log(tmp_path_factory) -> tuple[PromptLog, list[dict[str, Any]], Any]:
    """Prompts of dialogues that offer bundled APIs (so the tool model is asked too), with the sampled files."""
    from fcgraph.runner import Run

    tmp = tmp_path_factory.mktemp("prompts")
    config = load_config(overrides={"out": tmp / "run", "sandbox_isolation": "none", "virtual_cache_path": tmp / "v.sqlite",
                                    "schema_only_tools": ["openapi_*"], "max_task_turns": 2})
    log, states = PromptLog(), []
    for attempt in range(6):
        states.append(play(config, attempt, callbacks=[log])[0])
    return log, states, Run(config).context


@pytest.mark.parametrize("purpose", sorted(EXPECTED_CONTEXT))
def test_each_agent_prompt_gets_exactly_its_information(prompt_log, purpose: str) -> None:
    log, states, context = prompt_log
    contexts = log.contexts(purpose)
    assert contexts, f"no {purpose} prompt in six dialogues"
    for payload in contexts:
        assert set(payload) - {"purpose", "language"} == EXPECTED_CONTEXT[purpose]
    if "files" in EXPECTED_CONTEXT[purpose]:  # the user sees the sampled files' info, first lines included
        sampled = [[context.file_infos[path] for path in state["plan"]["files"]] for state in states]
        assert all(payload["files"] in sampled for payload in contexts)
        assert any("head" in info or "pages" in info for payload in contexts for info in payload["files"])


def test_the_assistant_never_sees_file_contents(prompt_log) -> None:
    log, states, context = prompt_log
    contents = [line.strip() for info in context.file_infos.values() for line in info.get("head", [])
                if len(line.strip()) > 12]
    for prompt in log.by_purpose["assistant"]:
        told = " ".join(str(m["content"]) for m in prompt if m["role"] in ("system", "user"))
        assert not [line for line in contents if line in told]
        assert not [m for m in prompt if "<context>" in str(m["content"])]


def test_a_prompt_file_of_ones_own_replaces_the_packaged_one(make_config, tmp_path: Path) -> None:
    own = tmp_path / "task.md"
    own.write_text("MY HOUSE STYLE for $mode requests.\n\n$context\n")
    log = PromptLog()
    state, _ = play(make_config(prompts={"user_write_task": own}), callbacks=[log])
    written = log.by_purpose["user.write_task"]
    assert all(prompt[-1]["content"].startswith(f"MY HOUSE STYLE for {state['plan']['modes'][0]} requests.")
               for prompt in written[:1])
    assert state["outcome"] == "completed"
    assert not log.by_purpose["user.judge"][0][-1]["content"].startswith("MY HOUSE STYLE")


def test_a_prompt_file_with_unknown_placeholders_is_refused(tmp_path: Path) -> None:
    own = tmp_path / "judge.md"
    own.write_text("Judge $dialogue_text please\n$context")
    config = tmp_path / "run.toml"
    config.write_text('[prompts]\nuser_judge = "judge.md"\n')
    result = run_cli("config", "show", "--config", str(config))
    assert result.returncode == 2 and "judge.md" in result.stderr and "dialogue_text" in result.stderr
    assert "user_judge" in PROMPT_NAMES


# --- voting and reasoning ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("first, second, same", [
    (AIMessage("", tool_calls=[call("a", x=1, y=[1, 2]), call("b")]),
     AIMessage("", tool_calls=[call("b"), call("a", y=[1, 2], x=1)]), True),  # parallel calls in another order
    (AIMessage("", tool_calls=[call("a", x=1)]), AIMessage("", tool_calls=[call("a", x=2)]), False),
    (AIMessage("", tool_calls=[call("a", x=1)]), AIMessage("a(x=1)"), False),
    (AIMessage("The total is 42."), AIMessage("the total is  42"), True),
    (AIMessage("The total is 42."), AIMessage("The total is 43."), False),
])
def test_samples_are_compared_by_normalised_calls_or_text(first: AIMessage, second: AIMessage, same: bool) -> None:
    assert (vote_key(first) == vote_key(second)) is same


def test_the_majority_wins_and_ties_go_to_the_first_group() -> None:
    a, b = AIMessage("", tool_calls=[call("a")]), AIMessage("", tool_calls=[call("b")])
    assert majority([a, b, b]) == (1, {"samples": 3, "votes": [2, 1], "winner": 1, "agreed": 2})
    assert majority([b, a, a, b])[0] == 0
    assert majority([AIMessage("x"), AIMessage("y"), AIMessage("z")])[0] == 0


def test_voting_over_simulator_samples_picks_the_most_common_reply(make_config) -> None:
    """Samples drawn with frequent faults (unknown tools, missing arguments) disagree; the vote takes the usual one."""
    config = make_config(sim={"unknown_tool_rate": 0.3, "missing_argument_rate": 0.3})
    model = SimChatModel(seed=config.seed, **config.sim.model_dump())
    disagreed = 0
    for attempt in range(4):
        state, _ = play(config, attempt)
        prompt, tools = state["messages"][:2], state["tools"]  # the system prompt and the first task
        samples = asyncio.run(model.agenerate([prompt], tools=tools, n=7)).generations[0]
        keys = Counter(vote_key(sample.message) for sample in samples)
        answer = asyncio.run(ask(model, prompt, tools=tools, n=7))
        assert vote_key(answer.message) == keys.most_common(1)[0][0]
        assert answer.vote["samples"] == 7 and answer.vote["votes"] == sorted(keys.values(), reverse=True)
        disagreed += len(keys) > 1
    assert disagreed  # else this test would not show a vote deciding anything


@pytest.mark.parametrize("message, content, reasoning", [
    (AIMessage("The answer is 4.", additional_kwargs={"reasoning_content": "2 + 2 = 4"}), "The answer is 4.", "2 + 2 = 4"),
    (AIMessage("<think>\nadd them\n</think>\n\nThe answer is 4."), "The answer is 4.", "add them"),
    (AIMessage("<think>add them</think>4 <think>check</think> indeed"), "4 indeed", "add them\n\ncheck"),
    (AIMessage("<think>cut short by max_tokens"), "", "cut short by max_tokens"),
    (AIMessage("No reasoning here."), "No reasoning here.", None),
])
def test_reasoning_leaves_the_content(message: AIMessage, content: str, reasoning: str | None) -> None:
    split = split_reasoning(message)
    assert split.content == content and split.additional_kwargs.get("reasoning_content") == reasoning


def test_assistant_votes_are_recorded_by_message_index(make_config) -> None:
    config = make_config(assistant_n_response=3, sim={"unknown_tool_rate": 0.2, "missing_argument_rate": 0.2})
    votes = {}
    for attempt in range(4):
        state, _ = play(config, attempt)
        for index, vote in state["assistant_votes"].items():
            assert isinstance(state["messages"][int(index)], AIMessage)
            assert vote["samples"] == 3 and sum(vote["votes"]) == 3 and vote["agreed"] == vote["votes"][0]
            votes[(attempt, index)] = vote
        assert set(state["assistant_votes"]) == {str(i) for i, m in enumerate(state["messages"]) if isinstance(m, AIMessage)}
    assert any(vote["agreed"] < 3 for vote in votes.values())


# --- usage and cost --------------------------------------------------------------------------------------------

def test_usage_counts_each_request_once_per_role(make_config) -> None:
    state, visited = play(make_config(assistant_n_response=3), attempt=1)
    usage = state["usage"]
    assert usage["assistant"]["calls"] == visited.count("assistant")  # n samples come in one request
    assert 0 < usage["checker"]["calls"] <= visited.count("checker")
    assert usage["user"]["calls"] >= visited.count("user")
    assert all(counts["input_tokens"] > 0 and counts["output_tokens"] > 0 for counts in usage.values())


def test_each_assistant_message_records_the_tokens_of_its_request(make_config) -> None:
    state, _ = play(make_config(), attempt=2)
    replies = {str(i) for i, m in enumerate(state["messages"]) if isinstance(m, AIMessage)}
    assert set(state["assistant_usage"]) == replies
    assert sum(u["output_tokens"] for u in state["assistant_usage"].values()) <= state["usage"]["assistant"]["output_tokens"]


def test_an_endpoint_that_ignores_n_gets_parallel_requests() -> None:
    """langchain-core's fake model answers one sample per request, like servers that ignore `n`."""
    a, b = AIMessage("", tool_calls=[call("a")]), AIMessage("", tool_calls=[call("b")])
    prompt = [AIMessage("context")]

    async def vote() -> tuple[Any, dict[str, Any]]:
        with metering("assistant") as usage:
            answer = await ask(scripted_model(a, b, b), prompt, n=3)
        return answer, usage

    answer, usage = asyncio.run(vote())
    assert answer.message.tool_calls[0]["name"] == "b" and answer.vote["votes"] == [2, 1]
    assert usage["assistant"]["calls"] == 3


def test_cost_comes_from_the_price_table() -> None:
    config = load_config(overrides={"models": {"assistant": {"model": "big", "base_url": "http://127.0.0.1:9/v1"},
                                               "checker": {"model": "small", "base_url": "http://127.0.0.1:9/v1"}},
                                    "prices": {"big": {"input": 2.0, "output": 8.0}, "small": {"input": 0.5, "output": 1}}})
    usage = {"assistant": {"calls": 2, "input_tokens": 1_000_000, "output_tokens": 250_000},
             "checker": {"calls": 2, "input_tokens": 200_000, "output_tokens": 10_000},
             "user": {"calls": 1, "input_tokens": 5_000, "output_tokens": 500}}  # the simulator: free
    assert usage_cost(usage, config) == pytest.approx(2.0 + 2.0 + 0.1 + 0.01)
    assert usage_cost({"assistant": usage["assistant"]}, config.model_copy(update={"prices": {}})) is None
