"""The `fcgraph` command: parses arguments, builds the configuration, and hands over to the runner."""

from __future__ import annotations

import asyncio
import difflib
import json
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


ConfigFile = Annotated[Optional[Path], typer.Option("--config", help="TOML file with any setting.")]
Assignments = Annotated[list[str], typer.Option("--set", help="Any setting as KEY=VALUE (TOML value), e.g. "
                                                "--set 'mode_weights={single=2, parallel=1}'.")]
BaseUrl = Annotated[Optional[str], typer.Option(help="OpenAI-compatible endpoint for every role, e.g. "
                                                "http://localhost:8000/v1.", rich_help_panel="Models")]
ModelName = Annotated[Optional[str], typer.Option(help="Model name for every role.", rich_help_panel="Models")]
ApiKeyEnv = Annotated[Optional[str], typer.Option(help="Name of the variable holding the key (default "
                                                  "OPENAI_API_KEY).", rich_help_panel="Models")]


def _role_option(role: str, what: str) -> typer.models.OptionInfo:
    return typer.Option(f"--{role}-{what}", help=f"{what.replace('-', ' ').capitalize()} for the {role} only.",
                        rich_help_panel="Models")


UserModel = Annotated[Optional[str], _role_option("user", "model")]
AssistantModel = Annotated[Optional[str], _role_option("assistant", "model")]
ToolModel = Annotated[Optional[str], _role_option("tool", "model")]
CheckerModel = Annotated[Optional[str], _role_option("checker", "model")]
UserBaseUrl = Annotated[Optional[str], _role_option("user", "base-url")]
AssistantBaseUrl = Annotated[Optional[str], _role_option("assistant", "base-url")]
ToolBaseUrl = Annotated[Optional[str], _role_option("tool", "base-url")]
CheckerBaseUrl = Annotated[Optional[str], _role_option("checker", "base-url")]


def model_overrides(flags: dict[str, object]) -> dict:
    """`--base-url/--model/--api-key-env` set every role; `--<role>-model/--<role>-base-url` then win for theirs.

    Takes a command's parameters by name, so every command with the model flags reads them the same way.
    """
    models = {}
    for role in ("user", "assistant", "tool", "checker"):
        values = {key: flags[key] for key in ("base_url", "model", "api_key_env")}
        values |= {key: flags[f"{role}_{key}"] for key in ("base_url", "model") if flags[f"{role}_{key}"] is not None}
        if values := {key: value for key, value in values.items() if value is not None}:
            models[role] = values
    return {"models": models}


@app.command()
def run(
    n: Annotated[Optional[int], typer.Option("--n", help="Accepted dialogues wanted.")] = None,
    out: Annotated[Optional[Path], typer.Option(help="Run directory (data.jsonl, failed.jsonl, stats.json).")] = None,
    config: ConfigFile = None,
    seed: Annotated[Optional[int], typer.Option(help="Seed for sampling and the simulator.")] = None,
    concurrency: Annotated[Optional[int], typer.Option(help="Dialogues played at once.")] = None,
    max_attempts: Annotated[Optional[int], typer.Option(help="Give up after this many dialogues (default 3n+10).")] = None,
    file_system_path: Annotated[Optional[Path], typer.Option(help="Seed file system each dialogue copies.")] = None,
    max_task_turns: Annotated[Optional[int], typer.Option(help="Most task turns in one dialogue.")] = None,
    checker_max_retries: Annotated[Optional[int], typer.Option(help="Checker feedback rounds per reply.")] = None,
    tool_output_limit: Annotated[Optional[int], typer.Option(help="Characters of tool output kept.")] = None,
    assistant_n_response: Annotated[Optional[int], typer.Option(help="Assistant samples per reply (majority vote).",
                                                                rich_help_panel="Models")] = None,
    base_url: BaseUrl = None, model: ModelName = None, api_key_env: ApiKeyEnv = None,
    user_model: UserModel = None, assistant_model: AssistantModel = None, tool_model: ToolModel = None,
    checker_model: CheckerModel = None, user_base_url: UserBaseUrl = None, assistant_base_url: AssistantBaseUrl = None,
    tool_base_url: ToolBaseUrl = None, checker_base_url: CheckerBaseUrl = None,
    set_: Assignments = [],
) -> None:
    """Play dialogues until N are accepted; re-run the same command to resume."""
    from fcgraph.runner import Run, SandboxError  # heavy imports only for commands that need them

    overrides: dict = {"n": n, "out": out, "seed": seed, "concurrency": concurrency, "max_attempts": max_attempts,
                 "file_system_path": file_system_path, "max_task_turns": max_task_turns,
                 "checker_max_retries": checker_max_retries, "tool_output_limit": tool_output_limit,
                 "assistant_n_response": assistant_n_response}
    overrides |= model_overrides(locals())
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


