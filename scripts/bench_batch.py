"""Benchmark: `rectiparse batch` over an archive of thousands of bulletins.

Builds, in a temporary folder, a zip of ≥ 2,000 bulletins as a real archive mixes them: the seeds
(``samples/*.txt``) and the 22 bulletins of ``samples/wild`` as text with variants (items shuffled, issuers
renamed, GB18030 / UTF-8-with-BOM / CRLF encodings, each with a unique trailer line so no two are the same file),
and the PDF, HTML and Word renderings of the seeds (made unique by a trailing comment or an extra zip member).
Several wild bulletins have no numbered items, so the block-role model (spaCy) is needed — the case that
used to make each worker load its own copy mid-run. ``--seeds-only`` gives the old text-only archive. Reports:

1. docs/s and peak memory of `rectiparse batch ARCHIVE -j1` and `-j2`, run as a user runs it (a subprocess,
   interpreter and worker start-up included). Peak memory is the largest *sum* over the whole process tree
   (main process + workers), sampled every 20 ms with psutil, twice: RSS (pages shared between the forked
   workers counted once per process, so an over-count) and PSS (shared pages split between the processes that
   share them: what the tree really occupies);
2. peak RSS of -j2 as the archive grows (¼, ½, all of it): it should stay flat, because only a few chunks per
   worker are ever in flight and results are written as they arrive;
3. in-process parse time of one bulletin 1×, 4× and 16× as long (the seed repeated): it should grow linearly.

Targets on a 2-core machine: ≥ 100 text docs/s with -j2 (seeds only); peak PSS ≤ 250 MB on the mixed
archive, and flat; time linear in length.
Usage: python scripts/bench_batch.py [--docs N] [--seeds-only] [--j2-only] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "samples").glob("*.txt"))
WILD = sorted((ROOT / "samples" / "wild").glob("*.txt"))
RENDERED = sorted(p for d in ("pdf", "html", "docx") for p in (ROOT / "samples" / d).iterdir()
                  if "_scan" not in p.name)  # the scan would measure OCR, not batch
PLACES = ["青山", "河西", "东城", "南湖", "北塘", "西岭", "临江", "白沙", "金水", "平原", "安宁", "永和"]
ITEM = re.compile(r"^\s*(\d+[.．、]|[（(][一二三四五六七八九十]+[)）])")
PLACE = re.compile(r"[\u4e00-\u9fff]{2}(?=[市县区])")


def shuffle_items(text: str, rng: random.Random) -> str:
    """Shuffle runs of consecutive numbered items (each with its following lines): same content, new order."""
    lines = text.split("\n")
    groups: list[list[str]] = []
    for line in lines:
        if ITEM.match(line) or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    head, body = groups[:1], groups[1:]
    rng.shuffle(body)
    return "\n".join(line for g in head + body for line in g)


def variant(text: str, k: int, rng: random.Random) -> bytes:
    kind = k % 4
    if kind == 1:
        text = shuffle_items(text, rng)
    if kind in (2, 3):
        place = rng.choice(PLACES)
        text = PLACE.sub(place, text, count=3)
    text += f"\n（本件编号：BENCH-{k:06d}）\n"
    enc = k % 5
    if enc == 1:
        return text.encode("gb18030")
    if enc == 2:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if enc == 3:
        return text.replace("\n", "\r\n").encode("utf-8")
    return text.encode("utf-8")


def build_archive(path: Path, n: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for k in range(n):
            zf.writestr(f"bulletins/{k // 500:02d}/{k:06d}.txt", variant(texts[k % len(texts)], k, rng))
    return path.stat().st_size


def unique_binary(path: Path, k: int) -> bytes:
    """A rendering made byte-unique without changing what it says (batch skips content it has seen)."""
    import io

    data = path.read_bytes()
    if path.suffix == ".pdf":
        return data + f"\n% BENCH-{k:06d}\n".encode()  # after %%EOF: ignored by readers
    if path.suffix == ".html":
        return data + f"\n<!-- BENCH-{k:06d} -->\n".encode()
    buf = io.BytesIO()  # .docx: the same parts plus one unreferenced member
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("customXml/bench.txt", f"BENCH-{k:06d}")
    return buf.getvalue()


def build_mixed_archive(path: Path, n: int, seed: int = 7) -> int:
    """Seeds and wild bulletins as text variants, and the seeds' PDF / HTML / DOCX renderings, interleaved."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in [*SEEDS, *WILD]]
    pool: list[tuple[str, int | Path]] = [("txt", i) for i in range(len(texts))] + [("bin", p) for p in RENDERED]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for k in range(n):
            kind, what = pool[k % len(pool)]
            if kind == "txt":
                assert isinstance(what, int)
                zf.writestr(f"mixed/{k // 500:02d}/{k:06d}.txt", variant(texts[what], k, rng))
            else:
                assert isinstance(what, Path)
                zf.writestr(f"mixed/{k // 500:02d}/{k:06d}{what.suffix}", unique_binary(what, k))
    return path.stat().st_size


