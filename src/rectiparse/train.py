"""``rectiparse train``: rebuild the block-role model from the annotated samples, reproducibly.

Why it is a command and not a notebook: the shipped model must be reproducible from the repository alone —
``configs/blockrole.cfg`` (architecture, seed, epochs, augmentation) and ``samples/roles/*.jsonl`` (one role
per paragraph of each seed) — so anyone can retrain after adding samples and get the same weights.

Training data. ``--derive`` writes ``samples/roles/<seed>.jsonl`` from what the rule segmenter and the
extractors say about each paragraph of ``samples/*.txt`` (item headings, status lines, labelled fields,
measures, summary, metadata…), then applies the hand corrections kept in ``samples/roles/corrections.jsonl``
(where the rules' reading is not the role we want the model to learn). ``samples/roles/extra.jsonl`` holds
hand-written paragraphs for roles the seeds barely show (noise). Every paragraph is also trained without its
numbering and field labels (augmentation), so the model learns from content.

Determinism: the same config, data and seed give identical weights on the same machine and library versions
(fixed seeds for Python, NumPy and thinc; a seeded shuffle; spaCy's BOW model starts from zeros and hashes
tokens deterministically). Different BLAS builds may differ in the last float bits, not in predictions.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

    from rectiparse.rules import Rules

CHECKOUT = Path(__file__).resolve().parents[2]
# an installed wheel carries the config and the role files here (pyproject's force-include); a checkout
# (editable install) reads them where they are versioned
PACKAGED = Path(__file__).resolve().parent / "train_data"


def _data(checkout: Path, packaged: Path) -> Path:
    return checkout if checkout.exists() or not packaged.exists() else packaged


DEFAULT_CONFIG = _data(CHECKOUT / "configs" / "blockrole.cfg", PACKAGED / "blockrole.cfg")
DEFAULT_SAMPLES = CHECKOUT / "samples"  # the seed texts are only in a checkout: --derive needs --samples there
DEFAULT_ROLES = _data(DEFAULT_SAMPLES / "roles", PACKAGED / "roles")


# --------------------------------------------------------------------------- roles from the rules


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def derive_roles(path: str | Path, rules: Rules | None = None) -> list[dict[str, Any]]:
    """One record per paragraph of a sample: its text and the role the rule pipeline implies."""
    from rectiparse.extract import extract
    from rectiparse.loaders import load
    from rectiparse.normalise import normalise
    from rectiparse.rules import load_rules
    from rectiparse.segment import segment_by_rules
    from rectiparse.segment.grammar import grammar

    rules = rules or load_rules()
    g = grammar(rules)
    loaded = load(path)
    text = normalise(loaded, rules)
    sk = segment_by_rules(text, rules)
    doc = extract(loaded, text, sk, rules)
    headings: dict[int, Any] = {}

    def walk(nodes: list[Any]) -> None:
        for h in nodes:
            headings[h.start] = h
            walk(h.children)

    walk(sk.headings)
    item_heads = {it.heading.start: it for it in sk.items if it.heading is not None}
    meta_spans = [sp for sp in doc.document.spans.values() if sp]
    summary_span = doc.summary.span
    out: list[dict[str, Any]] = []
    for i, (ps, pe) in enumerate(text.paragraphs()):
        para = text.text[ps:pe]
        role = _role_of(text, g, sk, ps, pe, headings, item_heads, meta_spans, summary_span)
        out.append({"doc": Path(path).stem, "i": i, "start": ps, "text": para, "role": role, "rule_role": role})
    return out


def _role_of(
    text: Any, g: Any, sk: Any, ps: int, pe: int, headings: dict[int, Any], item_heads: dict[int, Any],
    meta_spans: list[tuple[int, int]], summary_span: tuple[int, int] | None,
) -> str:
    folded = text.folded
    if ps in item_heads:
        return "item_heading"
    for it in sk.items:
        if not (it.span[0] <= ps < it.span[1]):
            continue
        h = headings.get(ps)
        if h is not None and any(m.marker_span == h.marker_span for m in it.measures):
            return "measure"  # a numbered sub-heading the grammar read as a measure
        if it.status_origin == "label" and it.status_span and ps <= it.status_span[0] < pe and pe - ps <= 30:
            return "status_line"
        for name in ("opinion", "next_steps", "actions"):
            lab = it.label_spans.get(name)
            if lab and ps <= lab[0] < pe:
                return name
        for name in ("opinion", "next_steps", "actions"):
            sp = it.fields.get(name)
            if sp and _overlaps(sp, (ps, pe)):
                return name
        return "actions"
    if summary_span and _overlaps(summary_span, (ps, pe)) and pe - ps < 400:
        return "summary"
    h = headings.get(ps)
    if h is not None:
        # a heading with a body of its own on the line is prose of a non-item section
        return "section_heading" if pe - h.title_span[1] <= 2 else "boilerplate"
    if any(_overlaps(sp, (ps, pe)) for sp in meta_spans) and pe - ps <= 60:
        return "metadata"
    line = folded[ps:pe].strip()
    if g.date_line.match(line):
        return "metadata"
    return "boilerplate"


def write_roles(samples: Path, roles_dir: Path, rules: Rules | None = None) -> list[Path]:
    """Derive ``roles_dir/<seed>.jsonl`` for every ``samples/*.txt``, with the hand corrections applied."""
    corrections = _read_jsonl(roles_dir / "corrections.jsonl") if (roles_dir / "corrections.jsonl").is_file() else []
    roles_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for sample in sorted(samples.glob("*.txt")):
        records = derive_roles(sample, rules)
        for rec in records:
            for c in corrections:
                if c["doc"] == rec["doc"] and rec["text"].startswith(c["text_prefix"]):
                    rec["role"] = c["role"]
                    rec["corrected"] = c.get("why", True)
        out = roles_dir / f"{sample.stem}.jsonl"
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        written.append(out)
    return written


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_records(roles_dir: str | Path, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Training paragraphs from ``roles_dir`` (all ``*.jsonl`` but corrections), minus the excluded seeds."""
    skip = set(exclude)
    out: list[dict[str, Any]] = []
    for f in sorted(Path(roles_dir).glob("*.jsonl")):
        if f.name == "corrections.jsonl":
            continue
        for rec in _read_jsonl(f):
            if rec.get("doc") not in skip and not any(str(rec.get("doc", "")).startswith(s) for s in skip):
                out.append(rec)
    return out


# --------------------------------------------------------------------------- training


def read_config(path: str | Path = DEFAULT_CONFIG) -> Any:
    from spacy.util import load_config

    return load_config(Path(path))


def train(
    records: list[dict[str, Any]], config_path: str | Path = DEFAULT_CONFIG, seed: int | None = None,
    pkuseg_model: str | Path | None = None, rules: Rules | None = None,
) -> Language:
    """A trained block-role pipeline (not saved)."""
    import logging

    import jieba
    from spacy.training import Example
    from spacy.util import fix_random_seed, load_model_from_config, minibatch
    from thinc.api import Adam, Config

    from rectiparse.rules import load_rules
    from rectiparse.segment.grammar import grammar
    from rectiparse.segment.model import ROLES, model_input, strip_line

    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict…" on every run is noise
    cfg = read_config(config_path)
    opts = dict(cfg.get("rectiparse", {}))
    seed = int(opts.get("seed", 0) if seed is None else seed)
    fix_random_seed(seed)
    pipe_cfg = Config({"nlp": cfg["nlp"], "components": cfg["components"]})
    if pkuseg_model is not None:
        pipe_cfg["nlp"]["tokenizer"]["segmenter"] = "pkuseg"
    nlp = load_model_from_config(pipe_cfg, auto_fill=True, validate=True)
    if pkuseg_model is not None:
        # nlp.initialize() below (re)initialises the tokenizer from [initialize.tokenizer]
        nlp.config["initialize"]["tokenizer"] = {"pkuseg_model": str(pkuseg_model), "pkuseg_user_dict": "default"}
        nlp.tokenizer.initialize(pkuseg_model=str(pkuseg_model))  # type: ignore[union-attr]  # for make_doc now
    g = grammar(rules or load_rules())
    pairs: list[tuple[str, str]] = []
    for rec in records:
        variants = {rec["text"]}
        if opts.get("augment_strip", True):
            variants.add(strip_line(rec["text"], g))
        if opts.get("augment_measures", False):
            variants.add(strip_line(rec["text"], g, measures=True))
        pairs.extend((v, rec["role"]) for v in sorted(variants) if v.strip())
    if opts.get("augment_vocab", False):
        # section titles the rules already know (rules/headings.yaml): short headings are rare in the seeds
        # and look like noise or status lines to a bag of words without them
        h = (rules or load_rules()).headings
        for word in sorted({*h.non_item_sections, *h.task_containers, *h.container_keywords}):
            pairs.append((word, "section_heading"))
        # and the status phrases of rules/status.yaml as status lines ("整改结果：" stripped leaves them alone)
        st = (rules or load_rules()).status
        for phrases in st.codes.values():
            pairs.extend((ph, "status_line") for ph in phrases if not ph.startswith("/"))
        for grade in sorted(st.grades):
            pairs.append((f"长期整改 {grade}", "status_line"))
    examples = [
        Example.from_dict(nlp.make_doc(model_input(t, g)), {"cats": {r: float(r == role) for r in ROLES}})
        for t, role in pairs
    ]
    textcat = nlp.get_pipe("textcat")
    for r in ROLES:
        textcat.add_label(r)  # type: ignore[attr-defined]
    nlp.initialize(lambda: examples)
    optimizer = Adam(float(opts.get("learn_rate", 0.001)))
    rng = random.Random(seed)
    order = list(range(len(examples)))
    for _epoch in range(int(opts.get("epochs", 10))):
        rng.shuffle(order)
        for batch in minibatch([examples[i] for i in order], size=int(opts.get("batch_size", 16))):
            nlp.update(batch, drop=float(opts.get("dropout", 0.1)), sgd=optimizer)
    nlp.meta["name"] = "blockrole"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "rectiparse block-role classifier (paragraph → role)"
    nlp.meta["rectiparse"] = {
        "seed": seed, "paragraphs": len(records), "examples": len(examples),
        "roles": dict(sorted(Counter(r["role"] for r in records).items())),
        "docs": sorted({str(r.get("doc")) for r in records}),
        "segmenter": "pkuseg" if pkuseg_model is not None else str(cfg["nlp"]["tokenizer"].get("segmenter")),
    }
    return nlp


# --------------------------------------------------------------------------- command


def configure(p: argparse.ArgumentParser) -> None:
    from rectiparse.segment.model import default_model_dir

    p.add_argument("--out", metavar="DIR", default=str(default_model_dir()),
                   help="where to write the model (default: the shipped model inside the package)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the config's)")
    p.add_argument("--config", default=str(DEFAULT_CONFIG), help="training config (default: configs/blockrole.cfg)")
    p.add_argument("--roles", default=str(DEFAULT_ROLES), help="folder of role-annotated paragraphs (*.jsonl)")
    p.add_argument("--exclude", action="append", default=[], metavar="SEED",
                   help="leave this seed (file stem or its prefix, e.g. 003) out of training; repeatable")
    p.add_argument("--pkuseg-model", metavar="DIR", help="tokenise with pkuseg from this local model directory")
    p.add_argument("--derive", action="store_true",
                   help="first rewrite ROLES/<seed>.jsonl from samples/*.txt (rule roles + corrections.jsonl)")
    p.add_argument("--samples", default=str(DEFAULT_SAMPLES), help="seed folder for --derive (default: samples)")


def run(args: argparse.Namespace) -> int:
    import time

    roles = Path(args.roles)
    if args.pkuseg_model is not None:
        from rectiparse.extras import require

        require("spacy_pkuseg")  # MissingExtra → exit 2 naming the `pkuseg` extra
    if args.derive:
        if not any(Path(args.samples).glob("*.txt")):
            print(f"rectiparse: error: --derive needs the seed bulletins (*.txt): none in {args.samples}; "
                  "pass --samples DIR", file=sys.stderr)
            return 2
        for f in write_roles(Path(args.samples), roles):
            print(f"wrote {f}", file=sys.stderr)
    records = load_records(roles, args.exclude)
    if not records:
        print(f"rectiparse: error: no training paragraphs in {roles}", file=sys.stderr)
        return 2
    if not Path(args.config).is_file():
        print(f"rectiparse: error: no config at {args.config}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    nlp = train(records, args.config, args.seed, args.pkuseg_model)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"trained on {len(records)} paragraphs in {time.perf_counter() - t0:.1f} s; "
          f"model {size / 1e6:.2f} MB in {out}", file=sys.stderr)
    return 0
