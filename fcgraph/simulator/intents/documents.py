"""Requests for the document tools: reading, searching and rearranging PDF files and Word documents."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath
from random import Random
from typing import Any

from fcgraph.simulator.grounding import FileView, Intent, path_only, pick, with_args, word_of

PDF, DOCX = ("pdf",), ("docx",)


def _next_to(suffix: str, extension: str) -> Callable[[FileView, Random], str]:
    """A new file beside the sampled one, named after it."""
    return lambda view, rng: str(PurePosixPath(view.path).with_name(f"{view.stem}{suffix}{extension}"))


def _page_of(view: FileView, rng: Random) -> str | None:
    pages = view.info.get("pages")
    return str(rng.randint(1, pages)) if pages else None


def _later_page(view: FileView, rng: Random) -> str | None:
    """A page other than the first, so that deleting it leaves a document."""
    pages = view.info.get("pages") or 0
    return str(rng.randint(2, pages)) if pages > 1 else None


def _docx_word(view: FileView, rng: Random) -> str | None:
    text = " ".join(view.info.get("paragraphs") or [])
    return pick(sorted(set(re.findall(r"[A-Za-z]{5,}", text))))(rng)


def _with_tables(view: FileView, rng: Random) -> dict[str, Any] | None:
    return {"path": view.path} if view.info.get("tables") else None


INTENTS: tuple[Intent, ...] = (
    Intent("pdf_info", "tell me how many pages the PDF {path} has and who wrote it", PDF, path_only,
           zh="告诉我 PDF 文件 {path} 有多少页、作者是谁"),
    Intent("pdf_extract_text", "extract the text on page {pages} of the PDF {path}", PDF, with_args(pages=_page_of),
           zh="提取 PDF 文件 {path} 第 {pages} 页的文字"),
    Intent("pdf_search", "find the pages of the PDF {path} that mention {phrase}", PDF, with_args(phrase=word_of),
           zh="找出 PDF 文件 {path} 中提到 {phrase} 的页面"),
    Intent("pdf_word_count", "count the words on each page of the PDF {path}", PDF, path_only,
           zh="统计 PDF 文件 {path} 每一页的字数"),
    Intent("pdf_find_lines", "pull out the lines of the PDF {path} that match the regular expression {pattern}", PDF,
           with_args(pattern=lambda v, r: r.choice([r"\$[\d,]+\.\d{2}", r"\d{4}-\d{2}-\d{2}", r"^NP-[A-Z]+-\d+"])),
           zh="把 PDF 文件 {path} 中匹配正则表达式 {pattern} 的行提取出来"),
    Intent("pdf_extract_pages", "copy page {pages} of the PDF {path} into a new PDF called {output_path}", PDF,
           with_args(pages=_page_of, output_path=_next_to("_extract", ".pdf")), writes=True,
           zh="把 PDF 文件 {path} 的第 {pages} 页复制到新的 PDF 文件 {output_path}"),
    Intent("pdf_delete_pages", "remove page {pages} from the PDF {path} and save the result as {output_path}", PDF,
           with_args(pages=_later_page, output_path=_next_to("_trimmed", ".pdf")), writes=True,
           zh="删掉 PDF 文件 {path} 的第 {pages} 页，结果另存为 {output_path}"),
    Intent("pdf_rotate_pages", "rotate every page of the PDF {path} by {degrees} degrees and save it as {output_path}",
           PDF, with_args(degrees=lambda v, r: r.choice([90, 180, 270]), output_path=_next_to("_rotated", ".pdf")),
           fixed={"pages": "all"}, writes=True,
           zh="把 PDF 文件 {path} 的每一页旋转 {degrees} 度，另存为 {output_path}"),
    Intent("pdf_split", "split the PDF {path} into one file per page", PDF, path_only, writes=True,
           zh="把 PDF 文件 {path} 拆分成每页一个文件"),
    Intent("pdf_encrypt", "protect the PDF {path} with the password {password} and save the copy as {output_path}",
           PDF, with_args(password=lambda v, r: r.choice(["Northpeak-2024", "trail#42", "summit!7"]),
                          output_path=_next_to("_protected", ".pdf")), writes=True,
           zh="用密码 {password} 保护 PDF 文件 {path}，并把副本保存为 {output_path}"),
    Intent("pdf_set_metadata", "change the title stored in the PDF {path} to {title}", PDF,
           with_args(title=lambda v, r: f"{v.stem.replace('_', ' ')} ({r.choice(['final', 'approved', 'archived'])})"),
           writes=True, zh="把 PDF 文件 {path} 里保存的标题改成 {title}"),
    Intent("docx_paragraphs", "list the paragraphs of the Word document {path} with their styles", DOCX, path_only,
           zh="列出 Word 文档 {path} 的段落及其样式"),
    Intent("docx_headings", "give me the heading outline of the Word document {path}", DOCX, path_only,
           zh="给我 Word 文档 {path} 的标题大纲"),
    Intent("docx_tables", "read the tables in the Word document {path}", DOCX, _with_tables,
           zh="读取 Word 文档 {path} 里的表格"),
    Intent("docx_word_count", "count the words in the Word document {path}", DOCX, path_only,
           zh="统计 Word 文档 {path} 的字数"),
    Intent("docx_search", "search the Word document {path} for {query}", DOCX, with_args(query=_docx_word),
           zh="在 Word 文档 {path} 中搜索 {query}"),
    Intent("docx_replace_text",
           "replace {old} with {new} throughout the Word document {path} and save the result as {output_path}", DOCX,
           with_args(old=_docx_word, new=lambda v, r: r.choice(["REVISED", "updated", "TBD"]),
                     output_path=_next_to("_edited", ".docx")), writes=True,
           zh="把 Word 文档 {path} 中的 {old} 全部替换成 {new}，结果保存为 {output_path}"),
    Intent("docx_append_paragraph", "add the paragraph {text} at the end of the Word document {path}", DOCX,
           with_args(text=lambda v, r: r.choice(["Reviewed by Dana Kim on 2024-07-01.", "Next review: Q3 2024.",
                                                 "Questions go to ops@northpeak.example."])), writes=True,
           zh="在 Word 文档 {path} 末尾加上一段 {text}"),
    Intent("docx_properties", "show me the document properties of the Word file {path}", DOCX, path_only,
           zh="给我看 Word 文件 {path} 的文档属性"),
    Intent("docx_to_markdown", "convert the Word document {path} to Markdown and save it as {output_path}", DOCX,
           with_args(output_path=_next_to("", ".md")), writes=True,
           zh="把 Word 文档 {path} 转换成 Markdown，保存为 {output_path}"),
    Intent("docx_to_text", "save the plain text of the Word document {path} to {output_path}", DOCX,
           with_args(output_path=_next_to("", ".txt")), writes=True,
           zh="把 Word 文档 {path} 的纯文本保存到 {output_path}"),
)
