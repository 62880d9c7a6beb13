"""DOCX loader: paragraph order, Word's automatic numbering rebuilt, tables, styles; parity with .txt.

The samples (samples/docx) come from scripts/make_samples_web.py; the documents built in the tests below
exercise what those samples do not: numbering attached through a paragraph style, isLgl, bullets,
numId 0, circled numbers, merged cells, tracked deletions, content controls, manual line breaks and
layout tables.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from rectiparse.loaders import LoadError, load, load_bytes
from rectiparse.loaders.docx import chinese_counting, format_number

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "samples").glob("[0-9][0-9][0-9]_*.txt"))
FILES = {p.stem: ROOT / "samples" / "docx" / f"{p.stem}.docx" for p in SEEDS}
BAD = ROOT / "tests" / "fixtures" / "bad"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _stem(prefix: str) -> str:
    return next(s for s in FILES if s.startswith(prefix))


def test_chinese_counting_and_formats():
    assert [chinese_counting(n) for n in (1, 9, 10, 11, 20, 21, 99, 100, 105, 110)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十",
    ]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(4, "upperRoman") == "IV" and format_number(28, "lowerLetter") == "bb"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert format_number(3, "chineseLegalSimplified") == "叁"


def test_numbered_headings_are_rebuilt_from_numbering_xml():
    path = FILES[_stem("004")]
    raw = zipfile.ZipFile(path).read("word/document.xml").decode()
    # the markers are not in the stored text: Word draws them from numbering.xml
    assert "1.关于“部分产业集聚效应不明显”" not in raw and "二、整改落实情况" not in raw
    loaded = load(path)
    texts = [b.text for b in loaded.blocks]
    for expected in ("一、整改工作组织情况", "二、整改落实情况", "（一）已整改完成的问题",
                     "1.关于“部分产业集聚效应不明显”问题的整改", "18.", "（二）", "三、"):
        assert any(t.startswith(expected) for t in texts), expected
    # after （二） the 1. 2. … list starts again
    i = next(k for k, t in enumerate(texts) if t.startswith("（二）"))
    assert texts[i + 1].startswith("1.")
    assert {b.style for b in loaded.blocks if b.text.startswith(("一、", "（一）"))} == {"heading"}


def test_numbering_with_level_restart_and_start_override():
    # seed 002: 1.–14. run on across （一）…（七）, and a startOverride follows the literal "(三)"
    texts = [b.text for b in load(FILES[_stem("002")]).blocks]
    numbered = [t.split(".")[0] for t in texts if t[:2].rstrip(".").isdigit() and "." in t[:3]]
    assert numbered[:14] == [str(n) for n in range(1, 15)]
    groups = [t[:3] for t in texts if t.startswith(("（", "("))]
    assert groups == ["（一）", "（二）", "(三)", "（四）", "（五）", "（六）", "（七）"]


@pytest.mark.parametrize("stem", list(FILES))
def test_every_seed_paragraph_is_in_the_docx_text(stem):
    from rectiparse.normalise import normalise

    seed = normalise(load(ROOT / "samples" / f"{stem}.txt"))
    ours = {"".join(p.split()) for p in normalise(load(FILES[stem])).text.split("\n")}
    missing = []
    for start, end in seed.paragraphs():
        p = "".join(seed.text[start:end].split())
        src = seed.to_source(start)
        if p in ours or "\t" in seed.source_text[src : seed.source_text.find("\n", src)]:
            continue
        if p == "通知公告" or p.startswith(("索引号", "组配分类", "生成日期", "发布日期")):
            continue  # web-page furniture of seed 003; a Word file has none
        missing.append(p[:40])
    assert not missing, f"{stem}: {missing[:3]}"


def test_title_style_core_properties_and_annex_table():
    loaded = load(FILES[_stem("001")])
    assert loaded.metadata["title"].endswith("实施方案》的通知")
    assert [b.text for b in loaded.blocks if b.style == "title"] == [loaded.metadata["title"]]
    assert len(loaded.tables) == 1
    table = loaded.tables[0]
    assert table.columns[:6] == ["序号", "五大行动", "十四五目标", "年度目标及整改措施", "牵头单位", "配合单位"]
    assert table.title == "市十六届人大一次会议一号议案办理工作任务清单"
    assert "年度目标及整改措施" not in loaded.text
    # a vertically merged 五大行动 cell is filled from the cell it continues
    assert any(r[1] and r[1] == prev[1] for prev, r in zip(table.rows, table.rows[1:], strict=False))
    assert all(b.ends_paragraph for b in loaded.blocks)
    for b in loaded.blocks:
        assert loaded.text[b.start : b.start + len(b.text)] == b.text


# --------------------------------------------------------------------------- hand-built documents


def _numbering_xml() -> str:
    lv = (
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%2.%3"/>'
        '<w:suff w:val="space"/></w:lvl>'
    )
    return (
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="70">{lv}</w:abstractNum>',
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="71"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>',
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="72"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%1"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum>',
    )


def _build_docx() -> bytes:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    first_num = numbering.find(f"{{{W}}}num")
    for xml in _numbering_xml():
        node = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(node)
        else:
            numbering.append(node)
    for num_id, abs_id in ((70, 70), (71, 71), (72, 72)):
        numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="{num_id}"><w:abstractNumId w:val="{abs_id}"/></w:num>'))
    # Heading 1 carries the list through its style (no numPr on the paragraphs)
    h1 = d.styles["Heading 1"].element
    h1.get_or_add_pPr().insert(0, parse_xml(f'<w:numPr xmlns:w="{W}"><w:numId w:val="70"/></w:numPr>'))

    def numbered(text: str, num: int, lvl: int, style: str | None = None):
        p = d.add_paragraph(text, style=style)
        p._p.get_or_add_pPr().insert(
            0, parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr>')
        )
        return p

    d.core_properties.title = "测试整改情况的通报"
    d.add_paragraph("测试整改情况的通报", style="Title")
    d.add_heading("总体情况", level=1)  # → 一、 from the style
    numbered("组织领导", 70, 1)  # → （一）
    numbered("细化措施", 70, 2)  # → 1.1 (isLgl: the 一 of level 2 is written 1)
    numbered("压实责任", 70, 2)  # → 1.2
    d.add_heading("具体问题", level=1)  # → 二、
    numbered("第一个问题", 70, 1)  # → （一） again: restarted by 二、
    numbered("要点", 71, 0)  # bullet: no marker
    numbered("第一点", 72, 0)  # ①
    numbered("第二点", 72, 0)  # ②
    p = numbered("不编号的段落", 0, 0)  # numId 0 switches numbering off
    # a manual line break, a tracked deletion and a tracked insertion
    p = d.add_paragraph("签发单位")
    p.runs[0]._r.append(parse_xml(f'<w:br xmlns:w="{W}"/>'))
    p.add_run("2024年1月2日")
    p._p.append(parse_xml(f'<w:del xmlns:w="{W}" w:id="1" w:author="a"><w:r><w:delText>删掉的字</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins xmlns:w="{W}" w:id="2" w:author="a"><w:r><w:t>（已盖章）</w:t></w:r></w:ins>'))
    # a content control holding a paragraph
    d.element.body.insert(
        len(d.element.body) - 1,
        parse_xml(f'<w:sdt xmlns:w="{W}"><w:sdtContent><w:p><w:r><w:t>控件里的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>'),
    )
    # a layout table (one column) and a data table with a horizontal and a vertical merge
    layout = d.add_table(rows=2, cols=1)
    layout.cell(0, 0).text = "版头里的文字"
    layout.cell(1, 0).text = "第二行文字"
    t = d.add_table(rows=3, cols=3)
    for j, h in enumerate(("序号", "问题", "责任单位")):
        t.cell(0, j).text = h
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "问题甲"
    t.cell(1, 2).text = "财政局"
    t.cell(2, 0).text = "2"
    t.cell(2, 1).text = "问题乙"
    t.cell(1, 2).merge(t.cell(2, 2))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def built():
    return load_bytes(_build_docx(), "built.docx")


def test_hand_built_numbering(built):
    texts = [b.text for b in built.blocks]
    assert texts[:10] == [
        "测试整改情况的通报",
        "一、总体情况",
        "（一）组织领导",
        "1.1 细化措施",
        "1.2 压实责任",
        "二、具体问题",
        "（一）第一个问题",
        "要点",
        "①第一点",
        "②第二点",
    ]
    assert "不编号的段落" in texts
    assert built.blocks[1].style == "heading" and built.blocks[0].style == "title"
    assert built.metadata["title"] == "测试整改情况的通报"


def test_line_breaks_revisions_and_content_controls(built):
    texts = [b.text for b in built.blocks]
    assert "签发单位" in texts and "2024年1月2日（已盖章）" in texts
    assert "删掉的字" not in built.text
    assert "控件里的段落" in texts


def test_layout_table_is_text_and_data_table_is_a_table(built):
    assert "版头里的文字" in built.text and "第二行文字" in built.text
    assert len(built.tables) == 1
    table = built.tables[0]
    assert table.columns == ["序号", "问题", "责任单位"]
    assert table.rows == [["1", "问题甲", "财政局"], ["2", "问题乙", "财政局"]]
    assert "问题甲" not in built.text


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize("name", ["truncated.docx", "spreadsheet.docx"])
def test_bad_word_files_raise_load_error_naming_the_file(name):
    path = BAD / name
    with pytest.raises(LoadError) as err:
        load(path)
    assert str(path) in str(err.value)


def test_torn_xml_inside_a_valid_zip():
    good = FILES[_stem("004")].read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            zout.writestr(info, data)
    with pytest.raises(LoadError, match=r"torn\.docx"):
        load_bytes(out.getvalue(), "torn.docx")


def test_cli_exits_2_without_traceback(capsys):
    from rectiparse.cli import main

    path = BAD / "truncated.docx"
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err


# --------------------------------------------------------------------------- end to end


def _shape(doc):
    return [(i.number, i.title, i.status, len(i.measures)) for i in doc.items], doc.summary.model_dump(
        exclude={"span", "text"}
    )


@pytest.mark.parametrize("stem", list(FILES))
def test_docx_parses_like_its_text_version(stem):
    import rectiparse

    base = rectiparse.parse(ROOT / "samples" / f"{stem}.txt")
    doc = rectiparse.parse(FILES[stem])
    assert doc.source.format == "docx"
    assert _shape(doc) == _shape(base)


def test_text_box_read_once_and_list_style_link():
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    first_num = numbering.find(f"{{{W}}}num")
    real = parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="80"><w:styleLink w:val="CNList"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1条"/>'
        '<w:suff w:val="space"/></w:lvl></w:abstractNum>'
    )
    linked = parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="81"><w:numStyleLink w:val="CNList"/></w:abstractNum>')
    for node in (real, linked):
        if first_num is not None:
            first_num.addprevious(node)
        else:
            numbering.append(node)
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="80"><w:abstractNumId w:val="80"/></w:num>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="81"><w:abstractNumId w:val="81"/></w:num>'))
    d.styles.element.append(
        parse_xml(
            f'<w:style xmlns:w="{W}" w:type="numbering" w:styleId="CNList"><w:name w:val="CN List"/>'
            '<w:pPr><w:numPr><w:numId w:val="80"/></w:numPr></w:pPr></w:style>'
        )
    )
    for text in ("总则内容", "分则内容"):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().insert(
            0, parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="81"/></w:numPr>')
        )
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    box = (
        f'<w:r xmlns:w="{W}" xmlns:mc="{mc}" xmlns:wps="{wps}"><mc:AlternateContent>'
        '<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>某某市人民政府文件</w:t></w:r></w:p>'
        "</w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>某某市人民政府文件</w:t></w:r></w:p></w:txbxContent></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )
    anchor = d.add_paragraph("正文第一段。")
    anchor._p.append(parse_xml(box))
    buf = io.BytesIO()
    d.save(buf)
    loaded = load_bytes(buf.getvalue(), "box.docx")
    texts = [b.text for b in loaded.blocks]
    assert texts == ["第一条 总则内容", "第二条 分则内容", "正文第一段。", "某某市人民政府文件"]
