"""``--rules DIR`` reaches every stage: an override of any rule file changes the output.

Each case lays one rule file over the shipped ones through ``rectiparse extract --rules DIR`` and shows the part
of the output that the file governs change (items, fields, figures, units, deadlines, the summary, the
metadata, noise). A case per file of ``rules.RULE_FILES`` is required, so a new rule file needs a case here.
The overrides use the ``+key`` merge rule where they add to a shipped list or map (``rules.overlay``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from rectiparse.cli import main
from rectiparse.rules import RULE_FILES, RulesError, load_rules, overlay

Doc = dict[str, Any]

INSPECTION = (
    "XX县委关于巡察整改进展情况的通报\n"
    "截至6月30日，巡察反馈的2个问题，已完成整改1个，正在整改1个。\n"
    "一、整改落实情况\n"
    "（一）关于“台账不清”问题，已完成整改。\n"
    "整改做法：已建立台账，打了3眼机井，投入资金5万元。主抓单位：县财政局。办结日期：2023年12月底。\n"
    "（二）关于“制度缺失”问题，正在整改。\n"
    "整改情况：出台制度。\n"
    "广告：欢迎访问本站\n"
    "中共XX县委\n"
    "2023年7月1日\n"
)
COMPLAINTS = (
    "XX街道关于群众反映问题办理情况的通报\n"
    "市民张先生反映：小区路灯损坏。\n办理情况：已修复。\n"
    "业主李女士反映：楼道堆物。\n办理情况：已清理。\n"
)
OPENING = (
    "XX局关于审计整改情况的报告\n一、整改情况\n（一）部分污水处理厂进水浓度偏低。\n该问题已完成整改。一是加强管网排查；二是实施雨污分流。\n"
    "（二）个别项目资金拨付滞后。\n该问题已完成整改。一是建立台账；二是督促拨付。\n"
)
CLOSING = (
    "XX局关于审计整改情况的报告\n一、整改情况\n（一）关于“资金闲置”问题\n已将闲置资金1200万元统筹用于民生项目，全部款项已完成整改。\n"
    "（二）关于“台账缺失”问题\n已建立项目台账，相关单位已按要求全部完成整改。\n"
)
TASK_TABLE = (
    "<html><body><h1>XX单位整改清单</h1><p>现将整改情况公布如下。</p><table>"
    "<tr><td>序号</td><td>存在不足</td><td>整改措施</td></tr>"
    "<tr><td>1</td><td>台账管理不规范</td><td>建立台账</td></tr>"
    "<tr><td>2</td><td>制度执行不到位</td><td>修订制度</td></tr>"
    "</table></body></html>"
)


def _items(d: Doc) -> list[tuple[str, str | None]]:
    return [(i["title"], i["kind"]) for i in d["items"]]


@dataclass(frozen=True)
class Case:
    """One rule file laid over the shipped ones, the bulletin it is tried on, and what it changes."""

    name: str
    rule_file: str
    override: dict[str, Any]
    bulletin: str
    look: Callable[[Doc], Any]
    expected: Any
    suffix: str = ".txt"


CASES = [
    Case("status phrase", "status", {"+codes": {"completed": ["已清零"]}},
         INSPECTION.replace("，正在整改。", "，已清零。"),
         lambda d: [i["status"] for i in d["items"]], ["completed", "completed"]),
    Case("field label", "labels", {"+labels": {"整改做法": "actions"}}, INSPECTION,
         lambda d: d["items"][0]["actions"].startswith("已建立台账"), True),
    # the decoder's words and thresholds: a short closing sentence decides the status only when it speaks of
    # the rules' closing words; a first sentence states the status only when it is short enough
    Case("closing words", "headings", {"closing_words": "^$"}, CLOSING,
         lambda d: [i["status"] for i in d["items"]], ["completed", None]),
    Case("decoder threshold", "items", {"+thresholds": {"opening_sentence_max": 5}}, OPENING,
         lambda d: len(d["items"]), 0),
    Case("suggestion heading", "headings", {"+suggestion_patterns": ["台账"]}, INSPECTION,
         lambda d: _items(d)[0], ("台账不清", "suggestion")),
    Case("noise line", "noise", {"+lines": ["^广告[:：]"]}, INSPECTION,
         lambda d: "广告" in d["text"], False),
    Case("count classifier", "figures", {"+count_classifiers": ["眼"]}, INSPECTION,
         lambda d: [f["text"] for f in d["items"][0]["figures"]], ["3眼", "5万元"]),
    Case("title line", "metadata", {"+not_title_lines": ["巡察整改进展情况的通报$"]}, INSPECTION,
         lambda d: d["document"]["title"], None),  # the next line is a section heading, never a title
    Case("unit label", "metadata", {"+units": {"lead_labels": ["主抓单位"]}}, INSPECTION,
         lambda d: d["items"][0]["units"]["lead"], ["县财政局"]),
    Case("deadline label", "metadata", {"+deadline_labels": ["办结日期"]}, INSPECTION,
         lambda d: [x["date"] for x in d["items"][0]["deadlines"]], ["2023-12-31"]),
    Case("summary subject", "metadata", {"+summary": {"foreign_subjects": ["巡察反馈"]}}, INSPECTION,
         lambda d: d["summary"]["problems_total"], None),
    Case("task table", "tables", {"+title_columns": ["存在不足"]}, TASK_TABLE,
         lambda d: [i["title"] for i in d["items"]], ["台账管理不规范", "制度执行不到位"], suffix=".html"),
    Case("reporter line", "items", {"reporter_label": "^(?:市民|业主)[^:,。]{0,8}(?:反映|投诉)$"}, COMPLAINTS,
         lambda d: [i["title"] for i in d["items"]], ["小区路灯损坏", "楼道堆物"]),
]


def _extract(tmp: Path, bulletin: str, suffix: str, rules_dir: Path | None) -> Doc:
    src = tmp / f"bulletin{suffix}"
    src.write_text(bulletin, encoding="utf-8")
    out = tmp / f"out-{rules_dir.name if rules_dir else 'shipped'}.json"
    argv = ["extract", str(src), "-o", str(out), "--no-model"]
    if rules_dir is not None:
        argv += ["--rules", str(rules_dir)]
    assert main(argv) in (0, 1)
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_rule_file_has_an_override_case() -> None:
    assert {c.rule_file for c in CASES} == set(RULE_FILES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule_file}: {c.name}")
def test_an_override_through_rules_dir_changes_the_output(case: Case, tmp_path: Path) -> None:
    rules_dir = tmp_path / "my-rules"
    rules_dir.mkdir()
    (rules_dir / f"{case.rule_file}.yaml").write_text(yaml.safe_dump(case.override, allow_unicode=True),
                                                       encoding="utf-8")
    shipped = case.look(_extract(tmp_path, case.bulletin, case.suffix, None))
    overridden = case.look(_extract(tmp_path, case.bulletin, case.suffix, rules_dir))
    assert overridden == case.expected
    assert shipped != overridden


def test_a_new_status_word_in_status_yaml_alone_counts_in_items_and_summary(tmp_path: Path) -> None:
    """The README's recipe: 已清零 added to status.yaml is a completed status for the items *and* the summary."""
    bulletin = (
        "XX县委关于巡察整改进展情况的通报\n"
        "截至6月30日，巡察反馈的2个问题，已清零2个。\n"
        "一、整改落实情况\n"
        "（一）关于“台账不清”问题，已清零。\n整改情况：已建立台账。\n"
        "（二）关于“制度缺失”问题，已清零。\n整改情况：出台制度。\n"
    )
    rules_dir = tmp_path / "my-rules"
    rules_dir.mkdir()
    (rules_dir / "status.yaml").write_text("+codes:\n  completed: [已清零]\n", encoding="utf-8")
    before = _extract(tmp_path, bulletin, ".txt", None)
    after = _extract(tmp_path, bulletin, ".txt", rules_dir)
    assert [i["status"] for i in before["items"]] == [None, None]
    assert before["summary"]["completed"] is None
    assert [i["status"] for i in after["items"]] == ["completed", "completed"]
    assert (after["summary"]["problems_total"], after["summary"]["completed"]) == (2, 2)
    assert not [i for i in after["validation"]["issues"] if i["code"] == "summary_mismatch"]


