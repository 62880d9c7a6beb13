"""``rectiparse show`` and ``rectiparse report``: markup unit tests, then the real pages in headless Chromium.

The browser tests drive Debian's /usr/bin/chromium over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
NUL-separated JSON on file descriptors 3 and 4), so no driver library, websocket client or chromedriver is needed.
They read the DOM after the page's own script ran, click sidebar links and table headers, and save screenshots
that must not be blank.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import pytest

from rectiparse import parse
from rectiparse.models import (
    Deadline,
    Document,
    DocumentMeta,
    Figure,
    Item,
    Measure,
    Source,
    Summary,
    Table,
    Units,
    ValidationIssue,
)
from rectiparse.view import report, show
from rectiparse.view._common import esc

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEEDS = sorted(SAMPLES.glob("*.txt"))
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
SHOT_DIR = Path(os.environ.get("RECTIPARSE_SHOT_DIR", tempfile.gettempdir())) / "rectiparse-view-shots"

needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (/usr/bin/chromium) is not installed")


# --------------------------------------------------------------------------- a minimal DevTools client


class Browser:
    """Headless Chromium driven over ``--remote-debugging-pipe``: one page, evaluate JS, screenshot."""

    def __init__(self, width: int = 1280, height: int = 900):
        self.profile = tempfile.mkdtemp(prefix="rectiparse-chromium-")
        r_in, self._w = os.pipe()
        self._r, w_out = os.pipe()
        # move the browser's ends above 9 so that "3<&A 4>&B" cannot clobber one with the other
        r_in, w_out = (self._high(fd) for fd in (r_in, w_out))
        args = [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
            f"--window-size={width},{height}", "about:blank",
        ]
        # the protocol pipe must be the browser's fds 3 (in) and 4 (out)
        self.proc = subprocess.Popen(
            ["bash", "-c", f"exec \"$@\" 3<&{r_in} 4>&{w_out}", "bash", *args],
            pass_fds=(r_in, w_out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(r_in)
        os.close(w_out)
        self._buf = b""
        self._id = 0
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    @staticmethod
    def _high(fd: int) -> int:
        import fcntl

        high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
        os.close(fd)
        return high

    def call(self, method: str, session: bool = False, timeout: float = 30, **params: Any) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buf:
                raw, self._buf = self._buf.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply["result"]
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buf += chunk

    def js(self, expression: str) -> Any:
        res = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                        awaitPromise=True)
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def open(self, path: Path) -> None:
        self.call("Page.navigate", session=True, url=path.resolve().as_uri())
        deadline = time.monotonic() + 30
        while self.js("document.readyState + ':' + (document.body && document.body.dataset.ready)") != "complete:1":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} did not finish loading")
            time.sleep(0.05)
        self.js("document.fonts.ready.then(() => 1)")

    def screenshot(self, path: Path, full_page: bool = False) -> bytes:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            w, h = self.js("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": w, "height": min(h, 4000), "scale": 1}
        data = base64.b64decode(self.call("Page.captureScreenshot", session=True, **params)["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
        shutil.rmtree(self.profile, ignore_errors=True)


def png_stats(data: bytes) -> tuple[int, int, int]:
    """(width, height, number of distinct colours in a sample of pixels) of an 8-bit RGB/RGBA PNG, stdlib only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            depth, ctype = body[8], body[9]
            assert depth == 8 and ctype in (2, 6), f"unexpected PNG type {depth}/{ctype}"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 7 == 0:
            for x in range(0, width, 5):
                colours.add(bytes(line[x * bpp : x * bpp + 3]))
        prev = line
    return width, height, len(colours)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("headless Chromium (/usr/bin/chromium) is not installed")
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {p.stem: parse(p) for p in SEEDS}


# --------------------------------------------------------------------------- markup (no browser)


def _doc(text: str, **kw: Any) -> Document:
    return Document(text=text, **kw)


