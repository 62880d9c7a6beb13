"""The evaluator itself, on small hand-built gold/prediction pairs: each test changes one thing and checks that
exactly the fields it should move, move."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from rectiparse.cli import main
from rectiparse.evaluate import (
    align,
    check_floor,
    evaluate,
    evaluate_document,
    floor_from,
    similarity,
)
from rectiparse.models import Document, EvalReport, FieldScore, Item

GOLD: dict[str, Any] = {
    "seed": "doc.txt",
    "document": {"title": "某某开发区关于巡察整改情况的通报", "doc_type": "inspection", "date": "2023-05-10",
                 "inspection_period": ["2022-07-15", "2022-09-05"], "doc_number": None,
                 "contacts": {"phones": ["0739-5486000"]}},
    "summary": {"problems_total": 3, "completed": 2, "in_progress": 1, "long_term": None},
    "expected_validation_codes": [],
    "noise_absent": ["哒哒素材库"],
    "items": [
        {"number": "1", "kind": "problem", "title": "招商引资项目质量不够高", "status": "completed",
         "category": "已整改完成的问题", "measures_count": 2, "actions_prefix": "一是完善",
         "figures_subset": [{"value": 2790000000, "unit": "元"}], "lead_units": ["市发改局"]},
        {"number": "2", "kind": "problem", "title": "工程项目建设管理混乱", "status": "completed",
         "category": "已整改完成的问题", "measures_count": 1, "actions_prefix": None, "lead_units": []},
        # numbering restarts in the next group: alignment must not look items up by number
        {"number": "1", "kind": "problem", "title": "干部队伍建设不够扎实", "status": "in_progress",
         "category": "正在整改的问题", "measures_count": 0, "actions_prefix": "已召开", "lead_units": []},
    ],
}


def measure(text: str, ordinal: int) -> dict[str, Any]:
    return {"ordinal": ordinal, "marker": "一是", "text": text, "span": [0, 1]}


def perfect_prediction() -> dict[str, Any]:
    """A Document (built through the real models, so its shape is the contract's) that agrees with GOLD."""
    items = [
        Item(id="1.1", number="1", kind="problem", title="招商引资项目质量不够高", status="completed",
             category="已整改完成的问题", actions="一是完善 制度。二是加强管理。", span=(0, 1),
             measures=[measure("完善制度", 1), measure("加强管理", 2)],
             figures=[{"text": "27.9亿元", "value": 2790000000, "unit": "元", "span": (0, 1)}],
             units={"lead": ["市发改局"]}),
        Item(id="1.2", number="2", kind="problem", title="工程项目建设管理混乱", status="completed",
             category="已整改完成的问题", span=(0, 1), measures=[measure("整改", 1)]),
        Item(id="2.1", number="1", kind="problem", title="干部队伍建设不够扎实", status="in_progress",
             category="正在整改的问题", actions="已召开专题会议", span=(0, 1)),
    ]
    doc = Document(
        document={"title": "某某开发区关于巡察整改情况的通报", "doc_type": "inspection", "date": "2023-05-10",
                  "inspection_period": {"start": "2022-07-15", "end": "2022-09-05"},
                  "contacts": {"phones": ["0739-5486000"]}},
        summary={"problems_total": 3, "completed": 2, "in_progress": 1},
        items=items,
        text="某某开发区关于巡察整改情况的通报……",
    )
    return doc.model_dump(mode="json")


def scored(pred: dict[str, Any] | None, gold: dict[str, Any] = GOLD) -> dict[str, FieldScore]:
    return evaluate_document(gold, pred).fields


def f1s(fields: dict[str, FieldScore]) -> dict[str, float | None]:
    return {k: v.f1 for k, v in fields.items()}


def test_perfect_prediction_scores_one_everywhere() -> None:
    fields = scored(perfect_prediction())
    assert {"items", "titles", "statuses", "categories", "measures", "figures", "units", "actions", "metadata",
            "summary", "noise"} <= set(fields)
    for name, s in fields.items():
        if s.support or s.fp:
            assert s.f1 == 1.0, (name, s)
    assert fields["items"].support == 3
    assert fields["metadata"].tp == 6  # title, doc_type, date, period start, period end, one phone


def test_missing_item_lowers_recall_not_precision() -> None:
    pred = perfect_prediction()
    del pred["items"][1]
    fields = scored(pred)
    assert fields["items"].precision == 1.0
    assert fields["items"].recall == pytest.approx(2 / 3)
    assert fields["statuses"].recall == pytest.approx(2 / 3)  # the missed item's status was not found either
    assert fields["statuses"].precision == 1.0
    assert fields["metadata"].f1 == 1.0


def test_extra_item_lowers_precision_not_recall() -> None:
    pred = perfect_prediction()
    extra = copy.deepcopy(pred["items"][0])
    extra.update(number="3", title="完全不同的另一个问题表述", status="completed")
    pred["items"].insert(2, extra)
    fields = scored(pred)
    assert fields["items"].recall == 1.0
    assert fields["items"].precision == pytest.approx(3 / 4)
    assert fields["statuses"].precision == pytest.approx(3 / 4)
    assert fields["titles"].recall == 1.0


def test_wrong_status_counts_against_statuses_only() -> None:
    pred = perfect_prediction()
    pred["items"][2]["status"] = "completed"
    before, after = f1s(scored(perfect_prediction())), f1s(scored(pred))
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"statuses"}
    s = scored(pred)["statuses"]
    assert (s.tp, s.fp, s.fn) == (2, 1, 1)


