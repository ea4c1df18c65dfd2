"""What every node may use but nothing checkpoints: models, tools, sandboxes, the environment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel

from fcgraph.agents.tool import VirtualTools
from fcgraph.config import GenerationConfig
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
    workspace_overview: str = ""  # what the assistant is told up front (provide_file_system_info)
