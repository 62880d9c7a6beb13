"""Task-list tables: when a bulletin's problems are listed only in a table, its rows become the items."""

from __future__ import annotations

import io

import pytest

from rectiparse import parse_bytes, parse_text
from rectiparse.models import LoadedTable
from rectiparse.normalise import task_table_lines
from rectiparse.rules import load_rules

PLAN = (
    "某县审计整改工作方案\n\n"
    "为抓好审计查出问题整改，制定本方案。各单位要压实责任，确保按期完成。\n\n"
    "附件：审计查出问题整改任务清单\n"
    "序号\t问题\t整改措施\t责任单位\t完成时限\n"
    "1\t部分专项资金未及时拨付，滞留资金1200万元\t加快资金拨付进度，建立台账\t县财政局\t2024年6月底前\n"
    "2\t政府采购程序不规范\t修订采购管理办法\t县财政局、县政务服务中心\t2024年9月30日前\n"
    "3\t国有资产账实不符\t开展资产清查，核销不实资产\t县机关事务中心\t长期坚持\n"
)


def test_rows_of_a_task_table_become_items_with_their_fields():
    doc = parse_text(PLAN, "plan.txt")
    assert [i.title for i in doc.items] == [
        "部分专项资金未及时拨付，滞留资金1200万元", "政府采购程序不规范", "国有资产账实不符",
    ]
    assert [i.number for i in doc.items] == ["1", "2", "3"]
    assert [i.actions for i in doc.items] == ["加快资金拨付进度，建立台账", "修订采购管理办法", "开展资产清查，核销不实资产"]
    assert [i.units.lead for i in doc.items] == [["县财政局"], ["县财政局", "县政务服务中心"], ["县机关事务中心"]]
    assert [d.date for d in doc.items[0].deadlines] == ["2024-06-30"]
    assert [d.date for d in doc.items[1].deadlines] == ["2024-09-30"]
    [money] = doc.items[0].figures
    assert (money.value, money.unit, money.kind) == (12_000_000, "元", "money")
    # every span points at what it marks, in the text the rows were written into
    for item in doc.items:
        assert doc.text[item.span[0] : item.span[1]].startswith(f"{item.number}. {item.title}")
        assert doc.text[money.span[0] : money.span[1]] == money.text
    # the table stays a table, its rows linked to the items they became
    [table] = doc.tables
    assert table.row_items == ["1", "2", "3"]
    [info] = [i for i in doc.validation.issues if i.code == "table_items"]
    assert info.severity == "info" and "3 row(s)" in info.message
    assert doc.validation.ok


def test_a_table_that_is_not_a_task_list_gives_no_items():
    text = PLAN.replace("序号\t问题\t整改措施", "序号\t项目\t金额")
    doc = parse_text(text, "plan.txt")
    assert doc.items == []
    assert not any(i.code == "table_items" for i in doc.validation.issues)


def test_a_body_that_lists_its_items_keeps_them_and_the_table_is_only_linked():
    body = PLAN.replace(
        "附件：", "一、工作任务\n（一）加快专项资金拨付。\n（二）规范政府采购程序。\n（三）清查国有资产。\n\n附件："
    )
    doc = parse_text(body, "plan.txt")
    assert [(i.title, i.kind) for i in doc.items] == [
        ("加快专项资金拨付", "task"), ("规范政府采购程序", "task"), ("清查国有资产", "task"),
    ]
    assert not any(i.code == "table_items" for i in doc.validation.issues)


def test_merged_cells_repeat_the_cell_above_and_header_rows_repeated_on_a_new_page_are_skipped():
    table = LoadedTable(
        columns=["序 号", "存在问题", "整改措施", "牵头单位", "完成时限"],
        rows=[
            ["1", "A问题", "措施甲", "县发改局", "2024年12月底前"],
            ["2", "B问题", "措施乙", None, None],  # merged with the row above
            ["序 号", "存在问题", "整改措施", "牵头单位", "完成时限"],  # header repeated on the next page
            ["", "C问题", "措施丙", "县住建局", ""],
        ],
    )
    lines = task_table_lines(table, load_rules())
    assert lines == [
        "1. A问题", "整改措施：措施甲", "牵头单位：县发改局", "完成时限：2024年12月底前", "",
        "2. B问题", "整改措施：措施乙", "牵头单位：县发改局", "完成时限：2024年12月底前", "",
        "3. C问题", "整改措施：措施丙", "牵头单位：县住建局",
    ]


@pytest.mark.parametrize("columns", [["项目", "金额"], ["序号", "问题"], ["问题"]])
def test_what_is_not_a_task_list(columns):
    table = LoadedTable(columns=columns, rows=[["x"] * len(columns)])
    assert task_table_lines(table, load_rules()) is None


