"""Bring your own file system: any directory works, is never modified, and never leaks what lies outside."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import run_cli, tree_digest


@pytest.fixture
def user_dir(tmp_path):
    """A small user tree with a link that escapes it."""
    root = tmp_path / "mine"
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "sales.csv").write_text("region,amount\nNorth,10\nSouth,25\nEast,7\n")
    (root / "notes.md").write_text("# Notes\nCall Dana about the Portland order on 2024-05-02.\n")
    (root / "config.json").write_text(json.dumps({"owner": "dana", "retries": 3}))
    with sqlite3.connect(root / "shop.db") as db:
        db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL)")
        db.executemany("INSERT INTO items (name, price) VALUES (?, ?)", [("tent", 199.0), ("stove", 49.5)])
    secret = tmp_path / "outside-secret.txt"
    secret.write_text("must never be read")
    (root / "escape.txt").symlink_to(secret)
    return root


def test_a_run_on_a_user_directory_never_modifies_it(tmp_path, user_dir):
    before = tree_digest(user_dir)
    links = {p.name: p.readlink() for p in user_dir.rglob("*") if p.is_symlink()}
    out = tmp_path / "run"
    result = run_cli("run", "--n", "12", "--out", str(out), "--file-system-path", str(user_dir), "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert tree_digest(user_dir) == before
    assert {p.name: p.readlink() for p in user_dir.rglob("*") if p.is_symlink()} == links
    records = [json.loads(line) for line in (out / "data.jsonl").read_text().splitlines()]
    assert len(records) == 12
    everything = (out / "data.jsonl").read_text() + (out / "failed.jsonl").read_text()
    assert "must never be read" not in everything
    assert all("escape.txt" not in record["selected_files"] for record in records)


def only_a_link_out(tmp_path):
    (tmp_path / "outside.txt").write_text("x")
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "out.txt").symlink_to(tmp_path / "outside.txt")
    return tmp_path / "links"


@pytest.mark.parametrize("make, message", [
    (lambda tmp: tmp / "missing", "is not a directory"),
    (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "contains no files"),
    (lambda tmp: only_a_link_out(tmp), "contains no files"),
])
def test_missing_or_empty_directory_is_one_clear_message(tmp_path, make, message):
    result = run_cli("run", "--n", "1", "--out", str(tmp_path / "run"), "--file-system-path", str(make(tmp_path)))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_own_personas_are_used_and_bad_ones_are_one_clear_message(tmp_path):
    personas = tmp_path / "personas.jsonl"
    personas.write_text('{"persona": "A lighthouse keeper who counts ships.", "source": "mine"}\n'
                        '{"persona": "A beekeeper tracking hive weights.", "style": "terse"}\n')
    out = tmp_path / "run"
    result = run_cli("run", "--n", "6", "--out", str(out), "--set", f"personas_path='{personas}'")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in (out / "data.jsonl").read_text().splitlines()]
    assert {r["persona"] for r in records} <= {"A lighthouse keeper who counts ships.", "A beekeeper tracking hive weights."}
    assert all(r["tone"] == "terse" for r in records if r["persona"].startswith("A beekeeper"))

    personas.write_text('{"persona": "fine"}\n{"name": "no persona key"}\n')
    result = run_cli("run", "--n", "1", "--out", str(tmp_path / "bad"), "--set", f"personas_path='{personas}'")
    assert result.returncode == 2 and "line 2" in result.stderr and "Traceback" not in result.stderr
