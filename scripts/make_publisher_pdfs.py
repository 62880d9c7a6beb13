"""Make the issue-11 test PDFs the way publishers make them: LibreOffice from Word, Chromium from a web page.

Why: the samples in samples/pdf/ are drawn by reportlab with one font, so they cannot show what real 公文 PDFs
do. A bulletin set as GB/T 9704 prescribes — title in 小标宋, 一、 headings in 黑体, （一） headings in 楷体,
body in 仿宋, three-size (16 pt) text, 28 mm / 26 mm side margins, "— 1 —" page numbers — and exported by
LibreOffice carries subset TrueType/CFF fonts whose glyph boxes differ from face to face (the flat 一 of 楷体
moved the glyph-box centre off the line: issue 11). This script writes those files into tests/pdfs/:

* ``issue-11-lo-<seed>.pdf`` — each seed (samples/*.txt) as a Word file (python-docx) converted by headless
  LibreOffice. Seed 001 carries its annex 任务清单 as a portrait Word table of 25 rows with vertically merged
  cells and a repeated header row; LibreOffice lets rows break across pages, so a task's text continues at the
  top of the next page with an empty 序号 cell, and merged cells resume there empty.
* ``issue-11-chromium-003.pdf`` — seed 003 as its government web page (samples/html/) printed to PDF
  by headless Chromium (no header/footer line).
* ``issue-11-no-tounicode.pdf`` — the first page of the LibreOffice PDF of seed 002 with every font's
  /ToUnicode map removed: the text layer then gives glyph ids as characters (control characters, Latin-1
  mojibake, pdfminer's ``(cid:N)``), as older government PDFs do. One page, so OCR of it stays quick in CI.
* ``issue-11-mixed-scan.pdf`` — the first three pages of the LibreOffice PDF of seed 002 with page 2 replaced
  by a 150-dpi grayscale image of itself: a scanned page inside a born-digital file.

Not run by CI (CI parses only the committed PDFs, so it needs no LibreOffice or Chromium). Needs:
``apt-get install libreoffice-writer-nogui chromium fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei
fonts-noto-cjk`` and ``pip install pypdf`` (for the /ToUnicode removal and the page surgery).
Run: ``.venv/bin/python scripts/make_publisher_pdfs.py``.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from make_samples_pdf import ANNEX_TITLE, annex_rows, kind_of, seed_paragraphs  # noqa: E402

SAMPLES = ROOT / "samples"
OUT = ROOT / "tests" / "pdfs"

# GB/T 9704 faces and the Debian fonts that stand in for them (family names as fontconfig knows them)
XBS = "Noto Serif CJK SC"  # 方正小标宋 → a heavy serif, set bold
HEI = "WenQuanYi Zen Hei"  # 黑体
KAI = "AR PL UKai CN"  # 楷体_GB2312
FANG = "AR PL UMing CN"  # 仿宋_GB2312 (a Ming face stands in)
SONG = "AR PL UMing CN"  # 宋体, page numbers

H1_RE = re.compile(r"^[一二三四五六七八九十]+、")
H2_RE = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def _set_font(run, family: str, size: float, *, bold: bool = False) -> None:
    """A run in one font for Latin and East Asian text alike (Word picks eastAsia for CJK characters)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = family
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._r.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), family)


def _first_sentence(text: str) -> int:
    """Where a heading that runs on into its paragraph ends: the first 。 or ：, else the whole text."""
    m = re.search(r"[。：]", text)
    return m.end() if m else len(text)


