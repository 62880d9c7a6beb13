"""The facts extractors on bulletins written the way other issuers write them (samples/wild/facts_*.txt).

Each sample paraphrases phrasings seen in published bulletins, with invented names and figures:

* facts_01 — a district 巡察 progress bulletin on a web page (breadcrumb, 发布时间/来源 line), the declaration
  “巡察反馈的N个问题，完成整改…基本完成取得阶段性成果并持续整改问题…未完成…总体完成率X%”, a results
  sentence (次, 项, 万元 with a space, 近…万元, 人次), enumerated rounds and slogans that are not figures;
* facts_02 — an audit report to a people's congress: a numbered 公告 title over two lines, the law cited before
  the audit report, “涉及4个方面、23个单位共计46项具体问题…已整改38项…正在整改8项（含部分整改）”, 亿元 with
  spaces, 户/人/亩/公顷/宗, and a price per tonne;
* facts_03 — a 整改方案 with labelled units and limits after the measures, 牵头单位 with 责任单位,
  bracketed （A、B牵头，C按职责分工负责）, 立行立改/长期坚持, a year inherited from the signature date;
* facts_04 — a party group's bulletin under a web metadata block (labels alone on their line, 日期：),
  “已整改到位18个，占问题总数的85.71%”, as of 3月中旬, 个百分点, a range of 家;
* facts_05 — an enterprise bulletin: 上旬/中旬 inspection period, feedback in a month, 文章来源,
  “反馈的问题14个，现已全部整改到位”, weights in 吨 and 斤;
* facts_06 — a county round-up: 【发布时间】【来源】 chrome, a title followed by ——…会议上 on its line, labels
  padded with spaces (索 引 号, 文　　号), 自…起至… period, as of 截至2023年底, completed problems counted
  after a count of leads, 整改任务, 余亩, and a date before 前仍未 that is not a deadline.

The expectations are module data so that a script can score an older checkout against the same facts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from rectiparse.models import Document
from rectiparse.pipeline import parse

WILD = Path(__file__).resolve().parents[1] / "samples" / "wild"
FACT_SAMPLES = sorted(WILD.glob("facts_*.txt"))

# document fields: exactly these values (a field not listed here is not judged)
META: dict[str, dict[str, object]] = {
    "facts_01_district_progress.txt": {
        "title": "十三届区委第四轮巡察整改进展情况的通报", "doc_type": "inspection",
        "issuer": "中共南湖区委巡察工作领导小组办公室", "date": "2024-03-15", "publish_date": "2024-03-18",
        "inspector": "区委第二巡察组", "inspection_period": {"start": "2023-04-10", "end": "2023-06-02"},
        "feedback_date": "2023-07-14",
    },
    "facts_02_audit_report.txt": {
        "title": "清江市审计局2023年第5号公告：关于2022年度市本级预算执行和其他财政收支审计查出问题整改情况的报告",
        "doc_type": "audit", "issuer": "清江市审计局", "date": "2023-12-26",
        "source_report": {"title": "清江市人民政府关于2022年度市本级预算执行和其他财政收支的审计工作报告",
                          "doc_number": None},
    },
    "facts_03_plan_units.txt": {
        "title": "中共青石县交通运输局党组关于县委第三巡察组反馈意见的整改方案", "doc_type": "plan",
        "issuer": "中共青石县交通运输局党组", "date": "2023-05-20", "inspector": "县委第三巡察组",
    },
    "facts_04_party_group_web.txt": {
        "title": "中共临溪市民政局党组关于市委第一巡察组巡察反馈意见整改进展情况的通报", "doc_type": "inspection",
        "issuer": "中共临溪市民政局党组", "date": "2024-04-12", "publish_date": "2024-04-15",
        "doc_number": "临民党〔2024〕6号", "index_number": "113307210025871234/2024-00057",
        "inspector": "市委第一巡察组", "inspection_period": {"start": "2023-09-11", "end": "2023-11-03"},
        "feedback_date": "2024-01-08",
    },
    "facts_05_enterprise_bulletin.txt": {
        "title": "中共东岳港务集团有限公司委员会关于巡察集中整改进展情况的通报", "doc_type": "inspection",
        "issuer": "中共东岳港务集团有限公司委员会", "publish_date": "2024-01-22", "inspector": "市委第六巡察组",
        "inspection_period": {"start": "2023-04", "end": "2023-06"}, "feedback_date": "2023-08",
    },
    "facts_06_county_roundup.txt": {
        "title": "云岭县十五届县委巡察整改工作情况的报告", "doc_type": "inspection", "issuer": "云岭县委巡察办",
        "date": "2024-01-05",
        "publish_date": "2024-01-09", "doc_number": "云巡办〔2024〕2号", "index_number": "531125000/2024-00018",
        "inspector": "县委第二巡察组", "inspection_period": {"start": "2023-03-06", "end": "2023-04-28"},
        "feedback_date": "2023-05-19",
    },
}

_SUMMARY_FIELDS = ["aspects", "problems_total", "measures_total", "completed", "basically_completed",
                   "in_progress", "long_term", "not_completed", "completion_rate", "as_of"]

# the declared summary: these values, every other summary field null
SUMMARY: dict[str, dict[str, object]] = {
    "facts_01_district_progress.txt": {
        "problems_total": 412, "completed": 396, "basically_completed": 9, "not_completed": 7,
        "completion_rate": 96.12, "as_of": "2024-02-29",
    },
    "facts_02_audit_report.txt": {"aspects": 4, "problems_total": 46, "completed": 38, "in_progress": 8},
    "facts_03_plan_units.txt": {},
    "facts_04_party_group_web.txt": {
        "aspects": 4, "problems_total": 21, "completed": 18, "in_progress": 3, "completion_rate": 85.71,
        "as_of": "2024-03-20",
    },
    "facts_05_enterprise_bulletin.txt": {"problems_total": 14, "completed": 14, "completion_rate": 100.0},
    "facts_06_county_roundup.txt": {
        "problems_total": 268, "completed": 251, "completion_rate": 93.66, "as_of": "2023-12-31",
    },
}

# figures that must be found: (text, value, unit, kind, approx)
FIGURES: dict[str, list[tuple[str, float, str, str, bool]]] = {
    "facts_01_district_progress.txt": [
        ("412个", 412, "个", "count", False), ("96.12%", 96.12, "%", "percent", False),
        ("21次", 21, "次", "count", False), ("217项", 217, "项", "count", False),
        ("38.46 万元", 384600, "元", "money", False), ("52万元", 520000, "元", "money", False),
        ("1200万元", 12000000, "元", "money", True), ("6人", 6, "人", "count", False),
        ("19人次", 19, "人次", "count", False),
    ],
    "facts_02_audit_report.txt": [
        ("3.86 亿元", 386000000, "元", "money", False), ("31245.6万元", 312456000, "元", "money", False),
        ("12896.35 万元", 128963500, "元", "money", False), ("0.96亿元", 96000000, "元", "money", False),
        ("135户", 135, "户", "count", False), ("218人", 218, "人", "count", False),
        ("86.5亩", 86.5, "亩", "area", False), ("5.8公顷", 5.8, "公顷", "area", True),
        ("12宗", 12, "宗", "count", False), ("1.2万吨", 12000, "吨", "other", False),
        ("86.4万元", 864000, "元", "money", False),
    ],
    "facts_03_plan_units.txt": [],
    "facts_04_party_group_web.txt": [
        ("85.71%", 85.71, "%", "percent", False), ("7.132万元", 71320, "元", "money", False),
        ("47人", 47, "人", "count", False), ("2.5个百分点", 2.5, "个百分点", "percent", False),
        ("3至5家", 3, "家", "count", False), ("5家", 5, "家", "count", False),
    ],
    "facts_05_enterprise_bulletin.txt": [
        ("1.35亿元", 135000000, "元", "money", False), ("3.2万平方米", 32000, "平方米", "area", False),
        ("360吨", 360, "吨", "other", False), ("2.6万斤", 26000, "斤", "other", False),
        ("9名", 9, "名", "count", False),
    ],
    "facts_06_county_roundup.txt": [
        ("734项", 734, "项", "count", False), ("1.08亿元", 108000000, "元", "money", False),
        ("18.6万元", 186000, "元", "money", False), ("420余亩", 420, "亩", "area", True),
        ("11人", 11, "人", "count", False),
    ],
}

# written numbers that are not figures: no figure's span may cover the first occurrence of these strings
NOT_FIGURES: dict[str, list[str]] = {
    "facts_01_district_progress.txt": ["三轮", "152", "3+X", "0573-82345678", "2024年3月15日", "2023年4月10日"],
    "facts_02_audit_report.txt": ["2023年第5号", "第十七届", "2022年度", "2023年12月26日"],
    "facts_03_plan_units.txt": ["2023年12月底前", "6月底前", "二〇二三年五月二十日", "5日前"],
    "facts_04_party_group_web.txt": ["113307210025871234", "临民党〔2024〕6号", "2024-04-15 10:20:07", "1-3年期"],
    "facts_05_enterprise_bulletin.txt": ["2024-01-22", "4月上旬", "6月中旬"],
    "facts_06_county_roundup.txt": ["531125000", "云巡办〔2024〕2号", "2023年底", "6月30日"],
}

# facts_03 items, by title: lead units, co units, deadlines (text, ISO date or None)
PLAN_ITEMS: dict[str, tuple[list[str], list[str], list[tuple[str, str | None]]]] = {
    "党组理论学习中心组学习制度落实不严格": (
        ["办公室", "人事教育股"], ["机关党委"], [("2023年12月底前", "2023-12-31")]),
    "意识形态工作责任制落实不到位": (
        ["机关党委"], ["各股室", "局属各单位"], [("立行立改", None), ("长期坚持", None)]),
    "部分农村公路项目未按期交工": (
        ["县公路事业发展中心", "工程建设股"], ["各乡镇人民政府"],
        [("6月底前", "2023-06-30"), ("2024年6月中旬", "2024-06-20")]),
    "工程款拨付审核不严格": (["规划财务股"], [], [("2024年", "2024-12-31")]),
}


@cache
def doc(name: str) -> Document:
    return parse(WILD / name)


def test_there_are_facts_samples() -> None:
    assert len(FACT_SAMPLES) >= 5
    assert {p.name for p in FACT_SAMPLES} == set(META)


@pytest.mark.parametrize("name", sorted(META))
def test_metadata(name: str) -> None:
    got = doc(name).document.model_dump()
    for key, want in META[name].items():
        assert got[key] == want, key


@pytest.mark.parametrize("name", sorted(SUMMARY))
def test_summary(name: str) -> None:
    s = doc(name).summary
    got = s.model_dump()
    assert {k: got[k] for k in _SUMMARY_FIELDS} == {k: SUMMARY[name].get(k) for k in _SUMMARY_FIELDS}
    if SUMMARY[name]:
        assert s.span is not None and doc(name).text[s.span[0] : s.span[1]] == s.text
    else:
        assert s.span is None


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figures_found(name: str) -> None:
    found = {(f.text, f.value, f.unit, f.kind, f.approx) for f in doc(name).figures}
    missing = [f for f in FIGURES[name] if f not in found]
    assert not missing


@pytest.mark.parametrize("name", sorted(NOT_FIGURES))
def test_not_figures(name: str) -> None:
    d = doc(name)
    for s in NOT_FIGURES[name]:
        k = d.text.find(s)
        assert k >= 0, s
        covered = [f.text for f in d.figures if f.span[0] < k + len(s) and k < f.span[1]]
        assert not covered, (s, covered)


def test_plan_units_and_deadlines() -> None:
    d = doc("facts_03_plan_units.txt")
    by_title = {it.title: it for it in d.items}
    assert set(PLAN_ITEMS) <= set(by_title)
    for title, (lead, co, deadlines) in PLAN_ITEMS.items():
        it = by_title[title]
        assert it.units.lead == lead, title
        assert it.units.co == co, title
        assert [(x.text, x.date) for x in it.deadlines] == deadlines, title


def test_done_months_are_not_deadlines() -> None:
    d = doc("facts_03_plan_units.txt")
    texts = [x.text for it in d.items for x in it.deadlines]
    assert not any("2023年7月" in t for t in texts)


def test_deadlines_of_prose_outside_items() -> None:
    from rectiparse.dates import find_deadlines

    d = doc("facts_06_county_roundup.txt")
    found = [(x.text, x.date) for x in find_deadlines(d.text)]
    assert found == [("于2024年6月底前", "2024-06-30")]  # 在6月30日前仍未整改到位 is not a limit
    for x in find_deadlines(d.text):
        assert d.text[x.span[0] : x.span[1]] == x.text


def test_figures_in_summary_sentence_and_rates_do_not_double_count() -> None:
    d = doc("facts_02_audit_report.txt")
    k = d.text.find("每吨0.95元")
    near = [f for f in d.figures if k <= f.span[0] < k + 6]
    assert [(f.text, f.value, f.unit) for f in near] == [("0.95元", 0.95, "元")]
    assert len({f.span for f in d.figures}) == len(d.figures)


@pytest.mark.parametrize("name", sorted(META))
def test_every_span_gives_back_its_text(name: str) -> None:
    d = doc(name)
    for f in d.figures:
        assert d.text[f.span[0] : f.span[1]] == f.text
    meta = d.document
    for key, (s, e) in meta.spans.items():
        value = getattr(meta, key, None) if "." not in key else None
        if isinstance(value, str) and key not in ("date", "publish_date", "feedback_date"):
            assert d.text[s:e].replace("\n", "") == value, key
        assert e > s
    for it in d.items:
        for x in [*it.deadlines, *(x for m in it.measures for x in m.deadlines)]:
            assert d.text[x.span[0] : x.span[1]] == x.text
        for m in it.measures:
            assert d.text[m.span[0] : m.span[1]] == m.text


def test_web_chrome_is_not_the_title_and_short_date_label_is_the_publish_date() -> None:
    d = doc("facts_01_district_progress.txt")
    assert ">" not in (d.document.title or "")
    d4 = doc("facts_04_party_group_web.txt")
    s, e = d4.document.spans["publish_date"]
    assert d4.text[s:e] == "2024-04-15"  # 日期：…, not the 成文日期 above it
