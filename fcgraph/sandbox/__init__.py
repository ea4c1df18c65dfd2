"""Where tool calls run: one private copy of the seed file system and one worker process per dialogue."""

from .base import Sandbox, SandboxProvider, ToolOutcome
from .local import LocalSandboxProvider
from .pool import SandboxPool

__all__ = ["LocalSandboxProvider", "Sandbox", "SandboxPool", "SandboxProvider", "ToolOutcome"]