def _page_setup(document) -> None:
    """A4, GB/T 9704 margins (top 37 mm, left 28 mm, text block 156 × 225 mm), "— N —" footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Mm

    sec = document.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.footer_distance = Mm(20)
    p = sec.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run("— "), SONG, 14)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    fld = parse_xml(
        f'<w:fldSimple xmlns:w="{w}" w:instr="PAGE"><w:r><w:rPr><w:rFonts w:ascii="{SONG}" w:hAnsi="{SONG}"/>'
        '<w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
    )
    p._p.append(fld)
    _set_font(p.add_run(" —"), SONG, 14)


def seed_docx(path: Path, *, annex: bool) -> bytes:
    """The seed as a 公文-style Word file: fonts by role, 2-character first-line indent, fixed 28 pt line pitch."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    document = docx.Document()
    _page_setup(document)
    paras = seed_paragraphs(path)
    for i, text in enumerate(paras):
        kind = kind_of(i, paras)
        p = document.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28.9)
        fmt.space_before = fmt.space_after = Pt(0)
        if kind in ("title", "masthead"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.line_spacing = Pt(36 if kind == "title" else 48)
            fmt.space_after = Pt(14)
            _set_font(p.add_run(text), XBS, 22 if kind == "title" else 30, bold=True)
            continue
        if kind == "docno":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(14)
            _set_font(p.add_run(text), FANG, 16)
            continue
        if kind == "sign":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(64)
            _set_font(p.add_run(text), FANG, 16)
            continue
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Pt(32)
        face = HEI if H1_RE.match(text) else KAI if H2_RE.match(text) else None
        if face is None:
            _set_font(p.add_run(text), FANG, 16)
            continue
        cut = _first_sentence(text) if len(text) > 45 else len(text)
        _set_font(p.add_run(text[:cut]), face, 16)
        if cut < len(text):
            _set_font(p.add_run(text[cut:]), FANG, 16)
    if annex:
        _annex_table(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _annex_table(document) -> None:
    """The seed-001 任务清单: 25 rows, a repeated header row, cells merged down over a task's or action's rows."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    p = document.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    _set_font(p.add_run("附件"), HEI, 16)
    t = document.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(t.add_run(ANNEX_TITLE), XBS, 18, bold=True)
    rows, spans = annex_rows()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    widths = [Mm(10), Mm(20), Mm(36), Mm(46), Mm(20), Mm(24)]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.width = widths[c]
            para = cell.paragraphs[0]
            if r == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(para.add_run(value), HEI if r == 0 else FANG, 10.5)
    header_tr = table.rows[0]._tr
    header_tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader xmlns:w="{header_tr.nsmap["w"]}"/>'))
    for (c0, r0), (_c1, r1) in spans:
        top = table.cell(r0, c0)
        keep = [run.text for run in top.paragraphs[0].runs]
        merged = top.merge(table.cell(r1, c0))
        # merge() appends the (empty) paragraphs of the merged cells: keep only the top cell's text
        for extra in merged.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        assert "".join(keep) == merged.text
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.space_after = Pt(0)
    assert table._tbl.find(qn("w:tblPr")) is not None


def libreoffice(docx_files: dict[str, bytes]) -> dict[str, bytes]:
    """Convert Word files to PDF with headless LibreOffice (a private profile, so no user settings leak in)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice not found: apt-get install libreoffice-writer-nogui")
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for name, data in docx_files.items():
            (d / f"{name}.docx").write_bytes(data)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{d}/profile", "--headless", "--convert-to", "pdf",
             "--outdir", str(d / "pdf"), *sorted(str(d / f"{n}.docx") for n in docx_files)],
            check=True, capture_output=True, timeout=600,
        )
        for name in docx_files:
            out[name] = (d / "pdf" / f"{name}.pdf").read_bytes()
    return out


def chromium(html: Path) -> bytes:
    """A saved government web page printed to PDF by headless Chromium, without the date/URL header line."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise SystemExit("Chromium not found: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "out.pdf"
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
            check=True, capture_output=True, timeout=300,
        )
        return pdf.read_bytes()


def strip_tounicode(pdf: bytes, *, pages: int = 1) -> bytes:
    """The first ``pages`` pages with every font's /ToUnicode map removed (pdfium then reads glyph ids)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for page in reader.pages[:pages]:
        writer.add_page(page)
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            font.pop(NameObject("/ToUnicode"), None)
            for desc in font.get("/DescendantFonts", []):
                desc.get_object().pop(NameObject("/ToUnicode"), None)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def mixed_scan(pdf: bytes, *, pages: int = 3, scanned: int = 2, dpi: int = 150) -> bytes:
    """The first ``pages`` pages with page ``scanned`` (1-based) replaced by a grayscale JPEG of itself."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    doc = pdfium.PdfDocument(pdf)
    page = doc[scanned - 1]
    w, h = page.get_size()
    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    doc.close()
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=60)
    jpeg.seek(0)
    img_pdf = io.BytesIO()
    c = canvas.Canvas(img_pdf, pagesize=(w, h), invariant=1)
    c.drawImage(ImageReader(jpeg), 0, 0, width=w, height=h)
    c.showPage()
    c.save()
    src = PdfReader(io.BytesIO(pdf))
    scan = PdfReader(io.BytesIO(img_pdf.getvalue()))
    writer = PdfWriter()
    for i in range(pages):
        writer.add_page(scan.pages[0] if i == scanned - 1 else src.pages[i])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def main() -> None:
    """Write every fixture; with file stems as arguments (``issue-11-no-tounicode``), only those."""
    only = set(sys.argv[1:])
    OUT.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SAMPLES.glob("[0-9][0-9][0-9]_*.txt"))
    docs = {f"issue-11-lo-{p.stem[:3]}": seed_docx(p, annex=p.stem.startswith("001")) for p in seeds}
    pdfs = libreoffice(docs)
    for stem in ("003",):
        pdfs[f"issue-11-chromium-{stem}"] = chromium(next((SAMPLES / "html").glob(f"{stem}_*.html")))
    pdfs["issue-11-no-tounicode"] = strip_tounicode(pdfs["issue-11-lo-002"])
    pdfs["issue-11-mixed-scan"] = mixed_scan(pdfs["issue-11-lo-002"])
    for name, data in sorted(pdfs.items()):
        if only and name not in only:
            continue
        (OUT / f"{name}.pdf").write_bytes(data)
        print(f"tests/pdfs/{name}.pdf  {len(data) // 1024} KB")


if __name__ == "__main__":
    main()
