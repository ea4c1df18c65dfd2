"""Personas: enough distinct, well-formed, reproducible personas per language, and a strict user-file loader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fcgraph.datasets import personas
from fcgraph.datasets.personas import LANGUAGES, LEVELS, STYLES, PersonaFileError, load_personas

CJK = re.compile(r"[\u4e00-\u9fff]")
FIELDS = ("persona", "occupation", "domain", "technical_level", "style", "goal", "language")


@pytest.fixture(scope="module", params=LANGUAGES)
def shipped(request) -> tuple[str, list[dict]]:
    return request.param, load_personas(request.param)


def test_each_language_ships_over_a_thousand_distinct_personas(shipped):
    _, records = shipped
    texts = [record["persona"] for record in records]
    assert len(texts) == len(set(texts)) >= 1000


def test_records_are_complete_and_valid(shipped):
    language, records = shipped
    for record in records:
        assert set(record) == set(FIELDS)
        assert all(isinstance(record[key], str) and record[key].strip() for key in FIELDS)
        assert record["language"] == language and record["technical_level"] in LEVELS and record["style"] in STYLES
        assert record["occupation"] in record["persona"] and record["goal"] in record["persona"]
    assert {record["style"] for record in records} == set(STYLES)
    assert {record["technical_level"] for record in records} == set(LEVELS)


def test_component_tables_are_rich_enough():
    assert len(personas.OCCUPATIONS) >= 80 and len(personas.DOMAINS) >= 20
    assert sum(len(goals) for goals in personas.GOALS.values()) >= 40
    assert set(personas.STYLE_PHRASES) == set(STYLES) and set(personas.TECH_PHRASES) == set(LEVELS)
    for occupation in personas.OCCUPATIONS:
        assert set(occupation.domains) <= set(personas.DOMAINS) and set(occupation.areas) <= set(personas.GOALS)
        assert set(occupation.levels) <= set(LEVELS) and occupation.role in personas.SUBJECTS


def test_chinese_personas_are_written_in_chinese():
    for record in load_personas("zh"):
        for key in ("persona", "occupation", "domain", "goal"):
            assert CJK.search(record[key]), record[key]


def test_english_personas_read_as_sentences():
    for record in load_personas("en"):
        text = record["persona"]
        assert text[0].isupper() and text.endswith(".") and not CJK.search(text) and "  " not in text


@pytest.mark.parametrize("noun, expected", [("HR generalist", "an HR generalist"), ("MBA student", "an MBA student"),
                                            ("QA engineer", "a QA engineer"), ("university", "a university"),
                                            ("undergraduate", "an undergraduate"), ("B2B SaaS company", "a B2B SaaS company"),
                                            ("auto-parts supplier", "an auto-parts supplier")])
def test_english_articles_follow_the_sound(noun: str, expected: str):
    assert personas._with_article(noun) == expected


def test_generator_is_deterministic_and_matches_the_shipped_files(tmp_path: Path):
    written = personas.write_personas(tmp_path)
    for path in written:
        shipped_file = Path(personas.__file__).parent / path.name
        assert path.read_bytes() == shipped_file.read_bytes(), f"{path.name} is stale: run python -m fcgraph.datasets.personas"
    assert personas.render_personas("zh") == personas.render_personas("zh")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="en, zh"):
        load_personas("fr")


def test_user_file_in_personahub_shape_round_trips(tmp_path: Path):
    rows = [{"persona": "A beekeeper who sells honey at markets.", "input persona": "x", "synthesized text": "y"},
            {"persona": "  一位在菜市场卖蜂蜜的养蜂人。 ", "style": "terse"},
            {"persona": "A beekeeper who sells honey at markets."},
            {"persona": "A tour guide.", "style": "grumpy"}]
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows[:2]) + "\n\n"
                    + "\n".join(json.dumps(row) for row in rows[2:]) + "\n", encoding="utf-8")
    assert load_personas(path=path) == [rows[0], {"persona": "一位在菜市场卖蜂蜜的养蜂人。", "style": "terse"},
                                        {"persona": "A tour guide."}]


@pytest.mark.parametrize("bad_line, problem", [
    ('{"persona": "unterminated', "not valid JSON"),
    ('{"name": "no persona here"}', "non-empty string \"persona\""),
    ('{"persona": "   "}', "non-empty string \"persona\""),
    ('{"persona": 42}', "non-empty string \"persona\""),
    ('["persona", "in a list"]', "expected a JSON object"),
])
def test_bad_user_lines_name_the_file_and_line(tmp_path: Path, bad_line: str, problem: str):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"persona": "A good one."}\n\n' + bad_line + "\n", encoding="utf-8")
    with pytest.raises(PersonaFileError, match=re.escape(f"{path}, line 3: ") + ".*" + re.escape(problem)):
        load_personas(path=path)


def test_missing_and_empty_user_files_are_reported(tmp_path: Path):
    with pytest.raises(PersonaFileError, match="not found"):
        load_personas(path=tmp_path / "absent.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(PersonaFileError, match=re.escape(str(empty)) + ".*no personas"):
        load_personas(path=empty)
    assert issubclass(PersonaFileError, ValueError)
