"""What running every tool call out of process costs: worker start-up and per-call round trip.

Usage: python benchmarks/sandbox_call_latency.py [--calls 300] [--starts 5]

Uses the packaged seed file system and the builtin tools when they exist, otherwise a few temp files
and the test tools, and reports each isolation mode this machine supports.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fcgraph.sandbox import LocalSandboxProvider
from fcgraph.tools.discovery import BUILTIN_MODULES, load_module, tool_functions

REPO = Path(__file__).resolve().parent.parent
CHEAP_CALLS: list[tuple[str, dict[str, Any]]] = [("list_directory", {"path": "."}), ("list_root", {})]


def tool_setup() -> tuple[list[str], tuple[str, dict[str, Any]]]:
    try:
        modules = list(BUILTIN_MODULES)
        names = {name for spec in modules for name in tool_functions(load_module(spec))}
    except ImportError:
        modules = [str(REPO / "tests" / "sandbox_tools.py")]
        names = set(tool_functions(load_module(modules[0])))
    return modules, next(call for call in CHEAP_CALLS if call[0] in names)


def seed_dir(scratch: Path) -> Path:
    packaged = REPO / "fcgraph" / "datasets" / "file_system"
    if packaged.is_dir():
        return packaged
    seed = scratch / "seed"
    (seed / "docs").mkdir(parents=True)
    for index in range(5):
        (seed / "docs" / f"note{index}.txt").write_text(f"note {index}\n" * 100)
    return seed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(provider: LocalSandboxProvider, call: tuple[str, dict[str, Any]], calls: int, starts: int) -> str:
    first_calls, latencies = [], []
    for start in range(starts):
        box = await provider.open(f"bench{start}")
        for index in range(calls + 1 if start == 0 else 1):
            began = time.perf_counter()
            outcome = await box.call(*call)
            elapsed_ms = (time.perf_counter() - began) * 1000
            assert outcome.ok, outcome.error
            (latencies if index else first_calls).append(elapsed_ms)
        await box.close()
    p50 = statistics.median(latencies)
    startup = statistics.median(first_calls) - p50
    return (
        f"{provider.isolation:>5}: per call p50 {p50:.3f} ms, p99 {percentile(latencies, 0.99):.3f} ms "
        f"({len(latencies)} calls); worker start-up {startup:.1f} ms (median of {starts})"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    modules, call = tool_setup()
    with tempfile.TemporaryDirectory() as scratch:
        seed = seed_dir(Path(scratch))
        print(f"seed {seed}; tools {', '.join(Path(m).name for m in modules)}; call {call[0]}({call[1]})")
        for isolation in ("none", "bwrap"):
            try:
                provider = LocalSandboxProvider(seed, Path(scratch) / "work", modules, isolation=isolation)
            except RuntimeError as exc:
                print(f"{isolation:>5}: skipped ({exc})")
                continue
            print(await measure(provider, call, args.calls, args.starts))


if __name__ == "__main__":
    asyncio.run(main())
