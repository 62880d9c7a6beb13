"""Benchmark: memory per input byte, and the size limits that bound it (issue 12, fault 13).

Parses one seed bulletin repeated to 0.25, 1 and 4 MB of text with `rectiparse extract` in a fresh process and
prints the peak RSS, its growth over the smallest run, and that growth per input byte. Then checks that a text
above the limit (``loaders.MAX_TEXT`` characters) is refused without the memory growing. The README's
"Limits" paragraph quotes this table.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "samples").glob("*.txt"))[0]

PROBE = """
import resource, sys
from rectiparse.cli import main
code = main(["extract", sys.argv[1], "-o", "/dev/null", "--no-model"])
try:  # VmHWM: this program's own peak (ru_maxrss keeps the parent's peak across exec on Linux)
    peak = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(code, peak // 1024)
"""


def peak(path: Path) -> tuple[int, int, float]:
    """(exit code, peak RSS in MB, seconds) of extracting ``path`` in a fresh interpreter."""
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=False)
    code, rss = (int(x) for x in r.stdout.split()[-2:])
    return code, rss, time.perf_counter() - t0


def main() -> None:
    from rectiparse.loaders import MAX_TEXT

    seed = SEED.read_bytes()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in (0.25, 1, 2):
            path = Path(tmp) / f"{mb}.txt"
            path.write_bytes(seed * max(1, round(mb * 2**20 / len(seed))))
            rows.append((path.stat().st_size, *peak(path)))
        big = Path(tmp) / "over-the-limit.txt"
        chars = len(seed.decode("utf-8"))
        big.write_bytes(seed * (MAX_TEXT * 11 // 10 // chars + 1))  # 10 % above the limit
        refused = (big.stat().st_size, *peak(big))
    base = rows[0]
    print("| text | exit | peak RSS | growth over 0.25 MB | bytes per input byte | wall s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size, code, rss, secs in rows:
        grow = (rss - base[2]) * 2**20
        per = grow / (size - base[0]) if size > base[0] else float("nan")
        print(f"| {size / 2**20:.2f} MB | {code} | {rss} MB | {(rss - base[2])} MB | {per:.0f} | {secs:.1f} |")
    size, code, rss, secs = refused
    print(f"\nabove the limit ({MAX_TEXT:,} characters): {size / 2**20:.1f} MB → exit {code}, peak RSS {rss} MB, "
          f"{secs:.1f} s")


if __name__ == "__main__":
    main()
