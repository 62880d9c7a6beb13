"""``rectiparse eval``: precision / recall / F1 per field against gold files in the ``samples/gold`` format.

Why it looks the way it does:

* **Gold is a subset of the contract.** A gold file states only what a person checked: items with some keys,
  ``*_prefix`` keys for long fields, ``figures_subset`` lists, some metadata and summary fields. A field that is
  absent from a gold file is not scored; a field present with ``null`` says "the text does not state this", so a
  non-null prediction there is a false positive.
* **Counting.** For one value: gold == pred → TP; gold set, pred empty → FN; gold empty, pred set → FP; both set
  but different → FP and FN (a wrong status costs precision *and* recall of ``statuses``, nothing else).
  Scores are micro-averaged over all documents.
* **Items are aligned, not looked up by number.** Numbers restart across groups (seeds 002 and 004 restart at 1),
  so gold and predicted items are aligned in order by a dynamic programme over (title similarity, number, kind).
  An aligned pair is a TP of ``items``; a gold item left over is a FN of ``items`` and of each of its stated
  fields; a predicted item left over is a FP of ``items`` and of each field the gold of that document declares.
* **Subset lists cannot measure precision.** ``figures_subset``, ``document_figures_subset`` and ``noise_absent``
  list some of what must (not) be there, so extra predictions cannot be judged: those fields are recall-only and
  their F1 is their recall (the table shows P as ``—``).
* **Tolerant strings.** Gold strings were NFKC-normalised when written, so strings are compared after NFKC and
  with whitespace removed; titles and other free text also tolerate small differences (normalised edit
  similarity ≥ 0.9). Identifiers (document numbers, contacts) and dates are compared exactly.

Only the standard library and pydantic are imported at module level: the CLI imports this module to build
``rectiparse --help``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from rectiparse.models import DocumentEval, EvalMiss, EvalReport, FieldScore

TITLE_SIMILARITY = 0.9
# the order of rows in the table; fields a gold set never declares are left out of the output
FIELDS = (
    "items", "kinds", "titles", "parent_titles", "categories", "statuses", "status_text", "status_grade",
    "opinion", "actions", "next_steps", "measures", "figures", "units", "metadata", "summary", "validation",
    "tables", "noise",
)
RECALL_ONLY = frozenset({"figures", "noise"})

# gold item key → (field, comparison)
ITEM_KEYS: dict[str, tuple[str, str]] = {
    "kind": ("kinds", "exact"),
    "title": ("titles", "tolerant"),
    "parent_title": ("parent_titles", "tolerant"),
    "category": ("categories", "tolerant"),
    "status": ("statuses", "exact"),
    "status_text": ("status_text", "tolerant"),
    "status_grade": ("status_grade", "exact"),
    "opinion_prefix": ("opinion", "prefix"),
    "actions_prefix": ("actions", "prefix"),
    "next_steps_prefix": ("next_steps", "prefix"),
    "measures_count": ("measures", "count"),
}
DATE_KEYS = frozenset({"date", "publish_date", "feedback_date", "as_of"})
EXACT_META_KEYS = frozenset({"doc_type", "doc_number", "index_number"}) | DATE_KEYS


# --------------------------------------------------------------------------- string comparison


def norm(text: object) -> str:
    """NFKC, no whitespace: the form gold strings were written in, so full-/half-width never counts."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (two rows; titles are short, so pure Python is fast enough)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similarity(a: str | None, b: str | None) -> float:
    """Normalised edit similarity of two strings after :func:`norm`, in [0, 1]."""
    if a is None or b is None:
        return 0.0
    x, y = norm(a), norm(b)
    if not x and not y:
        return 1.0
    return 1.0 - edit_distance(x, y) / max(len(x), len(y))


def tolerant_equal(gold: object, pred: object) -> bool:
    return similarity(str(gold), str(pred)) >= TITLE_SIMILARITY


def is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def norm_number(number: object) -> str:
    """``（三）``, ``(三)``, ``三、``, ``3.`` → ``三`` / ``3``: items are matched on the numeral, not its dress."""
    return "".join(ch for ch in norm(number or "") if ch not in "()、.．,，:：第")


# --------------------------------------------------------------------------- counting


