"""Measure HTML main-text extraction on the sample government pages: accuracy and ms/page.

Why: the HTML loader's choice (selectolax + a text-mass article finder) was made by measurement, and this
script keeps the measurement reproducible. Compared in one run:

* ``rectiparse``   — ``rectiparse.loaders.html.load`` (decode, parse, article, metadata, blocks);
* ``selectolax``   — Lexbor parse + ``body.text()``: the parser alone, chrome included (a floor);
* ``lxml``         — ``lxml.html`` parse + ``text_content()``: the same floor with lxml;
* ``trafilatura``  — ``trafilatura.extract`` (default and ``favor_recall``), if it is importable
  (it is not a dependency: ``pip install trafilatura`` or put it on ``BENCH_EXTRA_PATH``).

Accuracy per page: *recall* = share of the seed's paragraphs (its normalised .txt) found in the extracted
text; *precision* = share of the extracted characters that belong to those paragraphs; *chrome* = how
many known chrome strings (打印本页, 网站标识码, 上一篇 …) survive. White space is ignored throughout.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
if os.environ.get("BENCH_EXTRA_PATH"):
    sys.path.append(os.environ["BENCH_EXTRA_PATH"])

from rectiparse.loaders import load  # noqa: E402
from rectiparse.normalise import normalise  # noqa: E402

CHROME = ["打印本页", "关闭窗口", "分享到", "当前位置", "您现在的位置", "网站标识码", "ICP备", "主办单位：",
          "网站地图", "相关阅读", "相关链接", "相关文章", "上一篇", "下一篇", "浏览次数", "扫一扫", "机构概况"]
REPEAT = 20


def expected_paragraphs(seed: Path) -> list[str]:
    t = normalise(load(seed))
    out = []
    for start, end in t.paragraphs():
        src = t.to_source(start)
        line = t.source_text[src : t.source_text.find("\n", src)]
        para = "".join(t.text[start:end].split())
        if "\t" in line or para == "通知公告" or para.startswith(("索引号", "组配分类", "生成日期", "发布日期")):
            continue  # annex table rows and the seed's own copy of the web metadata box
        out.append(para)
    return out


def score(extracted: str, expected: list[str]) -> tuple[float, float, int]:
    flat = "".join(extracted.split())
    found = [p for p in expected if p in flat]
    recall = len(found) / len(expected)
    precision = min(1.0, sum(len(p) for p in found) / max(1, len(flat)))
    chrome = sum(1 for c in CHROME if c in extracted)
    return recall, precision, chrome


def methods() -> dict[str, Callable[[bytes, str], str]]:
    from lxml import html as lxml_html
    from selectolax.lexbor import LexborHTMLParser

    from rectiparse.loaders import html as ours
    from rectiparse.loaders.html import decode

    def rectiparse_(data: bytes, name: str) -> str:
        return ours.load(data, name).text

    def selectolax_(data: bytes, name: str) -> str:
        text, _, _ = decode(data, name)
        tree = LexborHTMLParser(text)
        for n in tree.css("script, style"):
            n.decompose()
        return tree.body.text(separator="\n")

    def lxml_(data: bytes, name: str) -> str:
        text, _, _ = decode(data, name)
        root = lxml_html.fromstring(text)
        for n in root.xpath("//script|//style"):
            n.drop_tree()
        return root.text_content()

    out = {"rectiparse (selectolax)": rectiparse_, "selectolax parse+text": selectolax_, "lxml parse+text": lxml_}
    try:
        import trafilatura
    except ImportError:
        print("trafilatura not importable: skipped (pip install trafilatura, or set BENCH_EXTRA_PATH)")
    else:

        def traf(data: bytes, name: str) -> str:
            return trafilatura.extract(data, include_tables=False, include_comments=False) or ""

        def traf_recall(data: bytes, name: str) -> str:
            return trafilatura.extract(data, include_tables=False, include_comments=False, favor_recall=True) or ""

        out["trafilatura"] = traf
        out["trafilatura favor_recall"] = traf_recall
    return out


def main() -> None:
    pages = sorted((ROOT / "samples" / "html").glob("*.html"))
    if not pages:
        print("no samples/html pages: run `make samples` first")
        return
    expected = {p: expected_paragraphs(ROOT / "samples" / f"{p.stem}.txt") for p in pages}
    data = {p: p.read_bytes() for p in pages}
    print(f"{len(pages)} pages, {sum(len(d) for d in data.values()) // 1024} KB, best of {REPEAT} runs")
    print(f"{'method':26} {'ms/page':>8} {'recall':>7} {'precis.':>7} {'chrome':>6}  per page recall")
    for name, fn in methods().items():
        times = []
        rs, ps, cs, per = [], [], [], []
        for p in pages:
            best = float("inf")
            text = ""
            for _ in range(REPEAT):
                t0 = time.perf_counter()
                text = fn(data[p], p.name)
                best = min(best, time.perf_counter() - t0)
            times.append(best * 1000)
            r, pr, c = score(text, expected[p])
            rs.append(r)
            ps.append(pr)
            cs.append(c)
            per.append(f"{p.stem[:3]}:{r:.2f}")
        print(
            f"{name:26} {statistics.mean(times):8.2f} {statistics.mean(rs):7.3f} {statistics.mean(ps):7.3f} "
            f"{sum(cs):6d}  {' '.join(per)}"
        )


if __name__ == "__main__":
    main()
