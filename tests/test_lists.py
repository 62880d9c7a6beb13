"""Items as real pages write them (segment/lists.py, rules/items.yaml), on bulletins written by the team in the
layouts of the genre: problems run into a sentence, 一是… problems beside a run of requirements, lists grouped by
unit, a 销号 notice under field headings, dash lines, checklists of questions, complaint columns, audit notices
that restate their findings. The real pages these layouts come from are scored by `make eval-real`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectiparse.pipeline import parse_bytes


def _doc(text: str, **kw):
    return parse_bytes(text.encode("utf-8"), "t.txt", **kw)


def _titles(doc) -> list[str]:
    return [i.title for i in doc.items]


def test_problems_run_into_one_sentence_after_a_cue():
    doc = _doc(
        "某区开展安全生产专项督导检查\n"
        "12月3日，督导组对辖区两家商场开展检查，发现存在以下问题：1.消防通道堆放杂物；2.应急预案未及时修订；"
        "3.安全培训记录不完善。督导组要求企业立即整改。\n"
    )
    assert _titles(doc) == ["消防通道堆放杂物", "应急预案未及时修订", "安全培训记录不完善"]
    assert [i.number for i in doc.items] == ["1", "2", "3"]
    assert {i.decided_by["item"] for i in doc.items} == {"list_after_problem_cue"}
    for i in doc.items:
        s, e = i.spans["title"]
        assert doc.text[s:e] == i.title
        assert i.status is None  # "要求企业立即整改" is a demand, not a status


def test_yishi_problems_then_a_run_of_requirements():
    doc = _doc(
        "巡察组指出，学院党委存在一些问题，主要是：一是理论学习不够深入；二是议事规则执行不到位；"
        "三是干部队伍建设有短板。巡察组组长对整改提出要求：一是提高政治站位；二是压实整改责任；三是建立长效机制。\n"
    )
    assert _titles(doc) == ["理论学习不够深入", "议事规则执行不到位", "干部队伍建设有短板"]
    assert [i.number for i in doc.items] == ["一", "二", "三"]


def test_a_run_of_requirements_alone_is_no_item():
    doc = _doc("会议要求，一是压实整改责任；二是细化整改措施；三是强化跟踪督办，确保问题清仓见底。\n")
    assert doc.items == []


def test_a_checklist_of_questions_is_no_item():
    doc = _doc(
        "各物业服务企业：\n请按以下要求自查：\n1.垃圾桶是否加盖，是否存在破损情况；\n2.楼道是否堆放杂物；\n"
        "3.公共部位的小广告是否已清除；\n4.小区建筑垃圾是否及时清运；\n"
    )
    assert doc.items == []


def test_hazards_grouped_by_unit_make_the_unit_a_category():
    doc = _doc(
        "火灾隐患单位曝光\n现曝光2家火灾隐患单位，名单如下：\n一、某某超市\n检查发现该单位存在以下隐患：\n"
        "1.灭火器放置不规范，已立即整改。\n2.疏散通道堆放杂物；\n3.未制定灭火和应急疏散预案。\n"
        "二、某某饭店\n检查发现该单位存在以下隐患：\n1.油烟管道未定期清洗；\n2.消防安全制度未建立。\n"
    )
    assert _titles(doc) == ["灭火器放置不规范", "疏散通道堆放杂物", "未制定灭火和应急疏散预案", "油烟管道未定期清洗",
                            "消防安全制度未建立"]
    assert [i.id for i in doc.items] == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    assert [i.category for i in doc.items] == ["某某超市"] * 3 + ["某某饭店"] * 2
    assert [len(i.path) for i in doc.items] == [1] * 5  # the unit, not the earlier siblings
    assert [i.status for i in doc.items] == ["completed", None, None, None, None]
    s, e = doc.items[0].spans["status_text"]
    assert doc.text[s:e] == "已立即整改"


def test_a_xiaohao_notice_under_field_headings_is_one_problem():
    doc = _doc(
        "某县督察反馈问题整改销号公示\n我县已完成第二轮督察反馈问题第7项问题整改，拟申请验收销号。\n"
        "一、反馈问题\n某镇生活污水收集管网破损，污水直排入河。\n二、整改目标\n污水全部纳管处理。\n"
        "三、整改措施\n1.修复破损管网。\n2.建设临时污水处理站。\n四、整改时限\n2024年6月底前\n"
        "五、问题解决情况\n已完成整改\n"
    )
    assert _titles(doc) == ["某镇生活污水收集管网破损，污水直排入河"]
    item = doc.items[0]
    assert item.number is None and item.status == "completed"
    assert item.decided_by["item"] == "notice_problem"


def test_unnumbered_lines_closed_by_a_status_after_a_dash():
    doc = _doc(
        "公园随机检查整改汇报\n检查发现存在作业不规范、卫生环境等问题。\n\n"
        "一号园路路灯A101处园路脏污——已整改\n\n一号园路路灯A102处缺株——已整改\n\n东门洗手间厕位不洁——正在整改\n"
    )
    assert _titles(doc) == ["一号园路路灯A101处园路脏污", "一号园路路灯A102处缺株", "东门洗手间厕位不洁"]
    assert [i.status for i in doc.items] == ["completed", "completed", "in_progress"]


def test_a_closing_sentence_that_covers_the_list_gives_every_item_its_status():
    doc = _doc("检查发现以下问题：\n1.宣传栏破损。\n2.绿化带内白色垃圾未清理。\n以上问题已全部整改完毕。\n")
    assert _titles(doc) == ["宣传栏破损", "绿化带内白色垃圾未清理"]
    assert [i.status for i in doc.items] == ["completed", "completed"]
    assert doc.items[0].decided_by["status"] == "covering_sentence"


def test_reporter_lines_of_a_complaint_column():
    doc = _doc(
        "市民张先生反映：某路口有商户占道经营，影响行人通行。\n区城管局：已通知属地街道加强管理。\n"
        "市民李女士反映：某小区门前下水道堵塞，污水外溢。\n区城管局：经现场查看问题尚未完全解决，继续跟踪督办。\n"
    )
    assert _titles(doc) == ["某路口有商户占道经营，影响行人通行", "某小区门前下水道堵塞，污水外溢"]
    assert [i.decided_by["item"] for i in doc.items] == ["reporter_line"] * 2
    assert doc.items[1].actions is not None and "继续跟踪督办" in doc.items[1].actions


def test_an_audit_notice_that_restates_its_findings_counts_them_once():
    doc = _doc(
        "某镇审计整改结果公告\n一、审计发现的主要问题\n（一）未按协议兑付土地承包金；\n（二）扩大开支范围；\n"
        "（三）固定资产管理不规范。\n二、审计发现问题整改情况\n"
        "（一）关于《审计报告》中提出“未按协议兑付土地承包金”的问题，已全部兑付。\n"
        "（二）关于《审计报告》中提出“扩大开支范围”的问题，已追回资金。\n"
        "（三）关于《审计报告》中提出“固定资产管理不规范”的问题，已建立台账。\n"
    )
    assert _titles(doc) == ["未按协议兑付土地承包金", "扩大开支范围", "固定资产管理不规范"]


def test_report_sections_above_the_grammar_items_are_not_items():
    """The grammar's own bulletins keep their items: the sections around them are never added."""
    doc = _doc(
        "某区关于巡察整改进展情况的通报\n一、整改工作开展情况\n区委高度重视，召开专题会议部署整改。\n"
        "二、反馈问题整改情况\n（一）关于“理论学习不深入”问题的整改\n整改情况：制定学习计划。\n整改结果：已完成整改\n"
        "（二）关于“资金管理不规范”问题的整改\n整改情况：修订资金管理办法。\n整改结果：正在整改中\n"
        "三、下一步工作打算\n持续巩固整改成果。\n"
    )
    assert _titles(doc) == ["理论学习不深入", "资金管理不规范"]
    assert [i.status for i in doc.items] == ["completed", "in_progress"]


