"""Which chat model plays each agent: the embedded simulator or an OpenAI-compatible endpoint.

Real endpoints go through langchain-openai, whose OpenAI client already retries 429, 5xx, connection
errors and timeouts with exponential backoff and jitter, honouring Retry-After. What it lacks is
added here: a limit on requests in flight per endpoint, DeepSeek/QwQ `reasoning_content`, and errors
that name the role and endpoint that failed.
"""

from __future__ import annotations

import asyncio
import os
from collections import defaultdict
from typing import Any

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.rate_limiters import InMemoryRateLimiter
from langchain_core.outputs import ChatResult
from langchain_openai import ChatOpenAI
from pydantic import PrivateAttr

from fcgraph.config import ConfigError, GenerationConfig, ModelConfig
from fcgraph.simulator.chat_model import SimChatModel

ROLES = ("user", "assistant", "tool", "checker")
KEYLESS = "not-needed"  # local servers (vLLM, SGLang, Ollama) accept any key


class EndpointError(Exception):
    """An endpoint that still fails after the client's retries; the dialogue fails with this reason."""


class EndpointChatModel(ChatOpenAI):
    role: str = "assistant"
    _gate: asyncio.Semaphore = PrivateAttr(default_factory=lambda: asyncio.Semaphore(8))

    def _create_chat_result(self, response: Any, generation_info: dict | None = None) -> ChatResult:
        """Keeps the reasoning that reasoning models send beside the content (ChatOpenAI drops it)."""
        result = super()._create_chat_result(response, generation_info)
        choices = (response if isinstance(response, dict) else response.model_dump()).get("choices") or []
        for generation, choice in zip(result.generations, choices):
            if reasoning := (choice.get("message") or {}).get("reasoning_content"):
                generation.message.additional_kwargs["reasoning_content"] = reasoning
        return result

    async def _agenerate(self, *args: Any, **kwargs: Any) -> ChatResult:
        async with self._gate:
            try:
                return await super()._agenerate(*args, **kwargs)
            except openai.APIError as exc:
                status = f"HTTP {exc.status_code}: " if isinstance(exc, openai.APIStatusError) else ""
                raise EndpointError(f"{self.role} model '{self.model_name}' at {self.openai_api_base or 'api.openai.com'}"
                                    f" failed after {self.max_retries} retries: {status}{exc.message}") from None


def _api_key(role: str, model: ModelConfig) -> str:
    api_key = os.environ.get(model.api_key_env)
    if api_key:
        return api_key
    if model.base_url is None:
        raise ConfigError(f"models.{role}: environment variable {model.api_key_env} is not set")
    return KEYLESS


def build_chat_models(config: GenerationConfig) -> dict[str, BaseChatModel]:
    """One model per role; roles on the same endpoint share its in-flight limit and request rate."""
    endpoints: dict[str, list[ModelConfig]] = defaultdict(list)
    for role in ROLES:
        model = getattr(config.models, role)
        if model.provider == "openai":
            endpoints[model.endpoint].append(model)
    gates = {url: asyncio.Semaphore(min(m.max_in_flight for m in models)) for url, models in endpoints.items()}
    limiters = {url: InMemoryRateLimiter(requests_per_second=min(rates) / 60, max_bucket_size=1)
                for url, models in endpoints.items() if (rates := [m.requests_per_minute for m in models
                                                                   if m.requests_per_minute])}
    chat_models: dict[str, BaseChatModel] = {}
    for role in ROLES:
        model = getattr(config.models, role)
        if model.provider == "sim":
            faults = config.sim.model_dump() if role == "assistant" else {}
            chat_models[role] = SimChatModel(seed=config.seed, **faults)
            continue
        chat_models[role] = endpoint = EndpointChatModel(
            role=role, model=model.model, base_url=model.base_url, api_key=_api_key(role, model),
            temperature=model.temperature, max_tokens=model.max_tokens, timeout=model.timeout,
            max_retries=model.max_retries, extra_body=model.extra_body or None,
            rate_limiter=limiters.get(model.endpoint))
        endpoint._gate = gates[model.endpoint]
    return chat_models
