"""The PDF and Word tools, run in a real sandbox worker on a copy of the seed tree.

Expectations come from the files themselves: pypdf and python-docx called directly, the .docx XML read
with zipfile, and counts made with regular expressions in the test, so the seed can change freely.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ElementTree
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pypdf
import pytest
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from tool_checks import assert_described, grounded_calls, seed_files

from fcgraph.simulator.intents import documents as document_intents
from fcgraph.tools.builtin import documents
from fcgraph.tools.discovery import tool_functions

WORD = re.compile(r"\w+(?:['’.-]\w+)*")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


PDFS, DOCXS = seed_files(".pdf"), seed_files(".docx")


def reader(root: Path, path: str) -> pypdf.PdfReader:
    return pypdf.PdfReader(root / path)


def page_texts(root: Path, path: str) -> list[str]:
    return [page.extract_text() for page in reader(root, path).pages]


def multi_page_pdf(root: Path) -> str:
    return next(path for path in PDFS if len(reader(root, path).pages) > 1)


def copy_of(root: Path, path: str, name: str) -> str:
    target = Path(path).with_name(name).as_posix()
    shutil.copy(root / path, root / target)
    return target


def docx_with_tables(root: Path) -> str:
    return next(path for path in DOCXS if docx.Document(root / path).tables)


def styles_in_xml(root: Path, path: str) -> list[tuple[str, str]]:
    """(style id, text) of each body paragraph, read from word/document.xml without python-docx."""
    with zipfile.ZipFile(root / path) as archive:
        body = ElementTree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    result = []
    for paragraph in body.findall(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        text = "".join({f"{W}t": node.text or "", f"{W}br": "\n", f"{W}tab": "\t"}.get(node.tag, "")
                       for node in paragraph.iter())
        result.append((style.get(f"{W}val") if style is not None else "Normal", text))
    return result


# ---------------------------------------------------------------------------------------------------
# schemas


def test_the_seed_has_documents_to_test_on():
    assert len(PDFS) >= 3 and len(DOCXS) >= 3


@pytest.mark.parametrize("name", sorted(tool_functions(documents)))
def test_every_parameter_is_described(name: str):
    assert name.startswith(("pdf_", "docx_"))
    assert_described(documents, "documents", [name])


# ---------------------------------------------------------------------------------------------------
# PDF reading


@pytest.mark.parametrize("path", PDFS)
def test_pdf_info(tool_sandbox, path: str):
    info = tool_sandbox.ok("pdf_info", path=path)
    expected = reader(tool_sandbox.root, path)
    assert info["pages"] == len(expected.pages) and info["encrypted"] is False
    assert info["metadata"].get("title") == expected.metadata.title
    assert info["metadata"].get("author") == expected.metadata.author
    assert info["page_size"]["width_pt"] == pytest.approx(float(expected.pages[0].mediabox.width))


def test_pdf_extract_text_pages_and_cap(tool_sandbox):
    path = multi_page_pdf(tool_sandbox.root)
    texts = page_texts(tool_sandbox.root, path)
    second = tool_sandbox.ok("pdf_extract_text", path=path, pages="2")
    assert second == {"pages": [{"page": 2, "text": texts[1]}], "truncated": False}
    whole = tool_sandbox.ok("pdf_extract_text", path=path, max_chars=100_000)
    assert [p["text"] for p in whole["pages"]] == texts
    cut = tool_sandbox.ok("pdf_extract_text", path=path, pages="all", max_chars=50)
    assert cut["truncated"] is True and "".join(p["text"] for p in cut["pages"]) == texts[0][:50]


def test_pdf_search_finds_pages_and_snippets(tool_sandbox):
    path = multi_page_pdf(tool_sandbox.root)
    texts = [" ".join(t.split()) for t in page_texts(tool_sandbox.root, path)]
    word = max(re.findall(r"[A-Za-z]{6,}", texts[-1]), key=lambda w: (sum(w.lower() in t.lower() for t in texts), w))
    counts = [t.lower().count(word.lower()) for t in texts]
    found = tool_sandbox.ok("pdf_search", path=path, phrase=word.upper())
    assert found["matches"] == sum(counts)
    assert found["pages"] == [i + 1 for i, n in enumerate(counts) if n]
    assert all(word.lower() in r["snippet"].lower() for r in found["results"])
    assert tool_sandbox.ok("pdf_search", path=path, phrase=word.upper(), case_sensitive=True)["matches"] == sum(
        t.count(word.upper()) for t in texts)
    two_words = " ".join(texts[0].split()[1:3])  # spaces in the phrase match line breaks in the PDF
    assert tool_sandbox.ok("pdf_search", path=path, phrase=two_words)["matches"] >= 1


@pytest.mark.parametrize("path", PDFS[:4])
def test_pdf_word_count(tool_sandbox, path: str):
    counts = [len(WORD.findall(text)) for text in page_texts(tool_sandbox.root, path)]
    result = tool_sandbox.ok("pdf_word_count", path=path)
    assert result == {"total": sum(counts), "pages": [{"page": i + 1, "words": n} for i, n in enumerate(counts)]}


def test_pdf_find_lines_returns_groups(tool_sandbox):
    pattern = r"(\d{4}-\d{2}-\d{2})"
    for path in PDFS:
        expected = [(i + 1, line.strip(), re.search(pattern, line)[1])
                    for i, text in enumerate(page_texts(tool_sandbox.root, path))
                    for line in text.splitlines() if re.search(pattern, line)]
        result = tool_sandbox.ok("pdf_find_lines", path=path, pattern=pattern, limit=1000)
        assert result["matches"] == len(expected)
        assert [(m["page"], m["line"], m["groups"][0]) for m in result["lines"]] == expected
    bad = tool_sandbox.call("pdf_find_lines", path=PDFS[0], pattern="([unclosed")
    assert bad.error_kind == "tool" and "regular expression" in bad.error


def test_pdf_form_fields_and_outline_are_empty_on_plain_pdfs(tool_sandbox):
    assert tool_sandbox.ok("pdf_form_fields", path=PDFS[0]) == []
    assert tool_sandbox.ok("pdf_outline", path=PDFS[0]) == []


def test_pdf_form_fields_lists_a_real_form(tool_sandbox):
    writer = pypdf.PdfWriter(clone_from=reader(tool_sandbox.root, PDFS[0]))
    field = DictionaryObject({
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("customer"),
        NameObject("/V"): TextStringObject("Alpine Edge GmbH"), NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/Rect"): ArrayObject([NumberObject(50), NumberObject(50), NumberObject(200), NumberObject(70)]),
    })
    reference = writer._add_object(field)
    writer.pages[0][NameObject("/Annots")] = ArrayObject([reference])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([reference])})
    with (tool_sandbox.root / "form_test.pdf").open("wb") as handle:
        writer.write(handle)
    assert tool_sandbox.ok("pdf_form_fields", path="form_test.pdf") == [
        {"name": "customer", "type": "text", "value": "Alpine Edge GmbH"}]


def test_pdf_outline_lists_bookmarks(tool_sandbox):
    path = multi_page_pdf(tool_sandbox.root)
    writer = pypdf.PdfWriter(clone_from=reader(tool_sandbox.root, path))
    top = writer.add_outline_item(title="Summary", page_number=0)
    writer.add_outline_item(title="Details", page_number=1, parent=top)
    with (tool_sandbox.root / "outline_test.pdf").open("wb") as handle:
        writer.write(handle)
    assert tool_sandbox.ok("pdf_outline", path="outline_test.pdf") == [
        {"title": "Summary", "level": 1, "page": 1}, {"title": "Details", "level": 2, "page": 2}]


# ---------------------------------------------------------------------------------------------------
# PDF rearranging


def test_pdf_extract_merge_and_split(tool_sandbox):
    root = tool_sandbox.root
    path = multi_page_pdf(root)
    texts = page_texts(root, path)
    out = tool_sandbox.ok("pdf_extract_pages", path=path, pages="2", output_path="out/docs/second_page.pdf")
    assert out == {"output_path": "out/docs/second_page.pdf", "pages": [2]}
    assert page_texts(root, "out/docs/second_page.pdf") == [texts[1]]

    others = [p for p in PDFS if p != path][:2]
    merged = tool_sandbox.ok("pdf_merge", paths=[path, *others], output_path="out/docs/merged.pdf")
    expected = texts + [t for other in others for t in page_texts(root, other)]
    assert merged == {"output_path": "out/docs/merged.pdf", "files": 3, "pages": len(expected)}
    assert page_texts(root, "out/docs/merged.pdf") == expected

    split = tool_sandbox.ok("pdf_split", path="out/docs/merged.pdf", output_dir="out/docs/pages")
    assert split["count"] == len(expected)
    assert split["files"] == [f"out/docs/pages/merged_page_{i}.pdf" for i in range(1, len(expected) + 1)]
    assert [page_texts(root, f)[0] for f in split["files"]] == expected
    beside = tool_sandbox.ok("pdf_split", path="out/docs/second_page.pdf")
    assert beside["files"] == ["out/docs/second_page_page_1.pdf"]


def test_pdf_rotate_delete_and_reorder(tool_sandbox):
    root = tool_sandbox.root
    source = multi_page_pdf(root)
    path = tool_sandbox.ok("pdf_merge", paths=[source, source], output_path="out/docs/four.pdf")["output_path"]
    texts = page_texts(root, path)
    count = len(texts)

    rotated = tool_sandbox.ok("pdf_rotate_pages", path=path, degrees=90, pages="1,3", output_path="out/docs/rot.pdf")
    assert rotated["rotated"] == [1, 3]
    assert [page.rotation for page in reader(root, "out/docs/rot.pdf").pages] == [
        90 if i in (0, 2) else 0 for i in range(count)]
    tool_sandbox.ok("pdf_rotate_pages", path="out/docs/rot.pdf", degrees=270)  # in place, every page
    assert [page.rotation for page in reader(root, "out/docs/rot.pdf").pages] == [
        0 if i in (0, 2) else 270 for i in range(count)]

    deleted = tool_sandbox.ok("pdf_delete_pages", path=path, pages="2-3", output_path="out/docs/deleted.pdf")
    assert deleted == {"output_path": "out/docs/deleted.pdf", "deleted": [2, 3], "pages": count - 2}
    assert page_texts(root, "out/docs/deleted.pdf") == [texts[0]] + texts[3:]

    order = list(range(count, 0, -1))
    reordered = tool_sandbox.ok("pdf_reorder_pages", path=path, order=",".join(map(str, order)))
    assert reordered["order"] == order and reordered["output_path"] == path
    assert page_texts(root, path) == texts[::-1]


@pytest.mark.parametrize("tool, arguments, message", [
    ("pdf_extract_pages", {"pages": "0", "output_path": "x.pdf"}, "out of range"),
    ("pdf_extract_pages", {"pages": "1-99", "output_path": "x.pdf"}, "out of range"),
    ("pdf_extract_pages", {"pages": "two", "output_path": "x.pdf"}, "invalid page list"),
    ("pdf_extract_pages", {"pages": "1", "output_path": "x.txt"}, "must end in .pdf"),
    ("pdf_delete_pages", {"pages": "all"}, "every page"),
    ("pdf_reorder_pages", {"order": "1"}, "exactly once"),
    ("pdf_rotate_pages", {"degrees": 45}, "90, 180 or 270"),
    ("pdf_extract_text", {"max_chars": 0}, "max_chars"),
])
def test_pdf_bad_arguments_are_tool_errors(tool_sandbox, tool: str, arguments: dict, message: str):
    path = multi_page_pdf(tool_sandbox.root)
    outcome = tool_sandbox.call(tool, path=path, **arguments)
    assert outcome.error_kind == "tool" and message in outcome.error


@pytest.mark.parametrize("path, message", [("nowhere/missing.pdf", "no such file"),
                                           ("hr/employees.csv", "not a .pdf file"), ("hr", "directory")])
def test_pdf_bad_files_are_tool_errors(tool_sandbox, path: str, message: str):
    outcome = tool_sandbox.call("pdf_info", path=path)
    assert outcome.error_kind == "tool" and message in outcome.error
    (tool_sandbox.root / "broken.pdf").write_text("not really a PDF")
    broken = tool_sandbox.call("pdf_extract_text", path="broken.pdf")
    assert broken.error_kind == "tool" and "not a readable PDF" in broken.error
    assert tool_sandbox.call("pdf_merge", paths=[PDFS[0]], output_path="m.pdf").error_kind == "tool"


def test_pdf_set_metadata(tool_sandbox):
    root = tool_sandbox.root
    path = copy_of(root, PDFS[0], "metadata_test.pdf")
    original = reader(root, path).metadata
    result = tool_sandbox.ok("pdf_set_metadata", path=path, title="Checked copy", keywords="audit, 2024")
    saved = reader(root, path).metadata
    assert saved.title == "Checked copy" and saved["/Keywords"] == "audit, 2024" and saved.author == original.author
    assert result["metadata"]["title"] == "Checked copy" and result["metadata"]["author"] == original.author
    tool_sandbox.ok("pdf_set_metadata", path=path, author="Dana Kim", clear_others=True, output_path="out/meta.pdf")
    assert dict(reader(root, "out/meta.pdf").metadata) == {"/Author": "Dana Kim"}
    assert tool_sandbox.call("pdf_set_metadata", path=path).error_kind == "tool"


def test_pdf_encrypt_and_decrypt_round_trip(tool_sandbox):
    root = tool_sandbox.root
    path = multi_page_pdf(root)
    texts = page_texts(root, path)
    locked = tool_sandbox.ok("pdf_encrypt", path=path, password="s3cret", output_path="out/locked.pdf")
    assert locked["encrypted"] is True and locked["algorithm"] in ("AES-256", "RC4-128")
    assert reader(root, "out/locked.pdf").is_encrypted
    assert tool_sandbox.ok("pdf_info", path="out/locked.pdf") == {
        "path": "out/locked.pdf", "encrypted": True, "pages": None, "metadata": {}}
    refused = tool_sandbox.call("pdf_extract_text", path="out/locked.pdf")
    assert refused.error_kind == "tool" and "password" in refused.error
    wrong = tool_sandbox.call("pdf_decrypt", path="out/locked.pdf", password="guess")
    assert wrong.error_kind == "tool" and "wrong password" in wrong.error
    assert tool_sandbox.call("pdf_encrypt", path="out/locked.pdf", password="x").error_kind == "tool"

    opened = tool_sandbox.ok("pdf_decrypt", path="out/locked.pdf", password="s3cret", output_path="out/open.pdf")
    assert opened == {"output_path": "out/open.pdf", "encrypted": False, "pages": len(texts)}
    assert not reader(root, "out/open.pdf").is_encrypted and page_texts(root, "out/open.pdf") == texts
    not_locked = tool_sandbox.call("pdf_decrypt", path=path, password="s3cret")
    assert not_locked.error_kind == "tool" and "not encrypted" in not_locked.error


# ---------------------------------------------------------------------------------------------------
# Word reading


@pytest.mark.parametrize("path", DOCXS)
def test_docx_paragraphs_and_headings_match_the_xml(tool_sandbox, path: str):
    paragraphs = styles_in_xml(tool_sandbox.root, path)
    listed = tool_sandbox.ok("docx_paragraphs", path=path, limit=1000)
    expected = [(i, text) for i, (_, text) in enumerate(paragraphs, start=1) if text.strip()]
    assert listed["paragraphs"] == len(expected)
    assert [(item["index"], item["text"]) for item in listed["items"]] == expected
    assert tool_sandbox.ok("docx_paragraphs", path=path, limit=2)["items"] == listed["items"][:2]

    def level(style: str) -> int | None:
        return 0 if style == "Title" else int(style[-1]) if re.fullmatch(r"Heading\d", style) else None

    headings = [{"level": level(style), "text": text.strip(), "paragraph": i}
                for i, (style, text) in enumerate(paragraphs, start=1) if level(style) is not None and text.strip()]
    assert tool_sandbox.ok("docx_headings", path=path) == headings


@pytest.mark.parametrize("path", DOCXS)
def test_docx_tables_and_word_count(tool_sandbox, path: str):
    document = docx.Document(tool_sandbox.root / path)
    rows = [[[cell.text.strip() for cell in row.cells] for row in table.rows] for table in document.tables]
    tables = tool_sandbox.ok("docx_tables", path=path)
    assert [t["data"] for t in tables] == rows and [t["rows"] for t in tables] == [len(r) for r in rows]
    cell_texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    paragraph_words = sum(len(WORD.findall(p.text)) for p in document.paragraphs)
    table_words = sum(len(WORD.findall(text)) for text in cell_texts)
    counted = tool_sandbox.ok("docx_word_count", path=path)
    assert counted["paragraph_words"] == paragraph_words and counted["table_words"] == table_words
    assert counted["words"] == paragraph_words + table_words and counted["tables"] == len(rows)


def test_docx_search_covers_paragraphs_and_tables(tool_sandbox):
    path = docx_with_tables(tool_sandbox.root)
    document = docx.Document(tool_sandbox.root / path)
    cell = next(cell.text for table in document.tables for row in table.rows[1:] for cell in row.cells
                if re.search(r"[A-Za-z]{4,}", cell.text))
    word = re.search(r"[A-Za-z]{4,}", cell).group()
    texts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    found = tool_sandbox.ok("docx_search", path=path, query=word.lower(), limit=500)
    assert found["matches"] == sum(text.lower().count(word.lower()) for text in texts)
    assert any(r["location"].startswith("table ") for r in found["results"])
    assert tool_sandbox.ok("docx_search", path=path, query="zzz-not-there")["matches"] == 0


def test_docx_properties_and_styles(tool_sandbox):
    for path in DOCXS:
        document = docx.Document(tool_sandbox.root / path)
        properties = tool_sandbox.ok("docx_properties", path=path)
        assert properties["title"] == (document.core_properties.title or "")
        assert properties["author"] == (document.core_properties.author or "")
        styles = Counter(p.style.name for p in document.paragraphs if p.text.strip())
        styles += Counter(p.style.name for t in document.tables for r in t.rows for c in r.cells
                          for p in c.paragraphs if p.text.strip())
        used = tool_sandbox.ok("docx_styles_used", path=path)
        assert {item["style"]: item["paragraphs"] for item in used} == dict(styles)
        assert [item["paragraphs"] for item in used] == sorted(styles.values(), reverse=True)


def test_docx_count_images(tool_sandbox):
    root = tool_sandbox.root
    assert tool_sandbox.ok("docx_count_images", path=DOCXS[0]) == {"inline_images": 0, "image_files": []}
    picture = next(root.rglob("*.png"))
    document = docx.Document(root / DOCXS[0])
    document.add_picture(str(picture))
    document.add_picture(str(picture))  # the same picture twice is stored once
    document.save(root / "with_pictures.docx")
    assert tool_sandbox.ok("docx_count_images", path="with_pictures.docx") == {
        "inline_images": 2, "image_files": ["image1.png"]}


@pytest.mark.parametrize("path, message", [("missing.docx", "no such file"), ("hr/employees.csv", "not a .docx"),
                                           ("broken.docx", "not a readable Word")])
def test_docx_bad_files_are_tool_errors(tool_sandbox, path: str, message: str):
    (tool_sandbox.root / "broken.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    outcome = tool_sandbox.call("docx_headings", path=path)
    assert outcome.error_kind == "tool" and message in outcome.error


# ---------------------------------------------------------------------------------------------------
# Word writing


def test_docx_replace_text_to_a_new_file_and_in_place(tool_sandbox):
    root = tool_sandbox.root
    path = docx_with_tables(root)
    before = (root / path).read_bytes()
    document = docx.Document(root / path)
    word = re.search(r"[A-Za-z]{5,}", document.paragraphs[0].text).group()
    texts = [p.text for p in document.paragraphs]
    occurrences = sum(t.count(word) for t in texts) + sum(
        c.text.count(word) for t in document.tables for r in t.rows for c in r.cells)
    result = tool_sandbox.ok("docx_replace_text", path=path, old=word, new="<<X>>", output_path="out/replaced.docx")
    assert result == {"output_path": "out/replaced.docx", "replacements": occurrences}
    assert [p.text for p in docx.Document(root / "out/replaced.docx").paragraphs] == [t.replace(word, "<<X>>")
                                                                                      for t in texts]
    assert (root / path).read_bytes() == before

    copy = copy_of(root, path, "replace_in_place.docx")
    assert tool_sandbox.ok("docx_replace_text", path=copy, old=word, new="", in_place=True)["output_path"] == copy
    assert all(word not in p.text for p in docx.Document(root / copy).paragraphs)
    for arguments in ({}, {"output_path": "x.docx", "in_place": True}):
        assert tool_sandbox.call("docx_replace_text", path=path, old=word, new="y", **arguments).error_kind == "tool"


def test_docx_replace_text_across_runs(tool_sandbox):
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Net ").bold = True
    paragraph.add_run("45 days")
    document.add_paragraph("Paid in 45 days, not 45 weeks.")
    document.save(tool_sandbox.root / "runs.docx")
    result = tool_sandbox.ok("docx_replace_text", path="runs.docx", old="Net 45", new="Net 30", in_place=True)
    assert result["replacements"] == 1
    saved = docx.Document(tool_sandbox.root / "runs.docx")
    assert [p.text for p in saved.paragraphs] == ["Net 30 days", "Paid in 45 days, not 45 weeks."]
    assert saved.paragraphs[0].runs[0].bold is True  # the formatting of the first piece is kept
    tool_sandbox.ok("docx_replace_text", path="runs.docx", old="45", new="60", in_place=True)
    assert docx.Document(tool_sandbox.root / "runs.docx").paragraphs[1].text == "Paid in 60 days, not 60 weeks."


def test_docx_append_paragraph_heading_and_table(tool_sandbox):
    root = tool_sandbox.root
    path = copy_of(root, DOCXS[0], "append_test.docx")
    count = len(docx.Document(root / path).paragraphs)
    tool_sandbox.ok("docx_append_heading", path=path, text="Follow-up", level=2)
    tool_sandbox.ok("docx_append_paragraph", path=path, text="Call the carrier.", style="List Bullet")
    result = tool_sandbox.ok("docx_add_table", path=path, rows=[["Owner", "Due"], ["Dana"]])
    document = docx.Document(root / path)
    assert [(p.style.name, p.text) for p in document.paragraphs[count:]] == [
        ("Heading 2", "Follow-up"), ("List Bullet", "Call the carrier.")]
    assert result["rows"] == 2 and result["columns"] == 2
    assert [[c.text for c in row.cells] for row in document.tables[-1].rows] == [["Owner", "Due"], ["Dana", ""]]
    bad_style = tool_sandbox.call("docx_append_paragraph", path=path, text="x", style="No Such Style")
    assert bad_style.error_kind == "tool" and "not defined" in bad_style.error
    assert tool_sandbox.call("docx_append_heading", path=path, text="x", level=12).error_kind == "tool"
    assert tool_sandbox.call("docx_add_table", path=path, rows=[]).error_kind == "tool"


def test_docx_create_and_set_properties(tool_sandbox):
    root = tool_sandbox.root
    lines = ["# Summary", "Sales grew in June.", "- Alpine Edge renewed", "## Next steps", "Plan Q3."]
    created = tool_sandbox.ok("docx_create", output_path="out/new/summary.docx", paragraphs=lines, title="June notes")
    document = docx.Document(root / "out/new/summary.docx")
    assert created == {"output_path": "out/new/summary.docx", "paragraphs": 6}
    assert [(p.style.name, p.text) for p in document.paragraphs] == [
        ("Title", "June notes"), ("Heading 1", "Summary"), ("Normal", "Sales grew in June."),
        ("List Bullet", "Alpine Edge renewed"), ("Heading 2", "Next steps"), ("Normal", "Plan Q3.")]
    assert document.core_properties.title == "June notes" and document.core_properties.author == ""
    again = tool_sandbox.call("docx_create", output_path="out/new/summary.docx", paragraphs=["x"])
    assert again.error_kind == "tool" and "already exists" in again.error

    properties = tool_sandbox.ok("docx_set_properties", path="out/new/summary.docx", author="Dana Kim",
                                 keywords="june, sales")
    assert properties["author"] == "Dana Kim" and properties["title"] == "June notes"
    saved = docx.Document(root / "out/new/summary.docx").core_properties
    assert (saved.author, saved.keywords, saved.title) == ("Dana Kim", "june, sales", "June notes")
    assert tool_sandbox.call("docx_set_properties", path="out/new/summary.docx").error_kind == "tool"


def test_docx_to_text_and_markdown(tool_sandbox):
    root = tool_sandbox.root
    path = docx_with_tables(root)
    document = docx.Document(root / path)
    result = tool_sandbox.ok("docx_to_text", path=path, output_path="out/text/document.txt")
    text = (root / "out/text/document.txt").read_text(encoding="utf-8")
    assert result["output_path"] == "out/text/document.txt" and result["characters"] == len(text)
    lines = text.splitlines()
    assert "\n".join(p.text for p in document.paragraphs).splitlines() == [line for line in lines if "\t" not in line]
    for table in document.tables:
        for row in table.rows:
            assert "\t".join(cell.text.strip() for cell in row.cells) in lines

    tool_sandbox.ok("docx_to_markdown", path=path, output_path="out/text/document.md")
    markdown = (root / "out/text/document.md").read_text(encoding="utf-8").splitlines()
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading ") and paragraph.text.strip():
            assert "#" * (int(paragraph.style.name[-1]) + 1) + " " + paragraph.text.strip() in markdown
        if paragraph.style.name == "List Bullet":
            assert "- " + paragraph.text.strip() in markdown
    header = [cell.text.strip() for cell in document.tables[0].rows[0].cells]
    position = markdown.index("| " + " | ".join(header) + " |")
    assert markdown[position + 1] == "|" + "---|" * len(header)
    wrong = tool_sandbox.call("docx_to_markdown", path=path, output_path="out/text/document.docx")
    assert wrong.error_kind == "tool" and ".md" in wrong.error


# ---------------------------------------------------------------------------------------------------
# the simulator's requests


@pytest.mark.parametrize("intent", document_intents.INTENTS, ids=lambda intent: intent.tool)
def test_every_request_succeeds_on_every_fitting_seed_file(tool_sandbox, intent):
    calls = grounded_calls(intent)
    for call in calls:
        tool_sandbox.ok(intent.tool, **call)
    assert calls