# ------------------------------------------------------------------------ properties

_HAN = st.text(alphabet="组织管理资金项目建设台账制度执行监督检查安全卫生环境宣传学习", min_size=3, max_size=10)
_SHORTFALL = st.sampled_from(["不到位", "不规范", "不完善", "有差距", "滞后", "缺失"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_HAN, _SHORTFALL), min_size=2, max_size=6))
def test_an_inline_list_of_shortfalls_gives_one_item_per_entry_and_spans_give_back_titles(entries):
    body = "；".join(f"{n}.{subject}{tail}" for n, (subject, tail) in enumerate(entries, 1))
    doc = _doc(f"督导组在检查中发现存在以下问题：{body}。\n")
    assert len(doc.items) == len(entries)
    for item, (subject, tail) in zip(doc.items, entries, strict=True):
        assert item.title == subject + tail
        s, e = item.spans["title"]
        assert doc.text[s:e] == item.title
        a, b = item.span
        assert doc.text[a:b].startswith(item.number)


# ------------------------------------------------------------------------ rules are data


def test_items_yaml_extended_through_rules_dir_changes_the_decision(tmp_path: Path):
    text = "检查组现场查看，情况如下：1.宣传栏内容陈旧；2.路面坑洼积灰；3.公厕异味较重。\n"
    assert _doc(text).items == []  # no cue, and no word of the lexicon says these are shortfalls
    import yaml

    from rectiparse.rules import default_rules_dir

    data = yaml.safe_load((default_rules_dir() / "items.yaml").read_text(encoding="utf-8"))
    data = {"deficiency": [*data["deficiency"], "陈旧", "坑洼", "异味"]}
    (tmp_path / "items.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    doc = _doc(text, rules_dir=tmp_path)
    assert _titles(doc) == ["宣传栏内容陈旧", "路面坑洼积灰", "公厕异味较重"]
    assert {i.decided_by["item"] for i in doc.items} == {"list_of_shortfalls"}


def test_a_broken_items_yaml_names_the_file_and_key(tmp_path: Path):
    from rectiparse.rules import RulesError, load_rules

    (tmp_path / "items.yaml").write_text("list_markers:\n  - {name: x, family: x, pattern: '\\d+'}\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"items\.yaml.*list_markers"):
        load_rules(tmp_path)


# ------------------------------------------------------------------------ real pages (../shared/real-dev)

REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "real-dev"


@pytest.mark.skipif(not (REAL_DEV / "score.py").is_file(), reason="../shared/real-dev is not beside the project")
def test_no_item_is_invented_on_real_pages_that_list_none():
    """The pages whose gold lists no item (requirements, round-ups of totals, checklists): nothing comes out."""
    empty = [p for p in sorted(REAL_DEV.glob("d*.gold.json"))
             if not json.loads(p.read_text(encoding="utf-8"))["items"]]
    assert len(empty) >= 10
    from rectiparse.pipeline import parse

    invented = {p.name: len(parse(p.with_name(p.name.replace(".gold.json", ".txt"))).items) for p in empty}
    assert all(n == 0 for n in invented.values()), invented


# ------------------------------------------------------------------------ what real pages carry around the list


def test_raw_html_pasted_as_text_keeps_its_paragraphs_and_reports_the_tags():
    doc = _doc(
        '<p class="ql-block">督查组检查发现，突出问题如下：</p> <p class="ql-block">一、某某景区</p> '
        '<p class="ql-block">1.游客中心旁垃圾桶满溢。</p> <p class="ql-block">2.步道旁排水盖破损。</p>'
        '<p class="ql-block">二、某某公园</p><p class="ql-block">1.控烟措施不到位。</p>\n'
    )
    assert _titles(doc) == ["游客中心旁垃圾桶满溢", "步道旁排水盖破损", "控烟措施不到位"]
    assert [i.category for i in doc.items] == ["某某景区", "某某景区", "某某公园"]
    assert "<p" not in doc.text and "</p>" not in doc.text
    removed = [i.message for i in doc.validation.issues if i.code == "noise_removed"]
    assert any("ql-block" in m for m in removed)


def test_page_numbers_of_a_document_sharing_site_are_removed_and_the_sentence_rejoined():
    doc = _doc(
        "《某镇整改报告.docx》由会员分享，可在线阅读，更多相关《某镇整改报告.docx(2页珍藏版)》请在某文库网上搜索。\n"
        "1、某镇整改报告县创城办：现将整改情况汇报如下：（一）农贸市场周边环境脏乱差。整改措施：组织人员清理杂物，随后\n"
        "2、安排社区张贴公益广告。（二）背街小巷垃圾成堆。整改措施：动用机械清运垃圾。\n"
    )
    assert _titles(doc) == ["农贸市场周边环境脏乱差", "背街小巷垃圾成堆"]
    assert "随后安排社区" in doc.text
    removed = [i.message for i in doc.validation.issues if i.code == "noise_removed"]
    assert any("1、" in m for m in removed) and any("2、" in m for m in removed)


def test_a_numbered_list_on_an_ordinary_page_is_not_taken_for_page_numbers():
    doc = _doc("检查发现以下问题：\n1、消防通道堆放杂物。\n2、应急预案未修订。\n")
    assert [i.number for i in doc.items] == ["1", "2"]
    assert doc.text.count("1、") == 1


def test_a_table_flattened_one_cell_a_line_gives_one_item_a_row():
    doc = _doc(
        "某县校园食品安全专项整治成果公布\n现将部分整治成果公布如下：\n学校食堂 |\n具体问题 |\n整改情况 |\n"
        "某某小学食堂 |\n防蝇帘老旧，密封性不够 |\n已更换新的防蝇帘 |\n某某中学食堂 |\n粗加工间卫生清理不及时 |\n已整改 |\n"
    )
    assert _titles(doc) == ["防蝇帘老旧，密封性不够", "粗加工间卫生清理不及时"]
    assert [i.category for i in doc.items] == ["某某小学食堂", "某某中学食堂"]
    assert [i.status for i in doc.items] == [None, "completed"]  # "已更换…" says what was done, not a status
    assert {i.decided_by["item"] for i in doc.items} == {"flattened_table_row"}


def test_a_table_flattened_with_bars_reads_its_number_and_yes_no_status_columns():
    doc = _doc(
        "饮用水水源地整治进展情况\n序号 | 所在地 | 问题具体情况 | 整治措施 | 是否完成整治 |\n"
        "3 | 某县 | 一级保护区内有农家乐，污水直排。 | 立即整改 | 否 |\n"
        "4 | 某县 | 二级保护区内有加水点，废水直排。 | 立即整改 | 是 |\n"
    )
    assert _titles(doc) == ["一级保护区内有农家乐，污水直排。", "二级保护区内有加水点，废水直排。"]
    assert [i.number for i in doc.items] == ["3", "4"]
    assert [i.status for i in doc.items] == ["not_completed", "completed"]
    s, e = doc.items[1].spans["status_text"]
    assert doc.text[s:e] == "是"


def test_a_summary_that_cannot_be_true_is_an_error():
    doc = _doc("某区巡察整改情况通报\n巡察反馈的12个问题中，已完成整改15个，正在整改3个。\n")
    assert (doc.summary.problems_total, doc.summary.completed) == (12, 15)
    codes = [i.code for i in doc.validation.issues if i.severity == "error"]
    assert "summary_impossible" in codes and doc.validation.ok is False


def test_a_summary_that_adds_up_is_not_flagged():
    doc = _doc("某区巡察整改情况通报\n巡察反馈的12个问题中，已完成整改9个，正在整改3个。\n")
    assert not [i for i in doc.validation.issues if i.code == "summary_impossible"]


@pytest.mark.parametrize(("title", "kind"), [
    ("某县关于第二轮省生态环境保护督察反馈问题整改情况的公示", "inspection"),
    ("某区安全生产督查反馈问题整改情况", "inspection"),
])
def test_ducha_rectification_is_an_inspection_document(title: str, kind: str):
    assert _doc(f"{title}\n一、反馈问题\n某镇污水直排。\n二、整改目标\n污水全部纳管。\n").document.doc_type == kind


def test_statuses_given_by_reference_to_the_items_numbers():
    doc = _doc(
        "检查发现存在以下问题：\n1.消防通道堆放杂物。\n2.灭火器过期未更换。\n3.应急预案未修订。\n"
        "经复查，第一项、第二项问题已整改完成，第三项问题正在整改。\n"
    )
    assert _titles(doc) == ["消防通道堆放杂物", "灭火器过期未更换", "应急预案未修订"]
    assert [i.status for i in doc.items] == ["completed", "completed", "in_progress"]
    assert doc.items[2].decided_by["status"] == "status_by_reference"


def test_labelled_hazards_one_or_a_list_per_place_and_a_covering_sentence_with_more_after_it():
    doc = _doc(
        "现曝光3家火灾隐患单位。\n场所名称：某某药店\n场所地址：某路1号\n隐患情况：灭火器过期\n"
        "场所名称：某某制衣厂\n场所地址：某路2号\n隐患情况：1.堵塞安全出口 2.杂物遮挡消火栓\n"
        "场所名称：某某小区\n场所地址：某路3号\n隐患情况：违规占用消防车通道\n"
        "以上火灾隐患已经现场整改完毕，下一步，大队将持续开展火灾隐患排查整治。\n"
    )
    assert _titles(doc) == ["灭火器过期", "堵塞安全出口", "杂物遮挡消火栓", "违规占用消防车通道"]
    assert [i.number for i in doc.items] == [None, "1", "2", None]
    assert [i.id for i in doc.items] == ["1", "2", "3", "4"]  # unique, by place: no numbered unit above them
    assert [i.status for i in doc.items] == ["completed"] * 4


def test_a_label_line_over_one_unnumbered_hazard_between_numbered_lists():
    doc = _doc(
        "现对部分火灾隐患单位进行曝光，具体名单如下：\n建筑(单位)名称：\n某某酒店\n存在火灾隐患：\n1.火灾报警器故障未消除；\n"
        "2.疏散指示灯破损。\n建筑(单位)名称：\n某某机床厂\n存在火灾隐患：\n部分灭火器钢瓶过期。\n"
    )
    assert _titles(doc) == ["火灾报警器故障未消除", "疏散指示灯破损", "部分灭火器钢瓶过期"]
    assert [i.decided_by["item"] for i in doc.items] == ["list_after_problem_cue"] * 2 + ["problem_label"]


def test_a_list_as_long_as_the_declared_count_lists_those_problems():
    text = ("某区巡察整改进展通报\n区委巡察组共反馈4个问题。区委高度重视，逐项抓好整改。\n各项问题均已明确责任领导和完成时限。\n"
            "1.干部队伍年龄结构老化\n2.学习制度执行不严格\n3.“三重一大”决策程序需进一步完善\n4.财务报销审核把关不到位\n")
    doc = _doc(text)
    assert [i.number for i in doc.items] == ["1", "2", "3", "4"]
    assert {i.decided_by["item"] for i in doc.items} == {"list_matches_declared_count"}
    assert doc.summary.problems_total == 4
    # the same list with another declared count has nothing to say it lists problems
    assert _doc(text.replace("4个问题", "6个问题")).items == []


def test_an_article_about_handling_problems_lists_no_problem():
    """问题 as a topic ("问题收集", "问题处理") is not a shortfall; a list of them is an article's outline."""
    doc = _doc(
        "问题反馈的流程\n1. 问题收集\n巡视组在巡视过程中发现的问题，需要通过正式渠道进行收集。\n2. 问题分类与整理\n"
        "收集到的问题需要进行分类与整理。\n3. 问题反馈\n将问题反馈给被巡视单位。\n4. 问题处理\n被巡视单位应制定整改方案。\n"
    )
    assert doc.items == []


def test_requirements_after_found_problems_are_not_the_problems():
    doc = _doc(
        "对回头看中发现的问题，各督导组进行了严肃反馈，提出了整改时限和要求。一是夯实整改责任。负责人要切实负起责任。"
        "二是强化“三单”管理。督促建立健全问题清单。三是规范健全资料。抽调精干力量收集佐证资料。\n"
    )
    assert doc.items == []


def test_a_long_numbered_paragraph_is_titled_by_its_first_clause():
    doc = _doc(
        "现将巡察发现的主要问题通报如下：\n"
        "1.上轮巡察反馈问题整改仍有差距，院党委落实整改主体责任、纪委落实日常监督责任不够有力，部分问题整改不到位。\n"
        "2.医保资金使用不规范，医疗管理有漏洞。\n"
    )
    assert _titles(doc) == ["上轮巡察反馈问题整改仍有差距", "医保资金使用不规范，医疗管理有漏洞"]
    assert "院党委落实整改主体责任" in doc.items[0].actions


def test_hazard_lists_of_unnumbered_units_that_share_words_are_all_kept():
    """The next unit's hazards may repeat words of the first unit's ("自动喷水灭火系统"): not a restatement."""
    doc = _doc(
        "某某酒店\n存在火灾隐患：\n1、自动喷水灭火系统部分喷淋头被遮挡；\n2、私家车占用消防车道。\n"
        "某某商场\n存在火灾隐患：\n1、未按规定配置火灾自动报警系统；\n2、未设置自动喷水灭火系统。\n"
    )
    assert _titles(doc) == ["自动喷水灭火系统部分喷淋头被遮挡", "私家车占用消防车道", "未按规定配置火灾自动报警系统",
                            "未设置自动喷水灭火系统"]
    assert len({i.id for i in doc.items}) == 4


def test_a_title_cut_off_by_the_end_of_a_truncated_page_is_not_an_item():
    doc = _doc("检查发现存在以下问题：\n1.消防通道堆放杂物。\n2.应急预案未及时修订。\n3.设备与用")
    assert _titles(doc) == ["消防通道堆放杂物", "应急预案未及时修订"]
    # a list written without full stops ends without one too: its last entry is whole
    assert len(_doc("检查发现存在以下问题：\n1.消防通道堆放杂物\n2.应急预案未及时修订\n3.设备老化\n").items) == 3


def test_a_notice_that_only_quotes_its_problem_in_the_account():
    doc = _doc(
        "某县省级生态环境保护督察反馈问题\n第五项整改任务完成情况公示\n现对已完成整改的问题情况进行公示。\n"
        "问题编号：第五项\n整改目标：畜禽粪污综合利用率达到76%以上。\n整改时限：2021年12月底前\n责任单位：县畜牧中心\n"
        "整改情况：省级督察反馈问题第五项指出，“养殖户将畜禽粪污露天堆放，粪水排入沟渠”问题，我县制定整改措施，"
        "目前该问题已完成整改。\n整改结论：该问题已完成整改\n公示时间：2020年12月6日至12月10日。\n"
    )
    assert _titles(doc) == ["养殖户将畜禽粪污露天堆放，粪水排入沟渠"]
    assert doc.items[0].number == "第五项" and doc.items[0].status == "completed"


def test_a_problem_list_where_some_entries_end_in_de_wenti_is_one_list():
    """"一、存在的问题" > "经自查，存在如下问题：" > 1、…6、: the grammar reads only the entries worded "…的问题" as
    problems (two of six, too few to vouch for their siblings); the cue before the list makes every entry an
    item. The grammar's own items inside the list's entries are the entries themselves, not a level below them
    (the list was taken for report sections and four problems were lost)."""
    doc = _doc(
        "某中学自查整改报告\n一、存在的问题\n经过自查自纠，学校方面存在如下问题：\n"
        "1、理论学习流于形式，学习笔记应付了事。\n2、工作计划不够明确，推进缓慢。\n"
        "3、部分教师存在上课接打手机等纪律松散的问题。\n4、家校沟通渠道单一，反馈不及时。\n"
        "5、校园安全巡查记录不完整。\n6、个别班级存在作业布置过多的问题。\n"
        "二、问题产生的原因\n思想认识不到位。\n"
    )
    assert [i.title[:8] for i in doc.items] == [
        "理论学习流于形式", "工作计划不够明确", "部分教师存在上课", "家校沟通渠道单一", "校园安全巡查记录", "个别班级存在作业"]
    assert [i.number for i in doc.items] == ["1", "2", "3", "4", "5", "6"]
    assert all(i.kind == "problem" and i.category == "存在的问题" for i in doc.items)


def test_the_parts_of_an_audit_notices_account_are_no_items():
    """"…将审计反馈问题的整改情况公告如下：" over "一、…整改责任落实情况" and "二、…整改完成情况": the cue names
    problems, but the entries are parts of the account and state no shortfall; the notice's own tally is then
    its summary."""
    doc = _doc(
        "某公司关于经济责任审计反馈问题整改情况的公告\n"
        "市审计局对我司前任董事长任期履行经济责任进行了审计，现将审计反馈问题的整改情况公告如下：\n"
        "一、审计反映问题整改责任落实情况\n公司召开党委会议研究整改措施，建立整改台账。\n"
        "二、审计反馈问题整改完成情况\n审计报告反馈存在的问题12项，公司已完成整改10项，其余2项正在推进。\n"
        "特此公告。\n"
    )
    assert doc.items == []
    assert (doc.summary.problems_total, doc.summary.completed) == (12, 10)


def test_an_acceptance_notice_whose_fields_run_into_their_text():
    """A 验收销号 notice whose numbered fields run straight into their text, no colon ("一、整改任务秸秆禁烧…
    二、整改目标… 四、验收意见已完成整改，同意销号"): one problem, the task's text, completed by the acceptance."""
    doc = _doc(
        "某县人民政府关于督察反馈意见第07号整改任务的验收销号意见\n"
        "验收组对第07号整改任务完成情况进行了现场验收。\n"
        "一、整改任务秸秆禁烧工作宣传力度不够，属地监管责任落实不到位。\n"
        "二、整改目标全县范围内杜绝秸秆焚烧现象。\n"
        "三、完成情况：全县健全禁烧网络，签订村级禁烧责任状。\n"
        "四、验收意见已完成整改，同意销号。\n"
    )
    assert [(i.title, i.status) for i in doc.items] == [("秸秆禁烧工作宣传力度不够，属地监管责任落实不到位", "completed")]
    assert doc.items[0].decided_by["item"] == "notice_problem"


def test_a_notice_whose_one_problem_carries_its_own_marker():
    """A 销号公示 under field headings (整改问题, 整改实施主体, 重点措施, 目标任务, 完成时限, 整改完成情况) whose
    problem stands under 一、整改问题 with a marker of its own ("（一）…"): one item, the problem, not the headings."""
    doc = _doc(
        "突出生态环境问题整改验收销号公示\n现将问题整改完成情况公示如下:\n"
        "一、整改问题\n（一）某园区河段有浮萍及垃圾流入河道，污染水体。\n二、整改实施主体\n某园区管委会\n"
        "三、重点措施\n（一）对河道开展打捞清理工作。\n四、目标任务\n（一）完成河道浮萍及垃圾的清理工作\n"
        "五、完成时限\n2024年12月底\n六、整改完成情况\n（一）经核查，该处河段水面无浮萍及垃圾。\n"
    )
    assert [(i.number, i.title) for i in doc.items] == [("一", "某园区河段有浮萍及垃圾流入河道，污染水体")]
    assert doc.items[0].decided_by["item"] == "notice_problem"


def test_a_list_without_full_stops_cut_by_the_pages_end_drops_its_stub():
    """The excerpt ends inside the last entry ("3、未设置"): a stub of its siblings' length is a title cut off."""
    doc = _doc("市创文办暗访督查，现就问题清单曝光如下：\n某街社区（责任单位：某街道）\n1、某街便民广场电动车乱停乱放\n"
               "2、某街北街电线乱拉乱搭\n3、未设置")
    assert _titles(doc) == ["某街便民广场电动车乱停乱放", "某街北街电线乱拉乱搭"]


def test_a_place_found_in_order_lists_good_points_not_problems():
    """"（一）社区居委会" over "该点位文明创建工作整体良好。1.显著位置设置…": good points of a place in order;
    only the problems of the next place are items."""
    doc = _doc(
        "市创文巩卫办督查组进行专项检查，共发现问题2个，突出问题如下：\n一、某村社区\n（一）社区居委会\n"
        "该点位文明创建工作整体良好。\n1.显著位置设置社会主义核心价值观公益宣传广告。\n2.显著位置设置健身场所导视图。\n"
        "（二）背街小巷\n1.某巷百货店门前三包责任落实不到位，门口杂物乱堆乱放。\n2.某巷车辆乱停放现象普遍。\n"
    )
    assert _titles(doc) == ["某巷百货店门前三包责任落实不到位，门口杂物乱堆乱放", "某巷车辆乱停放现象普遍"]
    assert doc.validation.ok


def test_hazards_labelled_with_de_under_each_unit():
    """"存在的火灾隐患：" (with 的) labels one hazard under each unit, as "存在火灾隐患：" does."""
    doc = _doc("火灾隐患单位曝光\n隐患单位名称：甲公司\n存在的火灾隐患：未落实消防安全制度。\n"
               "隐患单位名称：乙小区\n存在的火灾隐患：部分楼栋室内消防栓被杂物遮挡。\n")
    assert _titles(doc) == ["未落实消防安全制度", "部分楼栋室内消防栓被杂物遮挡"]


def test_a_notice_whose_problem_passed_acceptance_is_completed():
    doc = _doc(
        "突出生态环境问题整改验收销号公示\n某市关于督察交办信访件X3AH202411050035问题已整改完成，并通过核查验收。"
        "现将问题整改完成情况公示如下：\n一、整改问题\n某村中心有一池塘，水体发黑发臭，影响周边群众正常生活。\n"
        "二、整改实施主体\n某区委、区政府\n三、完成时限\n2024年12月底\n"
    )
    assert [(i.title[:8], i.status) for i in doc.items] == [("某村中心有一池塘", "completed")]


def test_a_self_inspection_list_of_problems_is_no_plan():
    doc = _doc("某单位自查问题清单\n1.学习深度不足，流于表面化。\n2.研讨质量不高，缺乏思想碰撞。\n")
    assert doc.document.doc_type == "other"
    assert len(doc.items) == 2


def test_a_headline_ending_in_a_hazard_label_over_its_dateline_is_no_item():
    doc = _doc("我市曝光一批单位存在火灾隐患\n2023-02-22 14:50:38\n隐患单位名称：甲公司\n"
               "存在火灾隐患：未落实消防安全制度。\n")
    assert _titles(doc) == ["未落实消防安全制度"]


def test_numbered_units_with_one_finding_each_are_the_items():
    """"1. 某超市（责任单位：…）" / "主要问题" / one paragraph: each numbered unit carries one finding, so the
    numbered entry is the item, titled by its heading."""
    doc = _doc(
        "黑榜\n1. 某超市某店（责任单位：某区商务局）\n主要问题\n超市门前“三包”责任落实不到位，电动车乱停乱放。\n"
        "2. 某时代广场（责任单位：某区商务局）\n主要问题\n疫情防控常态化工作落实不到位，把关不严。\n"
    )
    assert [(i.number, i.title) for i in doc.items] == [
        ("1", "某超市某店（责任单位：某区商务局）"), ("2", "某时代广场（责任单位：某区商务局）")]
    assert {i.decided_by["item"] for i in doc.items} == {"unit_with_one_finding"}


def test_a_problem_label_run_into_its_list():
    """"（一）存在的问题1、…。2、…。": the list runs straight on from its label; the label is the category."""
    doc = _doc("（一）存在的问题1、政治学习不够，理论功底不深。干部职工自学相对较少。2、工作作风不实，服务意识不强。"
               "部分干部办事拖拉。\n")
    assert [(i.title, i.category) for i in doc.items] == [
        ("政治学习不够，理论功底不深", "存在的问题"), ("工作作风不实，服务意识不强", "存在的问题")]


def test_places_each_with_one_labelled_finding():
    doc = _doc(
        "市创建办组建暗访组，开展文明城市创建暗访。\n点位一：某街道某社区。暗访组重点查看集贸市场及周边环境秩序。\n"
        "发现问题：某路上车辆乱停放、烟蒂果壳乱丢等问题较为突出。\n点位二：某街道东关社区。暗访组重点查看停车秩序。\n"
        "发现问题：部分小餐饮店“门前五包”不到位、碗筷消毒记录缺失。\n"
    )
    assert [(i.number, i.title[:6]) for i in doc.items] == [(None, "某路上车辆乱"), (None, "部分小餐饮店")]


def test_a_complaint_column_written_as_news():
    """"8月11日，网友某某反映称，…": paragraphs reporting what readers said, each an item; a single such
    paragraph in an article is not a column."""
    doc = _doc("近日，记者整理出网友近期反映的相关问题。\n8月11日，网友小李反映称，某乐园停车场出口处下水道盖子破损。"
               "希望尽快处理！\n8月17日，网友小王反映称，某中学对面公交站牌玻璃碎了一地！\n")
    assert _titles(doc) == ["某乐园停车场出口处下水道盖子破损", "某中学对面公交站牌玻璃碎了一地"]
    assert {i.decided_by["item"] for i in doc.items} == {"reporter_line"}
    assert _doc("有网友反映称，某路段路灯不亮。相关部门已安排维修。\n").items == []


def test_a_page_publishing_one_numbered_problem():
    doc = _doc("现将2023年某市生态环境保护督察反馈问题第7项关于“某中心院内存有大量尘土，未采取有效的防尘措施，产生扬尘污染"
               "问题”整改任务落实情况进行公示（详见附表）。公示日期为2025年1月21日至2月8日。\n")
    assert [(i.number, i.title[:10]) for i in doc.items] == [("7", "某中心院内存有大量尘")]
    assert doc.items[0].decided_by["item"] == "published_problem"


def test_the_same_problem_under_two_units_is_two_problems():
    """"（3）小区内车辆乱停乱放" under two places: each place's problem, not a page printing one problem twice."""
    doc = _doc("二、存在问题\n1.甲花园：（1）垃圾满溢；（2）小区内有飞线；（3）小区内车辆乱停乱放。\n"
               "2.乙住宿区：（1）小区内杂物乱堆乱放；（2）小区内无提示牌；（3）小区内车辆乱停乱放；（4）小区内卫生差。\n")
    assert [i.id for i in doc.items] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4"]


def test_entries_that_end_by_stating_their_status():
    """"1、某城（责任单位：…）：前期通报该点位存在…等问题已按时整改到位。": the entry's sentence closes with its
    status, also when the title stops at a ";" of the problems it lists."""
    doc = _doc("整改较好的点位\n1、某快乐城（责任单位：县商务局）：前期通报该点位存在没有明确的行业规范等问题已按时整改到位。\n"
               "2、某码头（责任单位：县文旅局）：前期通报该点位存在无文明引导员；无行业规范等问题已按时整改到位。\n")
    assert [(i.number, i.status, i.decided_by.get("status")) for i in doc.items] == [
        ("1", "completed", "status_ends_title"), ("2", "completed", "status_ends_title")]


def test_a_reporter_label_alone_on_its_line():
    doc = _doc("市民（匿名）反映：\n我是某小区1幢住户，最近住宅楼的东墙保温层开裂，导致外墙漏水，希望尽快修复。\n"
               "市住房和城乡建设局答复：\n我局已经督促物业公司尽快制订维修方案。\n")
    assert [(i.title[:12], i.decided_by["item"]) for i in doc.items] == [("我是某小区1幢住户，最近", "reporter_line")]


def test_a_site_inspection_labels_its_problems():
    doc = _doc("5月2日，区建管中心对管沟工程扬尘治理整改情况进行督促。\n"
               "检查存在问题：部分黄土裸露未覆盖；施工区域内有白色污染物等问题。\n今日整改进度：裸露黄土全部覆盖到位。\n")
    assert _titles(doc) == ["部分黄土裸露未覆盖"]