class Tally:
    """Mutable TP/FP/FN counts per field plus the misses behind them (internal to one evaluation)."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}
        self.misses: list[EvalMiss] = []

    def add(self, field: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        row = self.counts.setdefault(field, [0, 0, 0])
        row[0] += tp
        row[1] += fp
        row[2] += fn

    def compare(
        self, field: str, key: str, gold: object, pred: object, same: Callable[[Any, Any], bool],
        item: str | None = None,
    ) -> None:
        """Score one gold value against one predicted value (see the module docstring for the rules)."""
        if is_empty(gold) and is_empty(pred):
            self.add(field)
        elif is_empty(gold):
            self.add(field, fp=1)
            self.misses.append(EvalMiss(field=field, key=key, item=item, gold=gold, pred=pred, kind="fp"))
        elif is_empty(pred):
            self.add(field, fn=1)
            self.misses.append(EvalMiss(field=field, key=key, item=item, gold=gold, pred=pred, kind="fn"))
        elif same(gold, pred):
            self.add(field, tp=1)
        else:
            self.add(field, fp=1, fn=1)
            self.misses.append(EvalMiss(field=field, key=key, item=item, gold=gold, pred=pred))

    def compare_sets(
        self, field: str, key: str, gold: Iterable[object], pred: Iterable[object], item: str | None = None,
        recall_only: bool = False, same: Callable[[Any, Any], bool] | None = None,
    ) -> None:
        """Multiset matching: each gold element found once is a TP; leftovers are FN (and FP unless recall-only)."""
        match = same or (lambda g, p: norm(g) == norm(p))
        self.add(field)
        left = list(pred)
        for g in gold:
            hit = next((i for i, p in enumerate(left) if match(g, p)), None)
            if hit is None:
                self.add(field, fn=1)
                self.misses.append(EvalMiss(field=field, key=key, item=item, gold=g, kind="fn"))
            else:
                left.pop(hit)
                self.add(field, tp=1)
        if not recall_only:
            for p in left:
                self.add(field, fp=1)
                self.misses.append(EvalMiss(field=field, key=key, item=item, pred=p, kind="fp"))


def score(tp: int, fp: int, fn: int, recall_only: bool = False) -> FieldScore:
    """P, R, F1 from counts. A ratio with a zero denominator is None (nothing to measure), not 0 or 1."""
    precision = None if recall_only or tp + fp == 0 else tp / (tp + fp)
    recall = None if tp + fn == 0 else tp / (tp + fn)
    if recall_only:
        f1 = recall
    elif tp + fp + fn == 0:
        f1 = None
    else:
        f1 = 2 * tp / (2 * tp + fp + fn)
    return FieldScore(
        tp=tp, fp=fp, fn=fn, recall_only=recall_only, precision=precision, recall=recall, f1=f1, support=tp + fn
    )


def scores(counts: Mapping[str, list[int]]) -> dict[str, FieldScore]:
    ordered = [f for f in FIELDS if f in counts] + sorted(set(counts) - set(FIELDS))
    return {f: score(counts[f][0], counts[f][1], counts[f][2], recall_only=f in RECALL_ONLY) for f in ordered}


# --------------------------------------------------------------------------- item alignment


def align_similarity(gold_title: str, pred_title: str) -> float:
    """Title similarity for alignment: edit similarity, or 0.8 when one title contains the other.

    Looser than the 0.9 of ``titles`` on purpose: a predicted item whose title kept a wrapper or lost a clause is
    still that item (found, counted in ``items``) with a wrong title (counted in ``titles``).
    """
    sim = similarity(gold_title, pred_title)
    a, b = norm(gold_title), norm(pred_title)
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 6 and short in long_:
        sim = max(sim, 0.8)
    return sim


def pair_score(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float | None:
    """How well a predicted item fits a gold item; None when they cannot be the same item."""
    sim = align_similarity(gold.get("title") or "", pred.get("title") or "")
    same_number = "number" in gold and norm_number(gold.get("number")) == norm_number(pred.get("number"))
    if sim < 0.6 and not (same_number and sim >= 0.3):
        return None
    same_kind = "kind" in gold and gold.get("kind") == pred.get("kind")
    return sim + 0.3 * same_number + 0.1 * same_kind


def align(gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]]) -> list[tuple[int | None, int | None]]:
    """Order-preserving alignment maximising the summed pair score (a weighted LCS).

    Returns (gold index, pred index) pairs in order; None on one side marks a missed or an extra item.
    """
    n, m = len(gold), len(pred)
    fit = [[pair_score(g, p) for p in pred] for g in gold]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            f = fit[i][j]
            if f is not None:
                options.append(f + best[i + 1][j + 1])
            best[i][j] = max(options)
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        f = fit[i][j]
        if f is not None and math.isclose(best[i][j], f + best[i + 1][j + 1]):
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif math.isclose(best[i][j], best[i + 1][j]):
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs.extend((k, None) for k in range(i, n))
    pairs.extend((None, k) for k in range(j, m))
    return pairs


# --------------------------------------------------------------------------- one document


def item_label(item: Mapping[str, Any]) -> str:
    return f"{item.get('kind', '')} {item.get('number', '')} {(item.get('title') or '')[:24]}".strip()


def figure_match(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """Same value (relative tolerance, money is in 元 and can be large) and same unit."""
    try:
        same_value = math.isclose(float(gold["value"]), float(pred["value"]), rel_tol=1e-9, abs_tol=1e-6)
    except (KeyError, TypeError, ValueError):
        return False
    return same_value and norm(gold.get("unit")) == norm(pred.get("unit"))


def prefix_match(gold: str, pred: str) -> bool:
    return norm(pred).startswith(norm(gold))


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "exact": lambda g, p: g == p,
    "tolerant": tolerant_equal,
    "prefix": prefix_match,
    "count": lambda g, p: int(g) == int(p),
}


def pred_item_value(key: str, pred: Mapping[str, Any]) -> object:
    """The predicted value a gold item key is compared with."""
    if key.endswith("_prefix"):
        return pred.get(key[: -len("_prefix")])
    if key == "measures_count":
        return len(pred.get("measures") or [])
    return pred.get(key)


def score_item(tally: Tally, gold: Mapping[str, Any], pred: Mapping[str, Any] | None) -> None:
    """Every stated key of one gold item against its aligned prediction (None: the item was not found)."""
    label = item_label(gold)
    p: Mapping[str, Any] = pred or {}
    for key, (field, how) in ITEM_KEYS.items():
        if key in gold:
            value = pred_item_value(key, p) if pred is not None else None
            tally.compare(field, key, gold[key], value, COMPARE[how], item=label)
    if "lead_units" in gold:
        tally.compare_sets("units", "lead_units", gold["lead_units"] or [], (p.get("units") or {}).get("lead") or [],
                           item=label)
    if "figures_subset" in gold:
        tally.compare_sets("figures", "figures_subset", gold["figures_subset"] or [], p.get("figures") or [],
                           item=label, recall_only=True, same=figure_match)


def score_extra_item(tally: Tally, pred: Mapping[str, Any], declared: set[str]) -> None:
    """A predicted item with no gold counterpart: a FP of every field the document's gold declares."""
    label = "extra: " + item_label(pred)
    for key, (field, _how) in ITEM_KEYS.items():
        if key in declared:
            value = pred_item_value(key, pred)
            if key == "measures_count" and value == 0:
                value = None
            tally.compare(field, key, None, value, COMPARE["exact"], item=label)
    if "lead_units" in declared:
        tally.compare_sets("units", "lead_units", [], (pred.get("units") or {}).get("lead") or [], item=label)


