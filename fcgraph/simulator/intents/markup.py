"""Requests for the markup tools: YAML settings, XML exports, HTML pages and Markdown documents."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from random import Random
from typing import Any

from fcgraph.simulator.grounding import FileView, Intent, path_only, pick, with_args

YAML, XML, HTML, MARKDOWN = ("yaml",), ("xml",), ("html",), ("markdown",)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*\|")


def _beside(view: FileView, suffix: str, extension: str) -> str:
    return str(PurePosixPath(view.path).with_name(f"{view.stem}{suffix}{extension}"))


def _converted(suffix: str, extension: str) -> Any:
    return lambda view, rng: {"path": view.path, "output_path": _beside(view, suffix, extension)}


def _yaml_key(view: FileView, rng: Random) -> str | None:
    """A top-level key a dotted path can name (no dots of its own)."""
    return pick([key for key in view.info.get("keys") or [] if "." not in key])(rng)


def _new_setting(view: FileView, rng: Random) -> dict[str, Any] | None:
    if not view.info.get("keys"):
        return None
    return {"path": view.path, "key_path": rng.choice(["reviewed_by", "last_checked", "owner_note"]),
            "value": rng.choice(["Dana Kim", "2024-07-01", "checked, no changes"])}


def _child_path(view: FileView, rng: Random) -> str | None:
    child = pick(view.info.get("children") or [])(rng)
    return f"//{child}" if child else None


def _first_table(view: FileView, rng: Random) -> dict[str, Any] | None:
    """Only a file whose first lines show a table has a table 1 for certain."""
    if not any(_TABLE_RULE.match(line) for line in view.info.get("head") or []):
        return None
    return {"path": view.path, "output_path": _beside(view, "_table", ".csv")}


INTENTS: tuple[Intent, ...] = (
    Intent("yaml_keys", "list the top-level keys of the YAML file {path}", YAML, path_only,
           zh="列出 YAML 文件 {path} 的顶层键"),
    Intent("yaml_get", "look up the {key_path} setting in the YAML file {path}", YAML, with_args(key_path=_yaml_key),
           zh="在 YAML 文件 {path} 里查一下 {key_path} 这个设置"),
    Intent("yaml_set", "set {key_path} to {value} in the YAML file {path}", YAML, _new_setting, writes=True,
           zh="在 YAML 文件 {path} 中把 {key_path} 设为 {value}"),
    Intent("yaml_validate", "check that {path} is valid YAML", YAML, path_only, zh="检查 {path} 是不是有效的 YAML"),
    Intent("yaml_to_json", "turn the YAML file {path} into a JSON file at {output_path}", YAML,
           _converted("", ".json"), writes=True, zh="把 YAML 文件 {path} 转成 JSON 文件，保存到 {output_path}"),
    Intent("yaml_from_json", "convert the JSON file {path} to YAML and save it as {output_path}", ("json",),
           _converted("", ".yaml"), writes=True, zh="把 JSON 文件 {path} 转换成 YAML，保存为 {output_path}"),
    Intent("xml_structure", "describe the structure of the XML file {path}", XML, path_only,
           zh="描述一下 XML 文件 {path} 的结构"),
    Intent("xml_count", "count how many elements match {xpath} in the XML file {path}", XML,
           with_args(xpath=_child_path), zh="统计 XML 文件 {path} 中有多少个元素匹配 {xpath}"),
    Intent("xml_find", "show me the first {limit} elements matching {xpath} in the XML file {path}", XML,
           with_args(xpath=_child_path, limit=lambda v, r: r.choice([2, 3])),
           zh="给我看 XML 文件 {path} 中匹配 {xpath} 的前 {limit} 个元素"),
    Intent("xml_to_json", "convert the XML file {path} to JSON and store it at {output_path}", XML,
           _converted("", ".json"), writes=True, zh="把 XML 文件 {path} 转换成 JSON，存到 {output_path}"),
    Intent("xml_validate", "check whether {path} is well-formed XML", XML, path_only,
           zh="检查 {path} 是不是格式良好的 XML"),
    Intent("html_title", "tell me the title of the web page {path}", HTML, path_only, zh="告诉我网页 {path} 的标题"),
    Intent("html_headings", "list the headings of the web page {path}", HTML, path_only,
           zh="列出网页 {path} 的各级标题"),
    Intent("html_links", "list the links on the web page {path}", HTML, path_only, zh="列出网页 {path} 上的链接"),
    Intent("html_tables", "extract the tables from the web page {path}", HTML, path_only,
           zh="提取网页 {path} 中的表格"),
    Intent("html_text", "show me the visible text of the web page {path}", HTML, path_only,
           zh="给我看网页 {path} 上显示的文字"),
    Intent("html_images", "list the images on the web page {path} with their alt text", HTML, path_only,
           zh="列出网页 {path} 上的图片及其替代文字"),
    Intent("markdown_headings", "list the section headings of the Markdown file {path}", MARKDOWN, path_only,
           zh="列出 Markdown 文件 {path} 的章节标题"),
    Intent("markdown_links", "list the links in the Markdown file {path}", MARKDOWN, path_only,
           zh="列出 Markdown 文件 {path} 中的链接"),
    Intent("markdown_tables", "read the tables in the Markdown file {path}", MARKDOWN, path_only,
           zh="读取 Markdown 文件 {path} 中的表格"),
    Intent("markdown_word_count", "count the words of the Markdown document {path}", MARKDOWN, path_only,
           zh="统计 Markdown 文档 {path} 的字数"),
    Intent("markdown_table_to_csv", "save the first table of the Markdown file {path} as a CSV file at {output_path}",
           MARKDOWN, _first_table, fixed={"table": 1}, writes=True,
           zh="把 Markdown 文件 {path} 的第一个表格保存成 CSV 文件 {output_path}"),
    Intent("markdown_toc", "generate a table of contents for the Markdown file {path}", MARKDOWN, path_only,
           zh="为 Markdown 文件 {path} 生成目录"),
)
