"""Benchmark: one bulletin end to end.

Reports (1) the wall time of `rectiparse extract` on each seed as a user runs it, interpreter start-up
included (best of 5), and (2) in-process milliseconds per stage (load, normalise, segment, extract,
validate) averaged over repeated runs, so a regression can be traced to its stage.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "samples").glob("*.txt"))


def cli_wall(path: Path, runs: int = 5) -> float:
    exe = Path(sys.executable).with_name("rectiparse")
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(exe), "extract", str(path), "-o", "/dev/null"], check=False, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def stages(path: Path, runs: int = 20) -> dict[str, float]:
    from rectiparse.extract import extract
    from rectiparse.loaders import load
    from rectiparse.normalise import normalise
    from rectiparse.rules import load_rules
    from rectiparse.segment import segment
    from rectiparse.validate import validate

    rules = load_rules()
    times: dict[str, list[float]] = {k: [] for k in ("load", "normalise", "segment", "extract", "validate")}
    for _ in range(runs):
        t = time.perf_counter()
        loaded = load(path)
        times["load"].append(time.perf_counter() - t)
        t = time.perf_counter()
        text = normalise(loaded, rules)
        times["normalise"].append(time.perf_counter() - t)
        t = time.perf_counter()
        sk = segment(text, rules)
        times["segment"].append(time.perf_counter() - t)
        t = time.perf_counter()
        doc = extract(loaded, text, sk, rules)
        times["extract"].append(time.perf_counter() - t)
        t = time.perf_counter()
        validate(doc, rules)
        times["validate"].append(time.perf_counter() - t)
    return {k: statistics.median(v) * 1000 for k, v in times.items()}


def main() -> None:
    print(f"{'seed':<28} {'KB':>5} {'CLI wall s':>10} {'load':>6} {'norm':>6} {'seg':>6} {'extr':>6} {'valid':>6} {'total ms':>8}")
    for p in SEEDS:
        wall = cli_wall(p)
        st = stages(p)
        total = sum(st.values())
        kb = p.stat().st_size / 1024
        print(f"{p.name:<28} {kb:5.1f} {wall:10.3f} " + " ".join(f"{st[k]:6.1f}" for k in st) + f" {total:8.1f}")


if __name__ == "__main__":
    main()
