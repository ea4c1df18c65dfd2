"""Which chat model plays each agent: the embedded simulator or an OpenAI-compatible endpoint."""

from __future__ import annotations

import os

from langchain_core.language_models import BaseChatModel

from fcgraph.config import ConfigError, GenerationConfig, ModelConfig
from fcgraph.simulator.chat_model import SimChatModel

ROLES = ("user", "assistant", "tool", "checker")


def build_chat_model(role: str, model: ModelConfig, config: GenerationConfig) -> BaseChatModel:
    if model.provider == "sim":
        faults = config.sim.model_dump() if role == "assistant" else {}
        return SimChatModel(seed=config.seed, **faults)
    from langchain_openai import ChatOpenAI  # imported only when a real endpoint is configured

    api_key = os.environ.get(model.api_key_env)
    if not api_key:
        if model.base_url is None:
            raise ConfigError(f"models.{role}: environment variable {model.api_key_env} is not set")
        api_key = "not-needed"  # local servers (vLLM, SGLang, Ollama) accept any key
    return ChatOpenAI(
        model=model.model, base_url=model.base_url, api_key=api_key, temperature=model.temperature,
        max_tokens=model.max_tokens, timeout=model.timeout, max_retries=model.max_retries,
    )


def build_chat_models(config: GenerationConfig) -> dict[str, BaseChatModel]:
    return {role: build_chat_model(role, getattr(config.models, role), config) for role in ROLES}
