"""The PDF path: layout → paragraphs with pages, page furniture removed, ruled tables, OCR, broken files.

Real outcomes on real files: the committed samples/pdf/*.pdf (rendered from the seeds by
scripts/make_samples_pdf.py) must give the same items and summary as their .txt seeds, with the page each
item and measure stands on checked against an independent text extractor (pdfium). Layouts the samples do
not cover (no indentation, ragged right, other page-number styles, a table that continues with an empty
merged cell) are drawn here with reportlab's built-in STSong-Light CID font, so no system font is needed.
"""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rectiparse
from rectiparse.loaders import LoadError, load, load_bytes
from rectiparse.normalise import normalise

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PDFS = sorted(p for p in (SAMPLES / "pdf").glob("*.pdf") if not p.stem.endswith("_scan"))
SCAN = SAMPLES / "pdf" / "002_056a472a98951650_scan.pdf"
BAD = ROOT / "tests" / "fixtures" / "bad"
FIXTURES = ROOT / "tests" / "pdfs"  # made by scripts/make_publisher_pdfs.py (LibreOffice, Chromium)
PAGE_NUMBER = re.compile(r"^\s*([—–\-]\s*\d+\s*[—–\-]|第\s*\d+\s*页.*|\d+\s*/\s*\d+)\s*$")


def ws(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def seed_of(pdf: Path) -> Path:
    return SAMPLES / f"{pdf.stem[:20]}.txt"


_parsed: dict[Path, rectiparse.Document] = {}


def parsed(path: Path) -> rectiparse.Document:
    if path not in _parsed:
        _parsed[path] = rectiparse.parse(path)
    return _parsed[path]


def test_every_seed_has_a_pdf():
    assert [seed_of(p).name for p in PDFS] == sorted(p.name for p in SAMPLES.glob("*.txt"))
    for p in (*PDFS, SCAN):
        assert p.stat().st_size < 300_000, f"{p.name} is too big for a committed sample"


# --------------------------------------------------------------------------- loader output


def test_blocks_carry_pages_and_layout():
    loaded = load(SAMPLES / "pdf" / "002_056a472a98951650.pdf")
    assert loaded.source.format == "pdf" and loaded.source.pages == 6 and loaded.source.ocr is False
    assert {b.page for b in loaded.blocks} == set(range(1, 7))
    assert loaded.blocks[0].text == "中共邵阳经济技术开发区工作委员会关于巡视整改进展情况的通报"
    assert loaded.blocks[0].font_size == 18
    body = [b for b in loaded.blocks if b.font_size == 11.5]
    assert sum(1 for b in body if b.indent == pytest.approx(2.0, abs=0.1)) > 0.8 * len(body)
    # a paragraph cut by a page break: the first part says it continues, the rest is on the next page
    runs = [(a, b) for a, b in itertools.pairwise(loaded.blocks) if a.ends_paragraph is False]
    assert runs and all(b.page == a.page + 1 for a, b in runs)
    for b in loaded.blocks:
        assert loaded.text[b.start : b.start + len(b.text)] == b.text


# every PDF we keep: the reportlab samples and the fixtures of tests/pdfs (made by the publishers' tools)
EVERY_PDF = sorted({*(SAMPLES / "pdf").glob("*.pdf"), *FIXTURES.glob("*.pdf")})


@pytest.mark.parametrize("pdf", EVERY_PDF, ids=lambda p: p.stem)
def test_pdfium_and_pdfplumber_backends_agree(pdf):
    """The fast backend (pdfium runs) is the default because it gives exactly what pdfplumber gives, on every
    PDF in the fixture directories (whatever is added there is checked), OCR off so scans compare empty."""
    from rectiparse.loaders import pdf as pdf_loader

    data = pdf.read_bytes()
    fast = pdf_loader.load(data, pdf.name, ocr=False)
    slow = pdf_loader.load(data, pdf.name, ocr=False, backend="pdfplumber")
    assert fast.text == slow.text
    assert [(b.page, b.ends_paragraph, b.font_size) for b in fast.blocks] == [
        (b.page, b.ends_paragraph, b.font_size) for b in slow.blocks
    ]
    # pdfium's pen position and pdfminer's differ in the last digits: indents agree to a tenth of an em
    assert all(abs((a.indent or 0) - (b.indent or 0)) < 0.1 for a, b in zip(fast.blocks, slow.blocks, strict=True))
    assert fast.tables == slow.tables
    assert fast.issues == slow.issues


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem[:3])
def test_page_numbers_and_running_headers_removed(pdf):
    loaded = load(pdf)
    assert not [b.text for b in loaded.blocks if PAGE_NUMBER.match(b.text)]
    # the running header of 003 repeats the title: only the title itself is left
    assert loaded.text.count("温州浙南科技城管理委员会关于巡察整改情况的通报") <= 1
    assert loaded.issues == []


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem[:3])
def test_paragraphs_equal_the_seed(pdf):
    """Paragraph for paragraph, the PDF gives the normalised seed (spaces aside) up to the annex."""
    seed = normalise(load(seed_of(pdf)))
    want = [ws(seed.text[s:e]) for s, e in seed.paragraphs()]
    if "附件" in want:
        want = want[: want.index("附件")]
    got_t = normalise(load(pdf))
    got = [ws(got_t.text[s:e]) for s, e in got_t.paragraphs()]
    assert got[: len(want)] == want


