"""Render every seed bulletin as a born-digital PDF (samples/pdf/), plus one image-only "scan" of seed 002.

Why: bulletins are published as PDF far more often than as text, and the PDF loader must give the pipeline the
same paragraphs as the clean .txt seed, with the page each one stands on. The files imitate what Word/WPS
exports look like: A4, an embedded (subset) CJK TrueType font, body text justified with a 2em first-line
indent, 一、 headings in a sans face, the title centred, signature and date right-aligned, a page number in
the footer — each seed with a different footer style ("— 3 —", "- 3 -", "第3页 共8页", "3/8") and one with a
running header above a rule. Seed 001 carries its annex 任务清单 as a real ruled table on landscape pages:
the table continues over several pages with its header row repeated, 五大行动 / 十四五目标 cells merged over
the rows of one action, 序号 and 年度目标 merged over a task's sub-rows. The table content is written out by
hand below (the seed's own annex is garbled PDF-extraction output), taken from the seed's annex and body.

The scan (``002_…_scan.pdf``) is the text PDF of seed 002 rendered to 180 dpi, rotated by a fraction of a
degree, speckled and thresholded to 1 bit, then rebuilt as a PDF of CCITT G4 images: no text layer at all.

Paragraph text comes from the normalised seed (``rectiparse.normalise``) so extraction noise in the seeds is
not carried into the PDFs. Deterministic: reportlab runs in invariant mode and the noise is seeded, so the
same seeds and fonts give byte-identical files. Needs a CJK font: ``apt-get install fonts-wqy-zenhei
fonts-arphic-uming`` (the committed PDFs embed their subsets, so only regenerating needs the fonts).
Run: ``.venv/bin/python scripts/make_samples_pdf.py`` (``make samples`` runs it).
"""

from __future__ import annotations

import io
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rectiparse.loaders import load  # noqa: E402
from rectiparse.normalise import normalise  # noqa: E402

SAMPLES = ROOT / "samples"
OUT = SAMPLES / "pdf"
FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"]
SANS = ("wqy-zenhei.ttc", 0)  # 黑体-like: titles, 一、 headings, table header
SERIF = ("uming.ttc", 0)  # 宋体/仿宋-like: body text (AR PL UMing CN)


@dataclass(frozen=True)
class Style:
    footer: str  # format with {n} (page) and {N} (pages)
    header: str | None = None  # running header text, from page 2 on
    body_font: str = "Serif"
    size: float = 12.0


STYLES = {
    "000": Style(footer="— {n} —"),
    "001": Style(footer="- {n} -"),
    "002": Style(footer="第{n}页 共{N}页", body_font="Sans", size=11.5),
    "003": Style(footer="— {n} —", body_font="Sans", header="温州浙南科技城管理委员会关于巡察整改情况的通报"),
    "004": Style(footer="{n}/{N}", body_font="Sans", size=12.5),
}

# --------------------------------------------------------------------------- seed 001 annex, by hand