config_app = typer.Typer(help="Inspect the effective configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show(
    config: ConfigFile = None, base_url: BaseUrl = None, model: ModelName = None, api_key_env: ApiKeyEnv = None,
    user_model: UserModel = None, assistant_model: AssistantModel = None, tool_model: ToolModel = None,
    checker_model: CheckerModel = None, user_base_url: UserBaseUrl = None, assistant_base_url: AssistantBaseUrl = None,
    tool_base_url: ToolBaseUrl = None, checker_base_url: CheckerBaseUrl = None, set_: Assignments = [],
) -> None:
    """The settings `fcgraph run` would use with the same file, FCGRAPH_* variables and flags; secrets masked."""
    from fcgraph.config import masked

    try:
        settings = load_config(config, model_overrides(locals()), set_)
    except ConfigError as exc:
        raise fail(str(exc))
    typer.echo(json.dumps(masked(settings), indent=2, ensure_ascii=False))


tools_app = typer.Typer(help="List, show and validate the tools dialogues can be offered.", no_args_is_help=True)
app.add_typer(tools_app, name="tools")
ToolFolders = Annotated[list[Path], typer.Option("--tool-defines-path", help="Extra folders of .py / .json tools.")]


def _registry(folders: list[Path]):
    """Every tool there is: built-in, the whole schema-only bundle, and the given folders."""
    from fcgraph.tools.registry import ToolRegistry

    try:
        return ToolRegistry.load(folders, schema_only=["*"])
    except ToolDefinitionError as exc:
        raise fail(str(exc))


@tools_app.command("list")
def tools_list(
    category: Annotated[Optional[str], typer.Option(help="Only this category.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array of {name, category, kind, source, licence}.")] = False,
    folders: ToolFolders = [],
) -> None:
    """Every tool, grouped by category."""
    specs = [spec for spec in _registry(folders).specs() if category in (None, spec.category)]
    if category and not specs:
        raise fail(f"no tools in category '{category}'")
    if as_json:
        typer.echo(json.dumps([spec.summary() for spec in specs], ensure_ascii=False))
        return
    table = Table(title=f"{len(specs)} tools")
    for column in ("category", "name", "kind", "source", "licence"):
        table.add_column(column)
    for spec in sorted(specs, key=lambda spec: (spec.category, spec.name)):
        table.add_row(spec.category, spec.name, spec.kind, spec.source, spec.licence)
    Console().print(table)


@tools_app.command("show")
def tools_show(name: str, folders: ToolFolders = []) -> None:
    """One tool's schema as the assistant sees it, with where it comes from."""
    registry = _registry(folders)
    if name not in registry:
        close = difflib.get_close_matches(name, registry.names, n=5, cutoff=0.6)
        raise fail(f"no tool named '{name}'" + (f"; did you mean {', '.join(close)}?" if close else ""))
    spec = registry[name]
    typer.echo(json.dumps({**spec.summary(), "schema": spec.schema, "response": spec.response}, indent=2,
                          ensure_ascii=False))


@tools_app.command("validate")
def tools_validate(path: Path) -> None:
    """Check a tool file or folder (.py modules, .json definitions) before using it."""
    if not path.exists():
        raise fail(f"'{path}' does not exist")
    builtin = set(_registry([]).names)
    own = [spec for spec in _registry([path]).specs() if spec.name not in builtin]
    if not own:
        raise fail(f"'{path}' defines no tools")
    console.print(f"{len(own)} tool(s) valid: " + ", ".join(spec.name for spec in own), highlight=False)


