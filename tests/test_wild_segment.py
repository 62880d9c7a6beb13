"""The segmenter on bulletins written the way other issuers write them (samples/wild/seg_*.txt).

Each sample paraphrases a layout seen in published bulletins (invented names and figures): county bureau
巡察 bulletins with 方面 / 关于“X”问题的整改 / （1）关于“Y”问题 nesting, audit reports to a people's congress
with summary sections and paragraph items, audit 公告 with 整改结果 lines, university 【问题一】 blocks with
问题表现 / 整改措施 / 整改成效 / 整改状态 labels, SOE status groups, 整改方案 task lists, and web-editor
layouts where a label stands alone on its line. Web-page chrome is left in on purpose.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from rectiparse.models import Document
from rectiparse.pipeline import parse, parse_text

WILD = Path(__file__).resolve().parents[1] / "samples" / "wild"
SEG_SAMPLES = sorted(WILD.glob("seg_*.txt"))

# page furniture that must not survive normalising (each was seen on a government site)
CHROME = ["关怀版", "无障碍", "访问量", "浏览量", "阅读量", "点击：", "您当前", "您现在的位置", "打印本页", "关闭窗口",
          "朗读", "分享:", "色调调节", "个性化定制", "政府邮箱", "【字体", "【打印】", "-> 审计", "网站标识码",
          "责任编辑", "即将离开"]


@cache
def doc(name: str) -> Document:
    return parse(WILD / name)


def _spans_hold(d: Document) -> None:
    for it in d.items:
        for key, value in (("title", it.title), ("status_text", it.status_text), ("actions", it.actions),
                           ("opinion", it.opinion), ("next_steps", it.next_steps), ("category", it.category),
                           ("parent_title", it.parent_title)):
            if value is not None:
                s, e = it.spans[key]
                assert d.text[s:e] == value, (it.id, key)
        s, e = it.span
        assert d.text[s:e].strip()
        for m in it.measures:
            assert d.text[m.span[0] : m.span[1]] == m.text, (it.id, m.ordinal)


def test_there_are_enough_wild_samples():
    assert len(SEG_SAMPLES) >= 6


@pytest.mark.parametrize("path", SEG_SAMPLES, ids=lambda p: p.stem)
def test_spans_give_back_every_string_and_no_chrome_is_left(path: Path):
    d = doc(path.name)
    assert d.items or "totals_only" in path.stem, "no items found"
    _spans_hold(d)
    for word in CHROME:
        assert word not in d.text, word
    assert not [i for i in d.validation.issues if i.code in ("unknown_status", "empty_item")]


@pytest.mark.parametrize("path", SEG_SAMPLES, ids=lambda p: p.stem)
def test_every_item_has_a_status_where_the_bulletin_gives_one(path: Path):
    d = doc(path.name)
    if "plan" in path.stem or "totals_only" in path.stem:  # a plan states deadlines; a round-up only totals
        return
    assert [it.id for it in d.items if it.status is None] == []
    declared = d.summary.problems_total
    if declared is not None:
        assert declared == len(d.items)


def test_county_bureau_nested_quoted_problems():
    d = doc("seg_county_bureau_xuncha.txt")
    assert [it.id for it in d.items] == ["1.1.1", "1.1.2", "1.2", "2.3", "2.4", "3.5", "3.6"]
    first = d.items[0]
    # the quoted problem holds a full stop; the title keeps both sentences
    assert first.title == "理论学习中心组学习计划性不强。2022年局党组中心组学习仅安排4次，且未结合文旅融合发展实际开展研讨"
    assert first.parent_title == "学习贯彻党的创新理论不够深入"
    assert first.category == "在“贯彻落实上级决策部署不够有力，党组领导作用发挥不足”方面"
    assert d.items[2].parent_title is None and d.items[2].title == "推动全域旅游发展措施不够有力"
    assert [it.status for it in d.items] == [
        "completed", "completed", "in_progress", "completed", "completed", "completed", "in_progress"]
    assert [len(it.measures) for it in d.items] == [3, 0, 3, 0, 2, 0, 0]
    assert first.actions and first.actions.startswith("一是制定2024年度")


def test_audit_report_summary_sections_are_not_items_and_closing_clauses_give_status():
    d = doc("seg_audit_report.txt")
    assert [it.id for it in d.items] == ["2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "4.1", "4.2"]
    titles = [it.title for it in d.items]
    assert "审计整改工作总体推进情况" not in titles
    assert titles[0] == "部分非税收入未及时缴库"
    assert titles[3] == "市住建局无预算超预算支出"
    assert [it.status for it in d.items] == [
        "completed", "completed", "in_progress", "completed", "completed", "completed", "completed", "in_progress"]
    assert d.items[0].status_text == "已整改到位"
    assert d.items[1].status_text == "已整改"  # a bare closing sentence
    assert d.items[7].status_text == "正在加快推进"  # a /regex/ phrase of rules/status.yaml
    assert all(it.kind == "problem" and it.actions for it in d.items)
    # a section "二、财政管理审计查出问题的整改情况" names the items' topic; "审计发现的主要问题及整改情况" does not
    assert [it.category for it in d.items][::3] == ["财政管理审计查出问题", "部门预算执行审计查出问题", "重点民生资金审计查出问题"]
    assert all(it.category is None for it in doc("seg_audit_notice_chrome.txt").items)
    # 审计指出： states the finding; the account of the work starts at 整改情况：
    assert d.items[3].actions and d.items[3].actions.startswith("市住建局已追回")
    assert not [i for i in d.validation.issues if i.code == "summary_mismatch"]


def test_audit_notice_result_lines_and_partial_rectification():
    d = doc("seg_audit_notice_chrome.txt")
    assert len(d.items) == 6
    assert d.items[0].title == "往来款项长期挂账未清理"
    assert [it.status for it in d.items] == [
        "in_progress", "completed", "completed", "completed", "completed", "not_completed"]
    assert d.items[0].status_text == "部分整改"
    assert d.items[5].actions == "因项目前期手续尚未办结，资金暂未拨付。"
    assert d.text.splitlines()[0] == "柳溪区审计局关于区交通运输局2023年度预算执行审计整改情况的公告"


def test_university_bracketed_problem_blocks_with_labels():
    d = doc("seg_university_xunshi.txt")
    assert [it.number for it in d.items] == ["一", "二", "三", "四", "五", "六"]
    assert d.items[0].title == "落实立德树人根本任务不够到位"
    assert d.items[5].title == "全面从严治党向基层延伸不够"
    assert [it.status for it in d.items] == [
        "completed", "basically_completed", "completed", "completed", "completed", "long_term"]
    assert [len(it.measures) for it in d.items] == [3, 2, 2, 3, 2, 2]
    first = d.items[0]
    assert first.actions and first.actions.startswith("一是新增思政课专职教师岗位15个")
    assert "问题表现" not in first.actions and "专职教师配备比例未达标" not in first.actions
    assert d.items[5].next_steps == "持续完善监督体系，推动全面从严治党向纵深发展。"
    assert all(it.next_steps is None for it in d.items[:5])
    assert "学校党委履行巡视整改主体责任情况" not in [it.title for it in d.items]


def test_soe_status_groups_give_status_and_category():
    d = doc("seg_soe_status_groups.txt")
    assert [it.number for it in d.items] == [str(n) for n in range(1, 9)]
    assert [it.status for it in d.items] == ["completed"] * 5 + ["in_progress"] * 2 + ["long_term"]
    assert d.items[0].category == "已完成整改的问题（5个）"
    assert d.items[7].status_text == "需长期坚持"
    assert d.items[1].title == "“三重一大”决策执行不严格"
    assert [m.marker for m in d.items[1].measures] == ["一是", "二是", "三是"]


def test_plan_task_blocks_with_goal_leader_unit_and_deadline_labels():
    d = doc("seg_plan_tasks.txt")
    assert [it.title for it in d.items] == [
        "落实意识形态工作责任制不到位", "村级财务管理不规范", "惠民政策落实不精准", "人居环境整治成效不明显", "干部作风不够扎实"]
    assert [len(it.measures) for it in d.items] == [3, 3, 2, 2, 3]
    first = d.items[0]
    assert first.actions == "1.每半年专题研究意识形态工作1次；2.建立意识形态风险隐患排查台账；3.加强网络阵地管理。"
    assert first.measures[2].text.startswith("加强网络阵地管理")
    # the sections around the task list hold no items
    assert all(it.path and it.path[0].startswith("三") for it in d.items)


def test_labels_standing_alone_on_their_line():
    d = doc("seg_college_label_lines.txt")
    assert [it.title for it in d.items] == [
        "党总支政治核心作用发挥不充分", "教师党支部“双带头人”培育不足", "课程思政推进不平衡", "实训设备管理不规范",
        "校企合作项目经费管理不严"]
    assert [it.status for it in d.items] == ["completed"] * 4 + ["in_progress"]
    assert [len(it.measures) for it in d.items] == [3, 2, 2, 2, 3]
    first = d.items[0]
    assert [m.marker for m in first.measures] == ["（1）", "（2）", "（3）"]
    assert first.measures[0].text == "修订党总支会议议事规则，明确每季度至少专题研究党建工作1次"
    assert first.actions and first.actions.startswith("（1）修订党总支会议议事规则")
    assert "2023年仅专题研究意识形态工作1次" not in first.actions  # 问题表现 is not the account of the work


def test_plan_tasks_under_a_task_measures_section_with_numbered_steps():
    d = doc("seg_plan_task_measures.txt")
    assert [it.kind for it in d.items] == ["task"] * 4
    assert [it.title for it in d.items] == ["规范非税收入征缴管理", "加强专项资金绩效管理", "规范政府采购行为", "健全国有资产管理制度"]
    assert [len(it.measures) for it in d.items] == [2, 3, 2, 2]
    # a numbered step ends where the unit and deadline labels begin
    assert d.items[0].measures[1].text == "修订非税收入收缴管理办法，明确缴库时限"
    assert d.items[3].measures[1].text == "推行资产管理信息化"
    # 工作原则 and 保障措施 are the prose around the tasks
    assert all(it.path[0].startswith("三") for it in d.items)


def _key(d: Document) -> list[tuple[str, str, str | None, int]]:
    return [(i.id, i.title, i.status, len(i.measures)) for i in d.items]


def _wrap(text: str, width: int) -> str:
    return "\n".join(line[i : i + width] for line in text.split("\n") for i in range(0, max(len(line), 1), width))


@pytest.mark.parametrize("path", SEG_SAMPLES, ids=lambda p: p.stem)
def test_damaged_copies_give_the_same_items(path: Path):
    """Hard-wrapped at 28 and 40 characters (a numbered step wrapped onto its own line stays in its chain),
    PDF-style spaces between characters, half-width punctuation."""
    from rectiparse.loaders import load
    from rectiparse.normalise import normalise
    from rectiparse.pipeline import parse_text

    reference = _key(doc(path.name))
    text = normalise(load(path)).text
    spaced = "\n".join(" ".join(line) if i % 3 == 0 else line for i, line in enumerate(text.split("\n")))
    half = text.translate(str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","}))
    for variant in (_wrap(text, 28), _wrap(text, 40), spaced):
        assert _key(parse_text(variant)) == reference
    assert [k[::2] for k in _key(parse_text(half))] == [k[::2] for k in reference]


def test_aspect_groups_and_numbering_restarted_for_measures():
    d = doc("seg_district_aspect_groups.txt")
    assert [it.number for it in d.items] == [str(n) for n in range(1, 9)]
    assert d.items[0].category == "关于落实党的路线方针政策方面存在的问题"
    assert d.items[3].category == "关于全面从严治党主体责任落实等问题"
    assert d.items[5].category == "关于基层党组织建设薄弱的问题"
    assert all(it.parent_title is None for it in d.items)
    # items 6–8 number their measures 1., 2., … again under 整改措施：; those are measures, not items
    assert [len(it.measures) for it in d.items] == [0, 0, 0, 0, 0, 2, 3, 2]
    assert [m.text for m in d.items[6].measures] == ["对近三年发展党员档案逐一复核", "开展党员积分管理", "组织党员轮训2期"]
    assert [it.status for it in d.items] == ["completed", "completed", "in_progress", "completed", "completed",
                                             "completed", "completed", "in_progress"]
    assert d.items[1].status_text == "已全部整改到位"
    assert not [i for i in d.validation.issues if i.code.startswith("numbering") or i.code == "summary_mismatch"]


def test_status_after_a_dash_or_in_brackets_closing_the_heading():
    d = doc("seg_town_dash_status.txt")
    assert [it.title for it in d.items][:2] == ["理论学习中心组学习不够深入", "村级党组织书记队伍结构不优"]
    assert [it.status_text for it in d.items] == [
        "已完成整改", "整改完成", "基本完成", "已完成整改", "正在整改", "已完成整改", "已整改完毕"]
    assert [it.status for it in d.items] == ["completed", "completed", "basically_completed", "completed",
                                             "in_progress", "completed", "completed"]
    assert [it.category for it in d.items] == ["党的建设方面"] * 3 + ["乡村振兴方面"] * 2 + ["作风建设方面"] * 2
    assert [len(it.measures) for it in d.items] == [3, 2, 2, 2, 2, 2, 2]
    assert d.items[4].measures[1].text == "建立“门前三包”考评制度，目前正在全镇推开"


def test_items_whose_body_opens_by_stating_the_status():
    """A reply letter to an audit office: "（一）X。" headings without the word 问题, each body opening with
    "该问题已完成整改。" — that sentence makes the heading an item and gives its status."""
    d = doc("seg_audit_reply_letter.txt")
    assert [it.number for it in d.items] == ["一", "二", "三", "四", "五", "六"]
    assert d.items[0].title == "部分县级城市污水处理厂进水浓度偏低"
    assert [it.status for it in d.items] == [
        "completed", "completed", "basically_completed", "completed", "in_progress", "completed"]
    assert d.items[2].status_text == "已基本完成整改"
    assert [len(it.measures) for it in d.items] == [3, 2, 2, 0, 2, 0]
    assert "省审计厅" not in [it.title for it in d.items]


def test_bracketed_labels_and_nth_problem_headings():
    d = doc("seg_hospital_bracket_labels.txt")
    assert [it.number for it in d.items] == ["一", "二", "三", "四", "五"]
    assert d.items[0].title == "党委把方向、管大局作用发挥不够充分"
    assert [it.status for it in d.items] == [
        "completed", "completed", "completed", "basically_completed", "long_term"]
    assert [len(it.measures) for it in d.items] == [3, 3, 3, 2, 2]
    first = d.items[0]
    assert first.actions == "一是修订党委会议和院长办公会议议事规则；二是每季度至少专题研究党建工作1次；三是建立重大事项党委前置研究清单。"
    assert "党委会议研究医疗业务工作多" not in first.actions  # 【问题表现】 is the finding
    assert d.items[2].actions and d.items[2].actions.startswith("1.全部耗材纳入阳光平台采购")  # 整改措施（共3项）：
    # the closing paragraph that names the issuer is not part of the last item
    assert "欢迎社会各界监督" not in d.text[d.items[4].span[0] : d.items[4].span[1]]


def test_circled_measures_and_status_groups_with_inline_bodies():
    """①②③ chains once crashed the measure finder ("①".isdigit() is True); a nav bar line is chrome."""
    d = doc("seg_health_bureau_circled.txt")
    assert [it.number for it in d.items] == ["1", "2", "3", "4", "5", "6"]
    assert [it.status for it in d.items] == ["completed"] * 5 + ["in_progress"]
    assert d.items[0].category == "已整改完成的问题"
    assert [m.marker for m in d.items[0].measures] == ["①", "②", "③"]
    assert d.items[0].measures[2].text == "对2家卫生院负责人约谈"
    assert "网站首页" not in d.text and "点击数" not in d.text


def test_unnumbered_status_group_lines():
    """"已完成整改的问题（5个）：" standing unnumbered above a list that restarts at 1 heads a status group;
    without it each group's last item took the next group's status line as its own."""
    d = doc("seg_enterprise_unnumbered_groups.txt")
    assert [it.id for it in d.items] == ["2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.2.1", "2.2.2", "2.3.1"]
    assert [it.status for it in d.items] == ["completed"] * 5 + ["basically_completed"] * 2 + ["long_term"]
    assert d.items[4].status_text == "已完成整改"
    assert d.items[5].category == "基本完成整改的问题（2个）"
    assert d.items[7].title == "人才结构不合理"
    assert not [i for i in d.validation.issues if i.code.startswith("numbering")]


def test_model_item_with_nothing_under_it_is_prose():
    """A totals-only round-up lists no problems; an item heading the block-role model might read into its
    one action sentence ("对…开展“回头看”，推动…落地") has nothing under it and is dropped."""
    from rectiparse.loaders import load
    from rectiparse.normalise import normalise
    from rectiparse.rules import load_rules
    from rectiparse.segment import model as md
    from rectiparse.segment import segment_by_model, segment_by_rules

    rules = load_rules()
    path = WILD / "seg_totals_only_roundup.txt"
    text = normalise(load(path), rules)
    assert doc(path.name).items == []
    paras = []
    for s, e in text.paragraphs():
        role = "item_heading" if text.text[s:e].startswith("对县委第一") else "boilerplate"
        paras.append(md.Para(s, e, role, 0.9))
    # the one item heading has nothing under it and no pattern confirms it: the model proposes no item
    assert segment_by_model(text, rules, segment_by_rules(text, rules), paras) is None


def test_audit_sections_over_plain_findings_list_them_as_items():
    """"一、财政管理审计查出问题的整改情况" over "1.部分预算编制不细化。…": the numbered findings are the items,
    the section their category; a section whose text opens with 整改措施： keeps its numbered lines as measures."""
    d = doc("seg_audit_plain_findings.txt")
    assert [(i.id, i.title, i.category) for i in d.items] == [
        ("1.1", "部分预算编制不细化", "财政管理审计查出问题"),
        ("1.2", "非税收入未及时缴库1200万元", "财政管理审计查出问题"),
        ("2.1", "项目资金闲置3000万元", "专项资金审计查出问题"),
        ("3", "国有资产管理方面", None),
    ]
    assert [i.status for i in d.items] == ["completed", "completed", "in_progress", "in_progress"]
    assert [len(i.measures) for i in d.items] == [0, 0, 0, 2]
    assert d.validation.ok  # the declared 4 problems, 2 done and 2 in progress, add up
    assert all(i.kind == "problem" for i in d.items)
    _spans_hold(d)


def test_audit_findings_under_sections_by_field_are_the_items():
    """"二、审计查出问题的整改情况" > "（一）财政管理审计整改情况" > "1.…方面，应整改问题共N个…": an audit report that
    sorts its findings by audited field. The numbered findings are the items; the field sections only group them
    (a section by field was read as the item and its findings as measures)."""
    text = (
        "XX区人民政府关于2022年度区级预算执行和其他财政收支审计查出问题整改情况的报告\n"
        "一、审计整改工作部署\n区政府召开专题会议部署整改工作。\n"
        "二、审计查出问题的整改情况\n"
        "（一）财政管理审计整改情况\n"
        "1.预算编制方面，应整改问题共3个，已整改3个。区财政局已修订预算编制办法。\n"
        "2.非税收入征缴方面，应整改问题共2个，已整改1个。区财政局已督促缴库。\n"
        "（二）专项资金审计整改情况\n"
        "1.乡村振兴资金方面，应整改问题共4个，已整改4个。区农业农村局已收回闲置资金。\n"
    )
    d = parse_text(text)
    assert [(i.id, i.title[:9]) for i in d.items] == [
        ("2.1.1", "预算编制方面，应整"), ("2.1.2", "非税收入征缴方面，"), ("2.2.1", "乡村振兴资金方面，")]
    assert all(i.kind == "problem" and not i.measures for i in d.items)
    _spans_hold(d)


def test_a_caption_printed_twice_is_no_model_item():
    """A blog-style briefing with a photo caption under every paragraph: if the model reads the caption as an
    item heading, the repeat gives it away — the items of a list differ in their words. The briefing's own
    tally is then its summary, not the body of an invented item."""
    from rectiparse.loaders import load_bytes
    from rectiparse.normalise import normalise
    from rectiparse.rules import load_rules
    from rectiparse.segment import model as md
    from rectiparse.segment import segment_by_model, segment_by_rules

    raw = ("督导组工作简报\n今天下午，督导组对中山路开展专项督导。\n现场督导照片\n"
           "督导组沿线走访，共发现5处问题。\n现场督导照片\n截至督导结束时，已完成整改4处，剩余1处正在整改中。\n")
    rules = load_rules()
    text = normalise(load_bytes(raw.encode(), "brief.txt"), rules)
    paras = [md.Para(s, e, "item_heading" if text.text[s:e] == "现场督导照片" else "actions", 0.9)
             for s, e in text.paragraphs()]
    assert segment_by_model(text, rules, segment_by_rules(text, rules), paras) is None
    d = parse_text(raw.replace("现场督导照片", "图片发自App"))
    assert d.items == []
    assert (d.summary.problems_total, d.summary.completed, d.summary.in_progress) == (5, 4, 1)
    assert "图片发自App" not in d.text


def test_a_notice_of_arrangements_gives_no_items():
    """A notice that arranges a review (时间安排, 组织方式, 主要内容): its addressee line (校内相关单位：) is front
    matter, and a date line that says a step will be 完成 is no status group, so the model's guesses do not stand."""
    text = (
        "通知公告\n关于开展巡察整改“回头看”评估工作的通知\n校内相关单位:\n"
        "根据学校党委巡察工作安排，决定开展校内巡察整改“回头看”评估。现将有关事项通知如下。\n"
        "一、时间安排\n2025年9月1日至12月30日。其中:\n9月1日至9月30日,校内相关单位完成自查自评;\n"
        "10月9日至11月15日,对巡察组反馈的41条意见进行评估检查;\n"
        "二、组织方式\n在学校党委领导下，由党政办公室、纪委办公室牵头具体实施本次评估。\n"
        "三、主要内容\n各单位对照巡察反馈问题，逐项梳理整改任务，检查是否按照整改方案的要求完成整改任务。\n"
    )
    d = parse_text(text)
    assert d.items == []
    assert d.document.title == "关于开展巡察整改“回头看”评估工作的通知"


def test_a_tally_sentence_and_achievement_headings_are_no_items():
    """"有642个面上问题未完成整改。" is a tally, not a problem the model may propose; "（一）审计整改责任更加夯实。"
    after "…整改工作取得明显成效。" heads an achievement."""
    d = parse_text("有642个面上问题未完成整改。究其原因，有的问题客观上需要长期整改。\n")
    assert d.items == []
    d = parse_text("各地把审计查出问题整改作为改进政府工作的有力抓手，整改工作取得明显成效。\n"
                   "（一）审计整改责任更加夯实。省委将审计整改作为重点工作抓紧抓实。\n")
    assert d.items == []
