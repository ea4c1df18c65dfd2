"""Run configuration: the seed's parameters as one validated model.

Precedence: defaults < config file (TOML) < command-line flags. Every field keeps the reference
implementation's name where it has one, so a user moving from the original pipeline finds them.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from fcgraph.datasets import BUNDLED_FILE_SYSTEM
from fcgraph.datasets.file_info import list_files
from fcgraph.prompts import override_problem

CallMode = Literal["single", "parallel", "multiple", "dependent", "no_tool_use", "miss_param", "miss_func"]
CALL_MODES: tuple[CallMode, ...] = CallMode.__args__  # type: ignore[attr-defined]

DEFAULT_FILE_SYSTEM = BUNDLED_FILE_SYSTEM

PositiveWeight = Annotated[float, Field(ge=0)]


class ConfigError(Exception):
    """Invalid configuration: the message is meant for the user as is."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ModelConfig(Strict):
    """One agent's model. `sim` is the embedded offline simulator; `openai` is any OpenAI-compatible endpoint.

    Naming a model or a base_url is enough to choose `openai`: nobody sets an endpoint to get the simulator.
    """

    provider: Literal["sim", "openai"] = "sim"
    base_url: str | None = None
    model: str = "fcgraph-sim"
    api_key_env: str = Field("OPENAI_API_KEY", description="name of the environment variable holding the key")
    temperature: float = Field(0.7, ge=0, le=2)
    max_tokens: int | None = Field(None, gt=0)
    timeout: float = Field(60.0, gt=0, description="seconds per request")
    max_retries: int = Field(4, ge=0, description="on 429, 5xx, connection errors and timeouts, with backoff")
    n: int = Field(1, ge=1, description="samples per request; more than one are decided by majority vote")
    extra_body: dict[str, Any] = Field({}, description="extra request fields, e.g. {top_k = 20}")
    max_in_flight: int = Field(8, gt=0, description="requests in flight per endpoint (roles sharing a base_url "
                                                    "share the smallest limit)")
    requests_per_minute: float | None = Field(None, gt=0, description="per endpoint, like max_in_flight")

    @model_validator(mode="before")
    @classmethod
    def _endpoint_means_openai(cls, data: Any) -> Any:
        if isinstance(data, dict) and "provider" not in data and (data.get("base_url") or data.get("model")):
            return {**data, "provider": "openai"}
        return data

    @property
    def label(self) -> str:
        return "sim" if self.provider == "sim" else self.model

    @property
    def endpoint(self) -> str:
        return self.base_url or "https://api.openai.com/v1"


class Price(Strict):
    """US dollars per million tokens."""

    input: float = Field(ge=0)
    output: float = Field(ge=0)


class RoleModels(Strict):
    user: ModelConfig = ModelConfig()
    assistant: ModelConfig = ModelConfig()
    tool: ModelConfig = ModelConfig()
    checker: ModelConfig = ModelConfig()


class SimConfig(Strict):
    """Fault rates of the simulated assistant, so checker retries and tool errors are exercised."""

    unknown_tool_rate: float = Field(0.04, ge=0, le=1)
    missing_argument_rate: float = Field(0.04, ge=0, le=1)
    wrong_type_rate: float = Field(0.04, ge=0, le=1)
    premature_answer_rate: float = Field(0.04, ge=0, le=1)


class FilterConfig(Strict):
    """Post-processing: which finished dialogues are rejected."""

    max_messages: int = Field(80, gt=2)
    max_chars: int = Field(120_000, gt=0)
    drop_checker_failures: bool = False


