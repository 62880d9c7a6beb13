"""Leave-one-document-out: rule-only vs rule+model segmentation, on the seeds and on marker-stripped seeds.

Why leave-one-out: the shipped model was trained on all seeds, so scoring it on them says nothing. Here each
seed is parsed by a model trained on the *other* seeds (same config, same seed), once as written and once
with its numbering and field labels stripped (``rectiparse.segment.model.strip_markers``) — the case the
model exists for. Scores come from ``rectiparse.evaluate`` against ``samples/gold``:

* items P / R / F1 — gold items found (order-preserving alignment by title, as ``rectiparse eval`` does);
* status accuracy — gold items whose status is found and right, over all gold items with a status
  (a missed item counts as a wrong status);
* title F1 and measures F1 (measure counts per item) as ``rectiparse eval`` scores them.

    .venv/bin/python scripts/loo_eval.py [--json FILE] [--measures]

Prints a Markdown table (the README's); takes well under a minute on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def _parse(raw: str, name: str, use_model: bool) -> dict[str, Any]:
    from rectiparse.pipeline import parse_bytes

    return parse_bytes(raw.encode("utf-8"), name, use_model=use_model).model_dump(mode="json")


def _counts(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, list[int]]:
    from rectiparse.evaluate import evaluate_document

    ev = evaluate_document(gold, pred)
    out = {}
    for f in ("items", "statuses", "titles", "measures"):
        s = ev.fields.get(f)
        out[f] = [s.tp, s.fp, s.fn] if s else [0, 0, 0]
    n_model = sum(1 for it in pred.get("items", []) if (it.get("origin") or {}).get("item") == "model")
    out["model_items"] = [n_model, 0, 0]
    return out


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def run(measures: bool = False, seed: int | None = None) -> dict[str, Any]:
    from rectiparse import train as tr
    from rectiparse.rules import load_rules
    from rectiparse.segment import model as md

    rules = load_rules()
    seeds = sorted(SAMPLES.glob("*.txt"))
    results: dict[str, Any] = {"docs": {}, "totals": {}}
    totals: dict[str, dict[str, list[int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for sample in seeds:
            stem = sample.stem
            gold = json.loads((SAMPLES / "gold" / f"{stem}.gold.json").read_text(encoding="utf-8"))
            # the seed is held out: spaCy's loop never trains on it (and scores the textcat on it)
            nlp = tr.train(tr.DEFAULT_CONFIG, held_out=[stem], seed=seed)
            where = Path(tmp) / stem
            nlp.to_disk(where)
            os.environ[md.MODEL_ENV] = str(where)
            raw = sample.read_text(encoding="utf-8")
            variants = {"normal": raw, "stripped": md.strip_markers(raw, rules, measures=measures)}
            doc_res: dict[str, Any] = {}
            for vname, vtext in variants.items():
                for mode, use_model in (("rules", False), ("rules+model", True)):
                    c = _counts(gold, _parse(vtext, sample.name, use_model))
                    doc_res[f"{vname}/{mode}"] = c
                    t = totals.setdefault(f"{vname}/{mode}", {})
                    for k, v in c.items():
                        t.setdefault(k, [0, 0, 0])
                        t[k] = [a + b for a, b in zip(t[k], v, strict=True)]
            results["docs"][stem] = doc_res
            print(f"  {stem}: " + "  ".join(
                f"{k} items {v['items']} st {v['statuses']}" for k, v in doc_res.items()
            ), file=sys.stderr)
        os.environ.pop(md.MODEL_ENV, None)
    for key, t in totals.items():
        p, r, f = _prf(*t["items"])
        s_tp, _s_fp, s_fn = t["statuses"]
        results["totals"][key] = {
            "items_p": p, "items_r": r, "items_f1": f,
            "status_acc": s_tp / (s_tp + s_fn) if s_tp + s_fn else None,
            "titles_f1": _prf(*t["titles"])[2], "measures_f1": _prf(*t["measures"])[2],
            "items_tp_fp_fn": t["items"], "statuses_tp_fp_fn": t["statuses"], "model_items": t["model_items"][0],
        }
    return results


def table(results: dict[str, Any]) -> str:
    lines = [
        "| variant | segmenter | item P | item R | item F1 | status acc. | title F1 | measures F1 | items by model |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, t in results["totals"].items():
        variant, mode = key.split("/")
        acc = "—" if t["status_acc"] is None else f"{t['status_acc']:.3f}"
        lines.append(
            f"| {variant} | {mode} | {t['items_p']:.3f} | {t['items_r']:.3f} | {t['items_f1']:.3f} | {acc} "
            f"| {t['titles_f1']:.3f} | {t['measures_f1']:.3f} | {t['model_items']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", help="also write the per-document counts here")
    ap.add_argument("--measures", action="store_true", help="strip inline 一是… markers too")
    ap.add_argument("--seed", type=int, default=None, help="training seed (default: the config's)")
    args = ap.parse_args(argv)
    results = run(measures=args.measures, seed=args.seed)
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
