"""`fcgraph sim serve` over real HTTP, with the clients the real-model path uses (openai, langchain-openai)."""

from __future__ import annotations

import json
import re
import socket
from typing import Any

import openai
import pytest
from langchain_core.messages import HumanMessage, ToolMessage

from conftest import API_KEY, NO_FAULTS, run_cli
from fcgraph.config import DEFAULT_FILE_SYSTEM
from fcgraph.prompts import Prompts
from fcgraph.sampling import Environment
from fcgraph.simulator.chat_model import SimChatModel
from fcgraph.tools.registry import ToolRegistry

EXACT = ("--sim-fault-rate", "0")  # no simulated assistant mistakes: replies comparable with SimChatModel(**NO_FAULTS)
TOOLS = ToolRegistry.load().schemas(["count_lines_words", "file_info", "csv_preview", "file_hash", "find_files"])
OFFERED = {tool["function"]["name"] for tool in TOOLS}
FILES = list(Environment(DEFAULT_FILE_SYSTEM).infos.values())[:12]
PAYLOAD = {"mode": "single", "turn": 1, "persona": "a data analyst", "tone": "polite", "files": FILES,
           "tools": [{**tool["function"], "kind": "executable"} for tool in TOOLS], "previous_tasks": []}
USER_PROMPT = Prompts().render("user_write_task", PAYLOAD, mode="single", tone="polite",
                               mode_description="ask for one thing that one call of one offered tool can do.")
LOCAL = SimChatModel(**NO_FAULTS)
TASK = LOCAL.invoke([HumanMessage(USER_PROMPT)]).text  # what the simulated user asks, in-process


def ask(client: openai.OpenAI, messages: list[dict[str, Any]], **kwargs: Any):
    return client.chat.completions.create(model="sim-model", messages=messages, **kwargs)


def test_a_user_agent_prompt_gets_what_the_simulator_gives_in_process(sim_server):
    reply = ask(sim_server(*EXACT).openai(), [{"role": "user", "content": USER_PROMPT}])
    assert reply.choices[0].message.content == TASK
    assert reply.choices[0].finish_reason == "stop" and reply.model == "sim-model"


def test_tool_calls_name_offered_tools_with_json_arguments(sim_server):
    reply = ask(sim_server(*EXACT).openai(), [{"role": "user", "content": TASK}], tools=TOOLS)
    choice = reply.choices[0]
    calls = [(call.function.name, json.loads(call.function.arguments)) for call in choice.message.tool_calls]
    assert choice.finish_reason == "tool_calls" and calls and {name for name, _ in calls} <= OFFERED
    expected = LOCAL.bind_tools(TOOLS).invoke([HumanMessage(TASK)]).tool_calls
    assert calls == [(call["name"], call["args"]) for call in expected]


def test_langchain_openai_round_trip_with_a_tool_result(sim_server):
    model = sim_server(*EXACT).langchain().bind_tools(TOOLS)
    first = model.invoke([HumanMessage(TASK)])
    assert first.tool_calls and {call["name"] for call in first.tool_calls} <= OFFERED
    dialogue = [HumanMessage(TASK), first,
                *(ToolMessage('{"lines": 12, "words": 80}', tool_call_id=call["id"]) for call in first.tool_calls)]
    assert model.invoke(dialogue).text == LOCAL.bind_tools(TOOLS).invoke(dialogue).text


def test_n_choices_start_with_the_one_choice_reply_and_usage_sums_them(sim_server):
    client = sim_server(*EXACT).openai()
    one = ask(client, [{"role": "user", "content": TASK}], tools=TOOLS)
    three = ask(client, [{"role": "user", "content": TASK}], tools=TOOLS, n=3)
    assert [choice.index for choice in three.choices] == [0, 1, 2]
    assert three.choices[0].message == one.choices[0].message
    for usage in (one.usage, three.usage):
        assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
        assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert three.usage.prompt_tokens == one.usage.prompt_tokens
    assert three.usage.completion_tokens > one.usage.completion_tokens
    generations = sim_server(*EXACT).langchain(n=3).generate([[HumanMessage(TASK)]], tools=TOOLS).generations[0]
    assert len(generations) == 3 and generations[0].message.usage_metadata["input_tokens"] == one.usage.prompt_tokens


def test_models_and_health(sim_server):
    server = sim_server(*EXACT)
    assert [model.id for model in server.openai().models.list()] == ["fcgraph-sim"]
    health = server.health()
    assert health["status"] == "ok" and health["in_flight"] == 0 and health["peak_in_flight"] >= 0