def run_batch(archive: Path, out: Path, jobs: int) -> dict[str, float]:
    exe = Path(sys.executable).with_name("rectiparse")
    cmd = [str(exe), "batch", str(archive), "-o", str(out), "-j", str(jobs), "--no-text"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    ps = psutil.Process(proc.pid)
    peak_total = peak_one = peak_pss = 0
    while proc.poll() is None:
        try:
            procs = [ps, *ps.children(recursive=True)]
            rss, pss = [], []
            for p in procs:
                try:
                    full = p.memory_full_info()
                    rss.append(full.rss)
                    pss.append(full.pss)
                except psutil.Error:
                    pass
            peak_total = max(peak_total, sum(rss))
            peak_pss = max(peak_pss, sum(pss))
            peak_one = max(peak_one, *rss) if rss else peak_one
        except psutil.Error:
            pass
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers roll up into the batch process when reaped
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch failed ({proc.returncode}):\n{err}")
    m = re.search(r"(\d+) done, (\d+) skipped, (\d+) failed.* in ([\d.]+) s", err)
    done, failed, inner = (int(m.group(1)), int(m.group(3)), float(m.group(4))) if m else (0, 0, wall)
    return {"jobs": jobs, "docs": done, "failed": failed, "wall_s": wall, "docs_per_s": done / wall,
            "docs_per_s_steady": done / inner if inner else 0.0,
            "peak_rss_mb": peak_total / 2**20, "peak_rss_one_mb": peak_one / 2**20,
            "peak_pss_mb": peak_pss / 2**20,
            "cpu_ms_per_doc": 1000 * cpu / done if done else 0.0,
            "load_before": load0, "load_after": os.getloadavg()[0]}


def length_scaling(reps: tuple[int, ...] = (1, 4, 16), runs: int = 5) -> list[dict[str, float]]:
    from rectiparse.pipeline import parse_bytes

    seed = (ROOT / "samples" / "002_056a472a98951650.txt").read_text(encoding="utf-8")
    parse_bytes(seed.encode(), "warm.txt")
    out = []
    for r in reps:
        data = "\n".join([seed] * r).encode("utf-8")
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            doc = parse_bytes(data, f"x{r}.txt")
            times.append(time.perf_counter() - t0)
        out.append({"times": r, "kb": len(data) / 1024, "items": len(doc.items),
                    "ms": min(times) * 1000})  # best of N: the machine is shared, noise only adds
    base = out[0]["ms"] / out[0]["kb"]
    for row in out:
        row["ms_per_kb"] = row["ms"] / row["kb"]
        row["vs_linear"] = row["ms_per_kb"] / base
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--seeds-only", action="store_true", help="text variants of the five seeds only (old archive)")
    ap.add_argument("--j2-only", action="store_true", help="one -j2 run: memory figures without the rest")
    args = ap.parse_args()
    build = build_archive if args.seeds_only else build_mixed_archive

    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="rectiparse-bench-") as tmp:
        tmpdir = Path(tmp)
        archive = tmpdir / "archive.zip"
        size = build(archive, args.docs)
        what = (f"{len(SEEDS)} seeds × variants" if args.seeds_only else
                f"{len(SEEDS)} seeds + {len(WILD)} wild as text variants, {len(RENDERED)} PDF/HTML/DOCX renderings")
        print(f"archive: {args.docs} bulletins, {size / 2**20:.1f} MB zipped ({what})")
        runs = [run_batch(archive, tmpdir / f"out-j{j}", j) for j in ((2,) if args.j2_only else (1, 2))]
        print()
        print(f"{'engine':<8}{'docs':>6}{'failed':>7}{'wall s':>8}{'docs/s':>8}{'CPU ms/doc':>12}"
              f"{'peak RSS MB':>13}{'peak PSS MB':>13}{'largest proc':>14}{'load avg':>10}")
        for r in runs:
            print(f"{'-j' + str(r['jobs']):<8}{r['docs']:>6}{r['failed']:>7}{r['wall_s']:>8.1f}"
                  f"{r['docs_per_s']:>8.1f}{r['cpu_ms_per_doc']:>12.1f}{r['peak_rss_mb']:>13.0f}"
                  f"{r['peak_pss_mb']:>13.0f}{r['peak_rss_one_mb']:>14.0f}{r['load_after']:>10.1f}")
        print("(docs/s: wall clock, start-up included; CPU ms/doc: all processes, what the cores would give when "
              "idle; load avg: other work on the machine at the end of the run)")
        results["runs"] = runs
        if args.j2_only:
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
            return 0

        growth = []
        for frac in (4, 2):
            part = tmpdir / f"part{frac}.zip"
            build(part, args.docs // frac)
            growth.append(run_batch(part, tmpdir / f"out-part{frac}", 2))
        growth.append(runs[1])
        print("\npeak PSS (-j2) as the archive grows:  "
              + "   ".join(f"{g['docs']} docs → {g['peak_pss_mb']:.0f} MB (RSS {g['peak_rss_mb']:.0f})"
                         for g in growth))
        results["growth"] = growth

    scaling = length_scaling()
    print(f"\n{'length':<8}{'KB':>8}{'items':>7}{'ms':>9}{'ms/KB':>8}{'vs linear':>11}")
    for s in scaling:
        print(f"{str(s['times']) + '×':<8}{s['kb']:>8.0f}{s['items']:>7}{s['ms']:>9.1f}{s['ms_per_kb']:>8.2f}"
              f"{s['vs_linear']:>10.2f}×")
    results["length"] = scaling

    j2 = runs[1]
    flat = max(g["peak_pss_mb"] for g in growth) - min(g["peak_pss_mb"] for g in growth)
    checks = {
        f"≥ 100 docs/s with -j2{' (seeds-only target)' if not args.seeds_only else ''}": j2["docs_per_s"] >= 100,
        "peak PSS of -j2 ≤ 250 MB": j2["peak_pss_mb"] <= 250,
        "RSS flat (spread ≤ 50 MB)": flat <= 50,
        "time linear (16× within 1.5× of linear)": scaling[-1]["vs_linear"] <= 1.5,
    }
    print()
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'MISS'} {name}")
    results["checks"] = checks
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
