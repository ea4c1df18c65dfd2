"""What running every tool call out of process costs: zygote start-up, a dialogue's worker, each call.

Usage: python benchmarks/sandbox_call_latency.py [--calls 300] [--starts 10] [--repeats 5]

Uses the packaged seed file system and the builtin tools when they exist, otherwise a few temp files
and the test tools, and reports each isolation this machine supports: none, bubblewrap with one
zygote per run (Landlock in each worker) and bubblewrap with one zygote per dialogue (the fallback
where Landlock is missing). With the builtin tools it also compares the first heavy call of a fresh
dialogue (pandas, scipy, matplotlib) with the same call repeated there: the difference is what is
left of the import cost the zygote is meant to pay once.
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
from fcgraph.sandbox.local import LocalSandbox
from fcgraph.tools.discovery import BUILTIN_MODULES, load_module, tool_functions

REPO = Path(__file__).resolve().parent.parent
Call = tuple[str, dict[str, Any]]
CHEAP_CALLS: list[Call] = [("list_directory", {"path": "."}), ("list_root", {})]
TABLE = "hr/employees.csv"
HEAVY_CALLS: list[Call] = [  # on the packaged seed tree
    ("table_group_aggregate", {"path": TABLE, "group_by": "department", "value_column": "salary", "function": "mean"}),
    ("stats_anova", {"path": TABLE, "value_column": "salary", "group_column": "department"}),
    ("plot_bar_chart", {"path": TABLE, "category_column": "department", "value_column": "salary",
                        "aggregate": "mean", "output_path": "charts/salary.png"}),
]
SETUPS = [("none", "none", True), ("bwrap", "bwrap", True), ("bwrap, zygote per dialogue", "bwrap", False)]


def tool_setup() -> tuple[list[str], Call, list[Call]]:
    try:
        modules = list(BUILTIN_MODULES)
        names = {name for spec in modules for name in tool_functions(load_module(spec))}
    except ImportError:
        modules = [str(REPO / "tests" / "sandbox_tools.py")]
        names = set(tool_functions(load_module(modules[0])))
    cheap = next(call for call in CHEAP_CALLS if call[0] in names)
    return modules, cheap, [call for call in HEAVY_CALLS if call[0] in names]


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


async def timed(box: LocalSandbox, call: Call) -> float:
    began = time.perf_counter()
    outcome = await box.call(*call)
    assert outcome.ok, f"{call[0]}: {outcome.error}"
    return (time.perf_counter() - began) * 1000


async def measure(provider: LocalSandboxProvider, cheap: Call, heavy: list[Call],
                  args: argparse.Namespace) -> list[str]:
    box = await provider.open("bench0")
    startup = await timed(box, cheap)  # the run's first call: the zygote starts (open() only began it) and forks
    latencies = [await timed(box, cheap) for _ in range(args.calls)]
    await box.close()
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    first_calls = []
    for start in range(1, args.starts + 1):
        box = await provider.open(f"bench{start}")
        first_calls.append(await timed(box, cheap))
        await box.close()
    lines = [
        f"  zygote start-up with pre-imports + first call  {startup:8.1f} ms",
        (f"  new dialogue's worker ready                    {statistics.median(first_calls) - p50:8.1f} ms"
         f"  (median of {args.starts}: its first call minus a call's p50)"),
        (f"  per call, {cheap[0]:<20}             p50 {p50:.2f} ms, p99 {p99:.2f} ms ({args.calls} calls; "
         f"target 20 and 100 ms: {p50 / 20:.2f}x and {p99 / 100:.2f}x of it)"),
    ]
    for call in heavy:
        box = await provider.open(f"heavy-{call[0]}")
        await box.call(*cheap)  # the worker exists: what follows is the call alone
        first = await timed(box, call)
        again = statistics.median([await timed(box, call) for _ in range(args.repeats)])
        await box.close()
        lines.append(f"  {call[0]:<22} first in a dialogue {first:7.1f} ms, repeated {again:7.1f} ms: "
                     f"{first - again:+7.1f} ms left of the imports ({first / again:.2f}x)")
    return lines


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    modules, cheap, heavy = tool_setup()
    with tempfile.TemporaryDirectory() as scratch:
        seed = seed_dir(Path(scratch))
        print(f"seed {seed}; {len(modules)} tool modules; trivial call {cheap[0]}({cheap[1]})")
        for index, (label, isolation, landlock) in enumerate(SETUPS):
            try:
                provider = LocalSandboxProvider(seed, Path(scratch) / f"work{index}", modules, isolation=isolation,
                                                landlock=landlock)
            except RuntimeError as exc:
                print(f"{label}: skipped ({exc})")
                continue
            if landlock and isolation == "bwrap" and not provider.landlock:
                print(f"{label}: skipped (no Landlock here: the next line is what runs instead)")
                continue
            print(f"{label}:")
            try:
                print("\n".join(await measure(provider, cheap, heavy, args)))
            finally:
                await provider.close()


if __name__ == "__main__":
    asyncio.run(main())
