"""Responsible units (seed 001 gold + tables) and cited documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectiparse.extract.documents import find_documents
from rectiparse.extract.units import find_units, normalise_unit_name
from rectiparse.loaders import load
from rectiparse.normalise import normalise

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEED_001 = SAMPLES / "001_f32850ce6c833049.txt"


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


@pytest.fixture(scope="module")
def seed_001() -> str:
    return normalise(load(SEED_001)).text


def _task_paragraphs(text: str) -> dict[str, tuple[int, int]]:
    """The paragraph of each task: it starts with （一）实施… in the normalised text."""
    out = {}
    pos = 0
    for line in text.split("\n"):
        m = re.match(r"\s*[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*实施", line)
        if m:
            out[m.group(1)] = (pos, pos + len(line))
        pos += len(line) + 1
    return out


def test_seed_001_lead_units_per_task(seed_001: str) -> None:
    gold = json.loads((SAMPLES / "gold" / "001_f32850ce6c833049.gold.json").read_text(encoding="utf-8"))
    paras = _task_paragraphs(seed_001)
    for item in gold["items"]:
        a, b = paras[item["number"]]
        found = find_units(seed_001, a, b)
        lead = _dedupe([normalise_unit_name(u.name) for u in found if u.role == "lead"])
        assert lead == item["lead_units"], item["number"]


def test_seed_001_spans_and_qualifiers(seed_001: str) -> None:
    found = find_units(seed_001)
    assert found, "no units in seed 001"
    for u in found:
        assert seed_001[u.span[0] : u.span[1]] == u.name
        assert "责任单位" not in u.name and "协同单位" not in u.name
        assert not u.name.endswith(("）", ")")) or "（" in u.name or "(" in u.name or "〔" in u.name
    names = {u.name for u in found}
    assert "商务局〔投资促进中心〕" in names
    assert "市自然资源和规划局〔低效整治办)" in names
    assert "中铁建产发〔东阳〕建设有限公司" in names


def test_seed_001_table_headers_are_not_labels(seed_001: str) -> None:
    # the appended table repeats 牵头单位配合单位 as column headers, without a colon
    for u in find_units(seed_001):
        assert "序号" not in u.name and "单位" != u.name


@pytest.mark.parametrize(
    ("text", "lead", "co"),
    [
        ("（责任单位：市发改局、经济开发区，协同单位：市自然资源和规划局、住建局、商务局〔投资促进中心〕）。",
         ["市发改局", "经济开发区"], ["市自然资源和规划局", "住建局", "商务局〔投资促进中心〕"]),
        ("(责任单位:经济开发区.协同单位:市自然资源和规划局、住建局、交通局)", ["经济开发区"],
         ["市自然资源和规划局", "住建局", "交通局"]),
        ("牵头单位：县财政局；配合单位：县审计局、县税务局。", ["县财政局"], ["县审计局", "县税务局"]),
        ("责任部门：区住建局，区城管局；完成时限：2024年6月底前。", ["区住建局", "区城管局"], []),
        ("牵头单位: 市委组织部  参与单位: 市委宣传部、市人力社保局", ["市委组织部"], ["市委宣传部", "市人力社保局"]),
        ("（牵头单位：市场监管局，协办单位：各乡镇（街道））", ["市场监管局"], ["各乡镇（街道）"]),
        ("责任单位：市自然资源和规划局〔低效整治办)，协同单位：市经信局、税务局、法院)。",
         ["市自然资源和规划局〔低效整治办)"], ["市经信局", "税务局", "法院"]),
        ("责任领导：张三；牵头单位：镇党政办；责任人：李四", ["镇党政办"], []),
        ("逐项明确责任领导、牵头单位、参与单位、完成时限，确保任务分解到位。", [], []),
        ("配合单位：市发改局,市经信局\n下一段：不是单位。", [], ["市发改局", "市经信局"]),
        # a 牵头单位 makes the 责任单位 right after it the units that carry the task out
        ("牵头单位：区发改局\n责任单位：立山经济开发区，全区经济运行各专班", ["区发改局"],
         ["立山经济开发区", "全区经济运行各专班"]),
        ("牵头单位：机关党委；责任单位：各股室、局属各单位；完成时限：长期坚持", ["机关党委"], ["各股室", "局属各单位"]),
        # …but not a 责任单位 of another measure further on
        ("一是建章立制（牵头单位：区财政局）。二是开展培训，提升能力（责任单位：区审计局）。", ["区财政局", "区审计局"], []),
        # roles written after the names, inside a bracket
        ("（市政府办公室、市审改办牵头，市级各有关部门及各县市区政府按职责分工负责）",
         ["市政府办公室", "市审改办"], ["市级各有关部门及各县市区政府"]),
        ("6月底前完成，长期坚持。（市司法局牵头，市政府办公室配合）", ["市司法局"], ["市政府办公室"]),
        ("（规划财务股负责）", ["规划财务股"], []),
        ("（由纪工委牵头）", ["纪工委"], []),
        ("（含部分整改）", [], []),
        ("（这项工作由我负责）", [], []),
        ("（2023年6月底前完成）", [], []),
        ("责任科室：办公室、财务科；配合科室：审计科", ["办公室", "财务科"], ["审计科"]),
        ("责任单位：市发改委（牵头）、市财政局、市审计局", ["市发改委（牵头）"], ["市财政局", "市审计局"]),
    ],
)
def test_unit_lists(text: str, lead: list[str], co: list[str]) -> None:
    found = find_units(text)
    assert [u.name for u in found if u.role == "lead"] == lead
    assert [u.name for u in found if u.role == "co"] == co
    for u in found:
        assert text[u.span[0] : u.span[1]] == u.name


def test_find_units_respects_the_window() -> None:
    text = "一是…（责任单位：A局）。二是…（责任单位：B局）。"
    k = text.index("二是")
    assert [u.name for u in find_units(text, k)] == ["B局"]
    assert [u.name for u in find_units(text, 0, k)] == ["A局"]


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("市商务局〔投资促进中心〕", "市商务局"),
        ("商务局（投资促进中心）", "商务局"),
        ("市自然资源和规划局〔低效整治办)", "市自然资源和规划局"),
        ("市自然资源和规划局〔低效整治办", "市自然资源和规划局"),
        ("中铁建产发〔东阳〕建设有限公司", "中铁建产发〔东阳〕建设有限公司"),
        ("市发改局", "市发改局"),
        (" 市经信局 ", "市经信局"),
    ],
)
def test_normalise_unit_name(name: str, normal: str) -> None:
    assert normalise_unit_name(name) == normal


_UNIT = st.text(alphabet="市县区发改经信财政审计住建商务局委办中心集团", min_size=2, max_size=10)


@settings(max_examples=80, deadline=None)
@given(lead=st.lists(_UNIT, min_size=1, max_size=4), co=st.lists(_UNIT, max_size=4),
       sep=st.sampled_from(["、", "，", ","]), colon=st.sampled_from(["：", ":", "： "]))
def test_unit_lists_round_trip(lead: list[str], co: list[str], sep: str, colon: str) -> None:
    group = f"责任单位{colon}{sep.join(lead)}"
    if co:
        group += f"，协同单位{colon}{sep.join(co)}"
    text = f"推进平台建设（{group}）。"
    found = find_units(text)
    assert [u.name for u in found if u.role == "lead"] == lead
    assert [u.name for u in found if u.role == "co"] == co
    assert all(text[u.span[0] : u.span[1]] == u.name for u in found)


# --------------------------------------------------------------------------- documents


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("修订《东阳市政府产业基金管理办法》，发挥财政政策导向作用。", [("东阳市政府产业基金管理办法", None)]),
        ("《金华市本级审计调查报告》（金审企调报〔2023〕8号）收悉", [("金华市本级审计调查报告", "金审企调报〔2023〕8号")]),
        ("印发《关于加强招商引资工作的意见》（东政办发〔2021〕2 号）", [("关于加强招商引资工作的意见", "东政办发〔2021〕2 号")]),
        ("出台《东阳市促进生物医药产业高质量发展行动方案（2023-2025 年）》，明确目标。",
         [("东阳市促进生物医药产业高质量发展行动方案（2023-2025 年）", None)]),
        ("转发《关于贯彻〈中国共产党巡视工作条例〉的实施办法》(X委办〔2022〕15号)",
         [("关于贯彻〈中国共产党巡视工作条例〉的实施办法", "X委办〔2022〕15号")]),
        ("修订完善《A办法》《B细则》，制定《C管理办法》（试行）。", [("A办法", None), ("B细则", None), ("C管理办法", None)]),
        ("依据《政府投资条例》（国务院令第712号）", [("政府投资条例", "国务院令第712号")]),
        ("没有书名号的句子。", []),
        ("未闭合的《标题\n下一行》", []),
    ],
)
def test_find_documents(text: str, expected: list[tuple[str, str | None]]) -> None:
    found = find_documents(text)
    assert [(d.title, d.number) for d in found] == expected
    for d in found:
        assert text[d.title_span[0] : d.title_span[1]] == d.title
        assert text[d.span[0]] == "《"
        if d.number is not None:
            assert d.number_span is not None
            assert text[d.number_span[0] : d.number_span[1]] == d.number


def test_find_documents_on_seed_000() -> None:
    text = normalise(load(SAMPLES / "000_6f123fd23d2bb904.txt")).text
    found = find_documents(text)
    titles = [d.title for d in found]
    assert "东阳市政府产业基金管理办法" in titles
    assert found[0].number == "金审企调报〔2023〕8号"


@given(lead=st.lists(_UNIT, min_size=1, max_size=3), co=st.lists(_UNIT, max_size=3),
       lead_word=st.sampled_from(["牵头", "牵头负责", "牵头落实"]),
       co_word=st.sampled_from(["配合", "按职责分工负责", "参与", "协助"]),
       comma=st.sampled_from(["，", ",", "；"]), bracket=st.sampled_from([("（", "）"), ("(", ")")]))
@settings(max_examples=60, deadline=None)
def test_bracketed_roles_round_trip(lead: list[str], co: list[str], lead_word: str, co_word: str, comma: str,
                                    bracket: tuple[str, str]) -> None:
    """（A、B牵头，C、D配合）gives A, B as leads and C, D as co-operators, each span giving back its name."""
    body = "、".join(lead) + lead_word + (comma + "、".join(co) + co_word if co else "")
    text = f"一是完善制度。{bracket[0]}{body}{bracket[1]}"
    found = find_units(text)
    assert [u.name for u in found if u.role == "lead"] == lead
    assert [u.name for u in found if u.role == "co"] == co
    for u in found:
        assert text[u.span[0] : u.span[1]] == u.name
