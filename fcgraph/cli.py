"""The `fcgraph` command: parses arguments, builds the configuration, and hands over to the runner."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from fcgraph import __version__
from fcgraph.config import ConfigError, load_config
from fcgraph.tools.registry import ToolDefinitionError

app = typer.Typer(help="Generate multi-turn tool-calling dialogues for LLM training.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
console = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit()


@app.command()
def run(
    n: Annotated[Optional[int], typer.Option("--n", help="Accepted dialogues wanted.")] = None,
    out: Annotated[Optional[Path], typer.Option(help="Run directory (data.jsonl, failed.jsonl, stats.json).")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="TOML file with any setting.")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Seed for sampling and the simulator.")] = None,
    concurrency: Annotated[Optional[int], typer.Option(help="Dialogues played at once.")] = None,
    max_attempts: Annotated[Optional[int], typer.Option(help="Give up after this many dialogues (default 3n+10).")] = None,
    file_system_path: Annotated[Optional[Path], typer.Option(help="Seed file system each dialogue copies.")] = None,
    max_task_turns: Annotated[Optional[int], typer.Option(help="Most task turns in one dialogue.")] = None,
    checker_max_retries: Annotated[Optional[int], typer.Option(help="Checker feedback rounds per reply.")] = None,
    tool_output_limit: Annotated[Optional[int], typer.Option(help="Characters of tool output kept.")] = None,
    set_: Annotated[list[str], typer.Option("--set", help="Any setting as KEY=VALUE (TOML value), e.g. "
                                              "--set 'mode_weights={single=2, parallel=1}'.")] = [],
) -> None:
    """Play dialogues until N are accepted; re-run the same command to resume."""
    from fcgraph.runner import Run, SandboxError  # heavy imports only for commands that need them

    overrides = {"n": n, "out": out, "seed": seed, "concurrency": concurrency, "max_attempts": max_attempts,
                 "file_system_path": file_system_path, "max_task_turns": max_task_turns,
                 "checker_max_retries": checker_max_retries, "tool_output_limit": tool_output_limit}
    try:
        settings = load_config(config, overrides, set_)
        progress = Progress(TextColumn("[bold]accepted"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("failed {task.fields[failed]}"), TimeElapsedColumn(), console=console)
        task = progress.add_task("run", total=settings.n, failed=0)
        runner = Run(settings, on_progress=lambda ok, bad, _: progress.update(task, completed=ok, failed=bad))
        with progress:
            report = asyncio.run(runner.execute())
    except (ConfigError, ToolDefinitionError) as exc:
        raise fail(str(exc))
    except SandboxError as exc:
        raise fail(str(exc), 1)
    except OSError as exc:  # e.g. --out is a file, or not writable
        raise fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except KeyboardInterrupt:
        raise fail("interrupted; every finished dialogue is saved, re-run the same command to resume", 130)
    console.print(summary_table(report.stats))
    if report.attempt_limit_hit:
        raise fail(f"stopped after {report.attempts} attempts with {report.accepted} of {report.target} accepted "
                   "(raise --max-attempts or look at failed.jsonl)", 1)
    console.print(f"wrote {settings.out / 'data.jsonl'}", highlight=False)


def summary_table(stats: dict) -> Table:
    table = Table(title="fcgraph run", show_header=False)
    table.add_column(style="bold")
    table.add_column()
    rows = {
        "accepted": f"{stats['accepted']} of {stats['target']}",
        "failed": f"{stats['failed']}  " + ", ".join(f"{k}: {v}" for k, v in stats["failed_by_reason"].items()),
        "modes": ", ".join(f"{k}: {v}" for k, v in stats["modes"].items()),
        "turns": ", ".join(f"{k}: {v}" for k, v in stats["turns"].items()),
        "tool calls": f"{stats['tool_calls']} ({stats['tool_calls_per_dialogue']} per dialogue, "
                      f"{stats['tool_errors']} errors)",
        "checker": f"{stats['checker_retries']} retries, {stats['checker_not_passed']} kept without passing",
        "generator": stats["generator"],
        "wall time": f"{stats['wall_time_s']} s ({stats['accepted_per_second']} accepted/s)",
    }
    for key, value in rows.items():
        table.add_row(key, value)
    return table