def test_overlapping_spans_stay_well_nested() -> None:
    text = "一、关于资金管理存在漏洞问题，已完成整改，共计12.5万元。\n下一行"
    fig = Figure(text="12.5万元", value=125000, unit="元", kind="money", span=(23, 29))
    item = Item(
        id="1", number="一", title="资金管理存在漏洞", span=(0, 30), status="completed", status_text="已完成整改",
        spans={"heading": (0, 20), "title": (4, 12), "number": (0, 2), "status_text": (15, 20)},
        figures=[fig],
    )
    doc = _doc(text, items=[item], figures=[fig])
    # an issue crossing the heading end, the figure start and the line break: the worst case for nesting
    doc.validation.issues.append(ValidationIssue(code="empty_item", severity="warning", message="x", span=(10, 33)))
    body = show.render_text(doc)
    # tags balance on every line and never cross
    for para in body.split("\n"):
        depth = 0
        for tag in re.findall(r"</?span\b", para):
            depth += -1 if tag.startswith("</") else 1
            assert depth >= 0
        assert depth == 0, para
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(body)
    assert tree.css_first(".hl-title").text() == "资金管理存在漏洞"
    assert tree.css_first(".hl-status.st-completed").text() == "已完成整改"
    assert "".join(n.text() for n in tree.css(".hl-figure")) == "12.5万元"
    assert "".join(n.text() for n in tree.css(".hl-issue")) == text[10:33].replace("\n", "")
    # the text is intact: strip the tags and the item tag and get back the source
    plain = "\n".join(p.text(deep=True) for p in tree.css("p"))
    assert plain.replace(tree.css_first(".item-tag").text(), "", 1) == text


def test_text_is_escaped() -> None:
    text = "<script>alert(1)</script> & “引号” 关于<b>问题"
    item = Item(id="1", title="<b>", span=(0, len(text)), spans={"title": (31, 34)})
    html_text = show.render(_doc(text, items=[item]))
    assert "<script>alert(1)</script>" not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html_text
    assert "<b>" not in html_text.split("<body", 1)[1]


def test_units_found_in_item_with_role() -> None:
    text = "（一）推进平台建设（责任单位：市发改局，协同单位：市自然资源和规划局、发改局）"
    m = Measure(ordinal=1, marker="（一）", text=text[3:], span=(3, len(text)),
                units=Units(lead=["市发改局"], co=["市自然资源和规划局", "发改局"]))
    item = Item(id="1", title="推进平台建设", span=(0, len(text)), measures=[m], kind="task")
    marks = [mk for mk in show.collect_marks(_doc(text, items=[item])) if mk.family == "unit"]
    got = sorted((text[mk.start : mk.end], mk.classes) for mk in marks)
    # 发改局 inside 市发改局 is not marked twice; the free-standing 发改局 is
    assert got == [("发改局", "hl-unit unit-co"), ("市发改局", "hl-unit unit-lead"),
                   ("市自然资源和规划局", "hl-unit unit-co")]


def test_summary_rows_of_seed_004(docs: dict[str, Document]) -> None:
    doc = docs["004_dd361c94b27cbe2f"]
    rows = {name: (declared, found) for name, declared, found in show.summary_rows(doc)}
    assert rows["completed"] == (17, 18)
    assert rows["in_progress"] == (7, 6)
    assert rows["problems_total"] == (24, 24)


