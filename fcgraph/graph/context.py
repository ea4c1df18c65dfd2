"""What every node may use but nothing checkpoints: models, tools, sandboxes, the environment."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.runtime import Runtime

from fcgraph.agents.tool import VirtualTools
from fcgraph.config import GenerationConfig
from fcgraph.prompts import Prompts
from fcgraph.sampling import Sampler
from fcgraph.sandbox import SandboxProvider
from fcgraph.tools.registry import ToolRegistry


@dataclass
class RunContext:
    config: GenerationConfig
    registry: ToolRegistry
    models: dict[str, BaseChatModel]  # by role: user, assistant, tool, checker
    sandboxes: SandboxProvider
    file_infos: dict[str, dict[str, Any]]  # by path relative to the file system root
    virtual_tools: VirtualTools
    sampler: Sampler
    prompts: Prompts
    workspace_overview: str = ""  # what the assistant is told up front (provide_file_system_info)


def context_of(runtime: Runtime[RunContext]) -> RunContext:
    """The run's context, or the default one when the graph runs under `langgraph dev` (Studio gives none)."""
    return runtime.context if isinstance(runtime.context, RunContext) else default_context()


@functools.cache
def default_context() -> RunContext:
    """A run as `fcgraph run` would set it up, from the TOML file in $FCGRAPH_CONFIG or the defaults."""
    from fcgraph.config import load_config
    from fcgraph.runner import Run

    path = os.environ.get("FCGRAPH_CONFIG")
    config = load_config(Path(path) if path else None, {"out": Path(os.environ.get("FCGRAPH_STUDIO_OUT", "runs/studio"))})
    return Run(config).context