# --------------------------------------------------------------------------- the seed-001 table

EXPECTED_FIRST = ["1", "“万亩千亿”平台拓展行动",
                  "基本建成省级“万亩千亿”产业平台，不断提升平台承载力和发展辐射力，努力打造科技引领、创新集聚的现代产业园区。",
                  "争取列入省级平台创建名单；年内基本完成平台一期控规报批、三期规划编制；完成平台开发资金平衡地块出让挂牌。",
                  "市发改局、经济开发区", "市自然资源和规划局、住建局、商务局（投资促进中心）"]


def test_annex_table_of_seed_001():
    loaded = load(SAMPLES / "pdf" / "001_f32850ce6c833049.pdf")
    assert len(loaded.tables) == 1, "a table over three pages is one table"
    t = loaded.tables[0]
    assert t.title == "市十六届人大一次会议一号议案办理工作任务清单"
    assert t.page == 7
    assert t.columns == ["序号", "五大行动", "十四五目标", "年度目标及整改措施", "牵头单位", "配合单位"]
    assert len(t.rows) == 25, "19 tasks, some with several lead units; the header repeated on each page once"
    assert "序号" not in [r[0] for r in t.rows]
    assert t.rows[0] == EXPECTED_FIRST
    # merged cells filled from the cell they span: 序号 and 年度目标 over a task's sub-rows …
    assert t.rows[1][:4] == EXPECTED_FIRST[:4] and t.rows[1][4:] == ["经济开发区", "市自然资源和规划局、住建局、交通局、六石街道、巍山镇"]
    assert t.rows[2][4] == "市自然资源和规划局"
    # … 五大行动 and 十四五目标 over an action's rows, on a later page too
    assert [r[0] for r in t.rows].count("6") == 3
    seven = next(r for r in t.rows if r[0] == "7")
    assert seven[1] == "工业转型升级行动" and seven[2].startswith("坚持以制造业高质量发展为主题") and seven[4] == "市经信局"
    # lead and co units merged over the three tasks of 项目招引落地行动
    for n in ("10", "11", "12"):
        row = next(r for r in t.rows if r[0] == n)
        assert row[1] == "项目招引落地行动" and row[4] == "市商务局（投资促进中心）"
        assert row[5] == "市委统战部，市科技局、国资办、高铁新城管委会、各驻外招商引智团"
    assert t.rows[-1][0] == "19" and t.rows[-1][4] == "市商务局（投资促进中心）"
    # the whole table, against the content the sample was drawn from
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from make_samples_pdf import annex_expected
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert t.rows == annex_expected()
    # table text is not body text
    assert "争取列入省级平台创建名单" not in loaded.text
    assert "十四五目标" not in loaded.text and loaded.text.endswith("市十六届人大一次会议一号议案办理工作任务清单")


def test_annex_rows_link_to_plan_tasks():
    doc = parsed(SAMPLES / "pdf" / "001_f32850ce6c833049.pdf")
    t = doc.tables[0]
    assert t.row_items[0] == "3.1" and t.row_items[-1] == "3.5"
    assert doc.items[0].title == "实施“万亩千亿”平台拓展行动"


# --------------------------------------------------------------------------- end to end


def item_key(doc: rectiparse.Document) -> list[tuple]:
    return [(i.id, i.number, i.kind, ws(i.title), i.status, i.status_grade, len(i.measures)) for i in doc.items]