class GenerationConfig(Strict):
    # run
    n: int = Field(60, gt=0, description="accepted dialogues wanted (target_generate_data_number)")
    out: Path = Path("runs/latest")
    seed: int = 0
    concurrency: int = Field(4, gt=0, le=256, description="dialogues in flight (num_workers)")
    max_attempts: int | None = Field(None, gt=0, description="default: 3 x n + 10")
    # environment and tools
    file_system_path: Path = DEFAULT_FILE_SYSTEM
    provide_file_system_info: Literal["none", "tree", "tree_with_info"] = "none"
    tool_defines_path: list[Path] = []
    schema_only_tools: list[str] = Field([], description='bundled schema-only tool files to offer, as name patterns, '
                                         'e.g. ["openapi_*"] or ["*"]; answered by virtual replies')
    fixed_tools: list[str] = []
    category_fixed_tools: dict[str, list[str]] = {}
    tool_output_limit: int = Field(4096, gt=0)
    tool_timeout: float = Field(30.0, gt=0)
    virtual_cache_path: Path = Field(Path.home() / ".cache" / "fcgraph" / "virtual_replies.sqlite",
                                     description="replies of schema-only tools, shared by every run")
    virtual_examples: int = Field(3, ge=0, description="earlier replies shown to the tool model")
    virtual_fallback: bool = Field(False, description="an executable tool that crashes or times out gets a virtual reply")
    sandbox_isolation: Literal["auto", "bwrap", "none"] = "auto"
    # dialogue shape
    max_task_turns: int = Field(3, gt=0)
    max_steps_per_turn: int = Field(8, gt=0, description="assistant replies allowed in one task turn")
    checker_max_retries: int = Field(1, ge=0)
    assistant_n_response: int = Field(1, ge=1, description="assistant samples per reply, decided by majority "
                                      "vote (the larger of this and models.assistant.n)")
    tool_nums_distribution: dict[int, PositiveWeight] = {1: 200, 2: 140, 3: 120, 4: 100, 5: 90}
    mode_weights: dict[CallMode, PositiveWeight] = {mode: 1.0 for mode in CALL_MODES}
    task_turn_weights: dict[int, PositiveWeight] = {1: 0.5, 2: 0.3, 3: 0.2}
    files_num: dict[int, PositiveWeight] = {1: 0, 2: 0.2, 3: 0.3, 4: 0.3, 5: 0.2}
    dynamic_adjust_mode_and_task_turn_weight: bool = False
    language: Literal["en", "zh"] = "en"
    personas_path: Path | None = Field(None, description='your own personas, JSONL with {"persona": ...} per line')
    prompts: dict[str, Path] = Field({}, description='your own templates by prompt name, e.g. '
                                     '{user_write_task = "my_task.md"}; see fcgraph/prompts/')
    # agents
    models: RoleModels = RoleModels()
    prices: dict[str, Price] = Field({}, description='by model name, e.g. {"gpt-4o" = {input = 2.5, output = 10}}')
    sim: SimConfig = SimConfig()
    filters: FilterConfig = FilterConfig()

    @field_validator("tool_nums_distribution", "task_turn_weights", "files_num", "mode_weights")
    @classmethod
    def _some_weight_positive(cls, weights: dict) -> dict:
        if not weights or sum(weights.values()) <= 0:
            raise ValueError("needs at least one positive weight")
        if any(isinstance(k, int) and k <= 0 for k in weights):
            raise ValueError("counts must be positive integers")
        return weights

    @model_validator(mode="after")
    def _paths_exist(self) -> GenerationConfig:
        if not self.file_system_path.is_dir():
            raise ValueError(f"file_system_path '{self.file_system_path}' is not a directory")
        if not list_files(self.file_system_path):
            raise ValueError(f"file_system_path '{self.file_system_path}' contains no files (links out of it do not count)")
        for name, path in self.prompts.items():
            if problem := override_problem(name, path):
                raise ValueError(f"prompts.{name}: {problem}")
        for folder in self.tool_defines_path:
            if not folder.exists():
                raise ValueError(f"tool_defines_path entry '{folder}' does not exist")
        return self

    @property
    def attempt_limit(self) -> int:
        return self.max_attempts or 3 * self.n + 10

    def samples(self, role: str) -> int:
        n = getattr(self.models, role).n
        return max(n, self.assistant_n_response) if role == "assistant" else n

    def price(self, role: str) -> Price | None:
        """None when the role's model has no price; the simulator is free."""
        model = getattr(self.models, role)
        return Price(input=0, output=0) if model.provider == "sim" else self.prices.get(model.model)

    @property
    def generator(self) -> str:
        """'sim' when every agent is simulated, so simulated data is never mistaken for model output."""
        labels = {role: cfg.label for role, cfg in self.models}
        return "sim" if set(labels.values()) == {"sim"} else ",".join(f"{r}={m}" for r, m in labels.items())


