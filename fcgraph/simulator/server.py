"""The embedded simulator behind an OpenAI-compatible `/v1/chat/completions`, with injectable latency and faults.

It lets the real-model code path (an OpenAI client over real HTTP: retries, `n` samples, reasoning,
broken tool-call JSON) run offline and reproducibly: replies come from SimChatModel, and whether a
request gets a fault depends only on the seed and the request's number, so a retry can succeed.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import signal
import sys
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from random import Random
from typing import Any, Literal, get_args

from aiohttp import web
from langchain_core.messages import AIMessage, BaseMessage, convert_to_messages, convert_to_openai_messages
from yarl import URL

from fcgraph.config import SimConfig
from fcgraph.simulator.chat_model import SimChatModel, find_context

Fault = Literal["429", "500", "timeout", "malformed"]
Reasoning = Literal["none", "field", "think"]
FAULT_KINDS: tuple[Fault, ...] = get_args(Fault)
MODEL_NAME = "fcgraph-sim"
CREATED = 1_700_000_000  # fixed, so identical requests get byte-identical responses
MAX_N = 128  # OpenAI's own limit on choices per request
MAX_BODY = 64 * 2**20  # long dialogues with tool output exceed aiohttp's 1 MiB default
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class ServerOptions:
    """What `fcgraph sim serve` was asked for; checked here, so a caller in Python gets the CLI's errors."""

    seed: int = 0
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    faults: tuple[str, ...] = FAULT_KINDS
    retry_after_s: float = 1.0
    hang_s: float = 120.0
    reasoning: str = "none"
    sim_fault_rate: float | None = None  # every assistant mistake at this rate; None: the simulator settings' defaults

    def __post_init__(self) -> None:
        if not 0 <= self.fault_rate <= 1:
            raise ValueError(f"the fault rate must be between 0 and 1, got {self.fault_rate}")
        unknown = [kind for kind in self.faults if kind not in FAULT_KINDS]
        if unknown or not self.faults:
            raise ValueError(f"unknown fault kind {', '.join(unknown) or '(none given)'}; "
                             f"kinds: {', '.join(FAULT_KINDS)}")
        if self.reasoning not in get_args(Reasoning):
            raise ValueError(f"unknown reasoning mode '{self.reasoning}'; modes: {', '.join(get_args(Reasoning))}")

    @property
    def sim_rates(self) -> dict[str, float]:
        if self.sim_fault_rate is None:
            return SimConfig().model_dump()
        return SimConfig(**dict.fromkeys(SimConfig.model_fields, self.sim_fault_rate)).model_dump()


class ServeError(Exception):
    """The server could not start (e.g. the port is in use)."""


