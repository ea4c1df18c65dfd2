"""Throughput of an offline run: `fcgraph run --n 500` with the simulator, measured in-process.

Prints accepted dialogues per second, wall time and peak memory (this process and, separately, the
largest sandbox worker). Target: 500 dialogues in at most 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import tempfile
import time
from pathlib import Path

from fcgraph.config import load_config
from fcgraph.runner import Run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="fcgraph-bench-")) / "run"
    config = load_config(overrides={"n": args.n, "out": out, "concurrency": args.concurrency, "seed": args.seed})
    started = time.perf_counter()
    report = asyncio.run(Run(config).execute())
    wall = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    stats = report.stats
    print(f"accepted            {report.accepted} of {args.n} ({stats['failed']} rejected)")
    print(f"wall time           {wall:.1f} s (target <= 120 s for 500: {wall / 120 * 500 / args.n:.2f}x of budget)")
    print(f"accepted per second {report.accepted / wall:.2f}")
    print(f"tool calls          {stats['tool_calls']} ({stats['tool_calls'] / wall:.1f} per second)")
    print(f"peak memory         {own:.0f} MiB run process, {workers:.0f} MiB largest sandbox worker")
    print(f"checkpoints         {(out / 'checkpoints.sqlite').stat().st_size / 2**20:.1f} MiB")
    shutil.rmtree(out.parent)


if __name__ == "__main__":
    main()
