"""Dates, ranges and deadlines: a table of phrases, the seeds, and a format round-trip property."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectiparse.dates import DateMention, find_date_ranges, find_dates, find_deadlines, parse_date
from rectiparse.loaders import load
from rectiparse.normalise import normalise

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

# (phrase, default_year, [(text, iso), …]) — every date mention, in order.
DATE_CASES: list[tuple[str, int | None, list[tuple[str, str | None]]]] = [
    ("中共江苏XX经济开发区工作委员会\n2023年5月10日", None, [("2023年5月10日", "2023-05-10")]),
    ("东阳市人民政府 2022 年 5 月 31 日", None, [("2022 年 5 月 31 日", "2022-05-31")]),
    ("发布日期:2021-03-04", None, [("2021-03-04", "2021-03-04")]),
    ("成文日期 2023.12.22", None, [("2023.12.22", "2023-12-22")]),
    ("日期 2023/1/5", None, [("2023/1/5", "2023-01-05")]),
    ("二〇二三年十二月二十二日", None, [("二〇二三年十二月二十二日", "2023-12-22")]),
    ("二〇二二年五月三十一日印发", None, [("二〇二二年五月三十一日", "2022-05-31")]),
    ("２０２３年１２月２２日", None, [("２０２３年１２月２２日", "2023-12-22")]),
    ("2023年1月，经由深创投招引", None, [("2023年1月", "2023-01")]),
    ("2023年11月底市人力社保局已制定", None, [("2023年11月底", "2023-11")]),
    ("部署阶段(2022年4月)", None, [("2022年4月", "2022-04")]),
    # year inheritance from the nearest preceding full date
    ("2023年3月10日，巡视组进驻。7月19日，反馈了巡视意见。", None,
     [("2023年3月10日", "2023-03-10"), ("7月19日", "2023-07-19")]),
    ("7月19日，省委第十五巡视组反馈了巡视意见", None, [("7月19日", "--07-19")]),
    ("7月19日，省委第十五巡视组反馈了巡视意见", 2023, [("7月19日", "2023-07-19")]),
    ("截至11月30日，巡视反馈的7个方面", 2023, [("11月30日", "2023-11-30")]),
    ("预计6月底前出台", None, [("6月底", "--06")]),
    ("预计6月底前出台", 2024, [("6月底", "2024-06")]),
    ("（8月份进入工业列统）", 2022, [("8月份", "2022-08")]),
    ("2019年8月14日反馈。2020年12月7日印发。10月5日完成。", None,
     [("2019年8月14日", "2019-08-14"), ("2020年12月7日", "2020-12-07"), ("10月5日", "2020-10-05")]),
    # a year-month does not set the year context; a full date does
    ("2025年12月全面完成。12月底前完成规划。", 2022, [("2025年12月", "2025-12"), ("12月底", "2022-12")]),
    ("2022年2月29日", None, []),
    # ranges: the end takes the start's year
    ("2023年3月10日至6月10日，省委第十五巡视组开展了延伸巡视", None,
     [("2023年3月10日", "2023-03-10"), ("6月10日", "2023-06-10")]),
    ("2019年4月4日至7月5日,市委第二巡察组", None, [("2019年4月4日", "2019-04-04"), ("7月5日", "2019-07-05")]),
    ("办理阶段(2022年4月—2022年11月)", None, [("2022年4月", "2022-04"), ("2022年11月", "2022-11")]),
    ("2022年4月至11月", None, [("2022年4月", "2022-04"), ("11月", "2022-11")]),
    ("2022年12月28日至1月5日", None, [("2022年12月28日", "2022-12-28"), ("1月5日", "2023-01-05")]),
    ("2023年3月10日至15日", None, [("2023年3月10日", "2023-03-10"), ("15日", "2023-03-15")]),
    # not dates
    ("1-12月规上工业亩均增加值", None, []),
    ("限期3个月内整改到位", None, []),
    ("东政发〔2022〕21号", None, []),
    ("2024年东阳市政府工作报告", None, []),
    ("每月底召开协调会", None, []),
    ("电话0577-88019695", None, []),
    ("索引号 001008003015161/2021-00113", None, []),
    ("增长19.69%,生命健康产业", None, []),
    ("2023年13月5日", None, []),
]

RANGE_CASES: list[tuple[str, int | None, list[tuple[str | None, str | None]]]] = [
    ("2023年3月10日至6月10日，省委第十五巡视组开展了延伸巡视", None, [("2023-03-10", "2023-06-10")]),
    ("市委第二巡察组于2022年7月15日至9月5日对XX经济开发区开展了巡察", None, [("2022-07-15", "2022-09-05")]),
    ("2019年4月4日至7月5日,市委第二巡察组", None, [("2019-04-04", "2019-07-05")]),
    ("办理阶段(2022年4月—2022年11月)", None, [("2022-04", "2022-11")]),
    ("2022年4月到2022年11月", None, [("2022-04", "2022-11")]),
    ("2021-03-04至2021-06-30", None, [("2021-03-04", "2021-06-30")]),
    ("3月10日至6月10日", 2023, [("2023-03-10", "2023-06-10")]),
    ("3月10日至6月10日", None, [("--03-10", "--06-10")]),
    ("2023年3月10日，6月10日", None, []),
]

# (phrase, default_year, [(deadline text, iso), …])
DEADLINE_CASES: list[tuple[str, int | None, list[tuple[str, str | None]]]] = [
    ("12月底前基本完成平台一期控规报批", 2022, [("12月底前", "2022-12-31")]),
    ("12 月底前完成北五路工可文本编制", 2022, [("12 月底前", "2022-12-31")]),
    ("12月底前完成", None, [("12月底前", "--12-31")]),
    ("年底前落实 2022 年度村庄拆迁的土地指标", 2022, [("年底前", "2022-12-31")]),
    ("年底前厂房利用率将达到 60%", None, [("年底前", None)]),
    ("加快推进安置区一期项目建设，年内完成六石安置区一期", 2022, [("年内", "2022-12-31")]),
    ("确保年内新增上市企业 2 家", 2022, [("确保年内", "2022-12-31")]),
    ("争取6月底前完成科创城规划设计方案", 2022, [("争取6月底前", "2022-06-30")]),
    ("预计6月底前出台。", 2024, [("预计6月底前", "2024-06-30")]),
    ("加快实施园区调区，预计 2024 年 6 月前完成", None, [("预计 2024 年 6 月前", "2024-06-30")]),
    ("预计2024年6月前完成", None, [("预计2024年6月前", "2024-06-30")]),
    ("2023 年 12 月前全面完成六石安置区一期 BC 区块建设", None, [("2023 年 12 月前", "2023-12-31")]),
    ("2024年6月底全面完成巍山安置区建设", None, [("2024年6月底", "2024-06-30")]),
    ("2025年12月全面完成六石安置区一期(ABC区块)建设", None, [("2025年12月", "2025-12-31")]),
    ("2024 年 5 月底前完成工程建设扫尾，2024 年 6 月预计交付到位", None,
     [("2024 年 5 月底前", "2024-05-31"), ("2024 年 6 月", "2024-06-30")]),
    ("8月底前完成平台电网、自来水管网等专项规划初稿", 2022, [("8月底前", "2022-08-31")]),
    ("8月底完成平台电网专项规划初稿", 2022, [("8月底", "2022-08-31")]),
    ("9月底启动一期电网线路改迁方案编制", 2022, []),
    ("11 月底前完成相关迁改方案编制, 12 月底前完成相关专项规划", 2022,
     [("11 月底前", "2022-11-30"), ("12 月底前", "2022-12-31")]),
    ("2025年全面完成平台东区一期到四期村庄征迁任务", None, [("2025年", "2025-12-31")]),
    ("到 2025年,基本建成省级产业平台", None, [("到 2025年", "2025-12-31")]),
    ("力争到 2025 年, 营商环境评价保持全省第一梯队", None, [("力争到 2025 年", "2025-12-31")]),
    ("力争到2025年底建成", None, [("力争到2025年底", "2025-12-31")]),
    ("于10月15日前报送整改情况", 2022, [("于10月15日前", "2022-10-15")]),
    ("6月30日之前完成", 2023, [("6月30日之前", "2023-06-30")]),
    ("2022年底前全部清退", None, [("2022年底前", "2022-12-31")]),
    ("2023年年底前完成", None, [("2023年年底前", "2023-12-31")]),
    ("今年底前完成", 2023, [("今年底前", "2023-12-31")]),
    ("明年底前完成", 2023, [("明年底前", "2024-12-31")]),
    ("2025年前完成", None, [("2025年前", "2025-12-31")]),
    ("上半年前完成", 2023, [("上半年前", "2023-06-30")]),
    ("三季度末前完成", 2023, [("三季度末前", "2023-09-30")]),
    ("6月中旬前完成", 2023, [("6月中旬前", "2023-06-20")]),
    ("限期3个月内整改到位", None, [("限期3个月内", None)]),
    ("限期30天整改", None, [("限期30天", None)]),
    ("2023年12月22日前提交", None, [("2023年12月22日前", "2023-12-22")]),
    ("截至2023年底前完成", None, [("2023年底前", "2023-12-31")]),
    # not deadlines
    ("2023年前三季度完成投资", None, []),
    ("2019年实现智能装备产业主营业务收入增长19.69%", None, []),
    ("对于没有预算的项目或者年内无法执行的项目一律不予支付", 2020, []),
    ("2023年11月底市人力社保局已制定《办法》", None, []),
    ("我市于 2023 年 12 月 20 日出台《行动方案》", None, []),
    ("2023年1月，经由深创投招引", None, []),
    ("2022年4月至2022年11月", None, []),
    ("截至11月30日，巡视反馈的7个方面", 2023, []),
    ("截至2023年底，累计完成投资", None, []),
    ("去年底完成了验收", 2023, []),
    ("督促限期整改", None, []),
    ("8月底完成了规划初稿", 2022, []),
    ("2022年12月经县政府十五届6次常务会议研究讨论通过", None, []),
    # labelled time limits take any form; open-ended values have no date
    ("整改时限：2023年12月31日", None, [("2023年12月31日", "2023-12-31")]),
    ("整改时限：2023年8月", None, [("2023年8月", "2023-08-31")]),
    ("完成时限：2024年", None, [("2024年", "2024-12-31")]),
    ("完成时间：2024年6月中旬", None, [("2024年6月中旬", "2024-06-20")]),
    ("完成时间：今年9月底", 2023, [("今年9月底", "2023-09-30")]),
    ("完成时间：明年6月", 2023, [("明年6月", "2024-06-30")]),
    ("完成时限：立行立改，长期坚持", None, [("立行立改", None), ("长期坚持", None)]),
    ("整改期限：立行立改并长期坚持", None, [("立行立改并长期坚持", None)]),
    ("完成时限：2023.12", None, [("2023.12", "2023-12-31")]),
    ("完成时限：2024-6", None, [("2024-6", "2024-06-30")]),
    ("整改时限：2023年12月底前完成，长期坚持", None, [("2023年12月底前", "2023-12-31"), ("长期坚持", None)]),
    ("整改时限：长期坚持；责任单位：办公室", None, [("长期坚持", None)]),
    ("坚持立行立改、长期坚持", None, []),
    # what was done is not a limit
    ("对3项基金在6月30日前仅将预算安排数的58.46%分配下达", 2022, []),
    ("2022年底前已全部完成", None, []),
    ("对在6月30日前仍未整改到位的问题逐一约谈", 2024, []),
    ("已于2023年7月完成整改。", None, []),
    ("已经于2023年7月建成投用。", None, []),
]


@pytest.mark.parametrize(("phrase", "year", "expected"), DATE_CASES, ids=[c[0][:20] for c in DATE_CASES])
def test_dates(phrase, year, expected):
    got = find_dates(phrase, default_year=year)
    assert [(d.text, d.date) for d in got] == expected
    for d in got:
        assert phrase[d.span[0] : d.span[1]] == d.text


@pytest.mark.parametrize(("phrase", "year", "expected"), RANGE_CASES, ids=[c[0][:20] for c in RANGE_CASES])
def test_ranges(phrase, year, expected):
    got = find_date_ranges(phrase, default_year=year)
    assert [(a.date, b.date) for a, b in got] == expected


@pytest.mark.parametrize(("phrase", "year", "expected"), DEADLINE_CASES,
                         ids=[c[0][:20] for c in DEADLINE_CASES])
def test_deadlines(phrase, year, expected):
    got = find_deadlines(phrase, default_year=year)
    assert [(d.text, d.date) for d in got] == expected
    for d in got:
        assert d.span is not None and phrase[d.span[0] : d.span[1]] == d.text


def test_tables_are_large_enough():
    assert len(DATE_CASES) + len(RANGE_CASES) + len(DEADLINE_CASES) >= 40


def test_year_context_scans_from_start():
    text = "2019年8月14日反馈。其后，7月5日完成整改。"
    s = text.index("其后")
    assert find_dates(text, s)[0].date == "--07-05"  # the 2019 date lies before start
    assert find_dates(text, s, default_year=2021)[0].date == "2021-07-05"
    assert find_dates(text)[1].date == "2019-07-05"
    d = find_dates(text, s)[0]
    assert d.span == (text.index("7月5日"), text.index("7月5日") + 4)


def test_deadlines_window_and_absolute_spans():
    text = "一是完善制度，12月底前完成。二是年内建成平台。"
    s = text.index("二是")
    (d,) = find_deadlines(text, s, None, default_year=2022)
    assert d.text == "年内" and d.date == "2022-12-31" and text[d.span[0] : d.span[1]] == "年内"
    (e,) = find_deadlines(text, 0, s, default_year=2022)
    assert e.text == "12月底前" and e.date == "2022-12-31"


@pytest.mark.parametrize(
    ("s", "year", "iso"),
    [
        ("2023年12月22日", None, "2023-12-22"),
        (" 2023 年 12 月 5 日 ", None, "2023-12-05"),
        ("2021-03-04", None, "2021-03-04"),
        ("2023.12.22", None, "2023-12-22"),
        ("二〇二三年十二月二十二日", None, "2023-12-22"),
        ("7月19日", None, "--07-19"),
        ("7月19日", 2023, "2023-07-19"),
        ("2022年4月", None, "2022-04"),
        ("12月底前", 2022, "2022-12-31"),
        ("年底前", 2023, "2023-12-31"),
        ("2023年12月22日。", None, "2023-12-22"),
        ("", None, None),
        ("不是日期", None, None),
        ("2023年2月30日", None, None),
    ],
)
def test_parse_date(s, year, iso):
    assert parse_date(s, year) == iso


def test_date_mention_is_frozen():
    d = DateMention("7月19日", "2023-07-19", (0, 5))
    with pytest.raises(AttributeError):
        d.date = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------- the seeds


def _seed(name: str) -> str:
    return normalise(load(SAMPLES / name)).text


def test_seed_inspection_periods_and_feedback_dates():
    t = _seed("002_056a472a98951650.txt")
    (a, b), *_ = find_date_ranges(t)
    assert (a.date, b.date) == ("2023-03-10", "2023-06-10")
    assert "2023-07-19" in [d.date for d in find_dates(t)]
    assert find_dates(t)[-1].date == "2023-12-22"
    t = _seed("004_dd361c94b27cbe2f.txt")
    (a, b), *_ = find_date_ranges(t)
    assert (a.date, b.date) == ("2022-07-15", "2022-09-05")
    assert "2022-09-30" in [d.date for d in find_dates(t)]
    t = _seed("003_0db8544a2eb4edc4.txt")
    (a, b), *_ = find_date_ranges(t)
    assert (a.date, b.date) == ("2019-04-04", "2019-07-05")


def test_seed_plan_deadlines():
    t = _seed("001_f32850ce6c833049.txt")
    dls = find_deadlines(t)
    texts = [(d.text, d.date) for d in dls]
    assert ("年内", "2022-12-31") in texts
    assert ("2024年6月底", "2024-06-30") in texts
    assert ("2025年12月", "2025-12-31") in texts
    assert all(d.text != "9月底" for d in dls)
    for d in dls:
        assert t[d.span[0] : d.span[1]] == d.text


def test_no_date_inside_figures_of_seeds():
    """A date is never read as a figure, and every seed date has a valid ISO form."""
    from rectiparse.extract.figures import find_figures

    for p in sorted(SAMPLES.glob("*.txt")):
        t = _seed(p.name)
        fig_spans = [f.span for f in find_figures(t)]
        for d in find_dates(t):
            assert d.date is None or d.date[:2] in ("19", "20", "--")
            for s, e in fig_spans:
                assert e <= d.span[0] or s >= d.span[1], (p.name, d.text)


# --------------------------------------------------------------------------- round trip

_CN = "〇一二三四五六七八九"


def _styles(d: dt.date) -> list[str]:
    y, m, day = d.year, d.month, d.day
    return [
        f"{y}年{m}月{day}日",
        f"{y} 年 {m} 月 {day} 日",
        f"{y}年{m:02d}月{day:02d}日",
        f"{y}-{m:02d}-{day:02d}",
        f"{y}.{m}.{day}",
        f"{y}/{m:02d}/{day:02d}",
        "".join(_CN[int(c)] for c in str(y)) + f"年{cn2an.an2cn(m)}月{cn2an.an2cn(day)}日",
        f"{y}年{m}月{day}号",
    ]


@settings(max_examples=300, deadline=None)
@given(d=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)),
       style=st.integers(min_value=0, max_value=7),
       pre=st.sampled_from(["", "于", "截至", "根据市委部署，", "。"]),
       post=st.sampled_from(["", "，", "印发", "至今", "。"]))
def test_date_round_trip(d: dt.date, style: int, pre: str, post: str) -> None:
    written = _styles(d)[style]
    assert parse_date(written) == d.isoformat()
    text = f"{pre}{written}{post}"
    found = find_dates(text)
    assert [(m.text, m.date) for m in found] == [(written, d.isoformat())]


@settings(max_examples=200, deadline=None)
@given(d=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
       later=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_partial_date_inherits_year(d: dt.date, later: dt.date) -> None:
    if (later.month, later.day) == (2, 29):
        return
    text = f"{d.year}年{d.month}月{d.day}日召开会议。{later.month}月{later.day}日完成整改。"
    dates = find_dates(text)
    assert dates[1].date == f"{d.year}-{later.month:02d}-{later.day:02d}"