import_app = typer.Typer(help="Turn other tool descriptions into fcgraph tool definitions.", no_args_is_help=True)
tools_app.add_typer(import_app, name="import")


@import_app.command("openapi")
def tools_import_openapi(
    spec: Annotated[Path, typer.Argument(help="An OpenAPI 3 or Swagger 2 file (JSON or YAML).")],
    out: Annotated[Path, typer.Option(help="Folder to write <spec name>.json into; add it to tool_defines_path.")] = Path("tools"),
) -> None:
    """One schema-only tool per operation of your API; dialogues get virtual replies for them."""
    from fcgraph.tools.definitions import load_definitions
    from fcgraph.tools.importers import import_openapi_file

    try:
        definitions = import_openapi_file(spec)
    except ValueError as exc:
        raise fail(str(exc))
    if not definitions:
        raise fail(f"{spec}: no operations found")
    target = out / f"{spec.stem}.json"
    out.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(definitions, indent=1, ensure_ascii=False), encoding="utf-8")
    try:
        load_definitions(target)
    except ToolDefinitionError as exc:  # the converter's output must load; say so rather than leave a broken file
        target.unlink()
        raise fail(str(exc))
    console.print(f"wrote {len(definitions)} tool(s) to {target}", highlight=False)


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
        "tokens": f"{stats['tokens']['input_tokens']:,} in, {stats['tokens']['output_tokens']:,} out"
                  + ("" if stats["generator"] != "sim" else " (simulator estimates)"),
        "cost": "unknown (no price for " + ", ".join(stats["unpriced_models"]) + ")" if stats["cost_usd"] is None
                else f"${stats['cost_usd']:.4f} (${stats['cost_per_accepted_usd'] or 0:.4f} per accepted dialogue)",
        "wall time": f"{stats['wall_time_s']} s ({stats['accepted_per_second']} accepted/s)",
    }
    for key, value in rows.items():
        table.add_row(key, value)
    return table


sim_app = typer.Typer(help="The offline simulator as an OpenAI-compatible endpoint.", no_args_is_help=True)
app.add_typer(sim_app, name="sim")


@sim_app.command("serve")
def sim_serve(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port).")] = 8000,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    seed: Annotated[int, typer.Option(help="Seed of the replies and of which requests get faults.")] = 0,
    latency_ms: Annotated[float, typer.Option(min=0, help="Delay before every answer, in ms.")] = 0,
    fault_rate: Annotated[float, typer.Option(min=0, max=1, help="Probability that a request gets a fault.")] = 0,
    faults: Annotated[str, typer.Option(help="Comma-separated fault kinds to draw from: 429, 500, timeout "
                                        "(hang, then answer), malformed (tool-call arguments not JSON).")]
    = "429,500,timeout,malformed",
    retry_after: Annotated[float, typer.Option(min=0, help="Retry-After of a 429, in seconds.")] = 1,
    hang_s: Annotated[float, typer.Option(min=0, help="How long a timeout fault hangs, in seconds.")] = 120,
    reasoning: Annotated[str, typer.Option(help="Reasoning on assistant replies: none, field (reasoning_content) "
                                           "or think (<think> block in the content).")] = "none",
    sim_fault_rate: Annotated[Optional[float], typer.Option(min=0, max=1, help="Rate of each simulated assistant "
                                                            "mistake (unknown tool, missing argument, wrong type, "
                                                            "premature answer); default the simulator settings'.")]
    = None,
) -> None:
    """Serve the simulator at /v1/chat/completions for any OpenAI client; Ctrl-C stops it."""
    from fcgraph.simulator.server import ServeError, ServerOptions, serve

    try:
        options = ServerOptions(seed=seed, latency_ms=latency_ms, fault_rate=fault_rate,
                                faults=tuple(kind.strip() for kind in faults.split(",") if kind.strip()),
                                retry_after_s=retry_after, hang_s=hang_s, reasoning=reasoning,
                                sim_fault_rate=sim_fault_rate)
        serve(options, host, port)
    except (ValueError, ServeError) as exc:
        raise fail(str(exc))
