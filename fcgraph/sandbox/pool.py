"""One open sandbox per dialogue in flight, whatever the provider behind it."""

from __future__ import annotations

import asyncio

from fcgraph.sandbox.base import Sandbox, SandboxProvider


class SandboxPool:
    """Opens a dialogue's sandbox on its first tool call and keeps it until the dialogue is discarded."""

    def __init__(self, provider: SandboxProvider):
        self.provider = provider
        self._opening: dict[str, asyncio.Future[Sandbox]] = {}

    async def open(self, dialogue_id: str) -> Sandbox:
        if dialogue_id not in self._opening:
            self._opening[dialogue_id] = asyncio.ensure_future(self.provider.open(dialogue_id))
        return await asyncio.shield(self._opening[dialogue_id])

    async def discard(self, dialogue_id: str) -> None:
        """Stops the dialogue's sandbox and removes its copy, also when it was never (or not fully) opened."""
        opening = self._opening.pop(dialogue_id, None)
        try:
            sandbox = await opening if opening is not None else None
        except Exception:
            sandbox = None
        if sandbox is None:
            await self.provider.remove(dialogue_id)
        else:
            await sandbox.close()

    async def close(self) -> None:
        """Stops the provider's shared processes once the run is over; sandboxes still open die with them."""
        await self.provider.close()
