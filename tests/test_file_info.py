"""File descriptions for the user agent: every shipped file, one sample of every format, and a hostile user directory."""

from __future__ import annotations

import asyncio
import csv
import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pypdf
import pytest
import yaml
from PIL import Image
from PIL.ExifTags import IFD, Base
from pypdf.generic import ContentStream, DictionaryObject, NameObject

from fcgraph.config import DEFAULT_FILE_SYSTEM
from fcgraph.datasets.file_info import TEXT_TYPES, describe_file, directory_tree, list_files, tree_with_info
from fcgraph.sandbox import LocalSandboxProvider

SHIPPED = DEFAULT_FILE_SYSTEM.resolve()
SHIPPED_FILES = list_files(SHIPPED)
BIG = 50 * 2**20
ALL_TYPES = TEXT_TYPES | {"xlsx", "pdf", "docx", "image", "sqlite", "binary"}


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


# ---------------------------------------------------------------- every shipped file


def _check_text(path: Path, info: dict[str, Any]) -> None:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert info["text"] is True
    assert info["head"] == [line[:300] for line in lines[:10]]
    assert info["lines"] == len(lines)


def _check_columns(delimiter: str) -> Callable[[Path, dict[str, Any]], None]:
    def check(path: Path, info: dict[str, Any]) -> None:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            assert info["columns"] == next(csv.reader(handle, delimiter=delimiter))

    return check


def _shape(data: Any) -> dict[str, Any]:
    return {"keys": [str(key) for key in data][:50]} if isinstance(data, dict) else {"items": len(data)}


def _check_json(path: Path, info: dict[str, Any]) -> None:
    assert _shape(json.loads(path.read_text(encoding="utf-8-sig"))).items() <= info.items()


def _check_yaml(path: Path, info: dict[str, Any]) -> None:
    assert _shape(yaml.safe_load(path.read_text(encoding="utf-8"))).items() <= info.items()


def _check_xml(path: Path, info: dict[str, Any]) -> None:
    assert info["root"] == ElementTree.parse(path).getroot().tag.rsplit("}", 1)[-1]
    assert isinstance(info["children"], list) and len(info["children"]) <= 10


def _check_html(path: Path, info: dict[str, Any]) -> None:
    assert ("title" in info) == ("<title" in path.read_text(encoding="utf-8").lower())


def _check_xlsx(path: Path, info: dict[str, Any]) -> None:
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert [sheet["name"] for sheet in info["sheets"]] == [sheet.title for sheet in workbook.worksheets]
    workbook.close()
    assert any(sheet["rows"] for sheet in info["sheets"])
    for sheet in info["sheets"]:
        assert len(sheet["rows"]) <= 5 and re.fullmatch(r"[A-Z]+[0-9]+:[A-Z]+[0-9]+", sheet["dimensions"]), sheet


def _check_pdf(path: Path, info: dict[str, Any]) -> None:
    assert info["pages"] == len(pypdf.PdfReader(path).pages) >= 1
    assert info["head"] and all(line.strip() for line in info["head"])


def _check_docx(path: Path, info: dict[str, Any]) -> None:
    assert info["paragraphs"] and all(info["paragraphs"]) and len(info["paragraphs"]) <= 5
    assert info["tables"] == len(docx.Document(str(path)).tables)


def _check_image(path: Path, info: dict[str, Any]) -> None:
    with Image.open(path) as image:
        assert (info["width"], info["height"], info["mode"], info["format"]) == (*image.size, image.mode, image.format)
    assert isinstance(info["exif"], dict)


def _check_sqlite(path: Path, info: dict[str, Any]) -> None:
    assert info["tables"]
    with sqlite3.connect(path) as connection:
        for table in info["tables"]:
            assert table["columns"] and all(column["name"] for column in table["columns"])
            assert table["rows"] == connection.execute(f'SELECT COUNT(*) FROM "{table["name"]}"').fetchone()[0]


