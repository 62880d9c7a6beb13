"""Summaries as real pages declare them (issue 10), on sentences written by the team in the genre's forms: counts
in 类 and 方面 of problems, tasks counted with their completion, the total written "需整改问题N个", a whole total
basically done, ordinals that are not counts, and counts inside an item's account."""

from __future__ import annotations

import pytest

from rectiparse.pipeline import parse_bytes

CASES = [
    # a kind of problems declared as found, whose members are the items: the problems themselves
    ("巡察组反馈了某社区存在的4类主要问题：一、组织建设不规范；二、责任落实不到位；三、意识形态工作重视不够；"
     "四、民生问题解决不及时。\n", {"problems_total": 4, "aspects": None}),
    ("巡察组指出了巡察中发现的三个方面的主要问题：一是党的领导弱化；二是党的建设缺失；三是内部管理不规范。\n",
     {"problems_total": 3, "aspects": None}),
    # tasks counted with their completion
    ("副市长批示：“21项整改任务已完成20项，请尽快销号。”\n", {"problems_total": 21, "completed": 20}),
    ("本次督查需整改问题515个，已整改完成479个，未整改到位36个，新发现安全隐患问题1个。\n",
     {"problems_total": 515, "completed": 479, "not_completed": 36}),
    ("复查结果为176处问题和隐患基本整改完毕。\n", {"problems_total": 176, "basically_completed": 176, "completed": None}),
    ("根据专项审计调查报告，涉及我镇问题有1项，现将整改情况报告如下。\n", {"problems_total": 1}),
    ("报告期内共完成审计项目19个，共查出问题330项，提出审计建议47条。\n", {"problems_total": 330}),
    ("督查发现，望远镇管辖范围内存在两项内容需要整改，现将整改情况汇报如下。\n", {"problems_total": 2}),
    ("检查组共发现3处需整改的地方，已整改完成2处。\n", {"problems_total": 3, "completed": 2}),
    # a task that names aspects is not a declaration of found problems
    ("对照“执行中梗阻”“履职中梗阻”“作风中梗阻”三个方面的问题开展重点巡察。\n", {"aspects": None, "problems_total": None}),
    # an ordinal is not a count
    ("我区已完成督察反馈问题第11项问题整改，拟申请验收销号。\n", {"problems_total": None}),
    # hazards and qualified problems are counted like problems; a closed list of qualifiers, so projects are not
    ("安全检查组共发现16处安全隐患，已整改12处。\n", {"problems_total": 16, "completed": 12}),
    ("此次检查共发现问题隐患65处、当场整改45处、限时整改20处。\n", {"problems_total": 65}),
    ("检查组共发现5个隐患问题，已全部整改到位。\n", {"problems_total": 5, "completed": 5}),
    ("截至6月底，第一轮督察发现的924个生态环境问题，已完成整改909个，整改完成率98.4%。\n",
     {"problems_total": 924, "completed": 909, "completion_rate": 98.4}),
    ("5个项目存在问题，已完成整改3个。\n", {"problems_total": None}),
    # 大方面 are aspects; the tasks' tally after the tasks is theirs, not the problems'
    ("巡察组共反馈问题4个大方面26个大项的问题，党委梳理分解整改任务106个，已完成整改98个。\n",
     {"aspects": 4, "problems_total": 26, "measures_total": 106, "completed": None}),
    # 大方面 / 大类 are aspects whatever their classifier
    ("该镇对巡察组提出存在的5大方面14个问题逐一整改，已完成整改12个。\n",
     {"aspects": 5, "problems_total": 14, "completed": 12}),
    ("巡察组共反馈问题4大类、13个大项、26个具体问题，已完成整改20个。\n",
     {"aspects": 4, "problems_total": 26, "completed": 20}),
    # the declaration names its scope before the count; a rate's units are not problems
    ("巡察共发现党组织领导核心作用不强、党的建设薄弱等方面问题199条，已整改92条。\n",
     {"problems_total": 199, "completed": 92}),
    # what people raised is not a declaration of found problems ("解决人才反映问题12个", in an account)
    ("建立联络流程，解决人才反映问题12个。\n", {"problems_total": None}),
    ("297个被巡视单位党组织中，反馈问题整改完成率达到100%的51个，80%以下的4个。\n",
     {"completed": None, "completion_rate": None}),
    # hotline work orders are tallied as cases (件), like petitions
    ("今年以来，共受理12345热线工单468件，已办结460件，办结率98.3%。\n", {"problems_total": 468, "completed": 460}),
]


def test_the_first_of_two_inspection_rounds_is_the_summary():
    """Two rounds declared in turn: the first block is the summary, though the second names the feedback
    (督察 names it as well as 反馈 does)."""
    text = ("截至6月底，第一轮督察发现的924个问题，已完成整改909个，整改完成率98.4%。\n"
            "截至6月底，第二轮督察反馈意见整改任务31项，已整改完成13项。\n")
    s = parse_bytes(text.encode("utf-8"), "s.txt").summary
    assert (s.problems_total, s.completed, s.completion_rate) == (924, 909, 98.4)


@pytest.mark.parametrize(("text", "expected"), CASES, ids=range(len(CASES)))
def test_declared_summary(text: str, expected: dict[str, int | None]):
    summary = parse_bytes(text.encode("utf-8"), "s.txt").summary.model_dump()
    assert {k: summary[k] for k in expected} == expected


def test_a_count_inside_an_items_account_is_not_the_summary():
    text = ("一是整改主体责任压实不到位。对巡察反馈的32个问题，镇党委虽成立了领导小组，但未定期研究。\n"
            "二是整改措施不精准，部分问题整改不彻底。\n三是整改成果运用不足，未建立长效机制。\n")
    doc = parse_bytes(text.encode("utf-8"), "s.txt")
    assert len(doc.items) == 3
    assert doc.summary.problems_total is None


PETITIONS = [
    ("截至7月1日，督察组向我省交办的第二十六批群众信访举报件97件，各责任单位均按要求上报调查处理情况。其中，已办结75件，"
     "阶段性办结19件，正在办理3件，按照有关规定予以公开。\n",
     {"problems_total": 97, "completed": 75, "basically_completed": 19, "in_progress": 3}),
    ("截至5月5日，督察组转办的第二十批156件环境信访举报问题中，经查属实152件，不属实4件；50件已办结，106件正在办理中。\n",
     {"problems_total": 156, "completed": 50, "in_progress": 106}),
    ("全区已对交办的第十一批27件信访举报件进行调查处理，其中，已办结7件、阶段性办结17件、未办结3件，责令整改3家。\n",
     {"problems_total": 27, "completed": 7, "basically_completed": 17, "not_completed": 3}),
]


@pytest.mark.parametrize(("text", "expected"), PETITIONS, ids=range(len(PETITIONS)))
def test_a_page_that_only_tallies_petition_cases_declares_them(text: str, expected: dict[str, int | None]):
    summary = parse_bytes(text.encode("utf-8"), "s.txt").summary.model_dump()
    assert {k: summary[k] for k in expected} == expected


def test_petition_counts_beside_the_problems_declared_are_not_the_summary():
    text = ("巡视反馈的15个问题，已完成整改10个，正在整改5个。\n"
            "集中整改期间，收到巡视组转办信访件13件，已办结13件。\n")
    summary = parse_bytes(text.encode("utf-8"), "s.txt").summary
    assert (summary.problems_total, summary.completed, summary.in_progress) == (15, 10, 5)
    assert "信访件" not in (summary.text or "")