def test_restarting_numbers_align_by_title_in_order() -> None:
    pred = perfect_prediction()
    pairs = align(GOLD["items"], pred["items"])
    assert pairs == [(0, 0), (1, 1), (2, 2)]
    # drop the first "1": the second-group "1" must not be taken for it
    pairs = align(GOLD["items"], pred["items"][1:])
    assert pairs == [(0, None), (1, 0), (2, 1)]


def test_title_tolerance_nfkc_and_whitespace_but_not_other_words() -> None:
    assert similarity("执行市委“1358”开发时序不达预期", "执行市委\u201c1358\u201d开发 时序不达预期") == 1.0
    assert similarity("问题（一）", "问题(一)") == 1.0  # full-width brackets, as gold was NFKC-normalised
    pred = perfect_prediction()
    pred["items"][0]["title"] = "招商引资项目质量不够好"  # one character of eleven: within tolerance
    assert scored(pred)["titles"].f1 == 1.0
    pred["items"][0]["title"] = "招商引资项目水平不够好"  # three of eleven: still the item, but a wrong title
    fields = scored(pred)
    assert fields["items"].f1 == 1.0
    assert fields["titles"].f1 < 1.0


def test_prefix_null_and_measures_count() -> None:
    pred = perfect_prediction()
    pred["items"][1]["actions"] = "多出来的整改情况"  # gold says null: a false positive
    pred["items"][0]["actions"] = "二是完善"  # does not start with the gold prefix
    pred["items"][2]["measures"] = [measure("x", 1)]  # gold: 0 measures
    fields = scored(pred)
    assert (fields["actions"].tp, fields["actions"].fp, fields["actions"].fn) == (1, 2, 1)
    assert (fields["measures"].tp, fields["measures"].fp, fields["measures"].fn) == (2, 1, 1)


def test_figures_are_recall_only_and_units_are_sets() -> None:
    pred = perfect_prediction()
    pred["items"][0]["figures"].append({"text": "5个", "value": 5, "unit": "个", "kind": "count", "approx": False,
                                        "span": [0, 1]})
    pred["items"][0]["units"]["lead"].append("市商务局")
    fields = scored(pred)
    assert fields["figures"].f1 == 1.0 and fields["figures"].precision is None
    assert fields["units"].recall == 1.0 and fields["units"].precision == pytest.approx(1 / 2)
    pred["items"][0]["figures"][0]["unit"] = "万元"
    assert scored(pred)["figures"].recall == 0.0


def test_metadata_dates_exact_period_and_nulls() -> None:
    pred = perfect_prediction()
    pred["document"]["date"] = "2023-05-11"
    pred["document"]["doc_number"] = "某发〔2023〕1号"  # gold: the text states none
    pred["document"]["inspection_period"] = None
    s = scored(pred)["metadata"]
    assert (s.tp, s.fp, s.fn) == (3, 2, 3)


def test_summary_nulls_validation_and_noise() -> None:
    pred = perfect_prediction()
    pred["summary"]["long_term"] = 4  # gold null
    pred["validation"]["issues"].append({"code": "summary_mismatch", "severity": "warning", "message": "x"})
    pred["text"] += "哒哒素材库"
    fields = scored(pred)
    assert (fields["summary"].tp, fields["summary"].fp) == (3, 1)
    assert fields["validation"].fp == 1  # summary_mismatch that the gold does not expect
    assert fields["noise"].recall == 0.0
    gold = {**GOLD, "expected_validation_codes": ["summary_mismatch"]}
    assert scored(pred, gold)["validation"].f1 == 1.0
    assert scored(perfect_prediction(), gold)["validation"].recall == 0.0


def test_missing_prediction_scores_zero_recall() -> None:
    result = evaluate_document(GOLD, None)
    assert result.fields["items"].recall == 0.0
    assert result.fields["metadata"].recall == 0.0
    assert result.notes