ANNEX_TITLE = "市十六届人大一次会议一号议案办理工作任务清单"
ANNEX_COLUMNS = ["序号", "五大行动", "十四五目标", "年度目标及整改措施", "牵头单位", "配合单位"]
# (action, 十四五目标, [(序号, 年度目标及整改措施, [(牵头单位, 配合单位), …]), …]) — a task with several
# (lead, co) pairs becomes several table rows with 序号 and 年度目标 merged over them; a task given as None for
# its units shares the action-wide units (one merged cell over the action's rows).
ANNEX: list[tuple[str, str, list[tuple[str, str, list[tuple[str, str]] | None]], tuple[str, str] | None]] = [
    (
        "“万亩千亿”平台拓展行动",
        "基本建成省级“万亩千亿”产业平台，不断提升平台承载力和发展辐射力，努力打造科技引领、创新集聚的现代产业园区。",
        [
            ("1", "争取列入省级平台创建名单；年内基本完成平台一期控规报批、三期规划编制；完成平台开发资金平衡地块出让挂牌。", [
                ("市发改局、经济开发区", "市自然资源和规划局、住建局、商务局（投资促进中心）"),
                ("经济开发区", "市自然资源和规划局、住建局、交通局、六石街道、巍山镇"),
                ("市自然资源和规划局", "经济开发区、江北街道"),
            ]),
            ("2", "12月底前全面完成平台二期及三期核心区村庄征迁；年内完成六石安置区一期BC区块建筑主体的40%，完成巍山安置区建筑主体的40%。", [
                ("六石街道、巍山镇", "市自然资源和规划局、经济开发区、房屋征收服务中心、农业农村局、产发集团"),
                ("经济开发区", "市自然资源和规划局、六石街道、巍山镇、中铁建产发（东阳）建设有限公司"),
            ]),
            ("3", "落实平台二期地表整理，年内完成横店东磁、正泰等光伏项目处置工作。", [
                ("六石街道、巍山镇", "经济开发区、民政局、房屋征收服务中心、自然资源和规划局"),
                ("经济开发区", "六石街道"),
            ]),
            ("4", "加快土地征收、流转，年内完成4000亩稳定耕地调整。", [
                ("市自然资源和规划局", "经济开发区、六石街道、巍山镇"),
            ]),
            ("5", "完善平台基础配套设施，8月底完成平台电网、自来水管网等专项规划初稿；9月底启动一期电网线路改迁方案编制；11月底前完成相关迁改方案编制，12月底前完成相关专项规划。", [
                ("经济开发区", "市发改局、自然资源和规划局、产发集团、水投集团、供电公司、六石街道、巍山镇"),
            ]),
        ],
        None,
    ),
    (
        "工业转型升级行动",
        "坚持以制造业高质量发展为主题，加快推动制造业数字化、绿色化、服务化转型，努力实现规上工业总产值突破千亿元大关，规上企业家数超过1000家，规上工业亩均税收达到25万元/亩。",
        [
            ("6", "进一步深化“亩均论英雄”改革，年内规上工业亩均税收同比增长20%以上；淘汰落后产能企业16家以上，整治“低散乱”企业（作坊）1000家；年内整治提升低效工业用地340宗以上、4500亩以上。", [
                ("市经信局", "市自然资源和规划局、税务局"),
                ("市经信局", "市发改局、应急管理局、市场监管局、生态环境东阳分局"),
                ("市自然资源和规划局", "市经信局、税务局、法院"),
            ]),
            ("7", "引导“数字化车间-智能工厂-未来工厂”梯次提升，打造“智能制造行业样本”，年内完成数字化转型标杆示范项目4个以上；实施轻量化智改、两化融合及技改项目100个以上；创建省级两化融合示范企业（项目）2个以上。", [
                ("市经信局", "市科技局、财政局"),
            ]),
            ("8", "实施“凤凰行动”“雄鹰行动2.0”“百鹰企业”等分类分级的企业阶梯式培育计划，确保年内新增上市企业2家；新增产值超10亿元企业1家；新申报工信部专精特新“小巨人”企业1家。", [
                ("市经信局", "市金融办、税务局"),
            ]),
            ("9", "强化涉工干部队伍建设，通过组织培训、实地走访参观等提高涉工干部能力水平。年内组织开展1次以上经济专题研讨班。", [
                ("市经信局、市委组织部", "市工商联、市委宣传部"),
            ]),
        ],
        None,
    ),
    (
        "项目招引落地行动",
        "健全完善项目招引全生命周期服务机制，精准招引一批产业带动强、科技含量高、经济效益好的标志性项目。",
        [
            ("10", "融合“五部四团一办X专班”招商机制，同步建立“1+5+X”工作例会制度；启动招商项目全生命周期数字化管理平台架构建设，实现招商引资项目全生命周期管理。", None),
            ("11", "围绕新材料、磁性电子、医药健康等我市主导产业开展产业链精准招商，突出招引“链主型”企业。2022年完成新签约投资额300亿元以上，新招引3亿元以上项目20个。", None),
            ("12", "创新招商方式，开展亲情招商、以商引商，积极拓展产业链招商、乡贤招商、飞地招商等模式。", None),
        ],
        ("市商务局（投资促进中心）", "市委统战部，市科技局、国资办、高铁新城管委会、各驻外招商引智团"),
    ),
    (
        "人才科技赋能行动",
        "推动科技成果转化、科技创新创业，2025年全社会R&D经费支出占GDP比重提升至3.4%；新增孵化空间20万平方米，孵化科技型企业100家；到2025年，新引育高精尖缺人才5000名以上、新招引大学生5万人以上。",
        [
            ("13", "深入实施引进大院名校共建创新载体战略及规上企业研发机构全覆盖行动。2022年全社会R&D经费支出占GDP比重达到2.65%。", [
                ("市科技局", "市发改局、经信局、住建局、影视集聚区"),
            ]),
            ("14", "加快推进高能级科创平台建设，争取6月底前完成科创城规划设计方案；引进高层次人才6人，申报一类知识产权3件。", [
                ("市科技局", "市委人才办，市人力社保局、住建局、市场监管局、国资办、经济开发区、江北街道"),
            ]),
            ("15", "对人才新政18条和人才新政升级版进行全面提档升级；年内新引育高精尖缺人才1000名以上、新增高技能人才0.29万人以上、新招引大学生1万人以上。", [
                ("市委人才办", "市科技局、人力社保局、经信局"),
            ]),
            ("16", "加快人才公寓建设，探索“产学研用金、才政介美云”高效协同创新体系。", [
                ("市委人才办、市国资办", "市科技局、人力社保局、住建局、市场监管局、自然资源和规划局"),
            ]),
        ],
        None,
    ),
    (
        "营商环境整治提升行动",
        "推进企业开办、办理建设许可、用电用水等事项全流程便利化，力争到2025年，营商环境评价保持全省第一梯队。",
        [
            ("17", "打通营商环境“中梗阻”，对照“执行中梗阻”“履职中梗阻”“作风中梗阻”三个方面的问题开展重点巡察，督促限期整改。", [
                ("市纪委监委机关", "市自然资源和规划局、住建局、市场监管局、行政服务中心管委会"),
            ]),
            ("18", "制定自由裁量权标准指引，实现“教科书式”执法，为基层一线执法人员提供标准化、规范化指引。", [
                ("市委政法委、市司法局", "市法院、检察院、公安局、相关行政执法部门"),
            ]),
            ("19", "市招商引智领导小组办公室会同项目综合部、项目前期部、项目推进部、法律事务部、政策服务部等五部门，开展全生命周期一条龙服务。", [
                ("市商务局（投资促进中心）", "市发改局、经信局、司法局、财政局"),
            ]),
        ],
        None,
    ),
]


