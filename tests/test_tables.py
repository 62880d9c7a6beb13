"""Task-list tables: when a bulletin's problems are listed only in a table, its rows become the items."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectiparse import parse_bytes, parse_text
from rectiparse.models import Document, Loaded, LoadedTable, Source
from rectiparse.normalise import task_columns
from rectiparse.pipeline import run
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
    # the table's cells are in the text once, as the file has them: no "1. title" or "header：cell" invented
    [table] = doc.tables
    assert doc.text.endswith("\n".join(PLAN.splitlines()[4:]))
    assert "1. " not in doc.text and "整改措施：" not in doc.text
    assert all(doc.text.count(i.title) == 1 for i in doc.items)
    # every span of an item points at a cell of the table, and the item says which
    for r, item in enumerate(doc.items):
        assert item.table is not None
        assert (item.table.table, item.table.row) == (0, r)
        assert item.table.columns == {"number": 0, "title": 1, "actions": 2, "units_lead": 3, "deadline": 4}
        assert item.spans["title"] == table.cell_spans[r][1]
        assert item.spans["number"] == table.cell_spans[r][0]
        assert item.spans["actions"] == table.cell_spans[r][2]
        assert [d.span for d in item.deadlines] == [table.cell_spans[r][4]]
        assert item.span == (table.cell_spans[r][0][0], table.cell_spans[r][4][1])
    assert doc.text[money.span[0] : money.span[1]] == money.text
    assert table.span is not None and doc.text[table.span[0] : table.span[1]].startswith("序号\t问题")
    # the table stays a table, its rows linked to the items read from them
    assert table.row_items == ["1", "2", "3"]
    assert [doc.text[s:e] for s, e in table.column_spans] == table.columns  # type: ignore[misc]
    [info] = [i for i in doc.validation.issues if i.code == "table_items"]
    assert info.severity == "info" and "3 row(s)" in info.message and info.span == table.span
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


def _run_tables(body: str, *tables: LoadedTable, fmt: str = "docx") -> Document:
    """The pipeline over a loaded document whose tables the loader kept out of its text (DOCX, HTML, PDF)."""
    from rectiparse.loaders.txt import blocks_from_text

    return run(Loaded(source=Source(format=fmt), text=body, blocks=blocks_from_text(body) if body else [],  # type: ignore[arg-type]
                      tables=list(tables)))


MERGED = LoadedTable(
    columns=["序 号", "存在问题", "整改措施", "牵头单位", "完成时限"],
    rows=[
        ["1", "A问题", "措施甲", "县发改局", "2024年12月底前"],
        ["2", "B问题", "措施乙", None, None],  # merged with the row above
        ["序 号", "存在问题", "整改措施", "牵头单位", "完成时限"],  # header repeated on the next page
        ["", "C问题", "措施丙", "县住建局", ""],
    ],
)


def test_merged_cells_repeat_the_cell_above_and_header_rows_repeated_on_a_new_page_are_skipped():
    doc = _run_tables("", MERGED)
    [table] = doc.tables
    assert [(i.number, i.title, i.actions, i.units.lead) for i in doc.items] == [
        ("1", "A问题", "措施甲", ["县发改局"]), ("2", "B问题", "措施乙", ["县发改局"]), ("3", "C问题", "措施丙", ["县住建局"]),
    ]
    assert [i.table.row for i in doc.items if i.table] == [0, 1, 3]
    assert table.row_items == ["1", "2", None, "3"]
    # the merged cell is written once, where it stands; the row below points at it
    assert doc.text.count("2024年12月底前") == 1
    [d1], [d2] = doc.items[0].deadlines, doc.items[1].deadlines
    assert d1 == d2 and d1.span == table.cell_spans[0][4] and d1.date == "2024-12-31"
    assert doc.items[2].deadlines == []
    assert "number" not in doc.items[2].spans  # counted, not written
    assert table.cell_spans[1][3] is None and table.cell_spans[3][0] is None


@pytest.mark.parametrize("columns", [["项目", "金额"], ["序号", "问题"], ["问题"]])
def test_what_is_not_a_task_list(columns):
    table = LoadedTable(columns=columns, rows=[["x"] * len(columns)])
    assert task_columns(table, load_rules()) is None
    doc = _run_tables("某局整改情况", table)
    assert doc.text == "某局整改情况" and doc.items == [] and doc.tables[0].span is None


def test_a_status_column_gives_the_status_where_it_is_written():
    table = LoadedTable(columns=["序号", "整改任务", "责任单位", "配合单位", "完成情况"], page=3, rows=[
        ["1", "建立资金台账", "县财政局（牵头）、县审计局", "县发改局", "已完成"],
        ["2", "清查国有资产", "县机关事务中心", "", "正在推进"],
        ["3", "修订采购办法", "县财政局", "", "是"],
    ])
    doc = _run_tables("某县整改任务清单", table, fmt="pdf")
    assert [(i.kind, i.status, i.status_text) for i in doc.items] == [
        ("task", "completed", "已完成"), ("task", "in_progress", "正在推进"), ("task", "completed", "是"),
    ]
    assert doc.document.doc_type == "plan"
    first = doc.items[0]
    assert (first.units.lead, first.units.co) == (["县财政局"], ["县审计局", "县发改局"])
    assert first.spans["status_text"] == doc.tables[0].cell_spans[0][4]
    assert first.table is not None and first.table.columns["status"] == 4 and first.table.page == 3
    assert [i.page for i in doc.items] == [3, 3, 3]


def test_a_word_file_whose_tasks_are_a_table():
    doc = parse_bytes(_docx_plan("根据巡察反馈意见，现将整改任务分解如下。"), "tasks.docx")
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


def test_an_untitled_table_is_written_out_as_its_cells_without_an_invented_heading():
    doc = _run_tables("某局整改情况", LoadedTable(columns=["问题", "整改措施"], rows=[["A问题", "措施甲"]]))
    assert doc.text == "某局整改情况\n问题\t整改措施\nA问题\t措施甲"
    [item] = doc.items
    assert (item.title, item.actions, item.spans["title"], item.spans["actions"]) == ("A问题", "措施甲", (15, 18), (19, 22))
    [issue] = [i for i in doc.validation.issues if i.code == "table_items"]
    assert "an untitled table" in issue.message


class _Counter:
    def __init__(self) -> None:
        self.calls: dict[str, int] = {}

    def wrap(self, monkeypatch: pytest.MonkeyPatch, module: str, name: str) -> None:
        import importlib

        mod = importlib.import_module(module)
        real = getattr(mod, name)

        def counted(*args, **kwargs):
            self.calls[name] = self.calls.get(name, 0) + 1
            return real(*args, **kwargs)

        monkeypatch.setattr(mod, name, counted)


@pytest.mark.parametrize("case", ["table rows", "body items", "no items"])
def test_the_pipeline_runs_each_stage_once(monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    count = _Counter()
    for module, name in [("rectiparse.normalise", "normalise"), ("rectiparse.segment", "segment"),
                         ("rectiparse.extract", "extract"), ("rectiparse.validate", "validate")]:
        count.wrap(monkeypatch, module, name)
    text = {"table rows": PLAN, "body items": PLAN.replace("附件：", "一、工作任务\n（一）加快专项资金拨付。\n\n附件："),
            "no items": "某局工作动态\n近日，某局召开会议。"}[case]
    doc = parse_text(text, "plan.txt")
    assert count.calls == {"normalise": 1, "segment": 1, "extract": 1, "validate": 1}
    assert len(doc.items) == {"table rows": 3, "body items": 1, "no items": 0}[case]


def _docx_plan(*intro: str) -> bytes:
    """The plan's task table in a Word file, under its title and any ``intro`` paragraphs."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("某局巡察整改任务清单")
    for line in intro:
        d.add_paragraph(line)
    rows = [line.split("\t") for line in PLAN.splitlines()[5:]]
    t = d.add_table(rows=len(rows), cols=5)
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            t.cell(r, c).text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