def test_floor_gate() -> None:
    report = EvalReport(fields={"items": FieldScore(tp=9, fn=1, f1=0.947), "tables": FieldScore(f1=None)})
    assert check_floor(report, {"items": 0.9}) == []
    assert check_floor(report, {"items": 0.95})[0].startswith("items")
    assert check_floor(report, {"tables": 0.5})  # a gated field that stopped being measured fails
    assert floor_from(report)["f1"] == {"items": 0.93}


# --------------------------------------------------------------------------- the command


@pytest.fixture
def pred_dir(tmp_path: Path) -> Path:
    """A gold folder and a --pred folder holding one perfect and one damaged prediction."""
    gold_dir, pred = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred.mkdir()
    for stem in ("a_1", "b_2"):
        (gold_dir / f"{stem}.gold.json").write_text(json.dumps({**GOLD, "seed": f"{stem}.txt"}), encoding="utf-8")
    (pred / "a_1.json").write_text(json.dumps(perfect_prediction()), encoding="utf-8")
    damaged = perfect_prediction()
    damaged["items"] = damaged["items"][:1]
    (pred / "b_2.json").write_text(json.dumps(damaged), encoding="utf-8")
    return tmp_path


def test_eval_command_table_json_and_floor(pred_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold, pred = str(pred_dir / "gold"), str(pred_dir / "pred")
    assert main(["eval", "--gold", gold, "--pred", pred]) == 0
    out = capsys.readouterr().out
    assert "items" in out and "F1 per document" in out

    assert main(["eval", "--gold", gold, "--pred", pred, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fields"]["items"]["recall"] == pytest.approx(4 / 6)
    assert [d["fields"]["items"]["recall"] for d in data["documents"]] == pytest.approx([1.0, 1 / 3])

    floor = pred_dir / "floor.json"
    floor.write_text(json.dumps({"f1": {"items": 0.7}}), encoding="utf-8")
    assert main(["eval", "--gold", gold, "--pred", pred, "--floor", str(floor)]) == 0
    floor.write_text(json.dumps({"f1": {"items": 0.9}}), encoding="utf-8")
    assert main(["eval", "--gold", gold, "--pred", pred, "--floor", str(floor)]) == 1
    assert "items" in capsys.readouterr().err

    pinned = pred_dir / "pinned.json"
    assert main(["eval", "--gold", gold, "--pred", pred, "--write-floor", str(pinned)]) == 0
    assert main(["eval", "--gold", gold, "--pred", pred, "--floor", str(pinned)]) == 0


def test_eval_reads_batch_jsonl(pred_dir: Path) -> None:
    lines = []
    for stem in ("a_1", "b_2"):
        doc = perfect_prediction()
        doc["source"]["path"] = f"/data/in/{stem}.txt"
        lines.append(json.dumps(doc))
    (pred_dir / "batch").mkdir()
    (pred_dir / "batch" / "documents.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = evaluate(pred_dir / "gold", pred_dir / "batch")
    assert report.fields["items"].f1 == 1.0
    assert all(d.prediction for d in report.documents)


def test_eval_without_gold_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["eval", "--gold", str(tmp_path)]) == 2


def test_eval_parses_samples_when_no_pred(tmp_path: Path) -> None:
    """No --pred: the seed named in the gold file is parsed from --samples (default: the gold folder's parent)."""
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    text = "关于巡察整改情况的通报\n一、关于“干部队伍建设不够扎实”的问题\n整改情况：已召开专题会议。\n"
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    gold = {"seed": "doc.txt", "items": [{"number": "一", "kind": "problem", "title": "干部队伍建设不够扎实"}]}
    (gold_dir / "doc.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    report = evaluate(gold_dir)
    assert report.documents[0].prediction == str(tmp_path / "doc.txt")
    assert report.fields["items"].support == 1


def test_seeds_meet_the_pinned_floor() -> None:
    """The accuracy gate: today's seeds score at least scripts/eval_floor.json on every pinned field."""
    from rectiparse.evaluate import load_floor

    root = Path(__file__).resolve().parents[1]
    floor = load_floor(root / "scripts" / "eval_floor.json")
    assert {"items", "titles", "statuses", "measures", "metadata", "summary"} <= set(floor)
    report = evaluate(root / "samples" / "gold", samples_dir=root / "samples")
    assert check_floor(report, floor) == []


def test_suffix_scores_another_rendering_of_the_seed(tmp_path: Path) -> None:
    """--suffix .html parses samples/html/<seed>.html against the same gold as the plain text."""
    root = Path(__file__).resolve().parents[1]
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    name = "002_056a472a98951650.gold.json"
    (gold_dir / name).write_text((root / "samples" / "gold" / name).read_text(encoding="utf-8"), encoding="utf-8")
    report = evaluate(gold_dir, samples_dir=root / "samples" / "html", suffix=".html")
    assert report.documents[0].prediction == str(root / "samples" / "html" / "002_056a472a98951650.html")
    assert report.fields["items"].support == 15 and report.fields["items"].tp > 0
