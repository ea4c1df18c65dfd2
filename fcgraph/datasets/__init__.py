"""The bundled environment (seed file system and personas) and what describes it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

BUNDLED_FILE_SYSTEM = Path(__file__).parent / "file_system"
BUNDLED_MTIME = datetime(2024, 6, 30, 12, 0, 0, tzinfo=UTC).timestamp()  # the company drive's "today"


def recorded_mtime(root: Path) -> float | None:
    """The modification time every entry of the bundled tree has by construction, or None for any other tree.

    Git keeps no modification times, so a checkout shows when it was made: left alone, that time would
    reach file info and tool outputs, and the same seed would give other records in every checkout.
    A tree of one's own keeps its real times.
    """
    return BUNDLED_MTIME if Path(root).resolve() == BUNDLED_FILE_SYSTEM.resolve() else None