@pytest.mark.parametrize("mode", ["field", "think"])
def test_reasoning_on_assistant_replies_only(sim_server, mode):
    plain = ask(sim_server(*EXACT).openai(), [{"role": "user", "content": TASK}], tools=TOOLS).choices[0].message
    client = sim_server(*EXACT, "--reasoning", mode).openai()
    reply = ask(client, [{"role": "user", "content": TASK}], tools=TOOLS)
    message = reply.choices[0].message
    assert message.tool_calls == plain.tool_calls and reply.usage.completion_tokens_details.reasoning_tokens > 0
    if mode == "field":
        assert "will call" in message.model_extra["reasoning_content"] and message.content is None
    else:
        thinking, content = re.fullmatch(r"<think>(.+)</think>\s*(.*)", message.content, re.DOTALL).groups()
        assert "will call" in thinking and content == ""
    other_agent = ask(client, [{"role": "user", "content": USER_PROMPT}]).choices[0].message
    assert other_agent.content == TASK and "reasoning_content" not in (other_agent.model_extra or {})


def test_429_has_retry_after_and_an_openai_error(sim_server):
    with pytest.raises(openai.RateLimitError) as caught:
        ask(sim_server("--fault-rate", "1", "--faults", "429").openai(), [{"role": "user", "content": TASK}])
    assert caught.value.response.headers["retry-after"] == "1"
    assert caught.value.body["code"] == "rate_limit_exceeded" and caught.value.body["message"]


def test_500_is_a_server_error(sim_server):
    with pytest.raises(openai.InternalServerError) as caught:
        ask(sim_server("--fault-rate", "1", "--faults", "500").openai(), [{"role": "user", "content": TASK}])
    assert caught.value.body["type"] == "server_error"


def test_a_hanging_reply_times_the_client_out(sim_server):
    client = sim_server("--fault-rate", "1", "--faults", "timeout", "--hang-s", "5").openai(timeout=1)
    with pytest.raises(openai.APITimeoutError):
        ask(client, [{"role": "user", "content": TASK}])


def test_malformed_tool_call_arguments(sim_server):
    server = sim_server(*EXACT, "--fault-rate", "1", "--faults", "malformed")
    call = ask(server.openai(), [{"role": "user", "content": TASK}], tools=TOOLS).choices[0].message.tool_calls[0]
    with pytest.raises(json.JSONDecodeError):
        json.loads(call.function.arguments)
    reply = server.langchain().bind_tools(TOOLS).invoke([HumanMessage(TASK)])
    assert reply.invalid_tool_calls and reply.invalid_tool_calls[0]["name"] in OFFERED
    text = ask(server.openai(), [{"role": "user", "content": USER_PROMPT}]).choices[0].message
    assert text.content == TASK  # a reply without calls has nothing to break


def test_client_retries_recover_from_429_and_500(sim_server):
    server = sim_server("--fault-rate", "0.5", "--faults", "429,500", "--retry-after", "0.1")
    model = server.langchain(max_retries=6)
    for _ in range(10):
        assert model.invoke([HumanMessage(TASK)]).text
    log = server.log_file.read_text()
    assert "fault=429" in log and "fault=500" in log


def test_streaming_and_bad_requests_get_400_with_an_openai_error(sim_server):
    server = sim_server(*EXACT)
    with pytest.raises(openai.BadRequestError, match="streaming is not supported"):
        ask(server.openai(), [{"role": "user", "content": TASK}], stream=True)
    bad_bodies = [b"{not json", b"[]", b'{"messages": []}', b'{"messages": [{"role": "robot", "content": "hi"}]}',
                  b'{"messages": [{"role": "user", "content": "hi"}], "n": 0}',
                  b'{"messages": [{"role": "user", "content": "hi"}], "tools": [{"name": "f"}]}']
    for body in bad_bodies:
        status, answer = server.post(body)
        assert status == 400 and set(answer["error"]) >= {"message", "type", "code"}, body


def test_the_api_key_never_reaches_the_output_and_sigterm_exits_cleanly(sim_server):
    server = sim_server("--seed", "7", "--fault-rate", "0.5", "--faults", "429,500,malformed")
    client = server.openai()
    for _ in range(4):
        try:
            ask(client, [{"role": "user", "content": TASK}], tools=TOOLS)
        except openai.APIError:
            pass
    code, stdout, stderr = server.stop()
    assert code == 0 and "Traceback" not in stderr and stdout == ""
    assert API_KEY not in stderr and "POST /v1/chat/completions" in stderr


def test_a_port_in_use_is_one_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("sim", "serve", "--port", str(port), timeout=30)
    assert result.returncode == 2 and result.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "in use" in result.stderr
    assert "Traceback" not in result.stderr