def test_show_cli_json_input_and_exit_codes(tmp_path: Path, docs: dict[str, Document]) -> None:
    from rectiparse.cli import main

    js = tmp_path / "d.json"
    js.write_text(docs["002_056a472a98951650"].model_dump_json(), encoding="utf-8")
    assert main(["show", str(js), "-o", str(tmp_path / "v.html")]) == 0
    assert "hl-status" in (tmp_path / "v.html").read_text(encoding="utf-8")
    # validation errors in the shown document: exit 1, like extract
    assert main(["show", str(SAMPLES / "004_dd361c94b27cbe2f.txt"), "-o", str(tmp_path / "w.html")]) == 1
    assert main(["show", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.html")]) == 2
    (tmp_path / "bad.json").write_text("{\"items\": 3}", encoding="utf-8")
    assert main(["show", str(tmp_path / "bad.json"), "-o", str(tmp_path / "y.html")]) == 2


def test_show_without_text_lists_items(docs: dict[str, Document]) -> None:
    doc = docs["002_056a472a98951650"].model_copy(update={"text": ""})
    html_text = show.render(doc)
    assert html_text.count('class="anchor" id="item-') == len(doc.items)


def test_pages_are_self_contained(docs: dict[str, Document]) -> None:
    html_text = show.render(docs["000_6f123fd23d2bb904"])
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html_text)
    assert "WenQuanYi Zen Hei" in html_text and "Noto Sans CJK SC" in html_text
    assert esc("<") == "&lt;"


# --------------------------------------------------------------------------- escaping (issue 13)

XSS = "<script>alert(1)</script>"
RAW = '"&<>'
HOSTILE = XSS + RAW
IMG = '<img src=x onerror="window.pwned=1">'
ATTR = 'x" onmouseover="window.pwned=2'  # would open a new attribute if a tooltip were not escaped


def _hostile_doc() -> Document:
    """A document whose every shown value carries markup: title, issuer, source path, item title, parent title,
    category, status text, item text, figure text and unit, unit names, cited document, deadline, issue
    messages (text and tooltip), the summary sentence, and a table's caption, header, cells and row item."""
    head = f"一、关于{HOSTILE}问题"
    body = f"已完成整改，共计{HOSTILE}12万元，责任单位：{HOSTILE}局。{IMG}依据《{HOSTILE}》于{HOSTILE}前完成。"
    text = f"{HOSTILE}\n{head}\n{body}"
    lo = len(HOSTILE) + 1
    t0 = text.index(HOSTILE, lo)
    f0 = text.index(f"{HOSTILE}12万元")
    fig = Figure(text=f"{HOSTILE}12万元", value=120000, unit=HOSTILE, kind="money", span=(f0, f0 + len(HOSTILE) + 4))
    d0 = text.rindex(HOSTILE)
    item = Item(
        id=f"1{RAW}", title=HOSTILE, parent_title=HOSTILE, category=HOSTILE, status="completed",
        status_text="已完成整改" + XSS, span=(lo, len(text)), page=3, kind="problem",
        spans={"heading": (lo, lo + len(head)), "title": (t0, t0 + len(HOSTILE)),
               "status_text": (lo + len(head) + 1, lo + len(head) + 6)},
        figures=[fig], units=Units(lead=[f"{HOSTILE}局"]), documents=[HOSTILE],
        deadlines=[Deadline(text=f"{HOSTILE}前", date=HOSTILE, span=(d0, d0 + len(HOSTILE) + 1))],
    )
    doc = Document(
        text=text, items=[item], figures=[fig],
        source=Source(path=f"/tmp/{HOSTILE}.txt", sha256=HOSTILE),
        document=DocumentMeta(title=HOSTILE, issuer=HOSTILE, spans={"title": (0, len(HOSTILE))}),
        summary=Summary(problems_total=2, text=HOSTILE, span=(0, 5)),
        tables=[Table(title=HOSTILE, columns=[HOSTILE, "b"], rows=[[HOSTILE, None], [RAW]],
                      row_items=[item.id, HOSTILE])],
    )
    doc.validation.issues += [
        ValidationIssue(code=f"c{RAW}", severity="warning", message=f"{ATTR}{HOSTILE}", span=(f0 - 3, f0 + 9)),
        ValidationIssue(code="noise_removed", severity="info", message=f"{HOSTILE}{IMG}"),
    ]
    return doc


def _tree(html_text: str) -> Any:
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(html_text)


def test_show_escapes_every_value() -> None:
    """Markup in any value of a document is shown as text: never a tag, never an attribute of ours."""
    from markupsafe import escape

    doc = _hostile_doc()
    html_text = show.render(doc)
    assert XSS not in html_text and RAW not in html_text and IMG not in html_text and ATTR not in html_text
    assert html_text.count("<script") == 1  # the page's own script
    assert html_text.count(str(escape(HOSTILE))) >= 15
    tree = _tree(html_text)
    assert len(tree.css("script")) == 1 and not tree.css("img") and not tree.css("[onmouseover]")
    assert "alert(1)" not in tree.css_first("script").text()
    assert tree.css_first("title").text() == HOSTILE
    assert tree.css_first("h1").text() == HOSTILE
    assert tree.css_first("li.group").text() == HOSTILE
    assert tree.css_first(".side-title").text() == f"{HOSTILE} › {HOSTILE}"
    assert tree.css_first(".side-num").text() == doc.items[0].id
    assert tree.css_first(".side-item").attributes["data-id"] == doc.items[0].id
    assert tree.css_first(".side-meta .badge").text() == doc.items[0].status_text
    dd = {dt.text(): dt.next.text() for dt in tree.css("dl.meta dt")}
    assert dd["issuer"] == HOSTILE and dd["sha256"] == HOSTILE and HOSTILE in dd["source"]
    issues = tree.css("li.issue")
    assert issues[0].attributes["data-code"] == f"c{RAW}" and f"{ATTR}{HOSTILE}" in issues[0].text()
    assert issues[1].text().endswith(f"{HOSTILE}{IMG}")
    assert tree.css_first(".summary-compare p.muted").text() == f"Declared in: “{HOSTILE}”"
    # tooltips are attributes holding the raw value, nothing more
    assert tree.css_first(".hl-issue").attributes["title"] == f"c{RAW}: {ATTR}{HOSTILE}"
    assert tree.css_first(".hl-figure").attributes["title"] == f"money: 120,000 {HOSTILE}"
    assert tree.css_first(".hl-unit").attributes["title"] == f"lead unit: {HOSTILE}局"
    assert tree.css_first(".hl-doc").attributes["title"] == f"cited document: {HOSTILE}"
    assert tree.css_first(".hl-deadline").attributes["title"] == f"deadline: {HOSTILE}"
    assert tree.css_first(".hl-meta").attributes["title"] == f"title: {HOSTILE}"
    # the table: caption, header, cells, and the item column (a link when the row's item exists)
    table = tree.css_first("#doc-table-0")
    assert table.css_first("caption").text() == HOSTILE
    assert [th.text() for th in table.css("th")] == ["item", HOSTILE, "b"]
    rows = [[td.text() for td in tr.css("td")] for tr in table.css("tbody tr")]
    assert rows == [[doc.items[0].id, HOSTILE, ""], [HOSTILE, RAW, ""]]
    assert table.css_first("tbody a").attributes["href"] == "#item-0"
    # the text comes back whole
    assert "\n".join(_plain(show.render_text(doc))) == doc.text


def test_show_escapes_without_text() -> None:
    """The --no-text branch (items listed, nothing highlighted) escapes too."""
    doc = _hostile_doc().model_copy(update={"text": ""})
    html_text = show.render(doc)
    assert XSS not in html_text and RAW not in html_text and html_text.count("<script") == 1
    assert _tree(html_text).css_first("article .hl-title").text() == f"{doc.items[0].id} {HOSTILE}"


def test_highlights_wrap_exactly_their_span() -> None:
    """Each highlight holds exactly ``text[span]`` — escaped, and whatever markup characters the span has."""
    from markupsafe import escape

    doc = _hostile_doc()
    body = show.render_text(doc)
    title = doc.items[0].spans["title"]
    fig = doc.figures[0].span
    assert f'<span class="hl-title" title="item {escape(doc.items[0].id)} · title">{escape(HOSTILE)}</span>' in body
    tree = _tree(body)
    assert tree.css_first(".hl-title").text() == doc.text[slice(*title)] == HOSTILE
    assert "".join(n.text() for n in tree.css(".hl-figure")) == doc.text[slice(*fig)]

    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=80, deadline=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        text = data.draw(st.text(alphabet='ab<>&"\'/中\n', min_size=1, max_size=40))
        n = len(text)
        spans = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)).filter(lambda s: s[0] < s[1]),
                                   max_size=6, unique=True))
        figs = [Figure(text=text[a:b], value=k, unit="元", span=(a, b)) for k, (a, b) in enumerate(spans)]
        rendered = _tree(show.render_text(Document(text=text, figures=figs)))
        for k, (a, b) in enumerate(spans):
            pieces = rendered.css(f'.hl-figure[data-value="{k}"]')
            assert "".join(p.text() for p in pieces) == text[a:b].replace("\n", ""), (text, a, b)

    check()


