"""What the user agent is told about a file: metadata plus the first lines or the format's equivalent.

The assistant never sees this; it must discover files through tools. The user agent can only ask for
what it was shown, so each format reports what a person opening the file would see first: a text
file's first lines, a sheet's first rows, a PDF's first lines of text, a picture's size and camera.
Any file, however broken or large, gets a description rather than an exception, because one odd file
in a user's own directory must not stop a run; reading stops at a few megabytes for the same reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import sqlite3
import stat
import warnings
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cached_property, partial
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

HEAD_LINES = 10
LINE_CHARS = 300
SNIFF_BYTES = 64 * 1024
PARSE_LIMIT = 5 * 2**20  # larger files get no line count, no parsing: only what their first bytes show
BINARY_PROBE = 8192  # a NUL byte this early means binary, as the text tools decide
MAX_KEYS = 50
SHEET_ROWS = 5
PDF_PAGES_SCANNED = 5  # a scanned PDF has no text on any page; don't extract hundreds to find that out
DOCX_PARAGRAPHS = 5
XML_CHILDREN = 10
SQLITE_HEADER = b"SQLite format 3\x00"
EXIF_TAGS = ("Make", "Model", "DateTime", "Software")

_TYPE_BY_SUFFIX = {
    ".csv": "csv", ".tsv": "tsv", ".json": "json", ".yaml": "yaml", ".yml": "yaml", ".xml": "xml",
    ".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".py": "python", ".sql": "sql",
    ".txt": "text", ".log": "text", ".ini": "text", ".cfg": "text", ".toml": "text", ".ics": "text", ".eml": "text",
    ".xlsx": "xlsx", ".pdf": "pdf", ".docx": "docx",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".gif": "image", ".bmp": "image", ".webp": "image",
    ".tif": "image", ".tiff": "image",
    ".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite",
}
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _decode(data: bytes, final: bool) -> str:
    """Text as the text tools read it: UTF-8 with an optional BOM; `final=False` allows a character cut at the end."""
    if b"\0" in data[:BINARY_PROBE]:
        raise ValueError("NUL bytes: binary data, not text")
    return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=final)


def _succeeds(read: Callable[[], object]) -> bool:
    try:
        read()
    except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
        return False
    return True


@dataclass
class _File:
    """A regular file's first bytes, read once and shared by type detection and every reader."""

    path: Path
    size: int
    sample: bytes

    @property
    def complete(self) -> bool:
        return self.size <= len(self.sample)

    @cached_property
    def head_text(self) -> str:
        return _decode(self.sample, final=self.complete)

    @cached_property
    def full_text(self) -> str | None:
        """The whole text, or None for a file too large to read whole."""
        if self.size >= PARSE_LIMIT:
            return None
        return self.head_text if self.complete else _decode(self.path.read_bytes(), final=True)

    @property
    def head_is_text(self) -> bool:
        return _succeeds(lambda: self.head_text)

    @property
    def is_text(self) -> bool:
        """UTF-8 throughout (a large file: in its first bytes).

        The head is tried first, so a binary file is never read whole.
        """
        return self.head_is_text and _succeeds(lambda: self.full_text)


# A reader adds to the description as it learns, so a late failure keeps the rest. Readers import their format's
# library on first use, which keeps this module cheap to import for callers that only list files.
Reader = Callable[[_File, dict[str, Any]], None]


def _text(file: _File, info: dict[str, Any]) -> None:
    info["head"] = [line[:LINE_CHARS] for line in file.head_text.splitlines()[:HEAD_LINES]]
    if file.full_text is not None:
        info["lines"] = len(file.full_text.splitlines())  # splitlines() as the text tools count


def _columns(file: _File, info: dict[str, Any], delimiter: str) -> None:
    info["columns"] = next(csv.reader(io.StringIO(file.head_text), delimiter=delimiter), [])


def _shape(data: Any) -> dict[str, Any]:
    if isinstance(data, dict):
        return {"keys": [str(key) for key in list(data)[:MAX_KEYS]]}
    if isinstance(data, list):
        return {"items": len(data)}
    return {}


def _json(file: _File, info: dict[str, Any]) -> None:
    if file.full_text is not None:
        info.update(_shape(json.loads(file.full_text)))


def _yaml(file: _File, info: dict[str, Any]) -> None:
    import yaml

    if file.full_text is not None:
        info.update(_shape(yaml.safe_load(file.full_text)))


def _local_name(tag: str) -> str:
    """'{http://www.w3.org/2005/Atom}feed' -> 'feed': the namespace means nothing to the user agent."""
    return tag.rsplit("}", 1)[-1]