def annex_rows() -> tuple[list[list[str]], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The annex as a flat grid (header first) and the reportlab SPAN ranges that merge its cells."""
    rows: list[list[str]] = [list(ANNEX_COLUMNS)]
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for action, goal, tasks, shared in ANNEX:
        first = len(rows)
        for number, target, units in tasks:
            start = len(rows)
            for k, (lead, co) in enumerate(units or [("", "")]):
                top = len(rows) == first
                rows.append([number if k == 0 else "", action if top else "", goal if top else "",
                             target if k == 0 else "", lead, co])
            if len(rows) - start > 1:
                spans += [((0, start), (0, len(rows) - 1)), ((3, start), (3, len(rows) - 1))]
        spans += [((1, first), (1, len(rows) - 1)), ((2, first), (2, len(rows) - 1))]
        if shared:
            rows[first][4], rows[first][5] = shared
            spans += [((4, first), (4, len(rows) - 1)), ((5, first), (5, len(rows) - 1))]
    return rows, spans


def annex_expected() -> list[list[str]]:
    """The annex rows as the loader should give them: every merged cell filled from the cell it spans."""
    out: list[list[str]] = []
    for action, goal, tasks, shared in ANNEX:
        for number, target, units in tasks:
            for lead, co in units or [shared]:  # type: ignore[list-item]
                out.append([number, action, goal, target, lead, co])
    return out


# --------------------------------------------------------------------------- seed → paragraphs


def seed_paragraphs(path: Path) -> list[str]:
    """The seed's normalised paragraphs; seed 001 stops before its (garbled) annex, rebuilt as a table."""
    t = normalise(load(path))
    paras = [t.text[s:e].strip() for s, e in t.paragraphs()]
    if "附件" in paras:
        paras = paras[: paras.index("附件")]
    return paras


DATE_RE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
H1_RE = re.compile(r"^[一二三四五六七八九十]+、")
TITLE_RE = re.compile(r"^(关于|东阳市人民政府印发).{4,60}(方案|通知|报告|通报)$")


def kind_of(i: int, paras: list[str]) -> str:
    """How a paragraph is laid out: title (centred, large), docno (centred), sign (right), h1, body."""
    p = paras[i]
    if p.endswith("文件") and i == 0:
        return "masthead"
    if re.search(r"〔\d{4}〕\d+号$", p) and len(p) < 20:
        return "docno"
    if not H1_RE.match(p) and ((i == 0 and len(p) < 70) or TITLE_RE.match(p) or (
        i <= 5 and "关于" in p and p.endswith(("报告", "通报")) and len(p) < 70 and "。" not in p
    )):
        return "title"
    if DATE_RE.match(p) or re.match(r"^\S{2,16}\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$", p):
        return "sign"
    if i + 1 < len(paras) and DATE_RE.match(paras[i + 1]) and len(p) <= 20 and not re.search(r"[，。：:,]", p):
        return "sign"
    if H1_RE.match(p) and len(p) <= 45 and "。" not in p:
        return "h1"
    return "body"


# --------------------------------------------------------------------------- rendering


def esc(text: str) -> str:
    """Paragraph text is reportlab markup: & and < must be escaped (R&D)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def find_font(name: str) -> Path:
    for d in FONT_DIRS:
        hits = sorted(d.rglob(name)) if d.exists() else []
        if hits:
            return hits[0]
    raise SystemExit(f"font {name} not found: apt-get install fonts-wqy-zenhei fonts-arphic-uming")


def register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for alias, (file, index) in (("Sans", SANS), ("Serif", SERIF)):
        if alias not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(alias, str(find_font(file)), subfontIndex=index))


def render(stem: str, paras: list[str], style: Style, *, annex: bool) -> bytes:
    """Two passes: the first counts the pages so footers like "第3页 共8页" can state the total."""
    pages = 0
    for _ in range(2):
        data, pages = _render_once(stem, paras, style, annex=annex, total=pages)
    return data


def _render_once(stem: str, paras: list[str], style: Style, *, annex: bool, total: int) -> tuple[bytes, int]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    size = style.size
    lead = size * 1.75
    body = ParagraphStyle("body", fontName=style.body_font, fontSize=size, leading=lead, alignment=TA_JUSTIFY,
                          firstLineIndent=2 * size, wordWrap="CJK")
    h1 = ParagraphStyle("h1", parent=body, fontName="Sans", alignment=TA_JUSTIFY)
    title = ParagraphStyle("title", fontName="Sans", fontSize=18, leading=28, alignment=TA_CENTER,
                           wordWrap="CJK", spaceBefore=6, spaceAfter=14)
    masthead = ParagraphStyle("masthead", parent=title, fontSize=28, leading=40, textColor=colors.red,
                              spaceAfter=18)
    docno = ParagraphStyle("docno", parent=body, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=12)
    sign = ParagraphStyle("sign", parent=body, alignment=TA_RIGHT, firstLineIndent=0, rightIndent=2 * size)
    cell = ParagraphStyle("cell", fontName="Serif", fontSize=9, leading=12.5, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, fontName="Sans", alignment=TA_CENTER)
    styles = {"body": body, "h1": h1, "title": title, "masthead": masthead, "docno": docno, "sign": sign}

    def decorate(canvas, doc) -> None:
        w, h = canvas._pagesize
        canvas.saveState()
        canvas.setFont("Serif", 10.5)
        canvas.drawCentredString(w / 2, 12 * mm, style.footer.format(n=doc.page, N=total or 99))
        if style.header and doc.page > 1:
            canvas.setFont("Serif", 9)
            canvas.drawCentredString(w / 2, h - 15 * mm, style.header)
            canvas.setLineWidth(0.6)
            canvas.line(25 * mm, h - 17 * mm, w - 25 * mm, h - 17 * mm)
        canvas.restoreState()

    portrait_frame = Frame(28 * mm, 25 * mm, A4[0] - 54 * mm, A4[1] - 52 * mm, id="p", leftPadding=0,
                           rightPadding=0, topPadding=0, bottomPadding=0)
    lw, lh = landscape(A4)
    landscape_frame = Frame(18 * mm, 22 * mm, lw - 36 * mm, lh - 40 * mm, id="l", leftPadding=0,
                            rightPadding=0, topPadding=0, bottomPadding=0)
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, title="", author="", creator="", producer="", pageCompression=1,
                          pageTemplates=[PageTemplate("portrait", [portrait_frame], onPage=decorate, pagesize=A4),
                                         PageTemplate("landscape", [landscape_frame], onPage=decorate,
                                                      pagesize=landscape(A4))])
    story: list = []
    for i, p in enumerate(paras):
        kind = kind_of(i, paras)
        story.append(Paragraph(esc(p), styles[kind]))
    if annex:
        rows, spans = annex_rows()
        story += [NextPageTemplate("landscape"), PageBreak(),
                  Paragraph("附件", ParagraphStyle("ax", parent=h1, firstLineIndent=0)), Spacer(1, 4),
                  Paragraph(ANNEX_TITLE, title)]
        data = [[Paragraph(esc(c), head if r == 0 else cell) for c in row] for r, row in enumerate(rows)]
        widths = [12 * mm, 26 * mm, 60 * mm, 86 * mm, 34 * mm, 43 * mm]
        ts = TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                         ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9))]
                        + [("SPAN", a, b) for a, b in spans])
        story.append(Table(data, colWidths=widths, repeatRows=1, style=ts, splitInRow=0))
    doc.build(story)
    return buf.getvalue(), doc.page


def scan(pdf: bytes, *, dpi: int = 180, seed: int = 2) -> bytes:
    """An image-only copy: each page rendered, turned slightly, speckled, 1-bit, saved as CCITT G4 images."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(pdf)
    images = []
    for i in range(len(doc)):
        img = doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(0.35 if i % 2 else -0.25, resample=Image.Resampling.BILINEAR, fillcolor=255)
        a = np.asarray(img, dtype=np.int16) + rng.normal(0, 18, size=img.size[::-1]).astype(np.int16)
        a[rng.random(a.shape) < 0.00008] = 0  # dust
        images.append(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).point(lambda v: 255 if v > 150 else 0,
                                                                                  mode="1"))
    buf = io.BytesIO()
    when = time.gmtime(1703235600)  # fixed (2023-12-22), so the file is reproducible
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=dpi,
                   creationDate=when, modDate=when)
    return buf.getvalue()


