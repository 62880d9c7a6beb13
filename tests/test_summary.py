"""The declared summary: every seed's gold, and phrasings written like real bulletins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectiparse.extract.summary import extract_summary
from rectiparse.loaders import load
from rectiparse.normalise import Text, normalise

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEEDS = sorted(SAMPLES.glob("*.txt"))


def _text(s: str) -> Text:
    return Text(text=s, source_text=s, segments=[(0, 0, len(s))], page_starts=[])


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, Text]:
    return {p.stem: normalise(load(p)) for p in SEEDS}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_summary_matches_gold(path: Path, seed_texts: dict[str, Text]) -> None:
    gold = json.loads((SAMPLES / "gold" / f"{path.stem}.gold.json").read_text(encoding="utf-8"))["summary"]
    text = seed_texts[path.stem]
    got = extract_summary(text).model_dump()
    assert {k: got[k] for k in gold} == gold
    if got["span"] is not None:
        a, b = got["span"]
        assert text.text[a:b] == got["text"]


def test_seed_002_grades_and_as_of(seed_texts: dict[str, Text]) -> None:
    s = extract_summary(seed_texts["002_056a472a98951650"])
    assert s.long_term_by_grade == {"I": 9, "II": 1}
    assert s.as_of == "2023-11-30"
    assert "信访件" not in (s.text or "")


def test_seed_004_totals_from_two_sentences(seed_texts: dict[str, Text]) -> None:
    s = extract_summary(seed_texts["004_dd361c94b27cbe2f"])
    assert (s.aspects, s.problems_total, s.measures_total, s.completed, s.in_progress) == (3, 24, 70, 17, 7)
    assert s.text == "目前，巡察反馈的24个问题中，已整改完成的问题17个，正在推进整改的问题7个。"


# phrase, expected fields (everything not listed must be null / empty)
PHRASES: list[tuple[str, dict[str, object]]] = [
    (
        "截至11月30日，巡视反馈的7个方面15个具体问题，已完成整改1个，基本完成4个，长期整改I 9个，长期整改II 1个。",
        {"aspects": 7, "problems_total": 15, "completed": 1, "basically_completed": 4, "long_term": 10,
         "long_term_by_grade": {"I": 9, "II": 1}, "as_of": "--11-30"},
    ),
    (
        "巡视反馈的7个方面15个具体问题，已完成整改1个，基本完成4个，长期整改Ⅰ9个，长期整改Ⅱ1个。",
        {"aspects": 7, "problems_total": 15, "completed": 1, "basically_completed": 4, "long_term": 10,
         "long_term_by_grade": {"I": 9, "II": 1}},
    ),
    (
        "目前，巡察反馈的24个问题中，已整改完成的问题17个，正在推进整改的问题7个。",
        {"problems_total": 24, "completed": 17, "in_progress": 7},
    ),
    (
        "将市委第二巡察组反馈的3个方面24个问题，细化制定了70项具体整改措施，逐项明确责任领导、牵头单位。",
        {"aspects": 3, "problems_total": 24, "measures_total": 70},
    ),
    (
        "截至2023年10月底，巡察反馈的697个问题,完成整改688个,基本完成整改4个,未完成5个,总体完成率98.71%。",
        {"problems_total": 697, "completed": 688, "basically_completed": 4, "not_completed": 5,
         "completion_rate": 98.71, "as_of": "2023-10-31"},
    ),
    (
        "截至目前，已完成整改45个，整改完成率93.8%。",
        {"completed": 45, "completion_rate": 93.8},
    ),
    (
        "市委巡察组反馈的三个方面二十四个问题，已完成整改十八个，正在整改六个。",
        {"aspects": 3, "problems_total": 24, "completed": 18, "in_progress": 6},
    ),
    (
        "巡视反馈的15个问题，已完成整改1个；巡视移交的13件信访件，已全部办结。",
        {"problems_total": 15, "completed": 1},
    ),
    (
        "反馈问题共计32个，其中已完成整改28个，基本完成3个，需长期坚持的1个。",
        {"problems_total": 32, "completed": 28, "basically_completed": 3, "long_term": 1},
    ),
    (
        "针对审计指出的12个问题，已整改到位10个，正在整改2个。",
        {"problems_total": 12, "completed": 10, "in_progress": 2},
    ),
    (
        "对照巡视反馈的4个方面18个问题，逐项制定整改措施56条，截至2024年3月31日，已完成整改16个，2个问题正在推进整改。",
        {"aspects": 4, "problems_total": 18, "measures_total": 56, "completed": 16, "in_progress": 2,
         "as_of": "2024-03-31"},
    ),
    ("上轮巡察反馈问题整改完成率100%。", {"completion_rate": 100.0}),
    (
        "审计指出的问题中，已整改完成7项，部分整改2项，未整改1项。",
        {"completed": 7, "in_progress": 2, "not_completed": 1},
    ),
    ("省委巡视组反馈的15个问题已全部完成整改。", {"problems_total": 15, "completed": 15}),
    (
        "区委4个巡察组反馈的问题共126个，已完成整改120个，整改完成率95.2%。",
        {"problems_total": 126, "completed": 120, "completion_rate": 95.2},
    ),
    (
        "省委巡视反馈的问题共 20 个，已完成整改 12 个，阶段性整改 8 个。",
        {"problems_total": 20, "completed": 12, "in_progress": 8},
    ),
    (
        "共梳理出巡察反馈问题二十项，已整改完成十五项。",
        {"problems_total": 20, "completed": 15},
    ),
    (
        "2023年3月，市委巡察组进驻。截至2023年9月30日，巡察反馈的4个方面31个问题，已完成整改29个，整改完成率93.55%。",
        {"aspects": 4, "problems_total": 31, "completed": 29, "completion_rate": 93.55, "as_of": "2023-09-30"},
    ),
    # phrasings of other issuers
    (
        "截止目前，巡察反馈的697个问题，完成整改688个，基本完成取得阶段性成果并持续整改问题4个，未完成5个，总体完成率98.71%。",
        {"problems_total": 697, "completed": 688, "basically_completed": 4, "not_completed": 5,
         "completion_rate": 98.71},
    ),
    (
        "《审计报告》反映涉及4个方面、29个单位（部门）共计50项具体问题，问题资金251023.54万元，报告日已整改40项，"
        "整改到位资金215587.84万元，正在整改10项（含部分整改），未整改资金35435.70万元。",
        {"aspects": 4, "problems_total": 50, "completed": 40, "in_progress": 10},
    ),
    (
        "2023年3月1日，召开会议。截至6月30日，巡视反馈的42个问题已整改到位38个，整改完成率90.5%。",
        {"problems_total": 42, "completed": 38, "completion_rate": 90.5, "as_of": "2023-06-30"},
    ),
    (
        "在审计工作报告中，共反映1263个问题，截至2022年10月中旬，已整改1153个，整改率91.29%。",
        {"problems_total": 1263, "completed": 1153, "completion_rate": 91.29, "as_of": "2022-10-20"},
    ),
    (
        "共要求被巡察的45家单位对存在的471个问题进行整改，已整改销号问题453个，占整改问题总数的96.18%；"
        "申请延期整改问题18个，占3.82%。",
        {"problems_total": 471, "completed": 453, "completion_rate": 96.18},
    ),
    # 完成阶段性整改 is basically completed, in the summary as for items (rules/status.yaml, the one table)
    ("针对巡察指出的46项具体问题，目前已有28项完成阶段性整改。", {"problems_total": 46, "basically_completed": 28}),
    ("巡察组反馈问题14个，现已全部整改到位，整改完成率100%。",
     {"problems_total": 14, "completed": 14, "completion_rate": 100.0}),
    # 立行立改 counts are another subject: the “all done” is theirs, not the total's
    ("巡察反馈的3个方面12个问题，立行立改问题5个已全部整改完毕，其余7个问题取得阶段性成果。",
     {"aspects": 3, "problems_total": 12}),
    (
        "对照巡察反馈的4个方面21个问题，制定整改措施68条。截至2024年3月31日，已完成整改19个，正在整改2个，"
        "整改完成率90.48%。",
        {"aspects": 4, "problems_total": 21, "measures_total": 68, "completed": 19, "in_progress": 2,
         "completion_rate": 90.48, "as_of": "2024-03-31"},
    ),
    (
        "截至2024年2月底，巡察反馈的412个问题，完成整改396个，整改完成比例为96.12%。",
        {"problems_total": 412, "completed": 396, "completion_rate": 96.12, "as_of": "2024-02-29"},
    ),
    ("截至2023年底，巡视反馈的16个问题已完成整改14个。", {"problems_total": 16, "completed": 14, "as_of": "2023-12-31"}),
    ("医院党委对巡察组反馈的33项具体问题逐项讨论，制定了97项整改措施，并细化为171条具体措施。",
     {"problems_total": 33, "measures_total": 97}),
    ("对照巡视反馈的3个方面10个问题，细化形成32项整改任务。", {"aspects": 3, "problems_total": 10, "measures_total": 32}),
    ("巡视反馈的20个问题已整改到位19个，整改到位率95%。", {"problems_total": 20, "completed": 19, "completion_rate": 95.0}),
    # a status count that names 问题 itself counts again after a count of leads
    ("前五轮共反馈巡察问题408个，移交问题线索220个，对38个单位开展监督检查，已整改问题393个，处置问题线索167件。",
     {"problems_total": 408, "completed": 393}),
    # not summaries: counts of other things
    ("全年完成整治低效工业企业413家，完成11个区块1402亩的拆后用地清零，完成3个项目。", {}),
    ("今年以来引进项目11个、引资额27.9亿元，落地率达到100%。", {}),
    ("确保了每一个问题、每一项措施都有人抓、有人管。", {}),
    ("巡视移交的13件信访件，已全部办结，巡视交办的立行立改1件，已全部办结。", {}),
    ("坚持把抓好巡察整改作为检验“四个意识”的试金石，作为践行“两个维护”的具体行动。", {}),
]

_FIELDS = ["aspects", "problems_total", "measures_total", "completed", "basically_completed", "in_progress",
           "long_term", "not_completed", "completion_rate", "as_of"]


@pytest.mark.parametrize(("phrase", "expected"), PHRASES, ids=[p[:16] for p, _ in PHRASES])
def test_phrasings(phrase: str, expected: dict[str, object]) -> None:
    s = extract_summary(_text(phrase))
    got = s.model_dump()
    want = {k: expected.get(k) for k in _FIELDS}
    assert {k: got[k] for k in _FIELDS} == want
    assert got["long_term_by_grade"] == expected.get("long_term_by_grade", {})
    if expected:
        assert s.span is not None and s.text is not None
        assert phrase[s.span[0] : s.span[1]] == s.text
    else:
        assert s.text is None and s.span is None


def test_summary_prefers_the_declaring_sentence_over_item_prose() -> None:
    body = (
        "根据省委统一部署，省委第三巡视组对我县开展了巡视。\n"
        "截至6月30日，巡视反馈的5个方面20个问题，已完成整改18个，正在整改2个。\n"
        "一、关于招商问题\n整改情况：梳理出3个问题，已完成整改2个，正在整改1个。\n"
    )
    s = extract_summary(_text(body))
    assert (s.problems_total, s.completed, s.in_progress, s.aspects) == (20, 18, 2, 5)


def test_summary_prefers_a_scoped_declaration_to_an_earlier_tally() -> None:
    body = (
        "全年梳理出风险点12个，已完成整改10个，正在整改2个。\n"
        "截至目前，巡察反馈的问题已完成整改20个，正在整改3个。\n"
    )
    s = extract_summary(_text(body))
    assert (s.completed, s.in_progress) == (20, 3)


@given(
    total=st.integers(min_value=2, max_value=2000),
    done_share=st.floats(min_value=0.0, max_value=1.0),
    scope=st.sampled_from(["巡察反馈的", "巡视反馈的", "审计指出的", "省委巡视组反馈的"]),
    noun=st.sampled_from(["个问题", "项问题", "项具体问题"]),
    verb=st.sampled_from(["已整改到位", "已完成整改", "已整改"]),
)
@settings(max_examples=60, deadline=None)
def test_total_then_completed_count_never_swap(total: int, done_share: float, scope: str, noun: str, verb: str) -> None:
    """Whatever the phrasing, “N个问题…已整改M个” declares the total N and the completed M, never N completed."""
    done = int(total * done_share)
    unit = noun[0]
    for phrase in (f"{scope}{total}{noun}{verb}{done}{unit}。", f"{scope}{total}{noun}，{verb}{done}{unit}。"):
        s = extract_summary(_text(phrase))
        assert (s.problems_total, s.completed) == (total, done), phrase