def _xml(file: _File, info: dict[str, Any]) -> None:
    if file.full_text is None:
        return
    root = ElementTree.fromstring(file.full_text)
    info["root"] = _local_name(root.tag)
    info["children"] = list(dict.fromkeys(_local_name(child.tag) for child in root))[:XML_CHILDREN]


def _html(file: _File, info: dict[str, Any]) -> None:
    if (match := _TITLE.search(file.head_text)) and (title := " ".join(unescape(match[1]).split())):
        info["title"] = title


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _xlsx(file: _File, info: dict[str, Any]) -> None:
    import openpyxl

    with closing(openpyxl.load_workbook(file.path, read_only=True, data_only=True)) as workbook:
        info["sheets"] = sheets = []
        for sheet in workbook.worksheets:
            entry: dict[str, Any] = {"name": sheet.title}
            try:  # a sheet without a recorded size is measured by reading it all: only when small
                entry["dimensions"] = sheet.calculate_dimension(force=file.size < PARSE_LIMIT)
            except ValueError:
                pass
            rows = sheet.iter_rows(max_row=SHEET_ROWS, values_only=True)
            sheets.append(entry | {"rows": [[_json_safe(value) for value in row] for row in rows]})


def _pdf_lines(pages: Any) -> list[str]:
    lines: list[str] = []
    for page in pages[:PDF_PAGES_SCANNED]:
        lines += [line.strip()[:LINE_CHARS] for line in page.extract_text().splitlines() if line.strip()]
        if len(lines) >= HEAD_LINES:
            break
    return lines[:HEAD_LINES]


def _pdf(file: _File, info: dict[str, Any]) -> None:
    import pypdf

    reader = pypdf.PdfReader(file.path)
    info["pages"] = len(reader.pages)
    if metadata := reader.metadata:
        info.update({key: str(value) for key in ("title", "author") if (value := getattr(metadata, key))})
    info["head"] = _pdf_lines(reader.pages)


def _docx(file: _File, info: dict[str, Any]) -> None:
    import docx

    document = docx.Document(str(file.path))
    texts = (paragraph.text.strip() for paragraph in document.paragraphs)
    info["paragraphs"] = [text[:LINE_CHARS] for text in texts if text][:DOCX_PARAGRAPHS]
    info["tables"] = len(document.tables)
    properties = document.core_properties
    info.update({key: value for key in ("title", "author") if (value := getattr(properties, key))})


def _exif(image: Any) -> dict[str, Any]:
    from PIL.ExifTags import IFD, Base

    exif = image.getexif()
    tags = {name: exif.get(Base[name]) for name in EXIF_TAGS}
    tags["DateTimeOriginal"] = exif.get_ifd(IFD.Exif).get(Base.DateTimeOriginal)  # in the Exif sub-directory
    return {name: _json_safe(value.strip("\0 ") if isinstance(value, str) else value)
            for name, value in tags.items() if value not in (None, "", b"")}


def _image(file: _File, info: dict[str, Any]) -> None:
    from PIL import Image  # opening reads the header only; the pixels are never decoded

    with Image.open(file.path) as image:
        info.update(width=image.width, height=image.height, mode=image.mode, format=image.format)
        info["exif"] = _exif(image)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite(file: _File, info: dict[str, Any]) -> None:
    # immutable: no lock, no journal, nothing written next to a database the user owns
    uri = f"file:{quote(str(file.path))}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        info["tables"] = tables = []
        for name in names:
            columns = [{"name": row[1], "type": row[2]} for row in connection.execute(f"PRAGMA table_info({_quoted(name)})")]
            rows = connection.execute(f"SELECT COUNT(*) FROM {_quoted(name)}").fetchone()[0]
            tables.append({"name": name, "columns": columns, "rows": rows})


_READERS: dict[str, tuple[Reader, ...]] = {
    "csv": (_text, partial(_columns, delimiter=",")),
    "tsv": (_text, partial(_columns, delimiter="\t")),
    "json": (_text, _json),
    "yaml": (_text, _yaml),
    "xml": (_text, _xml),
    "html": (_text, _html),
    "markdown": (_text,),
    "text": (_text,),
    "python": (_text,),
    "sql": (_text,),
    "xlsx": (_xlsx,),
    "pdf": (_pdf,),
    "docx": (_docx,),
    "image": (_image,),
    "sqlite": (_sqlite,),
    "binary": (),
}
TEXT_TYPES = frozenset(kind for kind, readers in _READERS.items() if _text in readers)


def _kind(file: _File) -> str:
    """The type by suffix, or for an unknown suffix by content: a database, text, or anything else."""
    if kind := _TYPE_BY_SUFFIX.get(file.path.suffix.lower()):
        return kind
    if file.sample.startswith(SQLITE_HEADER):
        return "sqlite"
    return "text" if file.head_is_text else "binary"


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _first_bytes(path: Path, status: os.stat_result) -> bytes:
    """Only a regular file is opened: a FIFO would block the reader forever."""
    if not stat.S_ISREG(status.st_mode):
        raise OSError(f"not a regular file: {path.name}")
    with path.open("rb") as handle:
        return handle.read(SNIFF_BYTES)


