"""Render every seed bulletin as a government web page (samples/html/) and a Word file (samples/docx/).

Why: real bulletins arrive as article pages of a government CMS or as .docx attachments, and the HTML and
DOCX loaders must give the pipeline the same text as the clean .txt seed. Each page copies the chrome of a
different CMS family (大汉版通, TRS WCM, Hanweb, 云门户, a bare div layout) so the loader is not tuned to
one template: navigation, breadcrumb, share bar, 打印本页 关闭窗口, related links, footer with 网站标识码 and
ICP备, scripts. Encodings vary: two pages are GBK bytes (one says ``<meta charset="gb2312">``, one says
nothing and must be detected); one page separates paragraphs with ``<br>`` instead of ``<p>``.

The Word files use Word's automatic list numbering for the 一、/（一）/1. headings of seeds 002 and 004 (the
marker is then *not* in the paragraph text; the loader must rebuild it from numbering.xml), heading
styles, the core-properties title, and a real table for the seed-001 annex.

Deterministic: same seeds → byte-identical HTML and DOCX (fixed core-property dates and zip timestamps).
Run: ``.venv/bin/python scripts/make_samples_web.py`` (``make samples`` runs it).
"""

from __future__ import annotations

import html
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rectiparse.loaders import load  # noqa: E402
from rectiparse.normalise import normalise  # noqa: E402

SAMPLES = ROOT / "samples"
META_RE = re.compile(r"^(索引号|组配分类|发布机构|生成日期|发布日期|公开方式|成文日期|文号)")
MARKER_RE = re.compile(r"^([一二三四五六七八九十]+)、|^([（(])([一二三四五六七八九十]+)([）)])|^(\d+)([.．])")
CN = "零一二三四五六七八九"


# --------------------------------------------------------------------------- seed → content


@dataclass
class Seed:
    stem: str
    title: str
    body: list[str | list[list[str]]]  # a paragraph, or a table (rows of cells)
    meta: list[tuple[str, str]] = field(default_factory=list)  # metadata box pairs, page order
    column: str = "通知公告"


def _table_rows(t, start: int, end: int) -> list[list[str]]:
    """The source lines a table paragraph came from, split at tabs (the seed's cell separator)."""
    src = t.source_text
    a, b = t.to_source(start), t.to_source(max(start, end - 1))
    a = src.rfind("\n", 0, a) + 1
    e = src.find("\n", b)
    rows = []
    for line in src[a : e if e >= 0 else len(src)].split("\n"):
        if "\t" in line:
            cells = [re.sub(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])", "", c.strip()) for c in line.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            rows.append(cells)
    return rows


def read_seed(path: Path) -> Seed:
    t = normalise(load(path))
    body: list[str | list[list[str]]] = []
    table: list[list[str]] | None = None
    for start, end in t.paragraphs():
        para = t.text[start:end]
        src_line_start = t.source_text.rfind("\n", 0, t.to_source(start)) + 1
        src_line = t.source_text[src_line_start : t.source_text.find("\n", t.to_source(start))]
        if "\t" in src_line:
            rows = _table_rows(t, start, end)
            if table is None:
                table = []
                body.append(table)
            for r in rows:
                if r and r[0] == "序号" and table:
                    continue  # the header repeated on every PDF page: once is enough on the web
                table.append(r)
            continue
        table = None
        body.append(para)
    seed = Seed(stem=path.stem, title="", body=body)
    # the web page metadata that seed 003 carries at its top (it was copied from a 大汉 page)
    while body and isinstance(body[0], str) and (META_RE.match(body[0]) or body[0] == "通知公告"):
        line = body.pop(0)
        if line == "通知公告":
            continue
        for m in re.finditer(r"(索引号|组配分类|发布机构|生成日期|公开方式|发布日期)\s*[:：]?\s*(\S+)", line):
            seed.meta.append((m.group(1), m.group(2)))
    paras = [p for p in body if isinstance(p, str)]
    seed.title = next(
        (p for p in paras[:4] if "关于" in p and len(p) < 90 and not p.endswith("。")), paras[0]
    )
    idx = body.index(seed.title)
    if idx + 1 < len(body) and isinstance(body[idx + 1], str) and META_RE.match(body[idx + 1]):
        line = body.pop(idx + 1)
        for m in re.finditer(r"(发布日期)\s*[:：]?\s*(\S+)", line):
            seed.meta.append((m.group(1), m.group(2)))
    return seed


