"""``rectiparse train``: rebuild the block-role model from the annotated samples, with spaCy's own training loop.

Why it is a command and not a notebook: the shipped model must be reproducible from the repository alone —
``configs/blockrole.cfg`` (a full ``spacy train`` config: pipeline, corpora, augmenter, seed, epochs,
optimizer) and ``samples/roles/*.jsonl`` (one role per paragraph of each seed) — so anyone can retrain after
adding samples and get the same weights.

Why spaCy's loop and not ours: the config then means what spaCy's documentation says it means, and
``python -m spacy train configs/blockrole.cfg --code src/rectiparse/segment/blockrole_corpus.py`` trains the
same model (its ``model-last``); this module only prepares the overrides (roles folder, held-out seeds, seed,
pkuseg), runs ``init_nlp`` + ``spacy.training.loop.train``, and writes the result where it is allowed to.
The reader (``rectiparse.BlockRoles.v1``) and the augmenter (``rectiparse.StripMarkers.v1``: every paragraph
also without its numbering and field labels, so the model learns from content) are registered in
``rectiparse.segment.blockrole_corpus``.

Scores. The model's ``meta.json`` carries spaCy's textcat scores (``performance``: ``cats_score`` = macro F,
``cats_micro_f``, ``cats_f_per_type`` …) of the final weights on the dev corpus, and ``rectiparse.scored_on``
says what that corpus was: the held-out seeds (``--held-out SEED``) as written and marker-stripped, or — for a
model trained on everything, like the shipped one — the training paragraphs themselves, which measures the fit,
not accuracy on unseen text. ``--cv`` adds ``rectiparse.cross_validation``: spaCy's scores of one model per seed
trained on the other seeds (the honest figure; ``scripts/loo_eval.py`` measures the same at the item level).
``meta.json`` also records the config and role files it came from (file names and SHA-256).

Where it writes. ``--out DIR`` (default ``./blockrole-model``) and nowhere else; the packaged model that
extraction uses only with ``--replace-packaged`` (otherwise exit 2), and a non-empty directory that is not a
model is never written into.

Training data. ``--derive`` writes ``samples/roles/<seed>.jsonl`` from what the rule segmenter and the
extractors say about each paragraph of ``samples/*.txt`` (item headings, status lines, labelled fields,
measures, summary, metadata…), then applies the hand corrections kept in ``samples/roles/corrections.jsonl``
(where the rules' reading is not the role we want the model to learn). ``samples/roles/extra.jsonl`` holds
hand-written paragraphs for roles the seeds barely show (noise).

Determinism: the same config, data and seed give identical weights on the same machine and library versions
(spaCy's loop fixes the Python, NumPy and thinc seeds and shuffles with them; no early stopping, no step
limit, no parameter averaging; the BOW model starts from zeros and hashes tokens deterministically).
Different BLAS builds may differ in the last float bits, not in predictions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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


# --------------------------------------------------------------------------- training (spaCy's loop)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _overrides(
    roles: Path, held_out: Sequence[str], seed: int | None, pkuseg_model: str | Path | None
) -> dict[str, Any]:
    """``--paths.roles …``-style overrides: what the command line changes in the config."""
    out: dict[str, Any] = {"paths.roles": str(roles), "paths.held_out": ",".join(held_out)}
    if seed is not None:
        out["system.seed"] = seed
    if pkuseg_model is not None:
        out["nlp.tokenizer.segmenter"] = "pkuseg"
        out["initialize.tokenizer.pkuseg_model"] = str(pkuseg_model)
    return out


def _final_scores(nlp: Language) -> dict[str, Any]:
    """spaCy's evaluation of the *final* weights on the dev corpus, as its loop writes ``performance``.

    The loop evaluates every ``eval_frequency`` steps and saves the scores of the last evaluation with the
    model; the last steps of the last epoch come after it. Same callback, same keys, on the weights we save.
    """
    from spacy.training.loop import create_evaluation_callback
    from spacy.util import registry, resolve_dot_names

    config = nlp.config.interpolate()
    T = registry.resolve(config["training"])
    (dev_corpus,) = resolve_dot_names(config, [T["dev_corpus"]])
    score, other = create_evaluation_callback(nlp, dev_corpus, T["score_weights"])()
    perf: dict[str, Any] = {key: other.get(key, 0.0) for key in T["score_weights"]}
    perf["score"] = score
    return perf


def train(
    config_path: str | Path = DEFAULT_CONFIG, *, roles: str | Path = DEFAULT_ROLES, held_out: Sequence[str] = (),
    seed: int | None = None, pkuseg_model: str | Path | None = None, log: IO[str] | None = None,
) -> Language:
    """A block-role pipeline trained by spaCy's own loop on ``config_path`` (not saved).

    ``spacy.training.initialize.init_nlp`` and ``spacy.training.loop.train`` are exactly what
    ``spacy train`` runs; ``rectiparse train`` only adds the overrides (roles folder, held-out seeds, seed,
    pkuseg) and keeps the weights in memory instead of writing ``model-best``/``model-last`` checkpoints.
    ``held_out`` seeds are left out of training and become the dev corpus; with none, the dev corpus is the
    training paragraphs themselves. spaCy's progress table goes to ``log`` (default: nowhere).
    """
    import io
    import logging

    import jieba
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as spacy_train
    from spacy.util import load_config

    import rectiparse.segment.blockrole_corpus as corpus  # registers the reader and the augmenter

    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict…" on every run is noise
    logging.getLogger("spacy").setLevel(logging.WARNING)
    roles = Path(roles)
    held = list(held_out)
    config = load_config(Path(config_path), overrides=_overrides(roles, held, seed, pkuseg_model), interpolate=False)
    sink = log or io.StringIO()
    nlp = init_nlp(config)
    nlp, _ = spacy_train(nlp, None, stdout=sink, stderr=sink)
    performance = _final_scores(nlp)
    n_examples = len(_train_examples(nlp))
    if Path(roles).resolve() == Path(DEFAULT_ROLES).resolve():
        # the saved config names the roles folder as the config file does, not this machine's absolute path
        nlp.config["paths"]["roles"] = load_config(Path(config_path), interpolate=False)["paths"]["roles"]
    trained = corpus.read_records(roles, exclude=held)
    resolved_seed = nlp.config["system"]["seed"] if seed is None else seed
    nlp.meta["name"] = "blockrole"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "rectiparse block-role classifier (paragraph → role)"
    nlp.meta["performance"] = performance
    nlp.meta["rectiparse"] = {
        "seed": resolved_seed, "paragraphs": len(trained), "examples": n_examples,
        "roles": dict(sorted(Counter(r["role"] for r in trained).items())),
        "docs": sorted({str(r.get("doc")) for r in trained}),
        "segmenter": str(nlp.config["nlp"]["tokenizer"]["segmenter"]),
        "held_out": held,
        "scored_on": (f"held-out seeds {', '.join(held)}, as written and marker-stripped" if held else
                      "the training paragraphs, as written and marker-stripped (resubstitution: how well the "
                      "model fits its data, not accuracy on unseen text)"),
        "config": {"file": Path(config_path).name, "sha256": _sha256(Path(config_path))},
        "data": {f.name: _sha256(f) for f in corpus.role_files(roles)},
        "trainer": "spacy.training.loop.train",
    }
    return nlp


def _train_examples(nlp: Language) -> list[Any]:
    """The training corpus as the loop saw it (after augmentation)."""
    from spacy.util import registry, resolve_dot_names

    config = nlp.config.interpolate()
    T = registry.resolve(config["training"])
    (train_corpus,) = resolve_dot_names(config, [T["train_corpus"]])
    return list(train_corpus(nlp))


def held_out_scores(
    config_path: str | Path = DEFAULT_CONFIG, *, roles: str | Path = DEFAULT_ROLES, seed: int | None = None,
    pkuseg_model: str | Path | None = None,
) -> dict[str, Any]:
    """spaCy's dev scores of one model per seed trained on the others (leave-one-seed-out).

    The shipped model trains on every seed, so its own scores are a fit; these say how the same config does on a
    bulletin it has not seen. ``extra.jsonl`` (hand-written noise paragraphs) is never held out. Read
    ``cats_micro_f`` (for exclusive classes: the share of paragraphs given the right role) and the item-heading
    F (what the decoder needs most): spaCy's macro F counts every role a seed does not have as F 0, which
    pulls it far down on a single bulletin.
    """
    from rectiparse.segment.blockrole_corpus import read_records

    seeds = sorted({str(r.get("doc")) for r in read_records(roles)} - {"extra"})
    folds = {}
    for s in seeds:
        nlp = train(config_path, roles=roles, held_out=[s], seed=seed, pkuseg_model=pkuseg_model)
        perf = nlp.meta["performance"]
        folds[s] = {k: perf[k] for k in ("cats_macro_f", "cats_micro_f") if k in perf}
        folds[s]["item_heading_f"] = perf.get("cats_f_per_type", {}).get("item_heading", {}).get("f", 0.0)
    mean = {k: sum(f[k] for f in folds.values()) / len(folds) for k in next(iter(folds.values()), {})}
    return {"folds": folds, "mean": mean}


# --------------------------------------------------------------------------- writing the model

DEFAULT_OUT = Path("blockrole-model")  # relative to the working directory


class RefusedTarget(Exception):
    """An output directory ``rectiparse train`` will not write into (exit 2, message for the user)."""


def _is_model_dir(path: Path) -> bool:
    return (path / "config.cfg").is_file() and (path / "meta.json").is_file()


def output_dir(out: str | Path | None, replace_packaged: bool) -> Path:
    """Where the model goes, or ``RefusedTarget`` saying why not.

    The packaged model (``segment/model_data/blockrole``, what every ``extract`` uses) is only written with
    ``replace_packaged``; a directory that is not empty and holds no spaCy pipeline is never written into
    (``--out .`` must not replace a working directory's files with ``config.cfg`` and ``vocab/``).
    """
    from rectiparse.segment.model import default_model_dir

    packaged = default_model_dir().resolve()
    if replace_packaged:
        if out is not None and Path(out).resolve() != packaged:
            raise RefusedTarget(f"--replace-packaged writes the packaged model ({packaged}); it cannot go with "
                                f"--out {out}")
        return packaged
    target = Path(out) if out is not None else DEFAULT_OUT
    resolved = target.resolve()
    if resolved == packaged or resolved.is_relative_to(packaged):
        raise RefusedTarget(f"{target} is the packaged model that every extraction uses; pass --replace-packaged "
                            "to overwrite it, or --out a directory of your own")
    if resolved.exists() and (not resolved.is_dir() or (any(resolved.iterdir()) and not _is_model_dir(resolved))):
        raise RefusedTarget(f"{target} exists and is not a block-role model directory; refusing to write into it "
                            "(choose an empty or new directory)")
    return target


def write_model(nlp: Language, out: Path) -> None:
    """Save the pipeline to ``out`` whole: built beside it, then swapped in, so a failed save or an older model's
    leftover files (a pkuseg tokenizer, say) never mix with the new one."""
    import shutil
    import tempfile

    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        nlp.to_disk(tmp / "model")
        if out.exists():
            out.rename(tmp / "old")  # removed with tmp below
        (tmp / "model").rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------- command


def configure(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Train the block-role model with spaCy's own training loop (spacy.training.loop.train) on "
        "configs/blockrole.cfg and samples/roles, and write it to DIR. The packaged model that extraction uses "
        "is never overwritten unless --replace-packaged is given; use another model with RECTIPARSE_MODEL=DIR."
    )
    p.add_argument("--out", metavar="DIR", default=None,
                   help=f"write the model here (default: ./{DEFAULT_OUT}); an existing model there is replaced, a "
                        "non-empty directory that holds no model is refused (exit 2)")
    p.add_argument("--replace-packaged", action="store_true",
                   help="write the packaged model inside rectiparse (what `make train` does after the samples "
                        "changed); without it, training into the packaged model directory exits 2")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the config's [system] seed)")
    p.add_argument("--config", default=str(DEFAULT_CONFIG),
                   help="spaCy training config (default: configs/blockrole.cfg)")
    p.add_argument("--roles", default=str(DEFAULT_ROLES), help="folder of role-annotated paragraphs (*.jsonl)")
    p.add_argument("--held-out", "--exclude", dest="held_out", action="append", default=[], metavar="SEED",
                   help="leave this seed (file stem or its prefix, e.g. 003) out of training and score the model "
                        "on it (spaCy's dev corpus); repeatable. Without it the scores are on the training data")
    p.add_argument("--cv", action="store_true",
                   help="also train one model per seed on the others and record their held-out scores in "
                        "meta.json (about 5 × the training time)")
    p.add_argument("--pkuseg-model", metavar="DIR", help="tokenise with pkuseg from this local model directory")
    p.add_argument("--derive", action="store_true",
                   help="first rewrite ROLES/<seed>.jsonl from samples/*.txt (rule roles + corrections.jsonl)")
    p.add_argument("--samples", default=str(DEFAULT_SAMPLES), help="seed folder for --derive (default: samples)")
    p.add_argument("-q", "--quiet", action="store_true", help="no spaCy progress table on stderr")


def _error(message: str) -> int:
    print(f"rectiparse: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    import time

    try:
        out = output_dir(args.out, args.replace_packaged)
    except RefusedTarget as e:
        return _error(str(e))
    roles = Path(args.roles)
    if args.pkuseg_model is not None:
        from rectiparse.extras import require

        require("spacy_pkuseg")  # MissingExtra → exit 2 naming the `pkuseg` extra
    if args.derive:
        if not any(Path(args.samples).glob("*.txt")):
            return _error(f"--derive needs the seed bulletins (*.txt): none in {args.samples}; pass --samples DIR")
        for f in write_roles(Path(args.samples), roles):
            print(f"wrote {f}", file=sys.stderr)
    records = load_records(roles, args.held_out)
    if not records:
        return _error(f"no training paragraphs in {roles}")
    if args.held_out and len(records) == len(load_records(roles)):
        return _error(f"--held-out {' '.join(args.held_out)} names no seed in {roles}")
    if not Path(args.config).is_file():
        return _error(f"no config at {args.config}")
    t0 = time.perf_counter()
    log = None if args.quiet else sys.stderr
    nlp = train(args.config, roles=roles, held_out=args.held_out, seed=args.seed, pkuseg_model=args.pkuseg_model,
                log=log)
    elapsed = time.perf_counter() - t0
    if args.cv:
        nlp.meta["rectiparse"]["cross_validation"] = held_out_scores(
            args.config, roles=roles, seed=args.seed, pkuseg_model=args.pkuseg_model)
    write_model(nlp, out)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    perf = nlp.meta["performance"]
    print(f"trained on {len(records)} paragraphs in {elapsed:.1f} s; model {size / 1e6:.2f} MB in {out}", file=sys.stderr)
    print(f"scores on {nlp.meta['rectiparse']['scored_on'].split(' (')[0]}: macro F {perf['cats_macro_f']:.3f}, "
          f"micro F {perf['cats_micro_f']:.3f}", file=sys.stderr)
    cv = nlp.meta["rectiparse"].get("cross_validation")
    if cv:
        m = cv["mean"]
        print(f"held out one seed at a time (mean of {len(cv['folds'])}): micro F {m['cats_micro_f']:.3f}, item "
              f"heading F {m['item_heading_f']:.3f}, macro F {m['cats_macro_f']:.3f}", file=sys.stderr)
    if not args.replace_packaged:
        print(f"use it with: RECTIPARSE_MODEL={out} rectiparse extract FILE", file=sys.stderr)
    return 0