def meta_same(key: str) -> Callable[[Any, Any], bool]:
    leaf = key.rsplit(".", 1)[-1]
    if leaf in EXACT_META_KEYS:
        return lambda g, p: norm(g) == norm(p)
    return tolerant_equal


def score_metadata(tally: Tally, gold: Mapping[str, Any], pred: Mapping[str, Any]) -> None:
    """Each document field the gold states; periods as [start, end] against {"start", "end"}."""
    for key, g in gold.items():
        p = pred.get(key)
        name = f"metadata.{key}"
        if key == "contacts":
            for kind, values in (g or {}).items():
                tally.compare_sets("metadata", f"{name}.{kind}", values or [], (p or {}).get(kind) or [])
        elif key == "inspection_period":
            g_pair = list(g) if g else [None, None]
            p_pair = [(p or {}).get("start"), (p or {}).get("end")]
            for part, gv, pv in zip(("start", "end"), g_pair, p_pair, strict=True):
                tally.compare("metadata", f"{name}.{part}", gv, pv, COMPARE["exact"])
        elif key == "source_report":
            parts = set((g or {}).keys()) | set((p or {}).keys()) or {"title", "doc_number"}
            for part in sorted(parts):
                tally.compare("metadata", f"{name}.{part}", (g or {}).get(part), (p or {}).get(part),
                              meta_same(part))
        else:
            tally.compare("metadata", name, g, p, meta_same(key))