# --------------------------------------------------------------------------- HTML chrome

NAV = ["首页", "机构概况", "政务公开", "政务服务", "互动交流", "专题专栏"]
RELATED = [
    "关于开展2023年度政务公开工作考核的通知",
    "市委第二巡察组巡察反馈情况公布",
    "2022年法治政府建设年度报告",
    "关于进一步优化营商环境的若干意见",
]


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def nav_html() -> str:
    links = "".join(f'<li><a href="/col/col{i}/index.html">{n}</a></li>' for i, n in enumerate(NAV, 1))
    return f'<div class="nav"><ul class="nav-list">{links}</ul></div>'


def related_html(heading: str = "相关阅读") -> str:
    lis = "".join(
        f'<li><a href="/art/2023/{i}/art_{1000 + i}.html" target="_blank">{esc(t)}</a><span>2023-0{i}-1{i}</span></li>'
        for i, t in enumerate(RELATED, 1)
    )
    return f'<div class="related"><div class="related-hd">{heading}</div><ul>{lis}</ul></div>'


SHARE = (
    '<div class="share"><span>分享到：</span><a class="wx" href="javascript:void(0)">微信</a>'
    '<a class="wb" href="javascript:void(0)">微博</a><a class="qz" href="javascript:void(0)">QQ空间</a></div>'
)
PRINT_CLOSE = (
    '<div class="print"><a href="javascript:window.print()">打印本页</a>'
    '&nbsp;&nbsp;<a href="javascript:window.close()">关闭窗口</a></div>'
)
SCRIPT = (
    "<script type=\"text/javascript\">var _hmt = _hmt || [];(function(){var hm=document.createElement('script');"
    "hm.src='/js/stat.js?id=3307830001';document.getElementsByTagName('head')[0].appendChild(hm);})();"
    "document.write('浏览次数：' + 1234);</script>"
)
STYLE = "<style>body{font-family:'Microsoft YaHei';}.nav li{float:left}#zoom p{text-indent:2em;line-height:2}</style>"


def footer_html(site: str, code: str, icp: str) -> str:
    return (
        '<div class="footer"><p><a href="/sitemap.html">网站地图</a> | <a href="/contact.html">联系我们</a>'
        f' | <a href="/help.html">使用帮助</a></p><p>主办单位：{esc(site)}  承办单位：{esc(site)}办公室</p>'
        f"<p>网站标识码：{code}  <a href=\"https://beian.miit.gov.cn/\">{icp}</a>  浙公网安备 33078302000123号</p>"
        "<p>技术支持：大汉网络  建议使用1366×768分辨率浏览</p></div>"
    )


def paras_p(body, attrs: str = ' style="text-indent:2em;"') -> str:
    out = []
    for b in body:
        if isinstance(b, list):
            out.append(table_html(b))
        else:
            out.append(f"<p{attrs}>{esc(b)}</p>")
    return "\n".join(out)