def test_a_word_file_whose_tasks_are_a_table():
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("某局巡察整改任务清单")
    d.add_paragraph("根据巡察反馈意见，现将整改任务分解如下。")
    rows = [line.split("\t") for line in PLAN.splitlines()[5:]]
    t = d.add_table(rows=len(rows), cols=5)
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            t.cell(r, c).text = value
    buf = io.BytesIO()
    d.save(buf)
    doc = parse_bytes(buf.getvalue(), "tasks.docx")
    assert doc.source.format == "docx"
    assert [i.title for i in doc.items] == [
        "部分专项资金未及时拨付，滞留资金1200万元", "政府采购程序不规范", "国有资产账实不符",
    ]
    assert doc.items[2].units.lead == ["县机关事务中心"]
    assert doc.items[2].deadlines[0].text == "长期坚持"


def test_a_pdf_whose_tasks_are_a_ruled_table_with_pages_on_the_items():
    pytest.importorskip("reportlab")
    from test_pdf import draw  # the same drawing helper the PDF loader tests use

    xs = [30, 55, 225, 345, 465, 565]
    rows = [line.split("\t") for line in PLAN.splitlines()[5:]]
    runs = [(72, 70, "某县审计整改工作方案", 14), (72, 100, "附件：审计查出问题整改任务清单", 12)]
    rules = []
    y = 120.0
    rules.append((xs[0], y, xs[-1], y))
    for row in rows:
        for c, cell in enumerate(row):
            runs.append((xs[c] + 3, y + 18, cell, 7))  # every cell fits its column on one line
        y += 30
        rules.append((xs[0], y, xs[-1], y))
    rules += [(x, 120.0, x, y) for x in xs]
    doc = parse_bytes(draw([runs], rules=[rules]), "plan.pdf")
    assert doc.source.format == "pdf"
    assert [i.title for i in doc.items] == [r[1] for r in rows[1:]]
    assert [d.date for d in doc.items[1].deadlines] == ["2024-09-30"]
    assert [i.units.lead for i in doc.items] == [["县财政局"], ["县财政局", "县政务服务中心"], ["县机关事务中心"]]
    assert all(i.page == 1 for i in doc.items)
    assert any(i.code == "table_items" and "page 1" in i.message for i in doc.validation.issues)


def test_a_web_page_whose_tasks_are_a_table():
    page = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>任务清单_某县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a></div>
<div class="article"><h1>某县审计查出问题整改任务清单</h1><p>发布日期：2024-03-05　来源：县审计局</p>
<p style="text-indent:2em">为抓好审计查出问题整改，现将整改任务清单公布如下。</p>
<table border="1"><tr><th>序号</th><th>存在问题</th><th>整改措施</th><th>牵头单位</th><th>完成时限</th></tr>
<tr><td>1</td><td>部分专项资金未及时拨付</td><td>加快资金拨付进度</td><td>县财政局</td><td>2024年6月底前</td></tr>
<tr><td>2</td><td>政府采购程序不规范</td><td>修订采购管理办法</td><td rowspan="1">县财政局</td><td>2024年9月30日前</td></tr>
</table></div><div class="footer">网站标识码：1234567890</div></body></html>"""
    doc = parse_bytes(page.encode("utf-8"), "plan.html")
    assert doc.source.format == "html"
    assert doc.document.publish_date == "2024-03-05"
    assert [(i.title, i.actions, i.units.lead) for i in doc.items] == [
        ("部分专项资金未及时拨付", "加快资金拨付进度", ["县财政局"]),
        ("政府采购程序不规范", "修订采购管理办法", ["县财政局"]),
    ]
    assert [d.date for i in doc.items for d in i.deadlines] == ["2024-06-30", "2024-09-30"]
    assert "网站标识码" not in doc.text


def test_an_untitled_table_is_written_out_without_an_invented_heading():
    from rectiparse.models import Loaded, Source
    from rectiparse.normalise import with_task_tables

    body = "某局整改情况"
    loaded = Loaded(source=Source(format="docx"), text=body, blocks=[], tables=[
        LoadedTable(columns=["问题", "整改措施"], rows=[["A问题", "措施甲"]]),
    ])
    out = with_task_tables(loaded, load_rules())
    assert out is not None
    tabled, [issue] = out
    assert tabled.text == "某局整改情况\n1. A问题\n整改措施：措施甲"
    assert [tabled.text[b.start : b.start + len(b.text)] for b in tabled.blocks] == ["1. A问题", "整改措施：措施甲"]
    assert "an untitled table" in issue.message