def summary_same(key: str) -> Callable[[Any, Any], bool]:
    if key == "completion_rate":
        return lambda g, p: math.isclose(float(g), float(p), abs_tol=1e-6)
    if key == "text":
        return tolerant_equal
    return lambda g, p: g == p


def evaluate_document(gold: Mapping[str, Any], pred: Mapping[str, Any] | None, name: str = "") -> DocumentEval:
    """Score one prediction (a Document as a JSON dict, or None when missing) against one gold file."""
    tally = Tally()
    result = DocumentEval(gold=name, seed=gold.get("seed"))
    if pred is None:
        result.notes.append("no prediction: every stated gold value counts as missed")
    p = pred or {}
    gold_items = list(gold.get("items") or [])
    pred_items = list(p.get("items") or [])
    declared = {k for it in gold_items for k in it}
    if "items" in gold:
        for gi, pi in align(gold_items, pred_items):
            if gi is not None and pi is not None:
                tally.add("items", tp=1)
                score_item(tally, gold_items[gi], pred_items[pi])
            elif gi is not None:
                tally.add("items", fn=1)
                tally.misses.append(EvalMiss(field="items", key="item", item=item_label(gold_items[gi]),
                                             gold=gold_items[gi].get("title"), kind="fn"))
                score_item(tally, gold_items[gi], None)
            elif pi is not None:
                tally.add("items", fp=1)
                tally.misses.append(EvalMiss(field="items", key="item", item="extra: " + item_label(pred_items[pi]),
                                             pred=pred_items[pi].get("title"), kind="fp"))
                score_extra_item(tally, pred_items[pi], declared)
    if "document_figures_subset" in gold:
        tally.compare_sets("figures", "document_figures_subset", gold["document_figures_subset"] or [],
                           p.get("figures") or [], recall_only=True, same=figure_match)
    if "document" in gold:
        score_metadata(tally, gold["document"] or {}, p.get("document") or {})
    if "summary" in gold:
        summary = p.get("summary") or {}
        for key, g in (gold["summary"] or {}).items():
            tally.compare("summary", f"summary.{key}", g, summary.get(key), summary_same(key))
    if "expected_validation_codes" in gold:
        codes = {i.get("code") for i in (p.get("validation") or {}).get("issues") or []}
        expected = list(gold["expected_validation_codes"] or [])
        tally.compare_sets("validation", "expected_validation_codes", expected, [c for c in codes if c in expected])
        if "summary_mismatch" in codes and "summary_mismatch" not in expected:
            tally.add("validation", fp=1)
            tally.misses.append(EvalMiss(field="validation", key="summary_mismatch", pred="summary_mismatch",
                                         kind="fp"))
    if "tables_expected" in gold:
        want, got = int(gold["tables_expected"]), len(p.get("tables") or [])
        tally.add("tables", tp=min(want, got), fp=max(0, got - want), fn=max(0, want - got))
        if want != got:
            tally.misses.append(EvalMiss(field="tables", key="tables_expected", gold=want, pred=got,
                                         kind="fn" if got < want else "fp"))
    if "noise_absent" in gold:
        text = p.get("text")
        if pred is not None and text is None:
            result.notes.append("prediction has no text (written with --no-text): noise_absent not scored")
        else:
            flat = norm(text or "")
            for noise in gold["noise_absent"] or []:
                gone = pred is not None and norm(noise) not in flat
                tally.add("noise", tp=int(gone), fn=int(not gone))
                if not gone:
                    tally.misses.append(EvalMiss(field="noise", key="noise_absent", gold=noise, kind="fn"))
    result.fields = scores(tally.counts)
    result.misses = tally.misses
    return result


# --------------------------------------------------------------------------- many documents


def gold_files(gold_dir: Path) -> list[Path]:
    return sorted(gold_dir.glob("*.gold.json"))


def gold_stem(path: Path, gold: Mapping[str, Any]) -> str:
    """``002_….gold.json`` with seed ``002_….txt`` → ``002_…``: the name predictions are looked up by."""
    seed = gold.get("seed")
    return Path(seed).stem if seed else path.name.removesuffix(".gold.json")