def summary_key(doc: rectiparse.Document) -> dict:
    return doc.summary.model_dump(exclude={"span", "text"})


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem[:3])
def test_pdf_gives_the_same_items_and_summary_as_text(pdf):
    want = rectiparse.parse(seed_of(pdf))
    got = parsed(pdf)
    assert got.source.format == "pdf" and got.source.pages and got.source.ocr is False
    assert item_key(got) == item_key(want)
    assert summary_key(got) == summary_key(want)
    assert [i.code for i in got.validation.issues if i.code != "noise_removed"] == [
        i.code for i in want.validation.issues if i.code != "noise_removed"
    ]


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem[:3])
def test_item_and_measure_pages(pdf):
    """Every item and measure names the page its first words are on, as pdfium reads the page."""
    import pypdfium2 as pdfium

    doc = parsed(pdf)
    pdf_doc = pdfium.PdfDocument(pdf)
    pages = [ws(pdf_doc[i].get_textpage().get_text_range()) for i in range(len(pdf_doc))]
    pdf_doc.close()
    checked = 0
    for it in doc.items:
        for thing in (it, *it.measures):
            head = ws(doc.text[thing.span[0] : thing.span[0] + 14])
            hits = [n for n, text in enumerate(pages, start=1) if head in text]
            if len(hits) == 1:  # unique words (a quoted title may recur in the annex)
                assert thing.page == hits[0], head
                checked += 1
    assert checked >= len(doc.items)


def test_item_pages_by_hand():
    """Read off the rendered pages."""
    d002 = parsed(SAMPLES / "pdf" / "002_056a472a98951650.pdf")
    assert [i.page for i in d002.items] == [1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5]
    d001 = parsed(SAMPLES / "pdf" / "001_f32850ce6c833049.pdf")
    assert [i.page for i in d001.items] == [2, 3, 3, 4, 4]
    d003 = parsed(SAMPLES / "pdf" / "003_0db8544a2eb4edc4.pdf")
    assert [i.page for i in d003.items][:4] == [1, 2, 3, 4]


# --------------------------------------------------------------------------- scanned pages


def test_image_only_pdf_without_ocr_reports_low_text_yield():
    loaded = load(SCAN, ocr=False)
    assert loaded.source.ocr is False and loaded.source.pages == 6
    assert loaded.blocks == []
    [issue] = [i for i in loaded.issues if i.code == "low_text_yield"]
    assert issue.severity == "warning" and "pages 1–6" in issue.message and SCAN.name in issue.message


@pytest.mark.slow
def test_image_only_pdf_is_read_by_ocr():
    want = {i.id: i.status for i in rectiparse.parse(SAMPLES / "002_056a472a98951650.txt").items}
    doc = rectiparse.parse(SCAN)
    assert doc.source.ocr is True and doc.source.pages == 6
    got = {i.id: i.status for i in doc.items}
    assert sum(1 for k, v in want.items() if got.get(k) == v) >= 14
    assert [i.page for i in doc.items][:2] == [1, 2]
    issues = [i for i in doc.validation.issues if i.code == "low_text_yield"]
    assert issues and issues[0].severity == "warning" and "pages 1–6" in issues[0].message


# --------------------------------------------------------------------------- broken files

BAD_PDFS = {
    "corrupt.pdf": "damaged",
    "truncated.pdf": "damaged or truncated",
    "encrypted.pdf": "encrypted",
    "zero_pages.pdf": "no pages",
    "png_renamed.pdf": "image",
    "empty.pdf": "empty",
}


@pytest.mark.parametrize("name", sorted(BAD_PDFS))
def test_bad_pdf_gives_load_error_naming_the_file(name):
    path = BAD / name
    with pytest.raises(LoadError) as err:
        rectiparse.parse(path)
    assert str(path) in str(err.value) and BAD_PDFS[name] in str(err.value)


def test_cli_exits_2_without_traceback_on_bad_pdfs():
    for name in ("corrupt.pdf", "encrypted.pdf", "zero_pages.pdf"):
        out = subprocess.run([sys.executable, "-m", "rectiparse.cli", "extract", str(BAD / name)],
                             capture_output=True, timeout=60)
        assert out.returncode == 2, out.stderr
        assert b"Traceback" not in out.stderr and name.encode() in out.stderr


