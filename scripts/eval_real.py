#!/usr/bin/env python3
"""``make eval-real``: extract every real-page excerpt of ``../shared/real-dev`` and score it, failing below floors.

The seeds score 1.000 because the rules were written against them; these are verbatim excerpts of other
issuers' pages, labelled by hand before the tool saw them, so they are the development measure of how the
segmenter generalises (trafilatura keeps such a gate). The texts are read from ``../shared`` at run time and
never copied into the project. The scorer is the one shipped beside them (``score.py``); the floors are pinned
in ``scripts/eval_real_floor.json`` and only ever raised.

usage: eval_real.py [DEV_DIR] [--floor FILE] [-v]     exit 0 at or above every floor, 1 below, 2 no data
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _scorer(dev: Path):
    spec = importlib.util.spec_from_file_location("real_dev_score", dev / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def figures(totals: dict[str, int]) -> dict[str, float]:
    """The gated figures from the scorer's totals."""
    p = totals["matched"] / totals["pred_items"] if totals["pred_items"] else 0.0
    r = totals["matched"] / totals["gold_items"] if totals["gold_items"] else 0.0
    return {
        "item_precision": round(p, 3),
        "item_recall": round(r, 3),
        "item_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "status_accuracy": round(totals["status_ok"] / totals["status_n"], 3) if totals["status_n"] else 1.0,
        "summary_fields": round(totals["sum_ok"] / totals["sum_n"], 3) if totals["sum_n"] else 1.0,
        "zero_item_docs_clean": round(1 - totals["zero_gold_invented"] / totals["zero_gold_docs"], 3)
        if totals["zero_gold_docs"] else 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dev", nargs="?", default=str(ROOT.parent / "shared" / "real-dev"))
    ap.add_argument("--floor", default=str(ROOT / "scripts" / "eval_real_floor.json"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = ap.parse_args(argv)
    dev = Path(args.dev)
    texts = sorted(dev.glob("d*.txt"))
    if not (dev / "score.py").is_file() or not texts:
        print(f"eval-real: no real-dev set at {dev} (score.py and d*.txt expected)", file=sys.stderr)
        return 2
    import rectiparse

    with tempfile.TemporaryDirectory(prefix="rectiparse-real-") as pred:
        for path in texts:
            doc = rectiparse.parse(path)
            (Path(pred) / f"{path.stem}.json").write_text(doc.model_dump_json(), encoding="utf-8")
        totals = _scorer(dev).main(str(dev), pred, args.verbose)
    got = figures(totals)
    floors = json.loads(Path(args.floor).read_text(encoding="utf-8"))
    print("eval-real: " + "  ".join(f"{k} {v:.3f} (floor {floors.get(k, 0):.3f})" for k, v in got.items()))
    below = [k for k, v in got.items() if v < floors.get(k, 0.0)]
    for k in below:
        print(f"eval-real: BELOW FLOOR {k}: {got[k]:.3f} < {floors[k]:.3f}", file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