def load_batch_predictions(pred: Path) -> dict[str, dict[str, Any]]:
    """Documents from a batch ``documents.jsonl`` keyed by their source file's stem."""
    files = [pred] if pred.is_file() else [pred / "documents.jsonl"]
    found: dict[str, dict[str, Any]] = {}
    for file in files:
        if not file.is_file():
            continue
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                path = ((doc.get("source") or {}).get("path") or "").split("!")[-1]
                if path:
                    found.setdefault(Path(path).stem, doc)
    return found


def predict(
    stem: str, gold: Mapping[str, Any], pred_dir: Path | None, samples_dir: Path, use_model: bool,
    batch: dict[str, dict[str, Any]], suffix: str | None = None,
) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """The prediction for one gold file: (document dict, where it came from, a note when missing)."""
    if pred_dir is not None:
        file = pred_dir / f"{stem}.json" if pred_dir.is_dir() else None
        if file is not None and file.is_file():
            return json.loads(file.read_text(encoding="utf-8")), str(file), None
        if stem in batch:
            return batch[stem], f"{pred_dir}#{stem}", None
        return None, None, f"no prediction for {stem} in {pred_dir}"
    sample = samples_dir / (gold.get("seed") or f"{stem}.txt")
    if suffix:
        sample = sample.with_suffix(suffix if suffix.startswith(".") else f".{suffix}")
    if not sample.is_file():
        return None, None, f"sample {sample} not found"
    from rectiparse.loaders import LoadError
    from rectiparse.pipeline import parse

    try:
        doc = parse(sample, use_model=use_model)
    except LoadError as exc:
        return None, str(sample), f"could not parse {sample}: {exc}"
    return doc.model_dump(mode="json"), str(sample), None


def evaluate(
    gold_dir: str | Path, pred_dir: str | Path | None = None, samples_dir: str | Path | None = None,
    use_model: bool = True, suffix: str | None = None,
) -> EvalReport:
    """Score every ``*.gold.json`` in ``gold_dir``; predictions from ``pred_dir`` or parsed from the samples.

    ``suffix`` (``.html``, ``.docx``) parses another rendering of each seed, e.g. ``samples/html``, so the
    loaders can be held to the same gold as the plain text.
    """
    gold_path = Path(gold_dir)
    pred_path = Path(pred_dir) if pred_dir is not None else None
    samples = Path(samples_dir) if samples_dir is not None else gold_path.resolve().parent
    batch = load_batch_predictions(pred_path) if pred_path is not None else {}
    report = EvalReport()
    totals: dict[str, list[int]] = {}
    for file in gold_files(gold_path):
        gold = json.loads(file.read_text(encoding="utf-8"))
        stem = gold_stem(file, gold)
        pred, origin, note = predict(stem, gold, pred_path, samples, use_model, batch, suffix)
        doc = evaluate_document(gold, pred, name=file.name)
        doc.prediction = origin
        if note:
            doc.notes.insert(0, note)
        report.documents.append(doc)
        for field, s in doc.fields.items():
            row = totals.setdefault(field, [0, 0, 0])
            row[0] += s.tp
            row[1] += s.fp
            row[2] += s.fn
    report.fields = scores(totals)
    return report


# --------------------------------------------------------------------------- floor gate