def bad_fixtures() -> dict[str, bytes]:
    """Broken PDFs for the loader's error tests (tests/fixtures/bad/): each must give a clean LoadError."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    good = (OUT / "002_056a472a98951650.pdf").read_bytes()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner", canPrint=0))
    c.setFont("Sans", 12)
    c.drawString(72, 720, "整改情况：加密文件")
    c.showPage()
    c.save()
    # a well-formed PDF (with a correct xref table) whose page tree is empty
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"]
    zero = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(zero))
        zero += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(zero)
    zero += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    zero += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    zero += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
        b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND"
        b"\xaeB`\x82"
    )
    return {
        "encrypted.pdf": buf.getvalue(),
        "truncated.pdf": good[: len(good) * 2 // 5],
        "corrupt.pdf": b"%PDF-1.7\n" + bytes((i * 73 + 41) % 256 for i in range(3000)) + b"\n%%EOF\n",
        "zero_pages.pdf": bytes(zero),
        "png_renamed.pdf": png,
        "empty.pdf": b"",
    }


def main() -> None:
    from reportlab import rl_config

    rl_config.invariant = 1  # no timestamps or random ids: reproducible bytes
    register_fonts()
    OUT.mkdir(parents=True, exist_ok=True)
    for path in sorted(SAMPLES.glob("*.txt")):
        key = path.name[:3]
        paras = seed_paragraphs(path)
        data = render(path.stem, paras, STYLES[key], annex=key == "001")
        out = OUT / f"{path.stem}.pdf"
        out.write_bytes(data)
        print(f"{out.relative_to(ROOT)}  {len(data) // 1024} KB")
        if key == "002":
            scanned = scan(data)
            out = OUT / f"{path.stem}_scan.pdf"
            out.write_bytes(scanned)
            print(f"{out.relative_to(ROOT)}  {len(scanned) // 1024} KB")
    bad = ROOT / "tests" / "fixtures" / "bad"
    bad.mkdir(parents=True, exist_ok=True)
    for fname, data in bad_fixtures().items():
        (bad / fname).write_bytes(data)
    print(f"tests/fixtures/bad/: {', '.join(bad_fixtures())}")


if __name__ == "__main__":
    main()