# --------------------------------------------------------------------------- in headless Chromium

SHOW_CASES = [*SEEDS, SAMPLES / "pdf" / "001_f32850ce6c833049.pdf"]


def _has_cjk_font() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def _not_blank(data: bytes) -> None:
    width, height, colours = png_stats(data)
    assert (width, height) == (1280, 900)
    assert colours > 20, f"screenshot looks blank ({colours} colours)"


@pytest.mark.browser
@needs_browser
@pytest.mark.parametrize("path", SHOW_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_show_in_chromium(path: Path, tmp_path: Path, browser: Browser) -> None:
    from rectiparse.cli import main

    doc = parse(path)
    out = tmp_path / "view.html"
    assert main(["show", str(path), "-o", str(out)]) in (0, 1)
    browser.open(out)
    b = browser.js

    # every item in the sidebar, in order, each link pointing at an anchor that exists
    links = b("[...document.querySelectorAll('nav.sidebar a.side-item')]"
              ".map(a => [a.dataset.id, a.dataset.status, !!document.getElementById(a.hash.slice(1))])")
    assert [x[0] for x in links] == [i.id for i in doc.items]
    assert [x[1] for x in links] == [i.status or "none" for i in doc.items]
    assert all(x[2] for x in links)

    # highlights present, by class
    def count(selector: str) -> int:
        return b(f"document.querySelectorAll({json.dumps(selector)}).length")

    assert count("article.text .hl-title") >= sum("title" in i.spans for i in doc.items) > 0
    assert count("article.text .hl-heading") > 0
    for code in {i.status for i in doc.items if "status_text" in i.spans}:
        assert count(f"article.text .hl-status.st-{code}") > 0, code
    figure_spans = {f.span for f in doc.figures} | {f.span for i in doc.items for f in i.figures}
    shown = b("new Set([...document.querySelectorAll('article.text .hl-figure')].map(e => e.closest('p')"
              ".dataset.offset + ':' + e.textContent)).size")
    assert shown >= len(figure_spans) * 0.9  # a figure split by a line break shows as two pieces
    if any(i.documents for i in doc.items):
        assert count("article.text .hl-doc") > 0
    if any(i.units.lead or i.units.co for i in doc.items):
        assert count("article.text .hl-unit.unit-lead") > 0 and count("article.text .hl-unit.unit-co") > 0
    if any(d.span for i in doc.items for d in i.deadlines):
        assert count("article.text .hl-deadline") > 0
    if doc.document.spans:
        assert count("article.text .hl-meta") > 0

    # the page shows the whole text, unaltered, once the inline item tags are taken out
    text = b("(() => { const a = document.querySelector('article.text').cloneNode(true);"
             " a.querySelectorAll('.item-tag').forEach(e => e.remove());"
             " return [...a.querySelectorAll(':scope > p')].map(p => p.textContent).join('\\n'); })()")
    assert text == doc.text

    # the CJK font stack is in effect and a CJK font is actually available to the page
    assert "WenQuanYi Zen Hei" in b("getComputedStyle(document.body).fontFamily")
    if _has_cjk_font():
        width = ("(f => { const c = document.createElement('canvas').getContext('2d'); c.font = f;"
                 " return c.measureText('rectiparse 整改 0123').width; })")
        fonts = ",".join(f'"{f}"' for f in ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC"))
        assert b(f"{width}('16px {fonts}, monospace')") != b(f"{width}('16px monospace')")

    # validation issues at the top; for seed 004 the mismatch with declared and found side by side
    errors = [i for i in doc.validation.issues if i.severity != "info"]
    assert count("section.issues > ul.issue-list > li") == len(errors)
    if path.stem.startswith("004"):
        rows = b("[...document.querySelectorAll('#summary-table tbody tr.mismatch')]"
                 ".map(r => [...r.cells].slice(0, 3).map(c => c.textContent.trim()))")
        assert [r[1:] for r in rows] == [["17", "18"], ["7", "6"]]
        assert [r[0].split()[-1] for r in rows] == ["completed", "in_progress"]
        assert count("article.text .hl-issue.sev-error") > 0

    # source pages of PDF items, in the sidebar and on the item tags
    if doc.source.format == "pdf":
        assert count("nav.sidebar .page") == sum(i.page is not None for i in doc.items) > 0
        assert b("document.querySelector('.item-tag').textContent").endswith(f"p.{doc.items[0].page}")

    # clicking the last sidebar link scrolls its item to the top and marks the link
    b("window.scrollTo(0, 0); document.querySelectorAll('nav.sidebar a.side-item')"
      f"[{len(doc.items) - 1}].click()")
    time.sleep(0.1)
    top = b(f"document.getElementById('item-{len(doc.items) - 1}').getBoundingClientRect().top")
    max_scroll = b("document.documentElement.scrollHeight - innerHeight")
    assert b("scrollY") > 0
    assert 0 <= top < 60 or b("scrollY") >= max_scroll - 1  # near the end the page cannot scroll further
    assert b("document.querySelector('a.side-item.active').dataset.id") == doc.items[-1].id

    # a highlight toggle hides its highlights
    b("const t = document.querySelector('input[data-toggle=figure]'); t.click()")
    assert b("document.body.classList.contains('hide-figure')")
    b("document.querySelector('input[data-toggle=figure]').click(); window.scrollTo(0, 0)")

    _not_blank(browser.screenshot(SHOT_DIR / f"show-{path.parent.name}-{path.stem}.png"))


@pytest.mark.browser
@needs_browser
def test_show_hostile_document_in_chromium(tmp_path: Path, browser: Browser) -> None:
    """In a real browser, no script, image or handler from the data exists in the DOM, and none ran."""
    doc = _hostile_doc()
    out = tmp_path / "hostile.html"
    out.write_text(show.render(doc), encoding="utf-8")
    # a dialog would block the page (and this test) if a script from the data ever ran: record it instead
    trap = browser.call("Page.addScriptToEvaluateOnNewDocument", session=True,
                        source="window.alert = window.confirm = window.prompt = () => { window.pwned = 'dialog'; };")
    try:
        browser.open(out)
    finally:
        browser.call("Page.removeScriptToEvaluateOnNewDocument", session=True, identifier=trap["identifier"])
    b = browser.js
    assert b("document.scripts.length") == 1
    assert not b("[...document.scripts].some(s => s.textContent.includes('alert(1)'))")
    assert b("document.querySelectorAll('img, [onerror], [onmouseover]').length") == 0
    assert b("typeof window.pwned") == "undefined"
    assert b("document.querySelector('h1').textContent") == HOSTILE
    assert b("document.title") == HOSTILE
    assert b("document.querySelector('.hl-issue').title") == f"c{RAW}: {ATTR}{HOSTILE}"
    text = b("(() => { const a = document.querySelector('article.text').cloneNode(true);"
             " a.querySelectorAll('.item-tag').forEach(e => e.remove());"
             " return [...a.querySelectorAll(':scope > p')].map(p => p.textContent).join('\\n'); })()")
    assert text == doc.text


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``rectiparse batch`` over every sample bulletin (txt, html, docx, pdf; OCR off to stay fast)."""
    out = tmp_path_factory.mktemp("batch")
    inputs = [*(str(p) for p in SEEDS), *(str(SAMPLES / d) for d in ("html", "docx", "pdf"))]
    cmd = [str(ROOT / ".venv" / "bin" / "rectiparse"), "batch", *inputs, "-o", str(out), "--no-ocr", "-q", "-j", "2"]
    if not Path(cmd[0]).exists():
        from rectiparse.cli import main

        assert main(cmd[1:]) in (0, 1)
    else:
        subprocess.run(cmd, check=False, cwd=ROOT)
    assert (out / "documents.jsonl").stat().st_size > 0
    return out


def test_report_from_jsonl_sqlite_csv_parquet_agree(batch_out: Path, tmp_path: Path) -> None:
    from rectiparse.export import export

    a = report.compute(report.load([str(batch_out)]))
    targets = [f"sqlite:///{tmp_path / 'archive.db'}", f"csv:{tmp_path / 'csv'}"]
    try:
        import pyarrow  # noqa: F401

        targets.append(f"parquet:{tmp_path / 'parquet'}")
    except ImportError:
        pass
    for target in targets:
        export([batch_out / "documents.jsonl"], target)
        b = report.compute(report.load([target]))
        for key in ("n_documents", "n_items", "n_measures", "n_figures", "by_type", "by_issuer",
                    "status_overall", "categories", "by_kind", "labels", "compare", "mismatched_docs"):
            assert a[key] == b[key], (target, key)
        assert [{**r, "sum": round(r["sum"], 2)} for r in a["figure_sums"]] == [
            {**r, "sum": round(r["sum"], 2)} for r in b["figure_sums"]], target
    lines = (batch_out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert a["n_documents"] == len(lines)
    # seed 004 declares 17 completed and 7 in progress: flagged in every format it was parsed from
    assert len(a["mismatched_docs"]) >= 4


def test_report_cli_errors(tmp_path: Path) -> None:
    from rectiparse.cli import main

    assert main(["report", str(tmp_path / "none.jsonl"), "-o", str(tmp_path / "r.html")]) == 2
    assert main(["report", "sqlite:///" + str(tmp_path / "empty.db"), "-o", str(tmp_path / "r.html")]) == 2
    (tmp_path / "bad.jsonl").write_text("{\"items\": 1}\n", encoding="utf-8")
    assert main(["report", str(tmp_path / "bad.jsonl"), "-o", str(tmp_path / "r.html")]) == 0
    assert "no data" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.browser
@needs_browser
def test_report_in_chromium(batch_out: Path, tmp_path: Path, browser: Browser) -> None:
    from rectiparse.cli import main

    out = tmp_path / "report.html"
    assert main(["report", str(batch_out / "documents.jsonl"), "-o", str(out)]) == 0
    browser.open(out)
    b = browser.js
    n_docs = len((batch_out / "documents.jsonl").read_text(encoding="utf-8").splitlines())

    # aggregates first: every chart present and drawn
    charts = b("Object.fromEntries([...document.querySelectorAll('figure.chart')]"
               ".map(f => [f.dataset.chart, f.querySelectorAll('svg rect.bar').length]))")
    assert "chart-mismatch" in charts  # drawn, or saying that no problem count disagrees
    for name in ("chart-doc-type", "chart-issuer", "chart-status-overall", "chart-year", "chart-declared",
                 "chart-money-spent", "chart-money-recovered", "chart-people",
                 "chart-categories", "chart-kinds", "chart-issues"):
        assert charts.get(name, 0) > 0, name
    order = b("[...document.querySelectorAll('main > section')].map(s => s.id)")
    assert order[-1] == "list" and order[0] == "status"

    # the document table: one row per document across its pages; mismatches flagged; sort and filter work
    assert b("document.getElementById('table-documents').dataset.ready") == "1"
    assert b("document.querySelectorAll('#table-documents tbody tr').length") == min(50, n_docs)
    assert b("document.getElementById('doc-count').textContent") == f"{n_docs} of {n_docs} documents"
    b("document.getElementById('doc-mismatch').click()")
    assert b("document.querySelectorAll('#table-documents tbody tr.mismatch').length") >= 4
    assert b("document.querySelectorAll('#table-documents tbody tr:not(.mismatch)').length") == 0
    b("document.getElementById('doc-mismatch').click()")
    col = b("[...document.querySelectorAll('#table-documents thead th')].findIndex(th => th.textContent == 'items')")
    values = f"[...document.querySelectorAll('#table-documents tbody tr')].map(r => +r.cells[{col}].dataset.v)"
    b(f"document.querySelectorAll('#table-documents thead th')[{col}].click()")
    asc = b(values)
    assert asc == sorted(asc) and asc[0] < asc[-1]
    b(f"document.querySelectorAll('#table-documents thead th')[{col}].click()")
    assert b(values) == sorted(asc, reverse=True)
    assert b(f"document.querySelectorAll('#table-documents thead th')[{col}].getAttribute('aria-sort')") == "descending"
    # static aggregate tables still sort in the browser
    b("document.querySelectorAll('#table-issuers thead th')[1].click()")
    assert b("document.querySelectorAll('#table-issuers thead th')[1].getAttribute('aria-sort')") == "ascending"

    # the KPI boxes add up
    kpis = b("[...document.querySelectorAll('.kpi')].map(k => [k.querySelector('span').textContent,"
             " k.querySelector('b').textContent])")
    assert dict(kpis)["documents"] == str(n_docs)
    b("window.scrollTo(0, 0)")
    _not_blank(browser.screenshot(SHOT_DIR / "report.png"))


def _archive(batch_out: Path, target: Path, n: int) -> Path:
    """``n`` documents made from the sample batch: new sha256, path, issuer (311 of them) and date (9 years), the
    same items — an archive of realistic documents at any size, in a second instead of an hour of parsing."""
    import hashlib

    src = [json.loads(line) for line in (batch_out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    with open(target, "w", encoding="utf-8") as fh:
        for k in range(n):
            d = json.loads(json.dumps(src[k % len(src)]))
            d["source"]["sha256"] = hashlib.sha256(f"doc{k}".encode()).hexdigest()
            d["source"]["path"] = f"archive.zip!{k // 500:02d}/{k:06d}_{Path(d['source']['path']).name}"
            d["document"]["issuer"] = f"第{k % 311}号单位<b>&" if k % 7 else d["document"]["issuer"]
            d["document"]["date"] = f"{2016 + k % 9}-{1 + k % 12:02d}-{1 + k % 28:02d}"
            d.pop("text", None)
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return target


@pytest.mark.slow
@pytest.mark.browser
@needs_browser
def test_report_of_2000_documents_is_small_and_usable_in_chromium(
    batch_out: Path, tmp_path: Path, browser: Browser
) -> None:
    """Issue 14: at 2,000 documents the page stays ≤ 3 MB, aggregates come first with bounded charts, and the
    document table pages, filters and sorts in a real browser."""
    from rectiparse.cli import main

    jsonl = _archive(batch_out, tmp_path / "big.jsonl", 2000)
    out = tmp_path / "big.html"
    assert main(["report", str(jsonl), "-o", str(out)]) == 0
    size = out.stat().st_size
    assert size <= 3 * 2**20, f"{size / 2**20:.2f} MB"
    html_text = out.read_text(encoding="utf-8")
    assert "<b>&" not in html_text  # an issuer's markup is escaped, in the aggregates and in the JSON
    browser.open(out)
    b = browser.js
    assert b("document.getElementById('doc-count').textContent") == "2,000 of 2,000 documents"
    assert b("document.querySelectorAll('#table-documents tbody tr').length") == 50
    assert b("document.getElementById('doc-page').textContent") == "page 1 of 40"
    # no chart grows with the archive: the tallest is bounded by the top-N rows it shows
    tallest = b("Math.max(...[...document.querySelectorAll('svg.chart-svg')].map(s => s.getBoundingClientRect().height))")
    assert tallest < 1200
    # per issuer and per year are aggregates, not per-document rows
    assert b("document.querySelectorAll('#table-year tbody tr').length") == 9
    assert b("document.querySelectorAll('#table-issuers tbody tr').length") == 25
    assert "号单位<b>&" in b("document.querySelector('#table-issuers').textContent")
    # paging, filtering by text and by type
    b("document.getElementById('doc-next').click()")
    assert b("document.getElementById('doc-page').textContent") == "page 2 of 40"
    b("{const f = document.getElementById('doc-filter'); f.value = '001999_'; f.dispatchEvent(new Event('input'))}")
    time.sleep(0.4)
    assert b("document.getElementById('doc-count').textContent") == "1 of 2,000 documents"
    assert "001999_" in b("document.querySelector('#table-documents tbody tr').textContent")
    b("{const f = document.getElementById('doc-filter'); f.value = ''; f.dispatchEvent(new Event('input'))}")
    b("{const t = document.getElementById('doc-type'); t.value = 'audit'; t.dispatchEvent(new Event('change'))}")
    time.sleep(0.4)
    types = b("[...document.querySelectorAll('#table-documents tbody tr')].map(r => r.cells[1].textContent)")
    assert types and set(types) == {"audit"}
    # money: spent, recovered and planned are separate charts, never one sum
    for role in ("spent", "recovered", "planned"):
        assert b(f"!!document.querySelector('figure[data-chart=chart-money-{role}]')"), role
    assert not b("!!document.querySelector('figure[data-chart=chart-money]')")
    b("window.scrollTo(0, 0)")
    _not_blank(browser.screenshot(SHOT_DIR / "report-2000.png"))


def test_report_compute_scales_and_separates_money(batch_out: Path, tmp_path: Path) -> None:
    """10,000 documents: aggregates by group-by (seconds), bounded top-N lists, money roles apart."""
    jsonl = _archive(batch_out, tmp_path / "huge.jsonl", 400)
    tables = report.load([str(jsonl)])
    # grow the loaded tables 25× (sha256 suffixed) rather than parsing 10,000 JSON lines
    import pandas as pd

    def grow(df: Any) -> Any:
        return pd.concat([df.assign(sha256=df["sha256"] + f"-{k}") for k in range(25)], ignore_index=True)

    big = {name: grow(df) for name, df in tables.items()}
    t0 = time.perf_counter()
    c = report.compute(big)
    assert time.perf_counter() - t0 < 60
    assert c["n_documents"] == 10000
    assert len(c["top_issuers"]) == report.TOP and len(c["top_mismatch"]) <= report.TOP
    assert set(c["money_totals"]) == {"spent", "recovered", "planned", "stated"}
    assert c["money_totals"]["spent"] > 0 and c["money_totals"]["recovered"] > 0
    assert len(c["doc_rows"]) == 10000
    page_html = report.render(big)
    assert len(page_html.encode("utf-8")) < 8 * 2**20  # ~0.3 KB a document: 10,000 fit in a few MB


# --------------------------------------------------------------------------- renderer properties


def _plain(body: str) -> list[str]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(body)
    for tag in tree.css(".item-tag"):
        tag.decompose()
    return [p.text(deep=True) for p in tree.css("p")]


def _balanced(body: str) -> bool:
    for para in body.split("\n"):
        depth = 0
        for tag in re.findall(r"</?span\b", para):
            depth += -1 if tag.startswith("</") else 1
            if depth < 0:
                return False
        if depth:
            return False
    return True


@pytest.mark.parametrize(
    "path", sorted(p for d in ("html", "docx", "pdf") for p in (SAMPLES / d).iterdir() if "_scan" not in p.name),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_show_every_sample_format(path: Path) -> None:
    """Every rendering of every seed gives a page whose paragraphs give back the text, tags balanced."""
    doc = parse(path, ocr=False)
    body = show.render_text(doc)
    assert _balanced(body)
    assert "\n".join(_plain(body)) == doc.text
    assert body.count('class="anchor" id="item-') == len(doc.items)


def test_random_overlapping_spans_render_well_nested() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    text = "关于“资金管理存在漏洞”问题，已完成整改。\n共计12.5万元，牵头单位：市财政局。\n\n下步措施：一是…"
    span = st.tuples(st.integers(-2, len(text) + 2), st.integers(-2, len(text) + 2)).map(sorted)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(span, st.sampled_from(["figure", "unit", "deadline", "issue", "title"])),
                    max_size=12))
    def check(spans: list[tuple[list[int], str]]) -> None:
        figs = [Figure(text="x", value=1, unit="元", span=(a, b)) for (a, b), fam in spans if fam == "figure"]
        issues = [ValidationIssue(code="c", severity="warning", message="<m>", span=(a, b))
                  for (a, b), fam in spans if fam == "issue"]
        items = [Item(id=str(k), title="t", span=(max(0, a), max(0, b)), spans={"title": (a, b)})
                 for k, ((a, b), fam) in enumerate(spans) if fam == "title"]
        doc = Document(text=text, figures=figs, items=items)
        doc.validation.issues.extend(issues)
        body = show.render_text(doc)
        assert _balanced(body)
        assert "\n".join(_plain(body)) == text

    check()