def load_floor(path: str | Path) -> dict[str, float]:
    """``{"f1": {"items": 0.95, …}}``: the pinned per-field F1 below which ``--floor`` fails."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in (data.get("f1") or {}).items()}


def check_floor(report: EvalReport, floor: Mapping[str, float]) -> list[str]:
    """Fields whose F1 is below their floor. A pinned field that is no longer measured fails too:
    a gold or extractor change must not make a gated field silently disappear."""
    failures = []
    for field, minimum in floor.items():
        s = report.fields.get(field)
        if s is None or s.f1 is None:
            failures.append(f"{field}: not measured (floor {minimum:.2f})")
        elif s.f1 + 1e-9 < minimum:
            failures.append(f"{field}: F1 {s.f1:.3f} < floor {minimum:.2f}")
    return failures


def floor_from(report: EvalReport, margin: float = 0.01) -> dict[str, Any]:
    """Pin today's F1 per field, rounded down to two decimals less ``margin``: small noise passes, a real
    regression (an item or two lost on the seeds) does not."""
    pinned = {
        field: max(0.0, math.floor(s.f1 * 100) / 100 - margin)
        for field, s in report.fields.items()
        if s.f1 is not None
    }
    return {
        "comment": "per-field F1 floors for `rectiparse eval --floor`; re-pin with --write-floor when scores rise",
        "f1": {k: round(v, 2) for k, v in pinned.items()},
    }


# --------------------------------------------------------------------------- output


def fmt(value: float | None) -> str:
    return "    —" if value is None else f"{value:5.3f}"


def table(report: EvalReport, misses: bool = False) -> str:
    lines = [f"{'field':<14} {'P':>5} {'R':>5} {'F1':>5} {'support':>8}   tp/fp/fn"]
    for field, s in report.fields.items():
        lines.append(
            f"{field:<14} {fmt(s.precision)} {fmt(s.recall)} {fmt(s.f1)} {s.support:>8}   {s.tp}/{s.fp}/{s.fn}"
        )
    recall_only = [f for f, s in report.fields.items() if s.recall_only]
    if recall_only:
        lines.append(f"recall only ({', '.join(recall_only)}): the gold lists a subset, extras are not judged; F1 = R")
    lines.append("—: nothing to measure (no gold value, or nothing predicted)")
    names = [d.gold.removesuffix(".gold.json")[:10] for d in report.documents]
    lines += ["", "F1 per document", f"{'field':<14} " + " ".join(f"{n:>10}" for n in names)]
    for field in report.fields:
        cells = [fmt(d.fields[field].f1) if field in d.fields else "    —" for d in report.documents]
        lines.append(f"{field:<14} " + " ".join(f"{c:>10}" for c in cells))
    for d in report.documents:
        for note in d.notes:
            lines.append(f"note: {d.gold}: {note}")
    if misses:
        lines.append("")
        for d in report.documents:
            for miss in d.misses:
                where = f" [{miss.item}]" if miss.item else ""
                lines.append(
                    f"{d.gold.removesuffix('.gold.json')[:10]} {miss.field:<13} {miss.kind:<5} {miss.key}{where}: "
                    f"gold={json.dumps(miss.gold, ensure_ascii=False)} pred={json.dumps(miss.pred, ensure_ascii=False)}"
                )
    for failure in report.floor_failures:
        lines.append(f"BELOW FLOOR: {failure}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- command


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gold", required=True, metavar="DIR", help="folder of *.gold.json files")
    p.add_argument("--pred", metavar="DIR",
                   help="predictions: DIR/<stem>.json (rectiparse extract) or a batch documents.jsonl "
                        "(the file or its folder); default: parse the samples now")
    p.add_argument("--samples", metavar="DIR", help="folder of the gold files' seeds (default: the gold folder's parent)")
    p.add_argument("--json", action="store_true", help="print the full report (per field, per document, misses) as JSON")
    p.add_argument("--misses", action="store_true", help="list every disagreement under the table")
    p.add_argument("--floor", metavar="FILE", help="exit 1 when a field's F1 falls below its pinned floor")
    p.add_argument("--write-floor", metavar="FILE", help="pin today's per-field F1 (a little lower) into FILE")
    p.add_argument("--suffix", metavar="EXT",
                   help="parse the seed under this extension instead (.html, .docx; with --samples samples/html …)")
    p.add_argument("--no-model", action="store_true", help="parse the samples with rules only")


def run(args: argparse.Namespace) -> int:
    gold_dir = Path(args.gold)
    if not gold_dir.is_dir() or not gold_files(gold_dir):
        print(f"rectiparse: error: no *.gold.json files in {gold_dir}", file=sys.stderr)
        return 2
    report = evaluate(gold_dir, args.pred, args.samples, use_model=not args.no_model, suffix=args.suffix)
    if args.floor:
        try:
            report.floor_failures = check_floor(report, load_floor(args.floor))
        except (OSError, ValueError, AttributeError) as exc:
            print(f"rectiparse: error: floor file {args.floor}: {exc}", file=sys.stderr)
            return 2
    if args.write_floor:
        out = Path(args.write_floor)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(floor_from(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(table(report, misses=args.misses))
    for failure in report.floor_failures:
        print(f"rectiparse: eval below floor: {failure}", file=sys.stderr)
    return 1 if report.floor_failures else 0