def test_truncated_bytes_of_every_sample_fail_cleanly():
    data = (SAMPLES / "pdf" / "004_dd361c94b27cbe2f.pdf").read_bytes()
    for cut in (100, len(data) // 3, len(data) - 400):
        try:
            loaded = load_bytes(data[:cut], "cut.pdf")
        except LoadError as exc:
            assert "cut.pdf" in str(exc)
        else:  # pdfium could repair it: then it must still be a sound Loaded
            assert loaded.source.format == "pdf"


# --------------------------------------------------------------------------- other layouts, drawn here


def draw(pages: list[list[tuple[float, float, str, float]]], *, size=(595.0, 842.0),
         rules: list[list[tuple[float, float, float, float]]] | None = None) -> bytes:
    """A PDF from (x, y-from-top, text, font size) runs per page, with optional ruled lines."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    for n, runs in enumerate(pages):
        for x, y, text, fs in runs:
            c.setFont("STSong-Light", fs)
            c.drawString(x, size[1] - y, text)
        for x0, y0, x1, y1 in (rules or [[]] * len(pages))[n]:
            c.line(x0, size[1] - y0, x1, size[1] - y1)
        c.showPage()
    c.save()
    return buf.getvalue()


def wrap(text: str, first: int, width: int) -> list[str]:
    out, rest = [text[:first]], text[first:]
    while rest:
        out.append(rest[:width])
        rest = rest[width:]
    return out


PARA_A = "整改情况：聘请了第三方律师事务所对所有项目合同进行全面清理，及时对自主退出和无法落地的项目依法依规进行了退出或终止，加大投产项目帮扶力度。"
PARA_B = "下步措施：持续跟踪项目建设进度，按月调度，确保整改到位，并将整改情况报送巡察办。"


def test_block_paragraphs_without_indent_and_footer_styles():
    """No first-line indent, space between paragraphs, "第 1 页，共 2 页" and a running header."""
    pages = []
    for n in (1, 2):
        runs = [(250, 40, "XX市审计局文件", 9), (260, 815, f"第 {n} 页，共 2 页", 9)]
        y = 100.0  # below the top band (11 % of the page): two identical pages would make a first line there furniture
        for para in (PARA_A, PARA_B):
            for line in wrap(para, 30, 30):
                runs.append((72, y, line, 12))
                y += 20
            y += 14  # paragraph spacing
        pages.append(runs)
    loaded = load_bytes(draw(pages), "blocks.pdf")
    assert [b.text for b in loaded.blocks] == [PARA_A, PARA_B, PARA_A, PARA_B]
    assert [b.page for b in loaded.blocks] == [1, 1, 2, 2]


def test_repeated_lines_in_a_font_the_file_does_not_embed_are_all_kept():
    """STSong-Light is referenced, not embedded. On a machine without a CJK font pdfium collapses its glyph boxes
    and drops identical lines as duplicates; such pages are read through pdfplumber, which needs no system font."""
    runs = [(96 if k % 2 == 0 else 72, 90 + 20 * k, line, 12)
            for k, line in enumerate([PARA_B[:28], PARA_B[28:]] * 4)]
    loaded = load_bytes(draw([runs]), "repeated.pdf")
    assert [b.text for b in loaded.blocks] == [PARA_B] * 4


def test_ragged_right_lines_join_and_paragraph_runs_over_the_page():
    """Left-aligned text stopping a character short of the margin continues; a page break mid-sentence."""
    long = PARA_A + PARA_A
    widths = [28] + [30 if i % 2 else 28 for i in range(1, 20)]  # every other line two characters short
    fixed: list[str] = []
    while sum(map(len, fixed)) < len(long):
        pos = sum(map(len, fixed))
        fixed.append(long[pos : pos + widths[len(fixed)]])
    assert not any(ln.endswith("。") for ln in fixed[:-1])
    # four short paragraphs first: the document marks paragraphs by indentation
    page1 = [run for k in range(4) for run in ((96, 90 + 40 * k, PARA_B[:28], 12), (72, 110 + 40 * k, PARA_B[28:], 12))]
    page1 += [((96 if i == 0 else 72), 250 + 20 * i, ln, 12) for i, ln in enumerate(fixed[:3])]
    page1 += [(280, 815, "1/2", 9)]
    page2 = [(72, 90 + 20 * i, ln, 12) for i, ln in enumerate(fixed[3:])]
    page2 += [(96, 90 + 20 * len(fixed[3:]), "整改结果：完成", 12), (280, 815, "2/2", 9)]
    loaded = load_bytes(draw([page1, page2]), "ragged.pdf")
    assert [b.page for b in loaded.blocks] == [1] * 5 + [2, 2]
    assert [b.ends_paragraph for b in loaded.blocks] == [True] * 4 + [False, True, True]
    t = normalise(loaded)
    assert [t.text[s:e] for s, e in t.paragraphs()] == [PARA_B] * 4 + [long, "整改结果：完成"]
    assert "1/2" not in loaded.text


def test_table_continued_with_empty_merged_cell():
    """A Word table over two pages: the merged 行动 cell is empty on the second page, the header repeats."""
    xs = [60, 100, 250, 400, 540]

    def table(top: float, rows: list[list[str]], merged_col1: list[bool]) -> tuple[list, list]:
        runs, rules = [], []
        y = top
        h = 30
        rules.append((xs[0], y, xs[-1], y))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell:
                    runs.append((xs[c] + 4, y + 18, cell, 10))
            y += h
            for c in range(len(xs) - 1):  # bottom border, except under a merged cell that goes on
                if not (c == 1 and r + 1 < len(rows) and merged_col1[r + 1]):
                    rules.append((xs[c], y, xs[c + 1], y))
        for x in xs:
            rules.append((x, top, x, y))
        return runs, rules

    head = ["序号", "行动", "措施", "牵头单位"]
    r1, l1 = table(100, [head, ["1", "平台拓展行动", "完成征迁", "六石街道"], ["2", "", "完成挂牌", "经济开发区"]],
                   [False, False, True])
    r2, l2 = table(80, [head, ["3", "", "完成规划", "市发改局"], ["4", "工业转型行动", "淘汰产能", "市经信局"]],
                   [False, False, False])
    r1 = [(72, 80, "附件：任务清单", 12), *r1]
    data = draw([r1, r2], rules=[l1, l2])
    loaded = load_bytes(data, "table.pdf")
    [t] = loaded.tables
    assert t.columns == head and t.page == 1
    assert t.rows == [["1", "平台拓展行动", "完成征迁", "六石街道"], ["2", "平台拓展行动", "完成挂牌", "经济开发区"],
                      ["3", "平台拓展行动", "完成规划", "市发改局"], ["4", "工业转型行动", "淘汰产能", "市经信局"]]
    assert "完成征迁" not in loaded.text and "附件：任务清单" in loaded.text


# --------------------------------------------------------------------------- issue 11: PDFs as publishers make them


def lo_pdf(seed: Path) -> Path:
    return FIXTURES / f"issue-11-lo-{seed.name[:3]}.pdf"


GOLDS = sorted((SAMPLES / "gold").glob("*.gold.json"))


PUBLISHED = [(gold, lo_pdf(gold)) for gold in GOLDS] + [
    (gold, FIXTURES / "issue-11-chromium-003.pdf") for gold in GOLDS if gold.name.startswith("003")
] + [
    # typeset as server-side generators (iText, reportlab) do: STSong-Light, a CID font the file does not embed,
    # lines filled to the measure — a number wrapped through ("202" / "0 年") and a quoted heading wrapped onto an
    # indented line ("…后续管理不" / "到位”中的…") were read as "202 0" and as two paragraphs
    (gold, FIXTURES / f"server-cid-{gold.name[:3]}.pdf") for gold in GOLDS if gold.name[:3] in ("000", "002", "004")
]


@pytest.mark.parametrize(("gold", "pdf"), PUBLISHED, ids=lambda p: p.stem)
def test_published_pdf_passes_every_gold_check_its_text_passes(gold, pdf):
    """Each seed set in 小标宋/黑体/楷体/仿宋 by LibreOffice (and seed 003's web page printed by Chromium): no gold
    check that the .txt passes fails on the PDF."""
    import json

    from rectiparse.evaluate import evaluate_document

    g = json.loads(gold.read_text(encoding="utf-8"))
    seed = SAMPLES / g["seed"]

    def misses(path: Path) -> set[tuple]:
        result = evaluate_document(g, rectiparse.parse(path).model_dump(mode="json"), name=gold.name)
        return {(m.field, m.key, m.item, m.kind) for m in result.misses}

    assert misses(pdf) <= misses(seed)


@pytest.mark.parametrize("backend", ["pdfium", "pdfplumber"])
def test_kaiti_heading_numeral_stays_on_its_line(backend):
    """楷体 （一）: the flat 一 has a glyph box far below its neighbours' centres; lines go by baseline."""
    from rectiparse.loaders import pdf as pdf_loader

    loaded = pdf_loader.load(lo_pdf(Path("004")).read_bytes(), "004.pdf", backend=backend)
    texts = [b.text for b in loaded.blocks]
    assert "（一）已整改完成的问题" in texts and "（二）正在推进整改的问题" in texts
    assert "一" not in texts and "二" not in texts
    assert not any(t.startswith("（ ）") for t in texts)


def test_kaiti_headings_give_their_status_groups():
    """The two status groups of seed 004 are （一）/（二） headings: every item takes its group's status and category."""
    doc = rectiparse.parse(lo_pdf(Path("004")))
    want = rectiparse.parse(next(SAMPLES.glob("004_*.txt")))
    assert [(i.id, i.status, i.category) for i in doc.items] == [(i.id, i.status, i.category) for i in want.items]
    assert {i.category for i in doc.items} == {"已整改完成的问题", "正在推进整改的问题"}


def test_task_table_over_pages_from_libreoffice():
    """A 25-row task table in a Word file, rows broken across four page breaks, 序号/行动 cells merged down over
    them, the header row repeated: one table of 25 rows and all 150 cells, linked to the plan's tasks."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from make_samples_pdf import annex_expected
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    path = lo_pdf(Path("001"))
    loaded = load(path)
    [t] = loaded.tables
    assert t.columns == ["序号", "五大行动", "十四五目标", "年度目标及整改措施", "牵头单位", "配合单位"]
    assert len({b.page for b in loaded.blocks if b.page and b.page >= t.page}) >= 1
    want = annex_expected()
    assert len(t.rows) == 25
    assert sum(a == b for got, exp in zip(t.rows, want, strict=True) for a, b in zip(got, exp, strict=True)) == 150
    assert t.rows == want
    doc = rectiparse.parse(path)
    assert doc.tables[0].row_items[0] == "3.1" and doc.tables[0].row_items[-1] == "3.5"
    assert all(doc.tables[0].row_items)


def _two_page_table(page1: list[list[str]], page2: list[list[str]], merged1: list[list[bool]],
                    merged2: list[list[bool]]) -> bytes:
    """A ruled 4-column table over two pages; ``merged[r][c]``: cell (r, c) has no border above it (merged up)."""
    xs = [60, 100, 250, 400, 540]

    def table(top: float, rows: list[list[str]], merged: list[list[bool]]) -> tuple[list, list]:
        runs, rules = [], []
        y = top
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if not merged[r][c] or r == 0:
                    rules.append((xs[c], y, xs[c + 1], y))
                if cell:
                    runs.append((xs[c] + 4, y + 18, cell, 10))
            y += 30
        rules += [(xs[0], y, xs[-1], y)] + [(x, top, x, y) for x in xs]
        return runs, rules

    r1, l1 = table(100, page1, merged1)
    r2, l2 = table(80, page2, merged2)
    return draw([[(72, 80, "附件：任务清单", 12), *r1], r2], rules=[l1, l2])


HEAD = ["序号", "行动", "措施", "牵头单位"]
NO = [False] * 4


def test_row_broken_by_the_page_is_joined_to_the_row_above():
    data = _two_page_table(
        [HEAD, ["1", "平台拓展行动", "完成征迁", "六石街道"], ["2", "工业转型行动", "淘汰落后", "市经信"]],
        [HEAD, ["", "", "产能企业", "局"], ["3", "", "整治低效用地", "市自然资源局"]],
        [NO, NO, NO], [NO, NO, [False, True, False, False]],
    )
    [t] = load_bytes(data, "split.pdf").tables
    assert t.rows == [["1", "平台拓展行动", "完成征迁", "六石街道"], ["2", "工业转型行动", "淘汰落后产能企业", "市经信局"],
                      ["3", "工业转型行动", "整治低效用地", "市自然资源局"]]


def test_first_column_merged_over_the_page_break_is_a_new_row():
    """序号 merged over a task's sub-rows, the page breaking between them: the sub-row on the new page is complete
    in its own cells, so it is a row of its own with the 序号 filled down, not the rest of the row above."""
    data = _two_page_table(
        [HEAD, ["1", "平台拓展行动", "完成征迁", "六石街道"], ["2", "工业转型行动", "淘汰落后产能", "市经信局"]],
        [HEAD, ["", "", "整治低效用地", "市自然资源局"], ["", "", "清理闲置土地", "市住建局"]],
        [NO, NO, NO], [NO, NO, [True, True, False, False]],
    )
    [t] = load_bytes(data, "vmerge.pdf").tables
    assert t.rows[2:] == [["2", "工业转型行动", "整治低效用地", "市自然资源局"], ["2", "工业转型行动", "清理闲置土地", "市住建局"]]
    assert len(t.rows) == 4


def test_font_without_tounicode_is_flagged_not_passed_on():
    """Glyph ids for characters (control characters, Latin-1 mojibake): an error naming the page, no text."""
    path = FIXTURES / "issue-11-no-tounicode.pdf"
    loaded = load(path, ocr=False)
    [issue] = [i for i in loaded.issues if i.code == "low_text_yield"]
    assert issue.severity == "error" and "page 1 " in issue.message and "not plausible" in issue.message
    assert loaded.blocks == [] and loaded.source.ocr is False


def test_plausible_text():
    from rectiparse.loaders.pdf import plausible

    assert plausible("根据省委统一部署，2023年3月10日至6月10日，省委第十五巡视组对邵阳经济技术开发区开展了延伸巡视。")
    assert plausible("This annex lists the tasks agreed at the meeting, with the units responsible for each one.")
    assert plausible("短")  # too short to judge
    assert not plausible("ÄÅÇiÉÄ ÑÖÜáà _lâä5ã åçé5è LrêëíD pì56îïñwóò<ôBCöò/õq,úùûWüù†U†")
    assert not plausible("\x01\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d")
    assert not plausible("(cid:9)(cid:24)(cid:10)(cid:4)(cid:12)(cid:18)(cid:22)(cid:23)ÍÎÏÐÑ")
    assert not plausible("/g21/g33/g45/g102/g7/g88 /g21/g33/g45/g102/g7/g88 /g21/g33/g45")
    assert not plausible("uni4E00uni4E8Cuni4E09uni56DB uni4E94uni516Duni4E03")
    assert plausible("2023年整改任务完成率98.71%，G20峰会保障、5G基站建设等12项任务已完成。")


def test_scanned_page_inside_a_born_digital_file_is_the_only_one_reported():
    loaded = load(FIXTURES / "issue-11-mixed-scan.pdf", ocr=False)
    [issue] = [i for i in loaded.issues if i.code == "low_text_yield"]
    assert issue.severity == "warning" and "page 2 " in issue.message
    assert {b.page for b in loaded.blocks} == {1, 3}


def _unshare() -> list[str] | None:
    """A command prefix that runs a process with no network (root: unshare -n; else a user namespace)."""
    import shutil

    exe = shutil.which("unshare")
    if not exe:
        return None
    for prefix in ([exe, "-n"], [exe, "-rn"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    return None


@pytest.mark.slow
def test_ocr_runs_with_no_network_and_reports_progress():
    """OCR of the scanned page in a process that has no network at all (telemetry off, models in the wheel):
    it finishes, reads the page, and says on stderr which page it did. The OCR'd page alone is read."""
    prefix = _unshare()
    if prefix is None:
        pytest.skip("cannot make a process without network here (no unshare or no namespaces)")
    code = (
        "import json, os, sys, rectiparse\n"
        "d = rectiparse.parse(sys.argv[1])\n"
        "import onnxruntime\n"
        "print(json.dumps({'ocr': d.source.ocr, 'env': os.environ.get('ORT_DISABLE_TELEMETRY'),"
        " 'pages': {b: d.text.count(b) for b in ['延伸巡视']},"
        " 'items': [i.page for i in d.items]}))"
    )
    out = subprocess.run([*prefix, sys.executable, "-c", code, str(FIXTURES / "issue-11-mixed-scan.pdf")],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    import json

    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["ocr"] is True and result["env"] == "1"
    assert "OCR page 2 (1/1)" in out.stderr and "OCR page 1" not in out.stderr and "OCR page 3" not in out.stderr
    assert 2 in result["items"]  # an item read off the scanned page


@pytest.mark.slow
def test_font_without_tounicode_is_read_by_ocr():
    doc = rectiparse.parse(FIXTURES / "issue-11-no-tounicode.pdf")
    assert doc.source.ocr is True
    assert "邵阳经济技术开发区" in doc.text and "巡视" in doc.text
    [issue] = [i for i in doc.validation.issues if i.code == "low_text_yield"]
    assert issue.severity == "error" and "OCR'd" in issue.message
