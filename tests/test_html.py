"""HTML loader: article text without site chrome, charset, metadata box, tables; parity with the .txt seeds.

The sample pages (samples/html, rendered by scripts/make_samples_web.py) copy five CMS families; the
inline pages below are shapes the samples do not have (other metadata layouts, wrong charset
declarations, XHTML, a logo in <h1>), so the tests are not a mirror of the renderer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rectiparse.loaders import LoadError, load, load_bytes
from rectiparse.loaders.html import collapse, metadata_pairs, normalise_date
from rectiparse.normalise import normalise

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "samples").glob("[0-9][0-9][0-9]_*.txt"))
PAGES = {p.stem: ROOT / "samples" / "html" / f"{p.stem}.html" for p in SEEDS}
BAD = ROOT / "tests" / "fixtures" / "bad"

CHROME = [
    "打印本页", "关闭窗口", "分享到", "当前位置", "您现在的位置", "网站标识码", "ICP备", "公网安备", "主办单位",
    "承办单位", "技术支持", "网站地图", "联系我们", "相关阅读", "相关链接", "相关文章", "相关新闻", "上一篇",
    "下一篇", "浏览次数", "扫一扫", "机构概况", "政务服务", "热点专题", "var _hmt", "Produced By",
    "访问统计代码", "微博", "QQ空间", "请输入关键词", "2022年法治政府建设年度报告", "字号", "字体",
]
CHROME = [c for c in CHROME if c not in ("主办单位", "承办单位")] + ["主办单位：", "承办单位："]


def _paras(text: str) -> list[str]:
    """Non-empty lines with white space removed (a space next to a paired quote may differ)."""
    return ["".join(line.split()) for line in text.split("\n") if line.strip()]


@pytest.fixture(scope="module")
def loaded():
    return {stem: load(path) for stem, path in PAGES.items()}


@pytest.mark.parametrize("stem", list(PAGES))
def test_no_site_chrome_in_text(loaded, stem):
    text = loaded[stem].text
    found = [c for c in CHROME if c in text]
    assert not found, f"{stem}: chrome left in the article text: {found}"


@pytest.mark.parametrize("stem", list(PAGES))
def test_every_seed_paragraph_is_in_the_page_text(loaded, stem):
    seed = normalise(load(ROOT / "samples" / f"{stem}.txt"))
    page = set(_paras(normalise(loaded[stem]).text))
    missing = []
    for start, end in seed.paragraphs():
        p = "".join(seed.text[start:end].split())
        if p in page or p == "通知公告" or p.startswith(("索引号", "组配分类", "生成日期", "发布日期")):
            continue
        src = seed.to_source(start)
        if "\t" in seed.source_text[src : seed.source_text.find("\n", src)]:
            continue  # a row of the annex table: it is a LoadedTable on the web page
        missing.append(p[:40])
    assert not missing, f"{stem}: {len(missing)} seed paragraphs missing, e.g. {missing[:3]}"


def test_paragraphs_split_at_br_like_at_p(loaded):
    # seed 002's page has no <p>: every paragraph ends at <br>
    stem = next(s for s in PAGES if s.startswith("002"))
    assert b"<p" not in PAGES[stem].read_bytes().split(b'id="Zoom"')[1].split(b"</div>")[0]
    blocks = [b for b in loaded[stem].blocks if b.style is None]
    assert len(blocks) > 60
    assert all(b.ends_paragraph for b in loaded[stem].blocks)
    assert any(b.text.startswith("1.关于产业项目与合同约定投资强度") for b in blocks)


def test_encodings_detected(loaded):
    enc = {stem[:3]: loaded[stem].source.encoding for stem in loaded}
    assert enc["001"] == "gb18030"  # http-equiv charset=gbk
    assert enc["003"] == "gb18030"  # <meta charset="gb2312">
    assert enc["004"] == "gb18030"  # GBK bytes, no declaration at all: detected
    assert enc["000"] == "utf-8" and enc["002"] == "utf-8"
    assert "关于巡察整改情况的通报" in loaded[next(s for s in PAGES if s.startswith("003"))].text


def test_metadata_box_mapped(loaded):
    m = loaded[next(s for s in PAGES if s.startswith("003"))].metadata
    assert m["index_number"] == "001008003015161/2021-00113"
    assert m["publish_date"] == "2021-03-04"
    assert m["issuer"] == "温州浙南科技城管委会"
    assert m["title"] == "温州浙南科技城管理委员会关于巡察整改情况的通报"
    m1 = loaded[next(s for s in PAGES if s.startswith("001"))].metadata
    assert m1["doc_number"] == "东政发〔2022〕21号" and m1["date"] == "2022-05-31"
    assert m1["publish_date"] == "2022-06-02"


def test_metadata_kept_as_blocks(loaded):
    page = loaded[next(s for s in PAGES if s.startswith("003"))]
    meta = [b.text for b in page.blocks if b.style == "metadata"]
    assert "索引号：001008003015161/2021-00113" in meta
    assert any(t.startswith("发布日期：2021-03-04") for t in meta)
    titles = [b for b in page.blocks if b.style == "title"]
    assert len(titles) == 1 and titles[0].text == page.metadata["title"]
    for b in page.blocks:
        assert page.text[b.start : b.start + len(b.text)] == b.text


def test_titles_found_without_article_title_meta(loaded):
    # 002: <h1> (no ArticleTitle meta); 004: a plain <div>, the <title> is only the site name
    for prefix, title in (("002", "中共邵阳经济技术开发区工作委员会关于巡视整改进展情况的通报"),
                          ("004", "XX经济开发区D工委关于巡察整改进展情况的通报")):
        page = loaded[next(s for s in PAGES if s.startswith(prefix))]
        assert page.metadata["title"] == title
        assert [b.text for b in page.blocks if b.style == "title"] == [title]


def test_annex_table_is_a_table_not_body_text(loaded):
    page = loaded[next(s for s in PAGES if s.startswith("001"))]
    assert len(page.tables) == 1
    table = page.tables[0]
    # the seed's table has one ragged row with a 7th cell, hence an unnamed 7th column
    assert table.columns[:6] == ["序号", "五大行动", "十四五目标", "年度目标及整改措施", "牵头单位", "配合单位"]
    assert not any(table.columns[6:])
    assert len(table.rows) >= 20
    assert table.title == "市十六届人大一次会议一号议案办理工作任务清单"
    assert "序号" not in page.text


# --------------------------------------------------------------------------- other page shapes


def _page(body: str, head: str = '<meta charset="utf-8"><title>测试页</title>') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


PARA = "根据市委统一部署，市委巡察组对本单位开展了常规巡察，并反馈了巡察意见，现将整改情况予以公布。"
PARA2 = "一是提高政治站位，把巡察整改作为重大政治任务，成立整改工作领导小组，逐条制定整改措施。"


def test_ul_metadata_box_and_related_list_inside_article():
    html = _page(
        '<div class="logo"><h1>浙江省人民政府</h1></div>'
        '<ul class="xxgk"><li><span>索引号：</span><span>11330000002482/2023-12345</span></li>'
        "<li><span>发文字号：</span>浙政办发〔2023〕5号</li><li>成文日期：2023年3月1日</li>"
        "<li>发布机构：浙江省人民政府办公厅</li></ul>"
        '<div class="bt-article"><h2 class="bt-title">关于巡察整改情况的通报</h2>'
        '<div class="bt-content"><p>【字体：<a>大</a> <a>中</a> <a>小</a>】</p>'
        f"<p>{PARA}</p><p>{PARA2}</p>"
        '<div class="xglj"><h4>相关链接</h4><ul><li><a href="/1">省政府办公厅关于印发工作要点的通知</a></li>'
        '<li><a href="/2">关于开展专项检查的通知</a></li><li><a href="/3">2023年政务公开要点</a></li></ul></div>'
        "</div></div>"
    )
    page = load_bytes(html, "x.html")
    assert page.metadata["index_number"] == "11330000002482/2023-12345"
    assert page.metadata["doc_number"] == "浙政办发〔2023〕5号"
    assert page.metadata["date"] == "2023-03-01"
    assert page.metadata["issuer"] == "浙江省人民政府办公厅"
    assert page.metadata["title"] == "关于巡察整改情况的通报"  # not the logo's <h1>
    body = [b.text for b in page.blocks if b.style is None]
    assert body == [PARA, PARA2]


def test_declared_charset_that_lies_falls_back_to_the_bytes():
    gbk = _page(f"<div><p>{PARA}</p><p>{PARA2}</p></div>", '<meta charset="utf-8">').decode().encode("gbk")
    page = load_bytes(gbk, "gbk-says-utf8.html")
    assert page.source.encoding == "gb18030" and PARA in page.text
    assert any(i.code == "encoding_fallback" for i in page.issues)
    utf = _page(f"<div><p>{PARA}</p></div>", '<meta http-equiv="Content-Type" content="text/html; charset=GB2312">')
    page = load_bytes(utf, "utf8-says-gb2312.html")
    assert page.source.encoding == "utf-8" and PARA in page.text


def test_xhtml_with_xml_declaration_in_gbk():
    doc = (
        '<?xml version="1.0" encoding="GBK"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>通报</title>'
        f"</head><body><div id=\"content\"><p>{PARA}</p><p>{PARA2}</p></div></body></html>"
    ).encode("gbk")
    page = load_bytes(doc, "x.xhtml")
    assert page.source.encoding == "gb18030"
    assert [b.text for b in page.blocks if b.style is None] == [PARA, PARA2]


def test_source_line_breaks_inside_chinese_paragraph_vanish_and_hidden_text_is_dropped():
    wrapped = PARA[:20] + "\n      " + PARA[20:]
    html = _page(f'<div class="text"><p>{wrapped}</p><div style="display: none">隐藏的统计代码文字不是正文内容，应当去掉。</div>'
                 f"<p>{PARA2}</p></div>")
    page = load_bytes(html, "x.html")
    assert [b.text for b in page.blocks if b.style is None] == [PARA, PARA2]
    assert collapse("a\n b") == "a b" and collapse("整改\n  情况") == "整改情况"


def test_metadata_line_parsing():
    assert metadata_pairs("发布日期：2021-03-04 浏览次数：123 字号：[大 中 小]") == [
        ("发布日期", "2021-03-04", "publish_date")
    ]
    assert [k for _, _, k in metadata_pairs("索引号 001/2021-1 组配分类 通知公告 发布机构 某某委员会")] == [
        "index_number", "category", "issuer",
    ]
    assert metadata_pairs("根据文号的要求，发布日期应当提前。") == []  # a sentence, not a box
    assert normalise_date("2020年12月7日") == "2020-12-07"
    assert normalise_date("2023/1/5 10:20") == "2023-01-05"


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize("name", ["empty.html", "garbage.html", "no_text.html"])
def test_bad_pages_raise_load_error_naming_the_file(name):
    path = BAD / name
    with pytest.raises(LoadError) as err:
        load(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("name", ["empty.html", "garbage.html", "no_text.html"])
def test_cli_exits_2_without_traceback(name, capsys):
    from rectiparse.cli import main

    path = BAD / name
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err


# --------------------------------------------------------------------------- end to end


def _shape(doc):
    return [(i.number, i.title, i.status, len(i.measures)) for i in doc.items], doc.summary.model_dump(
        exclude={"span", "text"}
    )


@pytest.mark.parametrize("stem", list(PAGES))
def test_page_parses_like_its_text_version(stem):
    import rectiparse

    try:
        base = rectiparse.parse(ROOT / "samples" / f"{stem}.txt")
    except (ImportError, NotImplementedError) as exc:  # pipeline stage not built yet
        pytest.skip(f"pipeline not ready: {exc}")
    page = rectiparse.parse(PAGES[stem])
    assert page.source.format == "html"
    items, summary = _shape(page)
    base_items, base_summary = _shape(base)
    assert items == base_items
    assert summary == base_summary


def test_seed_003_page_fields():
    import rectiparse

    doc = rectiparse.parse(PAGES[next(s for s in PAGES if s.startswith("003"))])
    assert doc.document.publish_date == "2021-03-04"
    assert doc.document.index_number == "001008003015161/2021-00113"
    assert doc.document.title == "温州浙南科技城管理委员会关于巡察整改情况的通报"


def test_article_in_a_layout_grid_with_a_data_table_inside():
    # older CMSs put everything in a table grid: menu cell | article cell | spacer cell
    article = (
        f"<p>{PARA}</p><p>{PARA2}</p><p>整改任务清单</p>"
        "<table border=1><tr><td>序号</td><td>问题</td><td>责任单位</td></tr>"
        "<tr><td>1</td><td rowspan=2>招商引资质量不高</td><td>商务局</td></tr>"
        "<tr><td>2</td><td>发改局</td></tr></table>"
    )
    html = _page(
        '<table width="1000"><tr><td colspan="3"><a href="/">首页</a> <a href="/x">政务公开</a></td></tr>'
        '<tr><td width="200"><a href="/1">工作动态</a><br><a href="/2">通知公告</a></td>'
        f'<td width="780"><table><tr><td class="title">关于巡察整改情况的通报</td></tr><tr><td>{article}</td></tr></table></td>'
        '<td width="20">&nbsp;</td></tr></table>'
    )
    page = load_bytes(html, "grid.html")
    body = [b.text for b in page.blocks if b.style is None]
    assert body[:2] == [PARA, PARA2]
    assert "首页" not in page.text and "工作动态" not in page.text
    assert len(page.tables) == 1
    assert page.tables[0].title == "整改任务清单"
    assert page.tables[0].columns == ["序号", "问题", "责任单位"]
    assert page.tables[0].rows == [["1", "招商引资质量不高", "商务局"], ["2", "招商引资质量不高", "发改局"]]


def test_pasted_line_wraps_at_br_are_rejoined_but_blank_lines_and_indents_split():
    wrapped = f"{PARA[:18]}<br>{PARA[18:40]}<br>{PARA[40:]}"
    html = _page(
        f'<div class="content"><p>{wrapped}</p>'
        f"{PARA2[:20]}<br><br>{PARA2[20:]}<br>"
        f"&nbsp;&nbsp;{PARA}<br>&nbsp;&nbsp;{PARA2}<br></div>"
    )
    text = normalise(load_bytes(html, "wrapped.html")).text.split("\n")
    assert PARA in text  # three visual lines, one paragraph
    assert PARA2[:20] in text and PARA2[20:] in text  # <br><br> is a paragraph break
    assert text[-2:] == [PARA, PARA2]  # indented lines start paragraphs