def describe_file(root: Path, path: Path, mtime: float | None = None) -> dict[str, Any]:
    """`mtime` stands for the file's own modification time where that is not the real one (see recorded_mtime)."""
    by_suffix = _TYPE_BY_SUFFIX.get(path.suffix.lower(), "binary")
    info: dict[str, Any] = {"path": path.relative_to(root).as_posix(), "type": by_suffix}
    try:
        status = path.stat()
        modified = datetime.fromtimestamp(int(status.st_mtime if mtime is None else mtime), UTC)
        info |= {"size": status.st_size, "modified": modified.isoformat()}
        file = _File(path, status.st_size, _first_bytes(path, status))
    except OSError as exc:
        return info | {"text": False, "unreadable": _error(exc)}
    info |= {"type": _kind(file), "text": file.is_text}
    with warnings.catch_warnings():  # the format libraries warn about every oddity of files made by other tools
        warnings.simplefilter("ignore")
        for reader in _READERS[info["type"]]:
            try:
                reader(file, info)
            except Exception as exc:  # noqa: BLE001 - parsers raise anything; one broken file must not stop a run
                info["unreadable"] = _error(exc)
                break
    return info


def _inside(root: Path, path: Path) -> bool:
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return real == root or root in real.parents


def _entries(root: Path) -> list[tuple[Path, bool]]:
    """(path, is a directory) for the directories and regular files under root that stay inside it once links are followed.

    Symlinked directories are listed but never entered: their files are reachable by their real path,
    and entering them could loop.
    """
    root = root.resolve()
    entries = []
    for directory, dirnames, filenames in os.walk(root):
        entries += [(path, True) for name in dirnames if _inside(root, path := Path(directory, name))]
        entries += [(path, False) for name in filenames if (path := Path(directory, name)).is_file() and _inside(root, path)]
    return sorted(entries)


def list_files(root: Path) -> list[Path]:
    """Regular files under root, never following a symlink out of it."""
    return [path for path, is_dir in _entries(root) if not is_dir]


def _render(root: Path, notes: Mapping[str, str]) -> str:
    resolved = root.resolve()
    lines = []
    for path, is_dir in _entries(resolved):
        relative = path.relative_to(resolved)
        note = notes.get(relative.as_posix())
        lines.append("  " * (len(relative.parts) - 1) + path.name + ("/" if is_dir else f"  ({note})" if note else ""))
    return "\n".join(lines)


def directory_tree(root: Path) -> str:
    return _render(root, {})


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    scaled = size / 1024
    for unit in ("KB", "MB"):
        if scaled < 1024:
            return f"{scaled:.1f} {unit}"
        scaled /= 1024
    return f"{scaled:.1f} GB"


def _names(names: list[str], shown: int = 6) -> str:
    more = f", +{len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _tables(tables: int | list[dict[str, Any]]) -> str:
    """A document's table count, or a database's tables with their sizes."""
    if isinstance(tables, int):
        return _count(tables, "table")
    return "tables: " + _names([f"{table['name']} ({_count(table['rows'], 'row')})" for table in tables])


_NOTES: tuple[tuple[str, Callable[[dict[str, Any]], str]], ...] = (
    ("unreadable", lambda info: "unreadable"),
    ("lines", lambda info: _count(info["lines"], "line")),
    ("columns", lambda info: "columns: " + _names(info["columns"])),
    ("keys", lambda info: "keys: " + _names(info["keys"])),
    ("items", lambda info: _count(info["items"], "item")),
    ("root", lambda info: f"<{info['root']}>"),
    ("sheets", lambda info: "sheets: " + _names([f"{s['name']} {s.get('dimensions', '')}".strip() for s in info["sheets"]])),
    ("pages", lambda info: _count(info["pages"], "page")),
    ("width", lambda info: f"{info['width']}x{info['height']} {info['format']}"),
    ("tables", lambda info: _tables(info["tables"])),
    ("title", lambda info: f"title {info['title'][:60]!r}"),
)


def _summary(info: dict[str, Any]) -> str:
    parts = [info["type"], *([_size(info["size"])] if "size" in info else [])]
    return ", ".join(parts + [note(info) for key, note in _NOTES if key in info])


def tree_with_info(root: Path, infos: Mapping[str, dict[str, Any]]) -> str:
    """The directory tree with a one-line summary on each file, by path relative to root as in `infos`."""
    return _render(root, {path: _summary(info) for path, info in infos.items()})