CHECKS: dict[str, list[Callable[[Path, dict[str, Any]], None]]] = {
    **{kind: [_check_text] for kind in TEXT_TYPES},
    "csv": [_check_text, _check_columns(",")],
    "tsv": [_check_text, _check_columns("\t")],
    "json": [_check_text, _check_json],
    "yaml": [_check_text, _check_yaml],
    "xml": [_check_text, _check_xml],
    "html": [_check_text, _check_html],
    "xlsx": [_check_xlsx],
    "pdf": [_check_pdf],
    "docx": [_check_docx],
    "image": [_check_image],
    "sqlite": [_check_sqlite],
}


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=[rel(SHIPPED, path) for path in SHIPPED_FILES])
def test_every_shipped_file_is_described(path: Path) -> None:
    info = describe_file(SHIPPED, path)
    assert "unreadable" not in info, info["unreadable"]
    assert info["path"] == rel(SHIPPED, path) and info["size"] == path.stat().st_size
    assert datetime.datetime.fromisoformat(info["modified"]).utcoffset() == datetime.timedelta(0)
    assert info["type"] in ALL_TYPES
    assert json.loads(json.dumps(info)) == info  # reaches the user agent's prompt as JSON
    for check in CHECKS[info["type"]]:
        check(path, info)


def test_describing_the_shipped_tree_is_fast() -> None:
    for path in SHIPPED_FILES:  # first use imports the format libraries; a run pays that once
        describe_file(SHIPPED, path)
    started = time.perf_counter()
    for path in SHIPPED_FILES:
        describe_file(SHIPPED, path)
    assert time.perf_counter() - started < 1.0


def tree_naming_each_file_once(root: Path) -> str:
    infos = {rel(root, path): describe_file(root, path) for path in list_files(root)}
    tree = tree_with_info(root, infos)
    assert len(tree.splitlines()) == len(directory_tree(root).splitlines())
    for path, info in infos.items():
        [line] = [line for line in tree.splitlines() if line.strip().startswith(f"{Path(path).name}  (")]
        assert f"({info['type']}, " in line, line
    return tree


def test_the_tree_with_info_names_each_shipped_file_once() -> None:
    tree_naming_each_file_once(SHIPPED)


# ---------------------------------------------------------------- one sample of every format


def _pdf(path: Path) -> None:
    """Two pages, text on the first only, set in a standard font so no font file is needed."""
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    content = ContentStream(None, None)
    content.set_data(b"BT /F1 12 Tf 72 720 Td (Quarterly report) Tj 0 -20 Td (Revenue grew 12%) Tj ET")
    page.replace_contents(content)
    writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Title": "Q2 report", "/Author": "Finance"})
    writer.write(path)


