"""The one decoder (``segment.decode``): every item, whoever proposed it, is built by the same named rules,
and the rule that decided is recorded in ``decided_by``."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectiparse.pipeline import parse, parse_text
from rectiparse.segment import decode

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_rules_run_in_the_documented_order():
    """The module docstring is the decision procedure; the tables must say the same."""
    assert [n for n, _ in decode.STATUS_RULES] == [
        "status_label", "heading_clause", "status_line", "group_heading", "opening_sentence", "closing_sentence"]
    assert [n for n, _ in decode.FIELD_RULES] == ["field_labels", "labelled_body", "model_roles", "unlabelled_body"]
    assert [n for n, _ in decode.MEASURE_RULES] == ["inline_chain", "sub_headings", "chains_in_fields"]
    for name, _ in decode.STATUS_RULES:
        assert f"``{name}``" in (decode.__doc__ or "")


def test_a_labelled_status_wins_over_the_group_heading():
    """整改结果： inside an item beats the status its group heading names."""
    d = parse_text(
        "XX县委关于巡察整改情况的通报\n一、已完成整改的问题\n（一）关于“台账不清”问题\n整改结果：正在整改。\n"
        "整改情况：已建立台账。\n（二）关于“制度缺失”问题\n整改情况：出台制度。\n"
    )
    assert [(i.title, i.status, i.decided_by.get("status")) for i in d.items] == [
        ("台账不清", "in_progress", "status_label"), ("制度缺失", "completed", "group_heading")]
    assert all(i.decided_by["item"] == "problem_heading" for i in d.items)
    assert all(i.decided_by["fields"] == "field_labels" for i in d.items)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_seed_item_names_its_rules(path: Path):
    """Every item of a seed says which rule made it an item and, where it has one, which gave its status."""
    d = parse(path)
    assert d.items
    for i in d.items:
        assert i.decided_by.get("item"), i.id
        assert (i.status is None) == ("status" not in i.decided_by) or i.status == "unknown", (i.id, i.decided_by)
        if i.measures:
            assert i.decided_by.get("measures") in {n for n, _ in decode.MEASURE_RULES} | {None}


def test_model_items_go_through_the_same_decoder(tmp_path: Path):
    """A seed stripped of its numbering and labels: the model proposes the items, the decoder builds them, and
    their statuses come from the status lines the model found."""
    pytest.importorskip("spacy")
    from rectiparse.rules import load_rules
    from rectiparse.segment.model import strip_markers

    raw = next(SAMPLES.glob("004_*.txt")).read_text(encoding="utf-8")
    d = parse_text(strip_markers(raw, load_rules()))
    modelled = [i for i in d.items if i.origin.get("item") == "model"]
    assert len(modelled) >= 3
    assert {i.decided_by["item"] for i in modelled} <= {"model_item_heading", "model_task_title"}
    by = {i.decided_by.get("status") for i in modelled if i.status}
    assert by and by <= {n for n, _ in decode.STATUS_RULES}


def test_list_entries_are_built_by_the_decoder_with_named_status_rules():
    """Entries run into a sentence after a problem cue: the list layer decides they are items, the decoder
    builds them; a status on an entry's own title line is found by status_on_title_line and cut from the title."""
    d = parse_text(
        "某街道消防检查情况通报\n检查发现以下问题：1.灭火器过期未更换，已立即整改；2.安全出口堆放杂物；"
        "3.消防通道被占用，正在整改。\n"
    )
    assert [(i.title, i.status, i.decided_by.get("status")) for i in d.items] == [
        ("灭火器过期未更换", "completed", "status_on_title_line"),
        ("安全出口堆放杂物", None, None),
        ("消防通道被占用", "in_progress", "status_on_title_line"),
    ]
    assert {i.decided_by["item"] for i in d.items} == {"list_after_problem_cue"}
    assert [n for n, _ in decode.ENTRY_STATUS_RULES] == [
        "status_on_title_line", "status_ends_title", "status_opens_account", "status_closes_account"]