class ApiError(Exception):
    """An answer in OpenAI's error format: handlers raise it, one middleware renders it."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.kind, self.code, self.headers = status, kind, code, headers or {}

    def response(self) -> web.Response:
        error = {"message": str(self), "type": self.kind, "param": None, "code": self.code}
        return web.json_response({"error": error}, status=self.status, headers=self.headers)


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[BaseMessage]
    tools: list[dict[str, Any]]
    n: int


def parse_request(body: Any) -> ChatRequest:
    """Only what the simulator needs; every other field an OpenAI client sends is accepted and ignored."""
    if not isinstance(body, dict):
        raise ApiError(400, "the request body must be a JSON object")
    if body.get("stream"):
        raise ApiError(400, "streaming is not supported by the fcgraph simulator; send \"stream\": false",
                       code="unsupported_value")
    given = {key: value for key, value in body.items() if value is not None}  # clients send null for "not set"
    model, n, tools = given.get("model", MODEL_NAME), given.get("n", 1), given.get("tools", [])
    if not isinstance(model, str):
        raise ApiError(400, "'model' must be a string")
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_N:
        raise ApiError(400, f"'n' must be an integer from 1 to {MAX_N}, got {n!r}")
    if not isinstance(tools, list) or not all(_is_function_tool(tool) for tool in tools):
        raise ApiError(400, "'tools' must be an array of {\"type\": \"function\", \"function\": {\"name\": ..., "
                            "\"parameters\": {...}}}")
    return ChatRequest(model, _messages(given.get("messages")), tools, n)


def _is_function_tool(tool: Any) -> bool:
    function = tool.get("function") if isinstance(tool, dict) else None
    return (tool.get("type") == "function" and isinstance(function, dict) and isinstance(function.get("name"), str)
            and bool(function["name"]) and isinstance(function.get("parameters", {}), dict))


def _messages(raw: Any) -> list[BaseMessage]:
    if not isinstance(raw, list) or not raw:
        raise ApiError(400, "'messages' must be a non-empty array")
    # OpenAI lets an assistant message with tool calls leave out its content; langchain-core wants the key
    raw = [{"content": None, **m} if isinstance(m, dict) and m.get("role") == "assistant" else m for m in raw]
    try:
        return convert_to_messages(raw)
    except KeyError as exc:
        raise ApiError(400, f"invalid 'messages': a message lacks the key {exc}") from None
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise ApiError(400, f"invalid 'messages': {str(exc).splitlines()[0]}") from None


def reasoning_text(message: dict[str, Any]) -> str:
    """What a reasoning model thinks before this reply: deterministic, and short so it costs few tokens."""
    if names := [call["function"]["name"] for call in message.get("tool_calls", [])]:
        return f"The request needs a tool, so I will call {', '.join(names)} with the arguments it names."
    return "I have what I need, so I will answer in text without calling a tool."


def _with_reasoning(message: dict[str, Any], mode: str) -> dict[str, Any]:
    """DeepSeek-R1/QwQ style: a `reasoning_content` field, or a `<think>` block at the start of the content."""
    if mode == "field":
        return {**message, "reasoning_content": reasoning_text(message)}
    if mode == "think":
        return {**message, "content": f"<think>{reasoning_text(message)}</think>\n\n{message['content'] or ''}"}
    return message


def _malformed(message: dict[str, Any]) -> dict[str, Any]:
    """Cuts the first call's arguments in half: a strict prefix of a JSON object never parses."""
    first, *rest = message["tool_calls"]
    arguments = first["function"]["arguments"]
    broken = {**first, "function": {**first["function"], "arguments": arguments[: len(arguments) // 2]}}
    return {**message, "tool_calls": [broken, *rest]}


def _openai_message(message: AIMessage) -> dict[str, Any]:
    payload = convert_to_openai_messages(message)
    if payload.get("tool_calls") and not payload["content"]:
        payload["content"] = None  # as OpenAI answers a reply that only calls tools
    return payload


class SimServer:
    """The handlers, sharing one simulator and one request counter."""

    def __init__(self, options: ServerOptions):
        self.options = options
        self.model = SimChatModel(seed=options.seed, **options.sim_rates)
        self.requests = itertools.count()
        self.in_flight = self.peak_in_flight = 0

    def app(self) -> web.Application:
        app = web.Application(middlewares=[_log_requests, _openai_errors], client_max_size=MAX_BODY)
        app.router.add_post("/v1/chat/completions", self.chat_completions)
        app.router.add_get("/v1/models", self.models)
        app.router.add_get("/health", self.health)
        return app

    async def health(self, request: web.Request) -> web.Response:
        """Also what a client's concurrency looked like from here: requests being answered now, and at most."""
        return web.json_response({"status": "ok", "in_flight": self.in_flight, "peak_in_flight": self.peak_in_flight})

    async def models(self, request: web.Request) -> web.Response:
        card = {"id": MODEL_NAME, "object": "model", "created": CREATED, "owned_by": "fcgraph"}
        return web.json_response({"object": "list", "data": [card]})

    async def chat_completions(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            return await self._chat_completions(request)
        finally:
            self.in_flight -= 1

    async def _chat_completions(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError as exc:
            raise ApiError(400, f"the request body is not valid JSON: {exc}") from None
        chat = parse_request(body)
        await asyncio.sleep(self.options.latency_ms / 1000)
        fault = request["fault"] = self._fault()
        if fault == "429":
            raise ApiError(429, "rate limit reached (fault injected by the fcgraph simulator)", "requests",
                           "rate_limit_exceeded", {"Retry-After": f"{self.options.retry_after_s:g}"})
        if fault == "500":
            raise ApiError(500, "the server had an error (fault injected by the fcgraph simulator)", "server_error")
        if fault == "timeout":
            await asyncio.sleep(self.options.hang_s)
        completion = await self._complete(chat)
        completion["id"] = "chatcmpl-" + hashlib.sha256(f"{self.options.seed}|{json.dumps(body, sort_keys=True)}"
                                                        .encode()).hexdigest()[:29]
        if fault == "malformed":
            for choice in completion["choices"]:
                if choice["message"].get("tool_calls"):
                    choice["message"] = _malformed(choice["message"])
        return web.json_response(completion)

    def _fault(self) -> str | None:
        """Drawn per request number, not per request content, so the retry of a failed request can succeed."""
        rng = Random(f"{self.options.seed}|{next(self.requests)}")
        return rng.choice(self.options.faults) if rng.random() < self.options.fault_rate else None

    async def _complete(self, chat: ChatRequest) -> dict[str, Any]:
        try:
            result = await self.model.agenerate([chat.messages], tools=chat.tools, n=chat.n)
        except Exception as exc:
            traceback.print_exc()
            raise ApiError(500, f"the simulator failed: {exc}", "server_error") from None
        generations = result.generations[0]
        # reasoning only on the assistant's replies: the other agents' replies are JSON their callers parse
        mode = self.options.reasoning if find_context(convert_to_openai_messages(chat.messages)) is None else "none"
        messages = [_with_reasoning(_openai_message(g.message), mode) for g in generations]
        choices = [{"index": index, "message": message, "logprobs": None,
                    "finish_reason": "tool_calls" if message.get("tool_calls") else "stop"}
                   for index, message in enumerate(messages)]
        return {"object": "chat.completion", "created": CREATED, "model": chat.model, "choices": choices,
                "usage": _usage(generations[0].message, messages, mode)}


def _usage(first: AIMessage, messages: list[dict[str, Any]], mode: str) -> dict[str, Any]:
    """The simulator's estimate for the whole response, plus the reasoning at its 4 characters a token."""
    reasoning = sum(len(reasoning_text(m)) // 4 for m in messages) if mode != "none" else 0
    usage = first.usage_metadata or {"input_tokens": 0, "output_tokens": 0}
    completion = usage["output_tokens"] + reasoning
    return {"prompt_tokens": usage["input_tokens"], "completion_tokens": completion,
            "total_tokens": usage["input_tokens"] + completion,
            "completion_tokens_details": {"reasoning_tokens": reasoning}}


@web.middleware
async def _openai_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return exc.response()
    except web.HTTPException as exc:  # the router's 404 and 405, the body size limit's 413
        return ApiError(exc.status, f"{exc.reason}: {request.method} {request.path}").response()


@web.middleware
async def _log_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    """One line per request, and never a header: the API key in Authorization must not reach any log."""
    try:
        response = await handler(request)
    except asyncio.CancelledError:
        _log(request, "- (the client closed the connection)")
        raise
    _log(request, str(response.status))
    return response


def _log(request: web.Request, outcome: str) -> None:
    fault = request.get("fault")
    # the path only: a query string may carry a key (e.g. Azure's api-key=)
    print(f"{request.method} {request.path} {outcome}" + (f" fault={fault}" if fault else ""), file=sys.stderr,
          flush=True)


def serve(options: ServerOptions, host: str, port: int) -> None:
    """Serves until SIGINT or SIGTERM, then returns normally; raises ServeError when it cannot listen."""
    asyncio.run(_serve(options, host, port))


async def _serve(options: ServerOptions, host: str, port: int) -> None:
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    # handler_cancellation: a hanging request ends when its client gives up, so shutdown need not wait for it
    runner = web.AppRunner(SimServer(options).app(), access_log=None, handler_cancellation=True, shutdown_timeout=1)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        url = URL.build(scheme="http", host=host, port=runner.addresses[0][1], path="/v1")
        print(f"fcgraph sim serving on {url}", flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()