def _describe(error: ValidationError, source: str) -> str:
    lines = [f"invalid configuration ({source}):"]
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"  {where}: {item['msg']}")
    return "\n".join(lines)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file '{path}' does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file '{path}' is not valid TOML: {exc}") from None
    base = path.resolve().parent
    for key in ("file_system_path", "out"):
        if isinstance(data.get(key), str) and not Path(data[key]).is_absolute():
            data[key] = str(base / data[key])
    if isinstance(data.get("prompts"), dict):
        data["prompts"] = {name: str(base / p) if isinstance(p, str) and not Path(p).is_absolute() else p
                           for name, p in data["prompts"].items()}
    if isinstance(data.get("tool_defines_path"), list):
        data["tool_defines_path"] = [str(base / p) if not Path(p).is_absolute() else p for p in data["tool_defines_path"]]
    return data


def parse_assignment(text: str) -> dict[str, Any]:
    """`a.b=value` -> {"a": {"b": value}}; the value is read as TOML when it parses, else as a string."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"--set expects KEY=VALUE, got '{text}'")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    nested: dict[str, Any] = {}
    cursor = nested
    parts = key.strip().split(".")
    for part in parts[:-1]:
        cursor = cursor.setdefault(part, {})
    cursor[parts[-1]] = value
    return nested


ENV_PREFIX = "FCGRAPH_"


def environment_assignments(environ: Mapping[str, str]) -> list[str]:
    """`FCGRAPH_MODELS__ASSISTANT__MODEL=x` -> `models.assistant.model=x`, for names that are settings."""
    assignments = []
    for name, value in sorted(environ.items()):
        if name.startswith(ENV_PREFIX):
            key = name.removeprefix(ENV_PREFIX).lower().replace("__", ".")
            if key.split(".", 1)[0] in GenerationConfig.model_fields:
                assignments.append(f"{key}={value}")
    return assignments


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None, assignments: list[str] = (),
                environ: Mapping[str, str] | None = None) -> GenerationConfig:
    """Build the effective configuration, turning every validation problem into one ConfigError.

    Precedence: defaults < config file < FCGRAPH_* environment variables < --set < flags.
    """
    data: dict[str, Any] = read_config_file(path) if path else {}
    for assignment in [*environment_assignments(os.environ if environ is None else environ), *assignments]:
        data = _deep_merge(data, parse_assignment(assignment))
    data = _deep_merge(data, {k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return GenerationConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, str(path) if path else "flags")) from None


_SECRET_NAME = re.compile(r"key|token|secret|password|passwd|authorization|credential", re.IGNORECASE)
MASK = "***"


def mask_secrets(value: Any, name: str = "") -> Any:
    """The value with secrets replaced: entries whose name says secret (the *name* `api_key_env` is not one)
    and the credentials or key parameters of URLs. For anything the run writes or prints about its settings."""
    if isinstance(value, dict):
        return {key: mask_secrets(item, str(key)) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_secrets(item, name) for item in value]
    if isinstance(value, str) and value and _SECRET_NAME.search(name) and not name.endswith("_env"):
        return MASK
    if isinstance(value, str) and "://" in value:
        url = urlsplit(value)
        netloc = f"{MASK}@{url.hostname}{f':{url.port}' if url.port else ''}" if url.username or url.password else url.netloc
        query = urlencode([(key, MASK if _SECRET_NAME.search(key) else item) for key, item in parse_qsl(url.query)], safe="*")
        return urlunsplit(url._replace(netloc=netloc, query=query))
    return value


def masked(config: GenerationConfig) -> dict[str, Any]:
    """The effective settings as JSON data for people to read: secrets masked, and whether each key is set."""
    data = mask_secrets(json.loads(config.model_dump_json()))
    for role, model in config.models:
        if model.provider == "openai":
            data["models"][role]["api_key"] = f"{MASK} (from {model.api_key_env})" if os.environ.get(model.api_key_env) \
                else f"not set ({model.api_key_env})"
    return data