def table_html(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    trs = []
    for i, r in enumerate(rows):
        tag = "th" if i == 0 else "td"
        cells = "".join(f"<{tag}>{esc(c)}</{tag}>" for c in r + [""] * (width - len(r)))
        trs.append(f"<tr>{cells}</tr>")
    return '<table border="1" cellspacing="0" cellpadding="4" class="annex">' + "".join(trs) + "</table>"


def page(head: str, body: str, lang_attr: str = "") -> str:
    return f"<!DOCTYPE html>\n<html{lang_attr}>\n<head>\n{head}\n{STYLE}\n</head>\n<body>\n{body}\n{SCRIPT}\n</body>\n</html>\n"


def dahan(seed: Seed, site: str) -> str:
    """大汉版通: table layout, xxgk metadata table, #zoom body, 【打印本页】【关闭窗口】."""
    meta = dict(seed.meta)
    box = (
        '<table class="xxgk_table" width="100%" border="0" cellspacing="1" cellpadding="0">'
        f'<tr><td class="xxgk_bt">索引号：</td><td colspan="3">{esc(meta.get("索引号", ""))}</td></tr>'
        f'<tr><td class="xxgk_bt">组配分类：</td><td>{esc(meta.get("组配分类", ""))}</td>'
        f'<td class="xxgk_bt">发布机构：</td><td>{esc(meta.get("发布机构", ""))}</td></tr>'
        f'<tr><td class="xxgk_bt">生成日期：</td><td>{esc(meta.get("生成日期", ""))}</td>'
        f'<td class="xxgk_bt">公开方式：</td><td>{esc(meta.get("公开方式", ""))}</td></tr></table>'
    )
    head = (
        f'<meta charset="gb2312">\n<title>{esc(seed.title)}</title>\n'
        f'<meta name="ArticleTitle" content="{esc(seed.title)}">\n<meta name="PubDate" content="{meta.get("发布日期", "")} 09:12">'
        f'\n<meta name="ContentSource" content="{esc(site)}">'
    )
    body = (
        f'<div class="top"><img src="/images/logo.png" alt="{esc(site)}">{nav_html()}</div>\n'
        f'<table width="1000" align="center"><tr><td class="position">当前位置：<a href="/">首页</a> &gt; '
        f'<a href="/col/col1/">信息公开</a> &gt; <a href="/col/col2/">{esc(seed.column)}</a></td></tr>\n'
        f"<tr><td>{box}</td></tr>\n"
        f'<tr><td class="title" align="center"><b>{esc(seed.title)}</b></td></tr>\n'
        f'<tr><td align="center" class="info">发布日期：{meta.get("发布日期", "")}&nbsp;&nbsp;浏览次数：<span id="c">1234</span>'
        "&nbsp;&nbsp;字号：[<a href=\"javascript:doZoom(16)\">大</a> <a href=\"javascript:doZoom(14)\">中</a> "
        '<a href="javascript:doZoom(12)">小</a>]</td></tr>\n'
        f'<tr><td><div id="zoom">\n<!--ZJEG_RSS.content.begin--><meta name="ContentStart">\n{paras_p(seed.body)}\n'
        "<meta name=\"ContentEnd\"><!--ZJEG_RSS.content.end-->\n</div></td></tr>\n"
        '<tr><td align="center">【<a href="javascript:window.print()">打印本页</a>】 '
        '【<a href="javascript:window.close()">关闭窗口</a>】</td></tr></table>\n'
        f"{footer_html(site, '3307830001', '浙ICP备05003015号')}\n<!-- Produced By 大汉网络 大汉版通发布系统 -->"
    )
    return page(head, body)


def trs(seed: Seed, site: str) -> str:
    """TRS WCM: .TRS_Editor body, 信息公开 metadata list with 文号/成文日期, GBK (meta http-equiv)."""
    meta = [
        ("索引号", "002609561/2022-00187"),
        ("发布机构", site),
        ("文号", "东政发〔2022〕21号"),
        ("成文日期", "2022-05-31"),
        ("发布日期", "2022-06-02"),
        ("主题分类", "综合政务/通知"),
    ]
    lis = "".join(f"<li><b>{k}：</b><span>{esc(v)}</span></li>" for k, v in meta)
    head = (
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">\n'
        f"<title>{esc(seed.title)}_{esc(site)}</title>\n"
        f'<meta name="keywords" content="{esc(site)},政务公开">'
    )
    body = (
        f'<div class="header"><div class="logo">{esc(site)}</div>{nav_html()}</div>\n'
        '<div class="crumb">您现在的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
        '<a href="/zwgk/wj/">政府文件</a></div>\n'
        f'<div class="xxgk-info"><ul>{lis}</ul></div>\n'
        f'<div class="article"><h2 class="art-title">{esc(seed.title)}</h2>\n'
        '<div class="art-info"><span>来源：东阳市人民政府办公室</span><span>【字体：<a>大</a> <a>中</a> <a>小</a>】</span></div>\n'
        f'<div class="TRS_Editor"><div class="Custom_UnionStyle">\n{paras_p(seed.body, "")}\n</div></div>\n'
        "<div class=\"fj\"><p>附件：<a href=\"/attach/P020220602.pdf\">东政发〔2022〕21号.pdf</a></p></div>\n"
        f"{SHARE}\n{PRINT_CLOSE}\n</div>\n{related_html('相关链接')}\n"
        f"{footer_html(site, '3307830002', '浙ICP备05012345号-1')}"
    )
    return page(head, body)


def hanweb(seed: Seed, site: str) -> str:
    """Hanweb-style page whose body is one block of text broken with <br> (no <p> at all)."""
    lines = []
    for b in seed.body:
        if isinstance(b, list):
            lines.append(table_html(b))
        else:
            lines.append("&nbsp;&nbsp;&nbsp;&nbsp;" + esc(b) + "<br>")
    content = "\n".join(lines)
    head = f'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n<title>{esc(seed.title)}-{esc(site)}</title>'
    body = (
        f'<div id="header">{nav_html()}</div>\n'
        '<div class="location">当前位置：<a href="/">首页</a> » <a href="/xxgk/">信息公开</a> » <a href="/tzgg/">通知公告</a></div>\n'
        '<div class="main-wrap"><div class="left">'
        '<div class="side-menu"><a href="/1">工作动态</a><a href="/2">通知公告</a><a href="/3">政策文件</a></div></div>\n'
        '<div class="right"><div class="con-title"><h1>' + esc(seed.title) + "</h1></div>\n"
        '<div class="con-info">发布时间：2023-12-25 10:30:00 &nbsp; 来源：邵阳经开区纪工委 &nbsp; '
        '【<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>\n'
        f'<div id="Zoom" class="con-text" style="font-size:16px">\n{content}\n</div>\n'
        f"{SHARE}\n"
        '<div class="page-btns"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>\n'
        '<div class="prev-next"><p>上一篇：<a href="/a1.html">关于2023年第四季度政府网站抽查情况的通报</a></p>'
        '<p>下一篇：<a href="/a2.html">邵阳经开区2024年元旦春节期间值班安排</a></p></div>\n'
        f"{related_html()}</div></div>\n"
        f'<div id="footer">{footer_html(site, "4305000012", "湘ICP备12001234号")}</div>\n'
        '<div style="display:none"><span id="hidden-stat">访问统计代码</span></div>'
    )
    return page(head, body, ' lang="zh-CN"')


YUN_P = ' style="text-indent: 2em; font-family: 仿宋_GB2312;"'


def yunmenhu(seed: Seed, site: str) -> str:
    """云门户 / modern layout: <article>, meta tags, article-content with styled <p>s."""
    head = (
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
        f"<title>{esc(seed.title)} | {esc(site)}</title>\n"
        f'<meta name="ArticleTitle" content="{esc(seed.title)}">\n<meta name="PubDate" content="2024-02-05 16:20">\n'
        f'<meta name="ContentSource" content="东阳市审计局">\n<meta name="SiteName" content="{esc(site)}">'
    )
    body = (
        f'<header class="site-header"><div class="logo">{esc(site)}</div><nav>{nav_html()}</nav>'
        '<form class="search"><input name="q" placeholder="请输入关键词"><button>搜索</button></form></header>\n'
        '<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">信息公开</a> &gt; <span>通知公告</span></div>\n'
        '<main><article class="article-detail">\n'
        f'<h1 class="article-title">{esc(seed.title)}</h1>\n'
        '<div class="article-meta"><span>发布日期：2024-02-05</span><span>信息来源：东阳市审计局</span>'
        '<span>浏览次数：<em id="hits"></em></span></div>\n'
        f'<div class="article-content">\n{paras_p(seed.body, YUN_P)}\n</div>\n'
        f'<div class="article-tools">{SHARE}<a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>\n'
        '<div class="qrcode">扫一扫在手机打开当前页</div>\n'
        "</article>\n"
        f'<aside class="sidebar">{related_html("相关文章")}<div class="hot"><h3>热点专题</h3>'
        '<a href="/zt/1">学习贯彻党的二十大精神</a><a href="/zt/2">优化营商环境</a></div></aside></main>\n'
        f'<footer>{footer_html(site, "3307830003", "浙ICP备11012345号")}</footer>'
    )
    return page(head, body, ' lang="zh"')


def bare_divs(seed: Seed, site: str) -> str:
    """A layout with no telling ids or classes and every paragraph a <div>; GBK, no charset declared."""
    paras = "\n".join(
        table_html(b) if isinstance(b, list) else f'<div style="text-indent:2em;line-height:30px">{esc(b)}</div>'
        for b in seed.body
    )
    head = f"<title>{esc(site)}</title>"
    body = (
        f'<div class="w1">{nav_html()}</div>\n'
        '<div class="w2"><div class="w3">首页 &gt; 党建工作 &gt; 巡察整改</div>\n'
        '<div class="w4"><div class="w5"><a href="/1">党建工作</a><br><a href="/2">巡察整改</a><br><a href="/3">纪检监察</a></div>\n'
        f'<div class="w6"><div class="w7">{esc(seed.title)}</div>\n'
        '<div class="w8">时间：2023-05-12 作者：开发区党工委</div>\n'
        f'<div class="w9">\n{paras}\n</div>\n'
        f'<div class="w10"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>\n'
        f"{related_html('相关新闻')}</div></div></div>\n"
        f'<div class="w11">版权所有：{esc(site)} 苏ICP备10001234号 网站标识码：3207000001</div>'
    )
    return page(head, body)


# seed stem prefix → (template, site, encoding)
HTML_PLAN = {
    "000": (yunmenhu, "东阳市人民政府", "utf-8"),
    "001": (trs, "东阳市人民政府", "gbk"),
    "002": (hanweb, "邵阳经济技术开发区", "utf-8"),
    "003": (dahan, "温州浙南科技城管理委员会", "gbk"),
    "004": (bare_divs, "XX经济开发区", "gbk"),
}


def write_html(seed: Seed) -> Path:
    template, site, encoding = HTML_PLAN[seed.stem[:3]]
    text = template(seed, site)
    out = SAMPLES / "html" / f"{seed.stem}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(text.encode(encoding, errors="xmlcharrefreplace"))
    return out


# --------------------------------------------------------------------------- DOCX

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def cn_number(n: int) -> str:
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


def parse_cn(s: str) -> int:
    if s.isdigit():
        return int(s)
    if "十" in s:
        a, _, b = s.partition("十")
        return (CN.index(a) if a else 1) * 10 + (CN.index(b) if b else 0)
    return CN.index(s)


class Numbering:
    """Adds a three-level list (一、 / （一） / 1.) to numbering.xml and hands out numPr for paragraphs.

    Word semantics reproduced (and mirrored by the loader): counters belong to the abstract list; a
    lower level restarts when a higher one is used unless lvlRestart says otherwise; a w:num with a
    startOverride restarts that level at the given value the first time it is used.
    """

    def __init__(self, document, level_texts: list[str], restart_level3_after: int | None):
        from docx.oxml import parse_xml

        self.part = document.part.numbering_part
        self.root = self.part.element
        self.abs_id = 90
        self.next_num = 90
        fmts = ["chineseCounting", "chineseCounting", "decimal"]
        lvls = []
        for i, (fmt, text) in enumerate(zip(fmts, level_texts, strict=True)):
            restart = ""
            if i == 2 and restart_level3_after is not None:
                restart = f'<w:lvlRestart w:val="{restart_level3_after}"/>'
            lvls.append(
                f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{restart}'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/>'
                '<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
            )
        absxml = (
            f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{self.abs_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{"".join(lvls)}</w:abstractNum>'
        )
        first_num = self.root.find(f"{{{W}}}num")
        node = parse_xml(absxml)
        if first_num is not None:
            first_num.addprevious(node)
        else:
            self.root.append(node)
        self.restart3 = restart_level3_after
        self.current = self._new_num({})
        self.counters: list[int | None] = [None, None, None]

    def _new_num(self, overrides: dict[int, int]) -> int:
        from docx.oxml import parse_xml

        num_id = self.next_num
        self.next_num += 1
        ov = "".join(
            f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
            for lvl, v in overrides.items()
        )
        self.root.append(
            parse_xml(f'<w:num xmlns:w="{W}" w:numId="{num_id}"><w:abstractNumId w:val="{self.abs_id}"/>{ov}</w:num>')
        )
        return num_id

    def number(self, level: int, value: int) -> int:
        """Advance the counters as Word would; return the numId that renders ``value`` at ``level``."""
        for deeper in range(level + 1, 3):
            restart = self.restart3 if deeper == 2 else None
            if restart is None or (restart != 0 and level <= restart - 1):
                self.counters[deeper] = None
        computed = 1 if self.counters[level] is None else self.counters[level] + 1
        if computed != value:
            self.current = self._new_num({level: value})
        self.counters[level] = value
        return self.current

    @staticmethod
    def apply(paragraph, num_id: int, level: int) -> None:
        from docx.oxml import parse_xml

        ppr = paragraph._p.get_or_add_pPr()
        ppr.insert(
            0,
            parse_xml(
                f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            ),
        )


def write_docx(seed: Seed, numbered: bool) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = "仿宋_GB2312"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    document.core_properties.title = seed.title
    document.core_properties.author = "办公室"
    numbering = None
    if numbered:
        texts: list[str | None] = [None, None, None]
        for b in seed.body:
            if isinstance(b, str) and (m := MARKER_RE.match(b)):
                lvl = 0 if m.group(1) else 1 if m.group(3) else 2
                if texts[lvl] is None:
                    texts[lvl] = "%1、" if lvl == 0 else f"{m.group(2)}%2{m.group(4)}" if lvl == 1 else f"%3{m.group(6)}"
        defaults = ["%1、", "（%2）", "%3."]
        level_texts = [t or d for t, d in zip(texts, defaults, strict=True)]
        # seed 002 counts its 1. 2. … items on across the （一）（二） groups: restart only after 一、
        restart = 1 if seed.stem.startswith("002") else None
        numbering = Numbering(document, level_texts, restart)

    for b in seed.body:
        if isinstance(b, list):
            write_table(document, b)
            continue
        if b == seed.title:
            p = document.add_paragraph(b, style="Title")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        m = MARKER_RE.match(b)
        if m and numbering is not None:
            lvl = 0 if m.group(1) else 1 if m.group(3) else 2
            literal = m.group(0)
            expected = numbering.root.find(f"{{{W}}}abstractNum[@{{{W}}}abstractNumId='90']")
            lvl_text = expected.findall(f"{{{W}}}lvl")[lvl].find(f"{{{W}}}lvlText").get(f"{{{W}}}val")
            value = parse_cn(m.group(1) or m.group(3) or m.group(5))
            rendered = lvl_text.replace(f"%{lvl + 1}", cn_number(value) if lvl < 2 else str(value))
            if rendered == literal:
                rest = b[len(literal) :]
                style = f"Heading {lvl + 1}" if len(b) < 60 and not rest.rstrip("。").count("。") else None
                p = document.add_paragraph(rest, style=style)
                Numbering.apply(p, numbering.number(lvl, value), lvl)
                continue
        style = None
        if m and len(b) < 60 and "。" not in b[:-1]:
            style = "Heading 1" if m.group(1) else "Heading 2" if m.group(3) else None
        p = document.add_paragraph(b, style=style)
        if style is None:
            p.paragraph_format.first_line_indent = Pt(32)
    fixed = datetime(2024, 1, 1, 9, 0, 0)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.core_properties.last_printed = fixed
    out = SAMPLES / "docx" / f"{seed.stem}.docx"
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    document.save(buf)
    out.write_bytes(_fixed_zip_times(buf.getvalue()))
    return out


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite the package with one fixed timestamp per member so re-running gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 9, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(member, zin.read(info.filename))
    return out.getvalue()


def write_table(document, rows: list[list[str]]) -> None:
    """A real Word table; the 五大行动 cell of consecutive rows of one action is merged vertically."""
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for i, r in enumerate(rows):
        for j in range(width):
            table.cell(i, j).text = r[j] if j < len(r) else ""
    # merge an empty 五大行动 cell into the one above (how such annexes are typed)
    for i in range(2, len(rows)):
        if width > 1 and not table.cell(i, 1).text and table.cell(i - 1, 1).text:
            top = table.cell(i - 1, 1)
            text = top.text
            merged = top.merge(table.cell(i, 1))
            merged.text = text


def main() -> None:
    seeds = [read_seed(p) for p in sorted(SAMPLES.glob("[0-9][0-9][0-9]_*.txt"))]
    for seed in seeds:
        h = write_html(seed)
        d = write_docx(seed, numbered=seed.stem[:3] in ("002", "004"))
        print(f"{h.relative_to(ROOT)} ({h.stat().st_size // 1024} KB)  {d.relative_to(ROOT)} ({d.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