def test_staged_completion_means_the_same_in_items_and_summary(tmp_path: Path) -> None:
    """阶段性完成 is basically completed for an item's 整改结果 and for the declared count: no false mismatch."""
    bulletin = (
        "XX县委关于巡察整改进展情况的通报\n"
        "巡察反馈的2个问题，已完成整改1个，阶段性完成1个。\n"
        "一、整改落实情况\n"
        "（一）关于“台账不清”问题\n整改情况：已建立台账。\n整改结果：已完成整改。\n"
        "（二）关于“制度缺失”问题\n整改情况：起草制度。\n整改结果：阶段性完成。\n"
    )
    doc = _extract(tmp_path, bulletin, ".txt", None)
    assert [i["status"] for i in doc["items"]] == ["completed", "basically_completed"]
    assert (doc["summary"]["completed"], doc["summary"]["basically_completed"]) == (1, 1)
    assert doc["summary"]["in_progress"] is None
    assert not [i for i in doc["validation"]["issues"] if i["code"] == "summary_mismatch"]


# --------------------------------------------------------------------------- the merge rule


def test_plus_key_extends_lists_and_maps_and_plain_key_replaces() -> None:
    shipped = {"codes": {"completed": ["已完成"], "in_progress": ["整改中"]}, "words": ["a", "b"], "n": 1}
    merged = overlay(shipped, {"+codes": {"completed": ["已清零", "已完成"], "adopted": ["采纳"]},
                               "+words": ["c"], "n": 2})
    assert merged == {"codes": {"completed": ["已完成", "已清零"], "in_progress": ["整改中"], "adopted": ["采纳"]},
                      "words": ["a", "b", "c"], "n": 2}
    assert overlay(shipped, {"words": ["z"]})["words"] == ["z"]
    assert shipped["words"] == ["a", "b"]  # the shipped data is not touched


def test_plus_key_nested_scalar_is_replaced() -> None:
    merged = overlay({"summary": {"rate": "x", "foreign": ["信访"]}}, {"+summary": {"rate": "y"}})
    assert merged == {"summary": {"rate": "y", "foreign": ["信访"]}}


@pytest.mark.parametrize(
    "override",
    [{"words": ["x"], "+words": ["y"]}, {"+words": {"a": 1}}, {"+codes": ["x"]}],
    ids=["both forms", "map over list", "list over map"],
)
def test_plus_key_misuse_is_an_error(override: dict[str, Any]) -> None:
    with pytest.raises(RulesError):
        overlay({"words": ["a"], "codes": {"completed": []}}, override, "status.yaml")


def test_plus_key_through_load_rules_keeps_the_shipped_phrases(tmp_path: Path) -> None:
    (tmp_path / "status.yaml").write_text("+codes:\n  completed: [已清零]\n", encoding="utf-8")
    shipped = load_rules().status.codes
    extended = load_rules(tmp_path).status.codes
    assert extended["completed"] == [*shipped["completed"], "已清零"]
    assert {k: v for k, v in extended.items() if k != "completed"} == {
        k: v for k, v in shipped.items() if k != "completed"
    }
