"""The rule segmenter on phrasings the seeds do not use (other issuers write these every day)."""

from __future__ import annotations

from rectiparse.pipeline import parse_text

FORMAT_GROUPS_BY_ASPECT = """中共某某县委关于巡察整改进展情况的通报
根据县委统一部署，2023年4月10日至5月30日，县委第一巡察组对某某镇党委进行了巡察。6月20日，巡察组反馈了巡察意见。
一、整改工作开展情况
镇党委高度重视巡察整改工作。
二、巡察反馈问题整改落实情况
（一）关于贯彻落实党的路线方针政策方面
1.学习贯彻习近平新时代中国特色社会主义思想不够深入的问题。
整改情况：一是制定学习计划；二是开展专题研讨6次。
2.落实意识形态工作责任制不到位的问题。
整改情况：修订责任清单，已完成整改。
（二）关于落实全面从严治党战略部署方面
3.“三重一大”事项集体决策不规范的问题。
整改情况：出台议事规则。
整改结果：正在整改中
三、下一步工作打算
一是持续巩固整改成果；二是建立长效机制。
中共某某县委
2023年12月1日
"""


def test_aspect_groups_give_categories_and_numbering_runs_across_groups():
    doc = parse_text(FORMAT_GROUPS_BY_ASPECT)
    assert [i.number for i in doc.items] == ["1", "2", "3"]
    assert [i.title for i in doc.items] == [
        "学习贯彻习近平新时代中国特色社会主义思想不够深入",
        "落实意识形态工作责任制不到位",
        "“三重一大”事项集体决策不规范",
    ]
    assert doc.items[0].category == "关于贯彻落实党的路线方针政策方面"
    assert doc.items[2].category == "关于落实全面从严治党战略部署方面"
    assert [len(i.measures) for i in doc.items] == [2, 0, 0]
    assert doc.items[0].measures[1].text.startswith("开展专题研讨6次")
    assert [i.status for i in doc.items] == [None, "completed", "in_progress"]
    assert doc.items[1].status_text == "已完成整改"  # from its closing sentence
    assert not [i for i in doc.validation.issues if i.code.startswith("numbering")]


FORMAT_ORDINAL_PROBLEMS = """关于审计发现问题整改情况的报告
问题一：专项资金闲置1200万元。
整改情况：已将闲置资金统筹用于项目建设。（已完成）
问题二：部分项目未按期完工。
整改情况：督促施工单位加快进度。
问题三：资产登记不完整。
整改情况：完成资产清查。
"""


def test_ordinal_problem_headings_are_items():
    doc = parse_text(FORMAT_ORDINAL_PROBLEMS)
    assert [i.title for i in doc.items] == ["专项资金闲置1200万元", "部分项目未按期完工", "资产登记不完整"]
    assert all(i.actions for i in doc.items)


FORMAT_LABEL_EVIDENCE = """某某区关于巡视反馈意见整改情况的通报
一、具体问题整改情况
（一）理论学习流于形式（已完成）
整改措施：1.制定年度学习计划；2.建立学习台账；3.开展考核。
责任单位：区委办公室、区委宣传部
（二）基层组织建设薄弱，整改结果：基本完成。
整改措施：整顿软弱涣散党组织12个。
"""


def test_headings_with_field_labels_are_items_even_without_the_word_problem():
    doc = parse_text(FORMAT_LABEL_EVIDENCE)
    assert [i.title for i in doc.items] == ["理论学习流于形式", "基层组织建设薄弱"]
    assert [i.status for i in doc.items] == ["completed", "basically_completed"]
    first = doc.items[0]
    assert [m.marker for m in first.measures] == ["1.", "2.", "3."]
    assert first.measures[2].text.startswith("开展考核")


def test_text_span_gives_back_every_item_string():
    for source in (FORMAT_GROUPS_BY_ASPECT, FORMAT_ORDINAL_PROBLEMS, FORMAT_LABEL_EVIDENCE):
        doc = parse_text(source)
        for it in doc.items:
            for key, value in (("title", it.title), ("status_text", it.status_text), ("actions", it.actions)):
                if value is not None:
                    s, e = it.spans[key]
                    assert doc.text[s:e] == value
            for m in it.measures:
                assert doc.text[m.span[0] : m.span[1]] == m.text


def test_numbering_gap_and_duplicate_are_reported():
    text = FORMAT_ORDINAL_PROBLEMS.replace("问题二：", "问题四：").replace("问题三：", "问题四：")
    doc = parse_text(text)
    codes = [i.code for i in doc.validation.issues]
    assert "numbering_gap" in codes and "numbering_duplicate" in codes


FORMAT_FIELD_SUBHEADINGS = """关于巡察反馈问题整改情况的报告
一、关于“三会一课”制度落实不到位的问题
（一）存在问题：部分支部组织生活不经常。
（二）整改措施：一是制定计划；二是定期督查。
（三）整改结果：已完成整改。
二、关于“财务管理不规范”的问题
（一）存在问题：报销审批不严。
（二）整改措施：修订财务制度。
（三）整改结果：正在整改中。
"""


def test_field_sub_headings_belong_to_their_item():
    doc = parse_text(FORMAT_FIELD_SUBHEADINGS)
    assert [i.title for i in doc.items] == ["“三会一课”制度落实不到位", "财务管理不规范"]
    assert [i.status for i in doc.items] == ["completed", "in_progress"]
    assert doc.items[0].actions and doc.items[0].actions.startswith("一是制定计划")
    assert [len(i.measures) for i in doc.items] == [2, 0]


FORMAT_STATUS_TAGS = """关于巡察反馈意见整改落实情况的通报
二、反馈问题整改情况
1.【已完成】关于“财务审批不严”的问题
整改进展：已完成。
具体整改措施：一是修订制度；二是开展培训。
责任领导：张三
2.【正在推进】关于“项目推进缓慢”的问题
具体整改措施：成立专班。
3.关于“档案管理混乱”的问题
整改进展：基本完成
"""


def test_bracketed_status_tags_and_status_only_fields():
    doc = parse_text(FORMAT_STATUS_TAGS)
    assert [i.title for i in doc.items] == ["财务审批不严", "项目推进缓慢", "档案管理混乱"]
    assert [i.status for i in doc.items] == ["completed", "in_progress", "basically_completed"]
    first = doc.items[0]
    assert first.actions == "一是修订制度；二是开展培训。"  # ends before 责任领导
    assert len(first.measures) == 2


def test_a_time_limit_of_长期坚持_is_a_deadline_not_a_status():
    """长期坚持 is in the status vocabulary (长期整改), but under 完成时限： it is how long a task runs."""
    doc = parse_text(
        "某县巡察整改工作方案\n\n一、整改任务\n\n（一）加强资金管理\n整改措施：建立资金台账。\n责任单位：县财政局\n"
        "完成时限：长期坚持\n\n（二）规范采购程序\n整改措施：修订采购办法。\n责任单位：县财政局\n完成时限：2024年6月底前\n"
        "\n（三）清理闲置资产\n整改措施：开展资产清查。\n整改进展：已完成。\n"
    )
    assert [(i.title, i.kind) for i in doc.items] == [("加强资金管理", "task"), ("规范采购程序", "task"),
                                                   ("清理闲置资产", "task")]
    assert [i.status for i in doc.items] == [None, None, "completed"]
    assert [[d.text for d in i.deadlines] for i in doc.items] == [["长期坚持"], ["2024年6月底前"], []]