_HTML_PLAN = ("<html><body><div class='article'><h1>某县整改任务清单</h1><p>现将整改任务清单公布如下。</p>"
              "<table><tr><th>序号</th><th>存在问题</th><th>整改措施</th><th>整改情况</th><th>完成时限</th></tr>"
              "<tr><td>1</td><td>部分专项资金未及时拨付</td><td>加快资金拨付进度</td><td>已完成</td><td>2024年6月底前</td></tr>"
              "<tr><td>2</td><td>政府采购程序不规范</td><td>修订采购管理办法</td><td>正在整改，已起草办法</td>"
              "<td>2024年9月30日前</td></tr></table></div></body></html>")


def _documents() -> dict[str, Document]:
    return {
        "txt": parse_text(PLAN, "plan.txt"),
        "docx": parse_bytes(_docx_plan(), "plan.docx"),
        "html": parse_bytes(_HTML_PLAN.encode(), "plan.html"),
        "merged": _run_tables("某县整改任务清单", MERGED),
    }


def _assert_spans_point_at_cells(doc: Document) -> None:
    """Every value of a table item is the text its span marks, and that text is a cell of its own table."""
    assert doc.items and doc.validation.ok
    for item in doc.items:
        assert item.table is not None
        table = doc.tables[item.table.table]
        cells = {sp for row in table.cell_spans for sp in row if sp is not None}
        for name, value in [("title", item.title), ("status_text", item.status_text), ("actions", item.actions),
                            ("opinion", item.opinion), ("next_steps", item.next_steps), ("number", item.number)]:
            if name in item.spans:
                s, e = item.spans[name]
                assert doc.text[s:e] == value, name
                assert any(a <= s and e <= b for a, b in cells), name
        assert item.spans["title"] in cells
        for d in item.deadlines:
            assert d.span is not None and doc.text[d.span[0] : d.span[1]] == d.text
            assert any(a <= d.span[0] and d.span[1] <= b for a, b in cells)
        for f in item.figures:
            assert doc.text[f.span[0] : f.span[1]] == f.text
        assert table.span is not None and table.span[0] <= item.span[0] <= item.span[1] <= table.span[1]


