"""Document tools: read, search, rearrange and write PDF files (pypdf) and Word .docx files (python-docx).

Pages are numbered from 1. Tools that take several pages read a page list such as "2", "1-3" or
"1,4-6" ("all" means every page). Tools that change a PDF write to `output_path`, or back into the
same file when it is left empty. Paths are relative to the working directory and confined to it.
"""

import collections.abc
import copy
import io
import re
from pathlib import Path
from typing import Any, Literal

from fcgraph.tools.paths import ToolError, relative, resolve

CATEGORY = "documents"

_MAX_CHARS = 4000
_SNIPPET = 60
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_FIELD_TYPES = {"/Tx": "text", "/Btn": "button", "/Ch": "choice", "/Sig": "signature"}
_METADATA_KEYS = {"title": "/Title", "author": "/Author", "subject": "/Subject", "keywords": "/Keywords"}
_DOCX_PROPERTIES = ("title", "author", "subject", "keywords", "category", "comments", "last_modified_by")


# ---------------------------------------------------------------- shared helpers
def _at_least(name: str, value: int, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ToolError(f"'{name}' must be an integer >= {minimum}, got {value!r}")


def _source(path: str, suffix: str) -> Path:
    resolved = resolve(path)
    if resolved.is_dir():
        raise ToolError(f"'{path}' is a directory, not a {suffix} file")
    if resolved.suffix.lower() != suffix:
        raise ToolError(f"'{path}' is not a {suffix} file")
    return resolved


def _output(output_path: str, suffix: str) -> Path:
    """A file to write inside the sandbox, with its folders created."""
    target = resolve(output_path, must_exist=False)
    if target.is_dir():
        raise ToolError(f"'{output_path}' is a directory; give a file name ending in {suffix}")
    if target.suffix.lower() != suffix:
        raise ToolError(f"output path '{output_path}' must end in {suffix}")
    if target.parent.exists() and not target.parent.is_dir():
        raise ToolError(f"'{relative(target.parent)}' is a file, not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _snippet(text: str, start: int, end: int) -> str:
    left, right = max(0, start - _SNIPPET), min(len(text), end + _SNIPPET)
    return ("..." if left else "") + text[left:right] + ("..." if right < len(text) else "")


def _phrase_matches(text: str, phrase: str, case_sensitive: bool) -> list[str]:
    """Snippets around each occurrence of a phrase, whitespace-insensitive (line breaks split phrases in PDFs)."""
    words = phrase.split()
    if not words:
        raise ToolError("the search phrase must not be empty")
    flat = " ".join(text.split())
    pattern = re.compile(r"\s+".join(map(re.escape, words)), 0 if case_sensitive else re.IGNORECASE)
    return [_snippet(flat, m.start(), m.end()) for m in pattern.finditer(flat)]


def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ToolError(f"invalid regular expression '{pattern}': {exc}") from None


# ---------------------------------------------------------------- PDF helpers
def _pdf(path: str, password: str | None = "") -> tuple[Path, Any]:
    """An open PdfReader. A password-protected file needs its password (an empty one opens files that are
    only restricted, not locked); `password=None` returns it still locked, for tools that only ask whether it is."""
    import pypdf

    resolved = _source(path, ".pdf")
    try:
        reader = pypdf.PdfReader(resolved)
        if password is None:
            return resolved, reader
        if reader.is_encrypted and not reader.decrypt(password):
            raise ToolError(f"'{path}' is password-protected; decrypt it first with pdf_decrypt and its password")
        len(reader.pages)
    except pypdf.errors.DependencyError as exc:
        raise ToolError(f"'{path}' uses an encryption this environment cannot read: {exc}") from None
    except (pypdf.errors.PyPdfError, ValueError, KeyError, OSError) as exc:
        raise ToolError(f"'{path}' is not a readable PDF file: {exc}") from None
    return resolved, reader


def _page_list(spec: str, count: int, ordered: bool = False) -> list[int]:
    """0-based page indexes from a list such as "1,3-5"; `ordered` keeps the order and repeats as written."""
    text = str(spec).strip().lower()
    if text in ("", "all"):
        return list(range(count))
    pages: list[int] = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise ToolError(f"invalid page list '{spec}': use page numbers and ranges such as '1,3-5' or 'all'")
        first, last = int(match[1]), int(match[2] or match[1])
        if first < 1 or last > count or first > last:
            raise ToolError(f"pages {part.strip()} are out of range: the PDF has {count} page(s), numbered from 1")
        pages.extend(range(first - 1, last))
    return pages if ordered else sorted(set(pages))


def _write_pdf(writer: Any, target: Path) -> None:
    buffer = io.BytesIO()
    writer.write(buffer)
    target.write_bytes(buffer.getvalue())


def _pdf_target(source: Path, output_path: str) -> Path:
    return source if not output_path else _output(output_path, ".pdf")


def _pages_writer(reader: Any, indexes: list[int]) -> Any:
    import pypdf

    writer = pypdf.PdfWriter()
    for index in indexes:
        writer.add_page(reader.pages[index])
    if reader.metadata:
        writer.add_metadata({key: str(value) for key, value in reader.metadata.items()})
    return writer


def _page_text(reader: Any, index: int) -> str:
    try:
        return reader.pages[index].extract_text() or ""
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of errors on odd content streams
        raise ToolError(f"could not extract text from page {index + 1}: {exc}") from None


def _metadata(reader: Any) -> dict[str, Any]:
    raw = reader.metadata or {}
    info: dict[str, Any] = {}
    for key, value in raw.items():
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", key.lstrip("/")).lower()
        info[name] = str(value)
    for name, attribute in (("creation_date", "creation_date"), ("mod_date", "modification_date")):
        try:
            when = getattr(raw, attribute, None) if raw else None
        except ValueError:  # a malformed date stays as written
            when = None
        if when is not None:
            info[name] = when.isoformat()
    return info


# ---------------------------------------------------------------- PDF tools
def pdf_info(path: str) -> dict:
    """Get a PDF's page count, page size, metadata (title, author, dates ...) and whether it is encrypted.

    A password-protected PDF is reported as encrypted without its page count.

    Args:
        path: PDF file to inspect, relative to the working directory.
    """
    resolved, locked = _pdf(path, password=None)
    encrypted = locked.is_encrypted
    if encrypted and not locked.decrypt(""):
        return {"path": relative(resolved), "encrypted": True, "pages": None, "metadata": {}}
    _, reader = _pdf(path)
    box = reader.pages[0].mediabox if reader.pages else None
    size = {"width_pt": round(float(box.width), 2), "height_pt": round(float(box.height), 2)} if box else None
    return {"path": relative(resolved), "encrypted": encrypted, "pages": len(reader.pages), "page_size": size,
            "metadata": _metadata(reader)}


def pdf_extract_text(path: str, pages: str = "all", max_chars: int = _MAX_CHARS) -> dict:
    """Extract the text of some or all pages of a PDF, page by page.

    The text is cut after `max_chars` characters in total ("truncated" is then true); ask for
    fewer pages to read the rest.

    Args:
        path: PDF file to read, relative to the working directory.
        pages: Pages to read: "all", one page such as "2", or a list of pages and ranges such as "1-3,5".
        max_chars: Maximum number of characters of text to return over all pages.
    """
    _at_least("max_chars", max_chars)
    _, reader = _pdf(path)
    result, budget, truncated = [], max_chars, False
    for index in _page_list(pages, len(reader.pages)):
        if budget <= 0:
            truncated = True
            break
        text = _page_text(reader, index)
        truncated = truncated or len(text) > budget
        result.append({"page": index + 1, "text": text[:budget]})
        budget -= len(text)
    return {"pages": result, "truncated": truncated}


def pdf_search(path: str, phrase: str, case_sensitive: bool = False, limit: int = 20) -> dict:
    """Find a word or phrase in a PDF: the pages it appears on and a snippet of text around each occurrence.

    Line breaks and repeated spaces in the PDF text are ignored, so a phrase split over two lines is found.

    Args:
        path: PDF file to search, relative to the working directory.
        phrase: Word or phrase to look for, e.g. "Total due".
        case_sensitive: Whether upper and lower case must match exactly.
        limit: Maximum number of occurrences (with snippets) to return.
    """
    _at_least("limit", limit)
    _, reader = _pdf(path)
    found = [{"page": index + 1, "snippet": snippet}
             for index in range(len(reader.pages))
             for snippet in _phrase_matches(_page_text(reader, index), phrase, case_sensitive)]
    return {"matches": len(found), "pages": sorted({item["page"] for item in found}), "results": found[:limit]}


def pdf_extract_pages(path: str, pages: str, output_path: str) -> dict:
    """Copy some pages of a PDF into a new PDF file (the original is left unchanged).

    Args:
        path: PDF file to take pages from, relative to the working directory.
        pages: Pages to copy, in document order: one page such as "2" or pages and ranges such as "1-3,5".
        output_path: New PDF file to write, relative to the working directory, e.g. "finance/q1_page2.pdf".
    """
    source, reader = _pdf(path)
    target = _output(output_path, ".pdf")
    if target == source:
        raise ToolError("output_path must differ from the source PDF")
    indexes = _page_list(pages, len(reader.pages))
    _write_pdf(_pages_writer(reader, indexes), target)
    return {"output_path": relative(target), "pages": [i + 1 for i in indexes]}


def pdf_merge(paths: list[str], output_path: str) -> dict:
    """Join several PDF files, in the order given, into one PDF file.

    Args:
        paths: PDF files to join, in order, relative to the working directory (at least two).
        output_path: PDF file to write, relative to the working directory, e.g. "finance/invoices_may.pdf".
    """
    import pypdf

    if not isinstance(paths, list) or len(paths) < 2:
        raise ToolError("'paths' must list at least two PDF files to merge")
    readers = [_pdf(path)[1] for path in paths]
    target = _output(output_path, ".pdf")
    writer = pypdf.PdfWriter()
    for reader in readers:
        writer.append(reader)
    _write_pdf(writer, target)
    return {"output_path": relative(target), "files": len(readers), "pages": len(writer.pages)}


def pdf_split(path: str, output_dir: str = "") -> dict:
    """Split a PDF into one new PDF file per page, named <name>_page_<n>.pdf.

    Returns the number of files written and the paths of the first 100.

    Args:
        path: PDF file to split, relative to the working directory.
        output_dir: Folder for the page files (created if missing); empty means the PDF's own folder.
    """
    source, reader = _pdf(path)
    folder = resolve(output_dir, must_exist=False) if output_dir else source.parent
    if folder.exists() and not folder.is_dir():
        raise ToolError(f"'{output_dir}' is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(len(reader.pages)):
        target = folder / f"{source.stem}_page_{index + 1}.pdf"
        _write_pdf(_pages_writer(reader, [index]), target)
        written.append(relative(target))
    return {"files": written[:100], "count": len(written)}


def pdf_rotate_pages(path: str, degrees: Literal[90, 180, 270], pages: str = "all", output_path: str = "") -> dict:
    """Rotate pages of a PDF clockwise by a quarter, half or three-quarter turn.

    Args:
        path: PDF file to rotate, relative to the working directory.
        degrees: Clockwise rotation: 90, 180 or 270.
        pages: Pages to rotate: "all" or pages and ranges such as "1,3-4".
        output_path: PDF file to write the result to; empty (the default) changes the file in place.
    """
    if degrees not in (90, 180, 270):
        raise ToolError(f"'degrees' must be 90, 180 or 270, got {degrees!r}")
    import pypdf

    source, reader = _pdf(path)
    chosen = set(_page_list(pages, len(reader.pages)))
    target = _pdf_target(source, output_path)
    writer = pypdf.PdfWriter(clone_from=reader)
    for index in sorted(chosen):
        page = writer.pages[index]
        page.rotation = (page.rotation + degrees) % 360
    _write_pdf(writer, target)
    return {"output_path": relative(target), "rotated": [i + 1 for i in sorted(chosen)], "degrees": degrees}


def pdf_delete_pages(path: str, pages: str, output_path: str = "") -> dict:
    """Remove pages from a PDF; at least one page must remain.

    Args:
        path: PDF file to edit, relative to the working directory.
        pages: Pages to remove, e.g. "2" or "1,3-4".
        output_path: PDF file to write the result to; empty (the default) changes the file in place.
    """
    source, reader = _pdf(path)
    removed = set(_page_list(pages, len(reader.pages)))
    kept = [i for i in range(len(reader.pages)) if i not in removed]
    if not kept:
        raise ToolError("cannot delete every page of a PDF")
    target = _pdf_target(source, output_path)
    _write_pdf(_pages_writer(reader, kept), target)
    return {"output_path": relative(target), "deleted": sorted(i + 1 for i in removed), "pages": len(kept)}


def pdf_reorder_pages(path: str, order: str, output_path: str = "") -> dict:
    """Put the pages of a PDF in a new order, e.g. "3,1,2" makes the third page come first.

    Args:
        path: PDF file to reorder, relative to the working directory.
        order: Every page number exactly once, in the new order, e.g. "2,1" or "4-6,1-3".
        output_path: PDF file to write the result to; empty (the default) changes the file in place.
    """
    source, reader = _pdf(path)
    count = len(reader.pages)
    indexes = _page_list(order, count, ordered=True)
    if sorted(indexes) != list(range(count)):
        raise ToolError(f"'order' must list each of the {count} page(s) exactly once, e.g. '{count}-1'"
                        if count > 1 else "a one-page PDF has only one order")
    target = _pdf_target(source, output_path)
    _write_pdf(_pages_writer(reader, indexes), target)
    return {"output_path": relative(target), "order": [i + 1 for i in indexes]}


def pdf_set_metadata(
    path: str,
    title: str = "",
    author: str = "",
    subject: str = "",
    keywords: str = "",
    clear_others: bool = False,
    output_path: str = "",
) -> dict:
    """Add or replace a PDF's document properties (title, author, subject, keywords).

    Empty fields are left as they are. Returns the metadata as saved.

    Args:
        path: PDF file to edit, relative to the working directory.
        title: New document title, or "" to keep the current one.
        author: New author name, or "" to keep the current one.
        subject: New subject, or "" to keep the current one.
        keywords: New keywords (usually comma-separated), or "" to keep the current ones.
        clear_others: Whether to drop every existing metadata entry not set by this call.
        output_path: PDF file to write the result to; empty (the default) changes the file in place.
    """
    import pypdf

    values = {_METADATA_KEYS[name]: value for name, value in
              (("title", title), ("author", author), ("subject", subject), ("keywords", keywords)) if value}
    if not values:
        raise ToolError("give at least one of title, author, subject or keywords")
    source, reader = _pdf(path)
    target = _pdf_target(source, output_path)
    writer = pypdf.PdfWriter(clone_from=reader)
    if clear_others:
        writer.metadata = values
    else:
        writer.add_metadata(values)
    _write_pdf(writer, target)
    return {"output_path": relative(target), "metadata": _metadata(_pdf(relative(target))[1])}


def pdf_form_fields(path: str) -> list[dict]:
    """List the fillable form fields of a PDF with their type and current value (empty if it has no form).

    Args:
        path: PDF file to inspect, relative to the working directory.
    """
    _, reader = _pdf(path)
    fields = reader.get_fields() or {}
    return [{"name": name, "type": _FIELD_TYPES.get(field.get("/FT"), str(field.get("/FT") or "unknown")),
             "value": None if field.get("/V") is None else str(field.get("/V"))}
            for name, field in fields.items()]


def pdf_outline(path: str) -> list[dict]:
    """List a PDF's bookmarks (its outline or table of contents): title, level and page (empty if none).

    Args:
        path: PDF file to inspect, relative to the working directory.
    """
    _, reader = _pdf(path)
    entries: list[dict] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            page = reader.get_destination_page_number(item)
            entries.append({"title": str(item.title), "level": level, "page": page + 1 if page is not None else None})

    walk(reader.outline or [], 1)
    return entries


def pdf_word_count(path: str) -> dict:
    """Count the words on each page of a PDF and in total.

    Args:
        path: PDF file to count, relative to the working directory.
    """
    _, reader = _pdf(path)
    counts = [len(_WORD.findall(_page_text(reader, i))) for i in range(len(reader.pages))]
    return {"total": sum(counts), "pages": [{"page": i + 1, "words": n} for i, n in enumerate(counts)]}


def pdf_find_lines(path: str, pattern: str, pages: str = "all", limit: int = 50) -> dict:
    """Find the text lines of a PDF that match a regular expression, e.g. the rows of a table.

    Each match gives the page, the whole line and the text of the pattern's capture groups, so
    "^(NP-[A-Z]+-\\d+) .* (\\$[\\d,.]+)$" returns each item line with its SKU and amount.

    Args:
        path: PDF file to search, relative to the working directory.
        pattern: Python regular expression searched in each line, e.g. "^NP-" or "Total due: (.+)".
        pages: Pages to search: "all" or pages and ranges such as "1-2".
        limit: Maximum number of matching lines to return.
    """
    _at_least("limit", limit)
    regex = _regex(pattern)
    _, reader = _pdf(path)
    found = []
    for index in _page_list(pages, len(reader.pages)):
        for line in _page_text(reader, index).splitlines():
            if match := regex.search(line):
                found.append({"page": index + 1, "line": line.strip(), "groups": list(match.groups())})
    return {"matches": len(found), "lines": found[:limit]}


def pdf_encrypt(path: str, password: str, output_path: str = "") -> dict:
    """Protect a PDF with a password that is then needed to open it.

    Uses AES-256 when the environment supports it, otherwise 128-bit RC4 (reported as "algorithm").

    Args:
        path: PDF file to protect, relative to the working directory.
        password: Password needed to open the result; must not be empty.
        output_path: PDF file to write the result to; empty (the default) changes the file in place.
    """
    import pypdf

    if not password:
        raise ToolError("'password' must not be empty")
    source, reader = _pdf(path)
    if reader.is_encrypted:
        raise ToolError(f"'{path}' is already encrypted")
    target = _pdf_target(source, output_path)
    writer = pypdf.PdfWriter(clone_from=reader)
    try:
        writer.encrypt(password, algorithm="AES-256")
        algorithm = "AES-256"
    except pypdf.errors.DependencyError:
        writer.encrypt(password, algorithm="RC4-128")
        algorithm = "RC4-128"
    _write_pdf(writer, target)
    return {"output_path": relative(target), "encrypted": True, "algorithm": algorithm}


def pdf_decrypt(path: str, password: str, output_path: str = "") -> dict:
    """Remove the password protection of a PDF, given its password.

    Args:
        path: Encrypted PDF file, relative to the working directory.
        password: The PDF's password (user or owner password).
        output_path: PDF file to write the unprotected copy to; empty (the default) changes the file in place.
    """
    import pypdf

    source, locked = _pdf(path, password=None)
    if not locked.is_encrypted:
        raise ToolError(f"'{path}' is not encrypted")
    try:
        _, reader = _pdf(path, password)
    except ToolError:
        raise ToolError(f"wrong password for '{path}'") from None
    target = _pdf_target(source, output_path)
    _write_pdf(pypdf.PdfWriter(clone_from=reader), target)
    return {"output_path": relative(target), "encrypted": False, "pages": len(reader.pages)}


# ---------------------------------------------------------------- Word helpers
def _docx(path: str) -> tuple[Path, Any]:
    import docx

    resolved = _source(path, ".docx")
    try:
        return resolved, docx.Document(str(resolved))
    except Exception as exc:  # noqa: BLE001 - python-docx raises zip, XML and key errors on broken files
        raise ToolError(f"'{path}' is not a readable Word .docx file: {exc}") from None


def _save(document: Any, target: Path) -> None:
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(buffer.getvalue())


def _style(paragraph: Any) -> str:
    return paragraph.style.name if paragraph.style is not None else "Normal"


def _heading_level(paragraph: Any) -> int | None:
    """0 for the document title, 1-9 for headings, None for body text."""
    style = _style(paragraph)
    if style == "Title":
        return 0
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match[1]) if match else None


def _table_rows(table: Any) -> list[list[str]]:
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def _texts(document: Any) -> collections.abc.Iterator[tuple[str, str]]:
    """(where, text) for every paragraph and table cell in body order; merged cells are read once."""
    import docx

    tables = 0
    for index, block in enumerate(document.iter_inner_content(), start=1):
        if isinstance(block, docx.table.Table):
            tables += 1
            seen = set()  # holds the cell elements themselves: ids of freed lxml proxies are reused
            for r, row in enumerate(block.rows, start=1):
                for c, cell in enumerate(row.cells, start=1):
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        yield f"table {tables}, row {r}, cell {c}", cell.text
        else:
            yield f"paragraph {index - tables}", block.text


def _properties(document: Any) -> dict[str, Any]:
    core = document.core_properties
    info: dict[str, Any] = {name: getattr(core, name) or "" for name in _DOCX_PROPERTIES}
    info["revision"] = core.revision
    for name in ("created", "modified"):
        when = getattr(core, name)
        info[name] = when.isoformat() if when else None
    return info


def _blank_properties(document: Any) -> None:
    """Drop what python-docx's template says about itself (its author, its 2013 dates, its "generated by" comment)."""
    core = document.core_properties
    core.author = core.comments = core.last_modified_by = ""
    for element in list(core._element):
        if element.tag.rsplit("}", 1)[-1] in ("created", "modified", "lastPrinted"):
            core._element.remove(element)


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _markdown(document: Any) -> str:
    """Headings as '#' lines (Title '#', Heading n '#' * (n+1)), list styles as items, tables as pipe tables."""
    import docx

    blocks: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            rows = [[_markdown_cell(cell) for cell in row] for row in _table_rows(block)]
            if rows:
                width = max(len(row) for row in rows)
                rows = [row + [""] * (width - len(row)) for row in rows]
                lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
                blocks.append("\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]]))
            continue
        text = block.text.strip()
        if not text:
            continue
        level, style = _heading_level(block), _style(block)
        if level is not None:
            blocks.append("#" * min(level + 1, 6) + " " + " ".join(text.split()))
        elif style.startswith("List Bullet"):
            blocks.append("- " + text)
        elif style.startswith("List Number"):
            blocks.append("1. " + text)
        else:
            blocks.append("  \n".join(line.strip() for line in text.splitlines()))  # line breaks stay breaks
    merged: list[str] = []
    for block in blocks:  # consecutive list items form one list, without blank lines between them
        is_item = block.startswith(("- ", "1. "))
        if merged and is_item and merged[-1].split("\n")[-1].startswith(("- ", "1. ")):
            merged[-1] += "\n" + block
        else:
            merged.append(block)
    return "\n\n".join(merged) + "\n"


def _plain_text(document: Any) -> str:
    import docx

    parts = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            parts.extend("\t".join(row) for row in _table_rows(block))
        else:
            parts.append(block.text)
    return "\n".join(parts) + "\n"


def _replace_in_paragraph(paragraph: Any, old: str, new: str) -> None:
    """Replace run by run; if the text spans runs, rebuild the paragraph as one run formatted like the first."""
    expected = paragraph.text.replace(old, new)
    runs = paragraph.runs
    for run in runs:
        run.text = run.text.replace(old, new)
    if paragraph.text == expected:
        return
    formatting = copy.deepcopy(runs[0]._r.rPr) if runs and runs[0]._r.rPr is not None else None
    paragraph.clear()
    run = paragraph.add_run(expected)
    if formatting is not None:
        run._r.insert(0, formatting)


def _all_paragraphs(document: Any) -> collections.abc.Iterator[Any]:
    """Body paragraphs, then the paragraphs inside table cells (nested tables included)."""
    yield from document.paragraphs
    stack = list(document.tables)
    seen = set()
    while stack:
        table = stack.pop(0)
        for row in table.rows:
            for cell in row.cells:
                if cell._tc in seen:
                    continue
                seen.add(cell._tc)
                yield from cell.paragraphs
                stack.extend(cell.tables)


# ---------------------------------------------------------------- Word tools
def docx_paragraphs(path: str, limit: int = 50, include_empty: bool = False) -> dict:
    """List the paragraphs of a Word document in order, each with its number and style (e.g. "Heading 1").

    Tables are not included (see docx_tables). Returns the total number of paragraphs and the first `limit`.

    Args:
        path: .docx file to read, relative to the working directory.
        limit: Maximum number of paragraphs to return.
        include_empty: Whether to include blank paragraphs (they keep their numbers either way).
    """
    _at_least("limit", limit)
    _, document = _docx(path)
    items = [{"index": i, "style": _style(p), "text": p.text}
             for i, p in enumerate(document.paragraphs, start=1) if include_empty or p.text.strip()]
    return {"paragraphs": len(items), "items": items[:limit]}


def docx_headings(path: str) -> list[dict]:
    """Outline a Word document: its title and headings in order, with their level (0 = title, 1 = Heading 1 ...).

    Args:
        path: .docx file to read, relative to the working directory.
    """
    _, document = _docx(path)
    return [{"level": level, "text": p.text.strip(), "paragraph": i}
            for i, p in enumerate(document.paragraphs, start=1)
            if (level := _heading_level(p)) is not None and p.text.strip()]


def docx_tables(path: str, limit: int = 50) -> list[dict]:
    """Read the tables of a Word document, each as a list of rows of cell text (first row usually the header).

    Args:
        path: .docx file to read, relative to the working directory.
        limit: Maximum number of rows to return per table.
    """
    _at_least("limit", limit)
    _, document = _docx(path)
    tables = []
    for number, table in enumerate(document.tables, start=1):
        rows = _table_rows(table)
        tables.append({"table": number, "rows": len(rows), "columns": len(table.columns), "data": rows[:limit]})
    return tables


def docx_word_count(path: str) -> dict:
    """Count the words and characters of a Word document, in its paragraphs and in its tables.

    Args:
        path: .docx file to count, relative to the working directory.
    """
    _, document = _docx(path)
    words, characters = collections.Counter(), 0
    for where, text in _texts(document):
        words["table" if where.startswith("table") else "paragraph"] += len(_WORD.findall(text))
        characters += len(text)
    return {"words": words.total(), "paragraph_words": words["paragraph"], "table_words": words["table"],
            "characters": characters, "paragraphs": sum(1 for p in document.paragraphs if p.text.strip()),
            "tables": len(document.tables)}


def docx_search(path: str, query: str, case_sensitive: bool = False, limit: int = 20) -> dict:
    """Find a word or phrase in a Word document's paragraphs and tables, with where it is and the text around it.

    Args:
        path: .docx file to search, relative to the working directory.
        query: Word or phrase to look for, e.g. "Net 45".
        case_sensitive: Whether upper and lower case must match exactly.
        limit: Maximum number of occurrences to return.
    """
    _at_least("limit", limit)
    _, document = _docx(path)
    found = [{"location": where, "snippet": snippet}
             for where, text in _texts(document) for snippet in _phrase_matches(text, query, case_sensitive)]
    return {"matches": len(found), "results": found[:limit]}


def docx_replace_text(path: str, old: str, new: str, output_path: str = "", in_place: bool = False) -> dict:
    """Replace every occurrence of a text in a Word document's paragraphs and tables (case-sensitive).

    Formatting is kept where the text lies within one formatted run; a paragraph where it spans
    differently formatted pieces takes the formatting of its first piece. Write the result to
    `output_path`, or set `in_place` to change the document itself.

    Args:
        path: .docx file to edit, relative to the working directory.
        old: Exact text to replace, e.g. "2024".
        new: Replacement text ("" deletes the text).
        output_path: New .docx file for the result, e.g. "sales/contracts/agreement_v2.docx"; leave empty with in_place.
        in_place: Whether to overwrite the original document instead of writing output_path.
    """
    if not old:
        raise ToolError("'old' must not be empty")
    if bool(output_path) == bool(in_place):
        raise ToolError("give either output_path (to write a new file) or in_place=true (to change the document)")
    source, document = _docx(path)
    target = source if in_place else _output(output_path, ".docx")
    replaced = 0
    for paragraph in _all_paragraphs(document):
        if old in paragraph.text:
            replaced += paragraph.text.count(old)
            _replace_in_paragraph(paragraph, old, new)
    _save(document, target)
    return {"output_path": relative(target), "replacements": replaced}


def docx_append_paragraph(path: str, text: str, style: str = "Normal") -> dict:
    """Add a paragraph at the end of a Word document and save it.

    Args:
        path: .docx file to extend, relative to the working directory.
        text: Text of the new paragraph.
        style: Paragraph style defined in the document, e.g. "Normal", "List Bullet" or "Quote".
    """
    source, document = _docx(path)
    try:
        document.add_paragraph(text, style=style)
    except KeyError:
        raise ToolError(f"style '{style}' is not defined in '{path}'; try 'Normal' or 'List Bullet'") from None
    _save(document, source)
    return {"path": relative(source), "paragraphs": len(document.paragraphs), "style": style}


def docx_append_heading(path: str, text: str, level: int = 1) -> dict:
    """Add a heading at the end of a Word document and save it.

    Args:
        path: .docx file to extend, relative to the working directory.
        text: Text of the heading.
        level: Heading level from 1 (top-level section) to 9; 0 makes a document title.
    """
    if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 9:
        raise ToolError(f"'level' must be an integer from 0 to 9, got {level!r}")
    source, document = _docx(path)
    try:
        document.add_heading(text, level=level)
    except KeyError:
        raise ToolError(f"'{path}' does not define the heading style for level {level}") from None
    _save(document, source)
    return {"path": relative(source), "paragraphs": len(document.paragraphs), "level": level}


def docx_add_table(path: str, rows: list[list[str]], style: str = "Table Grid") -> dict:
    """Add a table at the end of a Word document and save it; the first row is usually the header.

    Args:
        path: .docx file to extend, relative to the working directory.
        rows: Table rows, each a list of cell texts, e.g. [["Owner", "Due"], ["Dana", "2024-07-01"]]; shorter rows are padded.
        style: Table style defined in the document, e.g. "Table Grid"; "" for the document's default.
    """
    if not isinstance(rows, list) or not rows or not all(isinstance(row, list) and row for row in rows):
        raise ToolError("'rows' must be a non-empty list of non-empty lists of cell texts")
    source, document = _docx(path)
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    if style:
        try:
            table.style = style
        except (KeyError, ValueError):
            raise ToolError(f"table style '{style}' is not defined in '{path}'; use '' for the default") from None
    for cells, values in zip(table.rows, rows):
        for cell, value in zip(cells.cells, values):
            cell.text = str(value)
    _save(document, source)
    return {"path": relative(source), "table": len(document.tables), "rows": len(rows), "columns": width}


def docx_create(output_path: str, paragraphs: list[str], title: str = "") -> dict:
    """Create a new Word document from lines of text.

    Lines starting with "# ", "## " or "### " become headings of level 1-3 and lines starting with
    "- " become bullet points; all other lines are normal paragraphs.

    Args:
        output_path: .docx file to create, relative to the working directory, e.g. "hr/notes/summary.docx".
        paragraphs: The document's lines in order, e.g. ["# Summary", "Sales grew 12%.", "- Alpine Edge renewed"].
        title: Optional document title, shown first and stored as the document's title property.
    """
    import docx

    if not isinstance(paragraphs, list) or not all(isinstance(line, str) for line in paragraphs):
        raise ToolError("'paragraphs' must be a list of strings")
    target = _output(output_path, ".docx")
    if target.exists():
        raise ToolError(f"'{output_path}' already exists; choose a new name")
    document = docx.Document()
    _blank_properties(document)
    if title:
        document.add_heading(title, level=0)
        document.core_properties.title = title
    for line in paragraphs:
        if match := re.match(r"(#{1,3}) (.*)", line):
            document.add_heading(match[2], level=len(match[1]))
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
    _save(document, target)
    return {"output_path": relative(target), "paragraphs": len(document.paragraphs)}


def docx_properties(path: str) -> dict:
    """Read a Word document's properties: title, author, subject, keywords, dates and revision.

    Args:
        path: .docx file to inspect, relative to the working directory.
    """
    return _properties(_docx(path)[1])


def docx_set_properties(
    path: str,
    title: str = "",
    author: str = "",
    subject: str = "",
    keywords: str = "",
    category: str = "",
    comments: str = "",
) -> dict:
    """Change a Word document's properties and save it; empty fields are left as they are.

    Args:
        path: .docx file to edit, relative to the working directory.
        title: New title, or "" to keep the current one.
        author: New author, or "" to keep the current one.
        subject: New subject, or "" to keep the current one.
        keywords: New keywords, or "" to keep the current ones.
        category: New category, or "" to keep the current one.
        comments: New comments (description), or "" to keep the current ones.
    """
    values = {"title": title, "author": author, "subject": subject, "keywords": keywords,
              "category": category, "comments": comments}
    changes = {name: value for name, value in values.items() if value}
    if not changes:
        raise ToolError("give at least one property to set (title, author, subject, keywords, category or comments)")
    source, document = _docx(path)
    for name, value in changes.items():
        setattr(document.core_properties, name, value)
    _save(document, source)
    return _properties(document)


def _export_text(path: str, output_path: str, suffix: str, convert: Any) -> tuple[Path, str]:
    """Write a Word document converted to text (by `convert`) to a new `suffix` file."""
    _, document = _docx(path)
    target = _output(output_path, suffix)
    text = convert(document)
    target.write_text(text, encoding="utf-8")
    return target, text


def docx_to_text(path: str, output_path: str) -> dict:
    """Save all the text of a Word document (paragraphs, and table rows with tab-separated cells) as a .txt file.

    Args:
        path: .docx file to convert, relative to the working directory.
        output_path: .txt file to write, relative to the working directory, e.g. "hr/policies/handbook.txt".
    """
    target, text = _export_text(path, output_path, ".txt", _plain_text)
    return {"output_path": relative(target), "lines": len(text.splitlines()), "characters": len(text)}


def docx_to_markdown(path: str, output_path: str) -> dict:
    """Convert a Word document to a Markdown file: headings, bullet and numbered lists, and tables.

    The title becomes "#" and "Heading n" becomes n+1 "#" signs; character formatting is dropped.

    Args:
        path: .docx file to convert, relative to the working directory.
        output_path: .md file to write, relative to the working directory, e.g. "operations/reports/ops_report.md".
    """
    target, text = _export_text(path, output_path, ".md", _markdown)
    return {"output_path": relative(target), "lines": len(text.splitlines())}


def docx_count_images(path: str) -> dict:
    """Count the pictures in a Word document: those placed in the text and the image files it contains.

    Args:
        path: .docx file to inspect, relative to the working directory.
    """
    _, document = _docx(path)
    images = sorted({part.partname.split("/")[-1] for part in document.part.package.iter_parts()
                     if part.partname.startswith("/word/media/")})
    return {"inline_images": len(document.inline_shapes), "image_files": images}


def docx_styles_used(path: str) -> list[dict]:
    """List the paragraph styles a Word document actually uses, with how many non-empty paragraphs use each.

    Args:
        path: .docx file to inspect, relative to the working directory.
    """
    _, document = _docx(path)
    counts = collections.Counter(_style(p) for p in _all_paragraphs(document) if p.text.strip())
    return [{"style": style, "paragraphs": n} for style, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
