"""One open sandbox per dialogue in flight, whatever the provider behind it."""

from __future__ import annotations

import asyncio

from fcgraph.sandbox.base import Sandbox, SandboxProvider


class SandboxPool:
    """Opens a dialogue's sandbox on its first tool call and keeps it until the dialogue is discarded."""

    def __init__(self, provider: SandboxProvider):
        self.provider = provider
        self._open: dict[str, Sandbox] = {}
        self._lock = asyncio.Lock()

    async def open(self, dialogue_id: str) -> Sandbox:
        async with self._lock:
            if dialogue_id not in self._open:
                self._open[dialogue_id] = await self.provider.open(dialogue_id)
            return self._open[dialogue_id]

    async def discard(self, dialogue_id: str) -> None:
        """Stops the dialogue's sandbox and removes its copy, also when it was never opened in this process."""
        async with self._lock:
            sandbox = self._open.pop(dialogue_id, None)
        if sandbox is None:
            await self.provider.remove(dialogue_id)
        else:
            await sandbox.close()