@pytest.mark.parametrize("kind", ["txt", "docx", "html", "merged"])
def test_table_items_spans_point_at_table_cells(kind: str) -> None:
    doc = _documents()[kind]
    _assert_spans_point_at_cells(doc)
    if kind == "html":
        assert [(i.status, i.status_text, i.actions) for i in doc.items] == [
            ("completed", "已完成", "加快资金拨付进度"), ("in_progress", "正在整改", "修订采购管理办法"),
        ]


_CELL = st.text(alphabet="问题资金台账整改措施县局办公室完成年月日一二三0123456789，、（） ", min_size=0, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(_CELL, _CELL, st.one_of(st.none(), _CELL), st.one_of(st.none(), _CELL)),
                     min_size=1, max_size=6),
       body=st.sampled_from(["", "某局整改任务清单", "某局整改任务清单\n现将任务公布如下。"]))
def test_any_task_table_gives_items_whose_spans_are_its_cells(rows, body) -> None:
    table = LoadedTable(columns=["序号", "存在问题", "责任单位", "完成时限"], rows=[list(r) for r in rows])
    doc = _run_tables(body, table)
    [t] = doc.tables
    # the cells are in the text verbatim, once each, and nothing else follows the body
    for row, spans in zip(table.rows, t.cell_spans, strict=True):
        for cell, sp in zip(row, spans, strict=True):
            assert (sp is None) == (cell is None or not cell.strip())
            if sp is not None:
                assert doc.text[sp[0] : sp[1]] == (cell or "").strip()
    for item in doc.items:
        assert item.table is not None and doc.text[item.spans["title"][0] : item.spans["title"][1]] == item.title
        for d in item.deadlines:
            assert d.span is not None and doc.text[d.span[0] : d.span[1]] == d.text
    assert not [i for i in doc.validation.issues if i.code == "span_mismatch"]