def _xlsx(path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sales"
    sheet.append(["date", "item", "qty"])
    for day in range(1, 7):
        sheet.append([datetime.date(2024, 6, day), f"item {day}", day * 2])
    workbook.create_sheet("Notes").append(["checked", True])
    workbook.save(path)


def _docx(path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Welcome letter"
    document.core_properties.author = "HR"
    for text in ("Dear team,", "", "Welcome aboard.", "   ", "Regards"):
        document.add_paragraph(text)
    document.add_table(rows=2, cols=2)
    document.save(str(path))


def _jpg(path: Path) -> None:
    exif = Image.Exif()
    exif[Base.Make], exif[Base.Model], exif[Base.DateTime] = "Acme", "Cam 1", "2024:06:01 10:00:00"
    exif.get_ifd(IFD.Exif)[Base.DateTimeOriginal] = "2024:06:01 09:59:00"
    Image.new("RGB", (40, 30), "red").save(path, exif=exif)


def _sqlite(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
        connection.executemany("INSERT INTO items (name) VALUES (?)", [("pen",), ("ink",)])
    connection.close()


SHOP = {"type": "sqlite", "text": False, "tables": [
    {"name": "items", "columns": [{"name": "id", "type": "INTEGER"}, {"name": "name", "type": "TEXT"}], "rows": 2}]}
SAMPLES: dict[str, tuple[Callable[[Path], None], dict[str, Any]]] = {
    "notes.txt": (lambda p: p.write_text("x" * 400 + "\n" + "".join(f"line {i}\n" for i in range(11))),
                  {"type": "text", "text": True, "head": ["x" * 300] + [f"line {i}" for i in range(9)], "lines": 12}),
    "readme.md": (lambda p: p.write_text("# Title\n"), {"type": "markdown", "text": True, "head": ["# Title"], "lines": 1}),
    "job.py": (lambda p: p.write_text("print(1)\n"), {"type": "python", "text": True, "head": ["print(1)"], "lines": 1}),
    "q.sql": (lambda p: p.write_text("SELECT 1;"), {"type": "sql", "text": True, "head": ["SELECT 1;"], "lines": 1}),
    "data.csv": (lambda p: p.write_bytes(b"\xef\xbb\xbfname,\"q,ty\"\npen,3\n"),
                 {"type": "csv", "text": True, "head": ["name,\"q,ty\"", "pen,3"], "lines": 2, "columns": ["name", "q,ty"]}),
    "data.tsv": (lambda p: p.write_text("a\tb\n1\t2\n"),
                 {"type": "tsv", "text": True, "head": ["a\tb", "1\t2"], "lines": 2, "columns": ["a", "b"]}),
    "object.json": (lambda p: p.write_text('{"b": 1, "a": [1, 2]}'),
                    {"type": "json", "text": True, "head": ['{"b": 1, "a": [1, 2]}'], "lines": 1, "keys": ["b", "a"]}),
    "list.json": (lambda p: p.write_text("[1, 2, 3]\n"),
                  {"type": "json", "text": True, "head": ["[1, 2, 3]"], "lines": 1, "items": 3}),
    "broken.json": (lambda p: p.write_text("{oops"), {
        "type": "json", "text": True, "head": ["{oops"], "lines": 1,
        "unreadable": "JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"}),
    "conf.yml": (lambda p: p.write_text("name: x\n2024: y\n"),
                 {"type": "yaml", "text": True, "head": ["name: x", "2024: y"], "lines": 2, "keys": ["name", "2024"]}),
    "feed.xml": (lambda p: p.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<catalog xmlns="urn:x"><!-- c -->'
                                        "<book/><book/><magazine/></catalog>\n"),
                 {"type": "xml", "text": True, "lines": 2, "root": "catalog", "children": ["book", "magazine"],
                  "head": ['<?xml version="1.0" encoding="UTF-8"?>',
                           '<catalog xmlns="urn:x"><!-- c --><book/><book/><magazine/></catalog>']}),
    "page.html": (lambda p: p.write_text("<html><head><TITLE>\n Q2 &amp; Q3 </TITLE></head></html>"),
                  {"type": "html", "text": True, "head": ["<html><head><TITLE>", " Q2 &amp; Q3 </TITLE></head></html>"],
                   "lines": 2, "title": "Q2 & Q3"}),
    "book.xlsx": (_xlsx, {"type": "xlsx", "text": False, "sheets": [
        {"name": "Sales", "dimensions": "A1:C7", "rows": [["date", "item", "qty"]] + [
            [f"2024-06-0{day}T00:00:00", f"item {day}", day * 2] for day in range(1, 5)]},
        {"name": "Notes", "dimensions": "A1:B1", "rows": [["checked", True]]}]}),
    "report.pdf": (_pdf, {"type": "pdf", "text": False, "pages": 2, "title": "Q2 report", "author": "Finance",
                          "head": ["Quarterly report", "Revenue grew 12%"]}),
    "letter.docx": (_docx, {"type": "docx", "text": False, "paragraphs": ["Dear team,", "Welcome aboard.", "Regards"],
                            "tables": 1, "title": "Welcome letter", "author": "HR"}),
    "photo.jpg": (_jpg, {"type": "image", "text": False, "width": 40, "height": 30, "mode": "RGB", "format": "JPEG",
                         "exif": {"Make": "Acme", "Model": "Cam 1", "DateTime": "2024:06:01 10:00:00",
                                  "DateTimeOriginal": "2024:06:01 09:59:00"}}),
    "icon.png": (lambda p: Image.new("RGBA", (16, 8)).save(p),
                 {"type": "image", "text": False, "width": 16, "height": 8, "mode": "RGBA", "format": "PNG", "exif": {}}),
    "shop.db": (_sqlite, SHOP),
    "archive": (lambda p: shutil.copy(p.with_name("shop.db"), p), SHOP),  # no suffix: known by its header
    "NOTES": (lambda p: p.write_text("plain\n"), {"type": "text", "text": True, "head": ["plain"], "lines": 1}),
    "blob.bin": (lambda p: p.write_bytes(bytes(range(256))), {"type": "binary", "text": False}),
}


def test_every_format_is_described_exactly(tmp_path: Path) -> None:
    for name, (make, _) in SAMPLES.items():
        make(tmp_path / name)
    for name, (_, expected) in SAMPLES.items():
        info = describe_file(tmp_path, tmp_path / name)
        assert info.pop("path") == name and info.pop("size") == (tmp_path / name).stat().st_size
        assert info.pop("modified").endswith("+00:00")
        assert info == expected, name


# ---------------------------------------------------------------- a user's own directory


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    """Everything a real directory may hold that a shipped tree never does."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text("host secret\n")
    (outside / "folder" / "inner.txt").write_text("also secret\n")
    user = tmp_path / "user"
    (user / "docs" / "deep").mkdir(parents=True)
    (user / "ok.txt").write_text("fine\n")
    (user / "docs" / "to_ok.txt").symlink_to("../ok.txt")
    (user / "docs" / "deep" / "absolute_to_ok.txt").symlink_to(user / "ok.txt")
    (user / "docs" / "climbing_to_ok.txt").symlink_to("../../user/ok.txt")  # leads back in through the seed's own name
    (user / "secret_link.txt").symlink_to(outside / "secret.txt")
    (user / "outside_folder").symlink_to(outside / "folder")
    (user / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(user / "pipe.txt")
    (user / "folder.csv").mkdir()
    with (user / "huge.log").open("wb") as handle:
        handle.write(b"2024-06-01 INFO request served in 12 ms\n" * (BIG // 40))
    with (user / "sparse.img").open("wb") as handle:
        handle.truncate(BIG)
    (user / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (user / "empty.txt").touch()
    (user / "latin1.txt").write_bytes("café\n".encode("latin-1"))
    return user


LISTED = {"ok.txt", "docs/to_ok.txt", "docs/deep/absolute_to_ok.txt", "docs/climbing_to_ok.txt", "huge.log",
          "sparse.img", "blob.bin", "empty.txt", "latin1.txt"}
ESCAPING = {"secret_link.txt", "outside_folder", "dangling.txt"}


def test_list_files_stays_inside_the_directory(user_dir: Path) -> None:
    assert {rel(user_dir, path) for path in list_files(user_dir)} == LISTED
    tree = directory_tree(user_dir)
    assert "folder.csv/" in tree.splitlines() and not any(name in tree for name in ESCAPING | {"pipe.txt"})


@pytest.mark.timeout(30)  # a FIFO opened for reading would block forever
def test_describe_file_never_raises(user_dir: Path) -> None:
    infos = {rel(user_dir, path): describe_file(user_dir, path) for path in user_dir.rglob("*")}
    assert all(json.loads(json.dumps(info)) == info for info in infos.values())
    assert infos["dangling.txt"]["unreadable"].startswith("FileNotFoundError: ")
    assert infos["pipe.txt"] | {"modified": None} == {"path": "pipe.txt", "type": "text", "size": 0, "modified": None,
                                                        "text": False, "unreadable": "OSError: not a regular file: pipe.txt"}
    assert infos["folder.csv"]["type"] == "csv"
    assert infos["folder.csv"]["unreadable"].startswith("OSError: not a regular file")
    assert infos["blob.bin"]["type"] == "binary" and infos["blob.bin"]["text"] is False
    assert {key: infos["empty.txt"][key] for key in ("type", "text", "head", "lines")} == {
        "type": "text", "text": True, "head": [], "lines": 0}
    latin1 = infos["latin1.txt"]
    assert (latin1["type"], latin1["text"], "head" in latin1) == ("text", False, False)
    assert latin1["unreadable"].startswith("UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9")


@pytest.mark.parametrize(("name", "expected"), [
    ("huge.log", {"type": "text", "text": True, "head": ["2024-06-01 INFO request served in 12 ms"] * 10}),
    ("sparse.img", {"type": "binary", "text": False}),
])
def test_a_50_mb_file_is_described_from_its_head(user_dir: Path, name: str, expected: dict[str, Any]) -> None:
    started = time.perf_counter()
    info = describe_file(user_dir, user_dir / name)
    assert time.perf_counter() - started < 0.5
    assert {key: value for key, value in info.items() if key not in ("path", "size", "modified")} == expected
    assert info["size"] >= BIG - 40


def test_the_tree_with_info_names_each_user_file_once(user_dir: Path) -> None:
    tree = tree_naming_each_file_once(user_dir)
    assert "empty.txt  (text, 0 B, 0 lines)" in tree and not any(name in tree for name in ESCAPING)


def snapshot(directory: Path) -> dict[str, Any]:
    """What each entry is, without following links or opening special files."""

    def entry(path: Path) -> Any:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            return "-> " + os.readlink(path)
        if stat.S_ISREG(mode):
            return hashlib.sha256(path.read_bytes()).hexdigest(), stat.S_IMODE(mode)
        return stat.S_IFMT(mode), stat.S_IMODE(mode)

    return {rel(directory, path): entry(path) for path in sorted(directory.rglob("*"))}


def test_the_sandbox_copy_leaves_escaping_links_out(user_dir: Path, tmp_path: Path) -> None:
    before = snapshot(user_dir)
    provider = LocalSandboxProvider(seed_dir=user_dir, work_dir=tmp_path / "work",
                                    tool_modules=["fcgraph.tools.builtin.fs"], isolation="none")

    async def play() -> None:
        box = await provider.open("d1")
        copy = Path(box.root)
        entries = {rel(copy, path): path for path in copy.rglob("*")}
        assert set(entries) == LISTED | {"docs", "docs/deep", "folder.csv"}
        for name, path in entries.items():
            if path.is_symlink():
                assert not os.path.isabs(os.readlink(path)) and path.resolve() == copy / "ok.txt", name
        for name in ("secret_link.txt", "outside_folder/inner.txt", "dangling.txt"):
            outcome = await box.call("read_file", {"path": name})
            assert not outcome.ok and outcome.error_kind == "tool", name
        for name in ("docs/to_ok.txt", "docs/deep/absolute_to_ok.txt", "docs/climbing_to_ok.txt"):
            outcome = await box.call("read_file", {"path": name})
            assert outcome.ok and outcome.result["lines"] == ["fine"], name
        await box.close()

    asyncio.run(play())
    assert snapshot(user_dir) == before


PROBE_WITHOUT_PRIVILEGES = textwrap.dedent("""
    import asyncio, json, sys
    from pathlib import Path
    from fcgraph.datasets.file_info import describe_file
    from fcgraph.sandbox import LocalSandboxProvider

    scratch = Path(sys.argv[1])
    seed = scratch / "seed"
    provider = LocalSandboxProvider(seed_dir=seed, work_dir=scratch / "work", tool_modules=[], isolation="none")
    box = asyncio.run(provider.open("d1"))
    print(json.dumps({"info": describe_file(seed, seed / "locked.txt"),
                      "copied": sorted(p.relative_to(box.root).as_posix() for p in Path(box.root).rglob("*"))}))
""")


# root reads any file whatever its mode, unless it gives up the two capabilities that let it
AS_ORDINARY_USER = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.getuid() == 0 else []


@pytest.mark.skipif(bool(AS_ORDINARY_USER) and not shutil.which("setpriv"), reason="setpriv (util-linux) missing")
def test_unreadable_files_are_described_and_left_out_of_the_copy(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    (seed / "locked_folder").mkdir(parents=True)
    (seed / "ok.txt").write_text("fine\n")
    (seed / "locked.txt").write_text("private\n")
    (seed / "locked_folder" / "inside.txt").write_text("private\n")
    (seed / "locked.txt").chmod(0)
    (seed / "locked_folder").chmod(0)
    try:
        result = subprocess.run([*AS_ORDINARY_USER, sys.executable, "-c", PROBE_WITHOUT_PRIVILEGES, str(tmp_path)],
                                capture_output=True, text=True, timeout=60)
    finally:
        (seed / "locked_folder").chmod(0o755)  # else pytest cannot clean it up
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    assert probe["copied"] == ["ok.txt"]
    assert probe["info"]["unreadable"].startswith("PermissionError: [Errno 13] Permission denied")
    assert {key: probe["info"][key] for key in ("path", "type", "text", "size")} == {
        "path": "locked.txt", "type": "text", "text": False, "size": 8}


def test_the_bundled_tree_is_described_with_its_recorded_time_and_others_with_their_own(tmp_path: Path) -> None:
    """A checkout's time must not reach the user agent's prompt: the same seed gives the same records anywhere."""
    from fcgraph.sampling import Environment

    assert {info["modified"] for info in Environment(SHIPPED).infos.values()} == {"2024-06-30T12:00:00+00:00"}
    own = tmp_path / "own"
    own.mkdir()
    (own / "a.txt").write_text("a")
    os.utime(own / "a.txt", (1_600_000_000, 1_600_000_000))
    assert Environment(own).infos["a.txt"]["modified"] == "2020-09-13T12:26:40+00:00"
