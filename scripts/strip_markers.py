"""Write marker-stripped variants of the seeds: numbering and field labels removed.

Why: bulletins lose their numbering to OCR and web editors; these variants measure how much of the
segmentation then rests on the block-role model (``scripts/loo_eval.py`` builds the same variants in memory).

    .venv/bin/python scripts/strip_markers.py [--measures] [--out DIR] [samples/*.txt]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rectiparse.rules import load_rules
from rectiparse.segment.model import strip_markers

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", help="seed texts (default: samples/*.txt)")
    ap.add_argument("--out", default=str(ROOT / "out" / "stripped"), help="output folder (default: out/stripped)")
    ap.add_argument("--measures", action="store_true", help="also strip inline 一是… measure markers")
    args = ap.parse_args(argv)
    rules = load_rules()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for f in [Path(p) for p in args.files] or sorted((ROOT / "samples").glob("*.txt")):
        raw = f.read_text(encoding="utf-8")
        (out / f.name).write_text(strip_markers(raw, rules, measures=args.measures), encoding="utf-8")
        print(out / f.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
