"""The checker agent: rule checks on tool calls, then a model's judgement, before a reply is kept."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, convert_to_openai_messages

from fcgraph.agents import BadModelReply, parse_json_object
from fcgraph.agents.user import tool_summaries
from fcgraph.agents.calls import ask
from fcgraph.prompts import Prompts


def rule_problems(reply: AIMessage, tools: list[dict[str, Any]]) -> list[str]:
    """What is wrong with the reply's calls: unknown tool, unknown or missing parameter, wrong type, bad JSON."""
    schemas = {tool["function"]["name"]: tool["function"].get("parameters", {}) for tool in tools}
    problems = [
        f"the arguments of '{bad.get('name')}' are not valid JSON: {bad.get('error') or bad.get('args')}"
        for bad in reply.invalid_tool_calls
    ]
    for call in reply.tool_calls:
        name, args = call["name"], call["args"]
        if name not in schemas:
            problems.append(f"tool '{name}' does not exist; the available tools are {', '.join(sorted(schemas))}")
            continue
        parameters = schemas[name]
        problems += [
            f"tool '{name}' has no parameter '{key}'" for key in args if key not in parameters.get("properties", {})
        ]
        problems += [
            f"tool '{name}': {'/'.join(map(str, error.path)) or 'arguments'}: {error.message}"
            for error in Draft202012Validator(parameters).iter_errors(args)
        ]
    return problems


async def review(model: BaseChatModel, *, messages: list[BaseMessage], candidate: AIMessage,
                 tools: list[dict[str, Any]], prompts: Prompts, n: int = 1) -> tuple[bool, str]:
    """(passed, feedback): rule problems fail at once; otherwise the checker model judges the reply."""
    problems = rule_problems(candidate, tools)
    if problems:
        return False, "; ".join(problems)
    purpose = "checker_tool_calls" if candidate.tool_calls else "checker_reply"
    dialogue = [m for m in convert_to_openai_messages(messages) if m["role"] != "system"]
    payload = {"tools": tool_summaries(tools), "dialogue": dialogue, "candidate": convert_to_openai_messages(candidate)}
    reply = parse_json_object((await ask(model, [HumanMessage(prompts.render(purpose, payload))], n=n)).message.text)
    if not isinstance(reply.get("pass"), bool):
        raise BadModelReply(f"checker reply needs a boolean 'pass', got {reply!r}")
    return reply["pass"], str(reply.get("feedback") or "")
