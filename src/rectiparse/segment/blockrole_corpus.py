"""What ``configs/blockrole.cfg`` names in spaCy's registries: the role-file reader and the augmenter.

Why a module of its own: ``spacy train`` resolves ``[corpora]`` by registry name, so the functions must be
registered before the config is read — by ``rectiparse train`` (which imports this module) or by spaCy's own
CLI with ``--code``::

    python -m spacy train configs/blockrole.cfg --code src/rectiparse/segment/blockrole_corpus.py \
        --output /tmp/blockrole

trains the same pipeline ``rectiparse train`` does (``model-last`` there is the model). It lives in the segment
stage because it only needs what the block-role model itself reads (``model_input``, ``strip_line``, the rule
grammar) and it imports spaCy at the top, which the command modules must not (``rectiparse`` starts fast).

The reader builds each example from one annotated paragraph of ``samples/roles/*.jsonl``: the doc is the
string the classifier reads at run time (``model_input``: folded, clipped, with shape pseudo-words) and the
raw paragraph rides along in ``doc.user_data`` so the augmenter can strip the *raw* text and rebuild the model
input — stripping a model input afterwards would leave its shape words (length, ``label：`` lead) describing a
paragraph that no longer exists.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from rectiparse.rules import Rules, load_rules
from rectiparse.segment.model import ROLES, model_input, strip_line

RAW_KEY = "rectiparse_raw"  # doc.user_data key of the paragraph as written
READER = "rectiparse.BlockRoles.v1"
AUGMENTER = "rectiparse.StripMarkers.v1"

Augmenter = Callable[[Language, Example], Iterator[Example]]


def _grammar(rules: Rules | None = None) -> Any:
    from rectiparse.segment.grammar import grammar

    return grammar(rules or load_rules())


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _matches(doc: str, seeds: Iterable[str]) -> bool:
    """A seed is named by its file stem or a prefix of it (``003`` for ``003_0db8544a2eb4edc4``)."""
    return any(doc == s or doc.startswith(s) for s in seeds if s)


def split_seeds(value: str | Iterable[str] | None) -> list[str]:
    """``"003,004"`` (a config or ``--paths.held_out`` value) or a list → seed names."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else list(value)
    return [p.strip() for p in parts if p and p.strip()]


def role_files(path: str | Path) -> list[Path]:
    """The annotated paragraph files of a roles folder: every ``*.jsonl`` but the hand corrections."""
    return [f for f in sorted(Path(path).glob("*.jsonl")) if f.name != "corrections.jsonl"]


def read_records(path: str | Path, exclude: Iterable[str] = (), only: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Annotated paragraphs from a roles folder, without the ``exclude`` seeds, or only the ``only`` ones."""
    skip, keep = list(exclude), list(only)
    out: list[dict[str, Any]] = []
    for f in role_files(path):
        for rec in _read_jsonl(f):
            doc = str(rec.get("doc", ""))
            if _matches(doc, skip) or (keep and not _matches(doc, keep)):
                continue
            out.append(rec)
    return out


def rule_vocabulary(rules: Rules) -> list[tuple[str, str]]:
    """(text, role) pairs from the rule files: the section titles of ``rules/headings.yaml`` as section
    headings and the status phrases of ``rules/status.yaml`` as status lines.

    Short headings are rare in the seeds and look like noise or status lines to a bag of words without them;
    a status line stripped of ``整改结果：`` leaves the phrase alone.
    """
    h = rules.headings
    pairs = [(w, "section_heading") for w in sorted({*h.non_item_sections, *h.task_containers, *h.container_keywords})]
    st = rules.status
    for phrases in st.codes.values():
        pairs.extend((ph, "status_line") for ph in phrases if not ph.startswith("/"))
    pairs.extend((f"长期整改 {grade}", "status_line") for grade in sorted(st.grades))
    return pairs


Tokens = tuple[list[str], list[bool]]


def make_example(nlp: Language, raw: str, role: str, g: Any, cache: dict[str, Tokens] | None = None) -> Example:
    """One training example: the model input of ``raw``, its one-hot role, the raw text in ``user_data``.

    ``cache`` keeps each input's tokens: spaCy reads the corpora again for initialisation, every epoch's
    shuffle and every evaluation, and jieba on the same strings was most of the training time.
    """
    text = model_input(raw, g)
    tokens = cache.get(text) if cache is not None else None
    if tokens is None:
        doc = nlp.make_doc(text)
        tokens = ([t.text for t in doc], [bool(t.whitespace_) for t in doc])
        if cache is not None:
            cache[text] = tokens
    reference = Doc(nlp.vocab, words=tokens[0], spaces=tokens[1])
    reference.cats = {r: float(r == role) for r in ROLES}
    reference.user_data[RAW_KEY] = raw
    return Example(Doc(nlp.vocab, words=tokens[0], spaces=tokens[1]), reference)


def strip_variants(raw: str, g: Any, *, measures: bool = False) -> list[str]:
    """The marker-stripped forms of a paragraph that differ from it and are not empty, in a fixed order."""
    variants = {strip_line(raw, g)}
    if measures:
        variants.add(strip_line(raw, g, measures=True))
    return sorted(v for v in variants if v != raw and v.strip())


@spacy.registry.augmenters(AUGMENTER)
def create_strip_markers(measures: bool = False) -> Augmenter:
    """Each example as written, then without its heading marker and field labels (``一、``, ``（一）``,
    ``整改情况：``…) and, with ``measures``, without inline ``一是…`` markers too.

    Why: bulletins whose numbering was lost are what the model is for; trained on numbered paragraphs alone it
    would learn "``（一）`` means item heading" and nothing about the words.
    """
    g = _grammar()
    caches: dict[int, dict[str, Tokens]] = {}  # per tokenizer: a pipeline's tokens are only valid for it

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        raw = example.reference.user_data.get(RAW_KEY)
        if not isinstance(raw, str):
            return  # not one of our examples (no raw text to strip): nothing to add
        role = max(example.reference.cats.items(), key=lambda kv: kv[1])[0]
        for variant in strip_variants(raw, g, measures=measures):
            yield make_example(nlp, variant, role, g, caches.setdefault(id(nlp.tokenizer), {}))

    return augment


@spacy.registry.readers(READER)
def create_block_roles(
    path: str, exclude: str = "", only: str = "", rule_vocab: bool = False, augmenter: Augmenter | None = None,
) -> Callable[[Language], Iterator[Example]]:
    """The annotated paragraphs of the roles folder ``path`` as spaCy examples.

    ``exclude`` / ``only``: comma-separated seeds (file stems or prefixes) to leave out / to keep alone — the
    train corpus leaves out ``${paths.held_out}`` and the dev corpus keeps only them (all paragraphs when none
    is held out). ``rule_vocab`` adds the rule files' section titles and status phrases
    (``rule_vocabulary``). Paragraphs come in file order, then the rule vocabulary; spaCy shuffles them
    with the training seed.
    """
    skip, keep = split_seeds(exclude), split_seeds(only)
    caches: dict[int, dict[str, Tokens]] = {}  # per tokenizer, see make_example

    def read(nlp: Language) -> Iterator[Example]:
        rules = load_rules()
        g = _grammar(rules)
        pairs = [(r["text"], r["role"]) for r in read_records(path, skip, keep)]
        if rule_vocab:
            pairs.extend(rule_vocabulary(rules))
        for raw, role in pairs:
            if not raw.strip():
                continue
            example = make_example(nlp, raw, role, g, caches.setdefault(id(nlp.tokenizer), {}))
            if augmenter is None:
                yield example
            else:
                yield from augmenter(nlp, example)

    return read
