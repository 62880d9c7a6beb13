"""Rules as data: load ``rules/*.yaml``, validate them with pydantic, compile their patterns.

Why data and not code: vocabularies (status phrases, field labels, noise, units) grow with every new
issuer, and the people who see a new phrasing are analysts, not Python programmers. A user extends the
rules by pointing ``RECTIPARSE_RULES`` (or ``parse(..., rules_dir=)``, ``--rules DIR``) at a folder with files
of the same names: each top-level key there replaces the shipped one, a key written ``+key`` extends it
(:func:`overlay`), other keys keep their shipped values.

A broken file fails at load time with the file and the key named, never later in the middle of a batch.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

RULE_FILES = ("status", "labels", "headings", "noise", "figures", "metadata", "tables", "items")
FIELD_NAMES = {
    "opinion", "actions", "next_steps", "status", "title",
    "units_lead", "units_co", "deadline", "goal", "leader",
}


T = TypeVar("T")


class RulesError(ValueError):
    """A rule file is missing, unreadable or invalid; the message names the file and the key."""


def _check_pattern(value: str) -> str:
    try:
        regex.compile(value)
    except regex.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from exc
    return value


def _needs_num(v: str) -> str:
    """A marker pattern: valid, with the numeral in a ``num`` group."""
    _check_pattern(v)
    if "(?P<num>" not in v:
        raise ValueError(f"marker pattern {v!r} needs a (?P<num>…) group")
    return v


class _RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


STATUS_CODES = ("completed", "basically_completed", "in_progress", "long_term", "adopted", "not_completed")


class StatusRules(_RuleModel):
    """The one status vocabulary (``rules/status.yaml``): items, the declared summary and the model read it.

    ``clause_order`` is how a summary clause (已完成整改1个) is read: the first listed code with a phrase in
    the clause wins. Items read the longest phrase instead (their status stands alone, not in a clause).
    """

    codes: dict[str, list[str]]
    grade_pattern: str
    grades: dict[str, list[str]]
    clause_order: list[str] = Field(
        default_factory=lambda: ["not_completed", "basically_completed", "long_term", "in_progress", "completed"]
    )

    @field_validator("codes")
    @classmethod
    def _known_codes(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(v) - set(STATUS_CODES)
        if unknown:
            raise ValueError(f"unknown status code(s) {sorted(unknown)}; known: {sorted(STATUS_CODES)}")
        for phrases in v.values():
            for p in phrases:
                if len(p) > 2 and p.startswith("/") and p.endswith("/"):
                    _check_pattern(p[1:-1])
        return v

    @field_validator("clause_order")
    @classmethod
    def _summary_codes(cls, v: list[str]) -> list[str]:
        # the declared summary has no adopted count (models.Summary)
        unknown = set(v) - (set(STATUS_CODES) - {"adopted"})
        if unknown:
            raise ValueError(f"clause_order: unknown or uncounted status code(s) {sorted(unknown)}")
        if len(set(v)) != len(v):
            raise ValueError("clause_order: a code is listed twice")
        return v

    @field_validator("grade_pattern")
    @classmethod
    def _grade(cls, v: str) -> str:
        return _check_pattern(v)


class LabelRules(_RuleModel):
    labels: dict[str, str]

    @field_validator("labels")
    @classmethod
    def _known_fields(cls, v: dict[str, str]) -> dict[str, str]:
        bad = {k: f for k, f in v.items() if f not in FIELD_NAMES}
        if bad:
            raise ValueError(f"labels map to unknown fields {bad}; known: {sorted(FIELD_NAMES)}")
        return v


class MarkerRule(_RuleModel):
    """A heading marker style. ``item: true`` makes every heading of the style an item ("问题一：", "【问题二】"),
    whatever its title says: the marker itself names a problem."""

    name: str
    pattern: str
    item: bool = False

    @field_validator("pattern")
    @classmethod
    def _pattern_has_num(cls, v: str) -> str:
        return _needs_num(v)


class ProblemPattern(_RuleModel):
    pattern: str
    strength: Literal["strong", "weak"] = "strong"

    @field_validator("pattern")
    @classmethod
    def _has_title(cls, v: str) -> str:
        if "(?P<title>" not in v:
            raise ValueError(f"problem pattern {v!r} needs a (?P<title>…) group")
        return v


# the patterns of headings.yaml the decoder reads around headings, compiled under these names on
# ``segment.grammar.Grammar`` (one list for the validator here and the compiler there)
DECODER_WORDS = ("about", "status_group_rest", "status_subject", "closing_words", "tally_after_status",
                 "status_not_group", "tally_title", "unknown_status", "container_tail", "generic_topic",
                 "topic_nouns", "aspect_tail", "unknown_label", "group_nouns")


class HeadingRules(_RuleModel):
    markers: list[MarkerRule]
    measure_markers: list[str]
    measure_left_context: str
    problem_tail: str
    problem_patterns: list[ProblemPattern]
    suggestion_patterns: list[str]
    closing_patterns: list[str]
    group_labels: list[str]
    task_containers: list[str]
    container_keywords: list[str]
    non_item_sections: list[str]
    collective_sections: list[str] = Field(default_factory=list)
    # the words the decoder reads around headings (see the comments in rules/headings.yaml)
    about: str
    status_group_rest: str
    status_suffix_label: str
    status_subject: str
    closing_words: str
    tally_title: str
    status_not_group: str
    tally_after_status: str
    unknown_status: str
    container_tail: str
    generic_topic: str
    topic_nouns: str
    aspect_tail: str
    date_line: str
    unknown_label: str
    group_nouns: str

    @field_validator("measure_markers", "suggestion_patterns", "group_labels", "closing_patterns",
                     "collective_sections")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        return [_check_pattern(p) for p in v]

    @field_validator(*DECODER_WORDS, "status_suffix_label", "date_line")
    @classmethod
    def _pattern(cls, v: str) -> str:
        return _check_pattern(v)

    @field_validator("unknown_status")
    @classmethod
    def _core_and_status(cls, v: str) -> str:
        if "(?P<core>" not in v or "(?P<st>" not in v:
            raise ValueError("unknown_status needs the groups (?P<core>…) and (?P<st>…)")
        return v

    @model_validator(mode="after")
    def _problem_patterns_compile(self) -> HeadingRules:
        _check_pattern(self.problem_tail)
        for p in self.problem_patterns:
            _check_pattern(p.pattern.replace("{tail}", self.problem_tail))
        return self

    @field_validator("measure_left_context")
    @classmethod
    def _left(cls, v: str) -> str:
        return _check_pattern(v)


class NoiseRules(_RuleModel):
    lines: list[str]
    inline: list[str]
    prefixes: list[str]
    # document-sharing sites number their pages "1、" "2、" at the start of each page's text, mid-sentence
    page_marker_sites: str = "(?!)"
    page_marker: str = "(?!)"

    @field_validator("lines", "inline", "prefixes")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        return [_check_pattern(p) for p in v]

    @field_validator("page_marker_sites", "page_marker")
    @classmethod
    def _pattern(cls, v: str) -> str:
        return _check_pattern(v)


class UnitAlias(_RuleModel):
    unit: str
    factor: float = 1

    @field_validator("factor")
    @classmethod
    def _positive(cls, v: float) -> float:
        if v <= 0:
            raise ValueError(f"factor must be positive, got {v}")
        return v


class FigureRules(_RuleModel):
    """Units, multipliers, approximation words and exclusions for figures (``rules/figures.yaml``).

    Every unit belongs to exactly one kind (money, area, percent, count, other); an alias maps a written form
    to a listed unit. The patterns (exclusions, unit_not_before) must compile.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    multipliers: dict[str, int] = Field(default_factory=dict)
    money_units: list[str] = Field(default_factory=list)
    area_units: list[str] = Field(default_factory=list)
    percent_units: list[str] = Field(default_factory=list)
    count_classifiers: list[str] = Field(default_factory=list)
    other_units: list[str] = Field(default_factory=list)
    unit_aliases: dict[str, UnitAlias] = Field(default_factory=dict)
    rate_denominators: list[str] = Field(default_factory=list)
    unit_not_before: dict[str, str] = Field(default_factory=dict)
    arabic_only_units: list[str] = Field(default_factory=list)
    approx_before: list[str] = Field(default_factory=list)
    approx_after: list[str] = Field(default_factory=list)
    approx_inner: list[str] = Field(default_factory=list)
    approx_before_not_after: list[str] = Field(default_factory=list)
    range_separators: list[str] = Field(default_factory=lambda: ["-"])
    one_is_article: bool = True
    short_quote_max: int = Field(default=6, ge=0)
    slogans: list[str] = Field(default_factory=list)
    exclusions: list[str] = Field(default_factory=list)
    year_duration_before: list[str] = Field(default_factory=list)
    year_duration_after: list[str] = Field(default_factory=list)

    @field_validator("exclusions")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        return [_check_pattern(p) for p in v]

    @field_validator("unit_not_before")
    @classmethod
    def _lookaheads(cls, v: dict[str, str]) -> dict[str, str]:
        return {k: _check_pattern(p) for k, p in v.items()}

    @field_validator("multipliers")
    @classmethod
    def _multipliers(cls, v: dict[str, int]) -> dict[str, int]:
        bad = {k: n for k, n in v.items() if len(k) != 1 or n <= 1}
        if bad:
            raise ValueError(f"multipliers must be single characters worth more than 1, got {bad}")
        return v

    @model_validator(mode="after")
    def _units_consistent(self) -> FigureRules:
        kinds = {
            "money_units": self.money_units, "area_units": self.area_units,
            "percent_units": self.percent_units, "count_classifiers": self.count_classifiers,
            "other_units": self.other_units,
        }
        seen: dict[str, str] = {}
        for key, units in kinds.items():
            for u in units:
                if not u or u != u.strip():
                    raise ValueError(f"{key}: empty or padded unit {u!r}")
                if u in seen:
                    raise ValueError(f"unit {u!r} is listed in both {seen[u]} and {key}")
                seen[u] = key
        for written, alias in self.unit_aliases.items():
            if alias.unit not in seen:
                raise ValueError(f"unit_aliases.{written}: target unit {alias.unit!r} is not a listed unit")
            if written in seen:
                raise ValueError(f"unit_aliases.{written}: already a unit of its own")
        unknown = [u for u in [*self.unit_not_before, *self.arabic_only_units] if u not in seen]
        if unknown:
            raise ValueError(f"unit_not_before / arabic_only_units name unknown units {unknown}")
        if not self.range_separators or any(not s for s in self.range_separators):
            raise ValueError("range_separators must be a non-empty list of non-empty strings")
        return self


class SummaryRules(_RuleModel):
    problem_nouns: str
    foreign_subjects: list[str]
    grade: str
    rate: str
    measures: str
    rate_share: str = ""
    all_completed: list[str] = Field(default_factory=list)
    petition_words: str = "信访|举报|来信|来电|投诉|件"

    @model_validator(mode="after")
    def _compile(self) -> SummaryRules:
        for p in [self.problem_nouns, self.grade, self.rate, self.measures, self.petition_words, *self.all_completed]:
            _check_pattern(p)
        if self.rate_share and "(?P<num>" not in _check_pattern(self.rate_share):
            raise ValueError("summary.rate_share needs a (?P<num>…) group")
        if "(?P<num>" not in self.rate:
            raise ValueError("summary.rate needs a (?P<num>…) group")
        return self


class UnitLabelRules(_RuleModel):
    lead_labels: list[str]
    co_labels: list[str]
    stop_labels: list[str] = Field(default_factory=list)
    primary_lead_labels: list[str] = Field(default_factory=list)
    postfix_lead: list[str] = Field(default_factory=list)
    postfix_co: list[str] = Field(default_factory=list)
    postfix_plain: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _primary_are_lead(self) -> UnitLabelRules:
        stray = [w for w in self.primary_lead_labels if w not in self.lead_labels]
        if stray:
            raise ValueError(f"units.primary_lead_labels must also be lead_labels: {stray}")
        empty = [w for w in [*self.postfix_lead, *self.postfix_co, *self.postfix_plain] if not w.strip()]
        if empty:
            raise ValueError("units.postfix_* words must be non-empty")
        return self


class MetadataRules(_RuleModel):
    """Metadata, summary, unit and citation vocabularies (``rules/metadata.yaml``)."""

    not_title_lines: list[str]
    title_endings: list[str]
    transmittal: str
    title_label: str = r"\s*[-•·]?\s*(?:标\s*题|文件名称)\s*:\s*"
    doc_types: dict[Literal["plan", "audit", "inspection"], list[str]]
    org_suffixes: list[str]
    publish_date_labels: list[str]
    written_date_labels: list[str] = Field(default_factory=lambda: ["成文日期", "成文时间"])
    source_labels: list[str] = Field(default_factory=list)
    web_block_words: list[str] = Field(default_factory=list)
    index_number_labels: list[str]
    doc_number_labels: list[str]
    doc_number: str
    inspector_orgs: list[str]
    inspector: str
    feedback_words: list[str]
    period_separators: str
    source_report_title: str
    source_report_after: str
    phone_labels: list[str]
    postcode_labels: list[str]
    address_labels: list[str]
    summary: SummaryRules
    units: UnitLabelRules
    deadline_labels: list[str] = Field(default_factory=list)
    open_deadlines: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _compile(self) -> MetadataRules:
        for p in [*self.not_title_lines, self.transmittal, self.doc_number, self.period_separators,
                  self.source_report_title, self.source_report_after, *self.feedback_words]:
            _check_pattern(p)
        for pats in self.doc_types.values():
            for p in pats:
                _check_pattern(p)
        if "{orgs}" not in self.inspector:
            raise ValueError("inspector needs a {orgs} placeholder")
        _check_pattern(self.inspector.replace("{orgs}", "x"))
        if "(?P<inner>" not in self.transmittal:
            raise ValueError("transmittal needs a (?P<inner>…) group")
        return self


class TableRules(_RuleModel):
    """Which tables are task lists whose rows become items (``rules/tables.yaml``)."""

    number_columns: list[str]
    title_columns: list[str]

    @model_validator(mode="after")
    def _check(self) -> TableRules:
        if not self.title_columns:
            raise ValueError("title_columns needs at least one header")
        if any(not h.strip() for h in [*self.number_columns, *self.title_columns]):
            raise ValueError("column headers must be non-empty")
        return self


class ListMarker(_RuleModel):
    """A list marker style of ``rules/items.yaml``: a pattern with a ``num`` group, its counting family."""

    name: str
    family: str
    pattern: str
    bare: bool = False

    @field_validator("pattern")
    @classmethod
    def _has_num(cls, v: str) -> str:
        return _needs_num(v)


class ItemThresholds(_RuleModel):
    deficiency_share: float = Field(ge=0, le=1)
    action_share: float = Field(ge=0, le=1)
    title_clause: int = Field(gt=0)
    label_line_max: int = Field(gt=0)
    heading_line_max: int = Field(gt=0)
    title_sentence_max: int = Field(gt=0)
    intro_window: int = Field(gt=0)
    status_clause_max: int = Field(gt=0)
    notice_status_max: int = Field(gt=0)
    table_header_cell_max: int = Field(gt=0)
    place_name_max: int = Field(default=12, gt=0)
    stub_ratio: int = Field(default=3, gt=1)
    closing_sentence_max: int = Field(gt=0)
    closing_clause_max: int = Field(gt=0)
    closing_clause_lead: int = Field(ge=0)
    opening_sentence_max: int = Field(gt=0)
    status_line_max: int = Field(gt=0)
    model_keep_unconfirmed: float = Field(ge=0, le=1)
    model_min_heading: float = Field(ge=0, le=1)
    repeated_line_max: int = Field(gt=0)


class ItemRules(_RuleModel):
    """The evidence that makes a passage of a real page an item (``rules/items.yaml``)."""

    list_markers: list[ListMarker]
    entry_left_context: str
    deficiency: list[str]
    action_openings: list[str]
    problem_intro: list[str]
    other_intro: list[str]
    problem_labels: list[str]
    reporter_label: str
    reported_line: str = "(?!)"
    published_problem: str = "(?!)"
    notice_fields: list[str]
    status_fields: list[str]
    notice_done: str
    covering_sentence: str
    yes_no_status: dict[str, str]
    dash_line: str
    reference: str
    reference_run: str
    notice_status_subjects: list[str]
    question_words: list[str]
    numbered_problem: str
    declared_count: str
    quoted_problem: str
    problem_number: str
    section_title: str
    thresholds: ItemThresholds

    @field_validator("problem_intro", "other_intro")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        return [_check_pattern(p) for p in v]

    @field_validator("entry_left_context", "reporter_label", "reported_line", "published_problem", "notice_done", "covering_sentence", "dash_line",
                     "reference", "reference_run", "numbered_problem", "declared_count", "quoted_problem",
                     "problem_number", "section_title")
    @classmethod
    def _pattern(cls, v: str) -> str:
        return _check_pattern(v)

    @model_validator(mode="after")
    def _groups(self) -> ItemRules:
        for name, groups in (("dash_line", ("t", "st")), ("reference", ("n",)), ("reference_run", ("rest",)),
                             ("numbered_problem", ("num",)), ("reported_line", ("t",)), ("published_problem", ("num", "t")), ("declared_count", ("n",)), ("quoted_problem", ("t",)),
                             ("problem_number", ("num",))):
            missing = [g for g in groups if f"(?P<{g}>" not in getattr(self, name)]
            if missing:
                raise ValueError(f"{name} needs the group(s) {missing}")
        return self

    @field_validator("yes_no_status")
    @classmethod
    def _codes(cls, v: dict[str, str]) -> dict[str, str]:
        bad = {k: c for k, c in v.items() if c not in STATUS_CODES}
        if bad:
            raise ValueError(f"unknown status code(s) {bad}; known: {sorted(STATUS_CODES)}")
        return v


class Rules(_RuleModel):
    status: StatusRules
    labels: LabelRules
    headings: HeadingRules
    noise: NoiseRules
    figures: FigureRules
    metadata: MetadataRules
    tables: TableRules
    items: ItemRules
    source: str = ""


_MODELS: dict[str, type[BaseModel]] = {
    "status": StatusRules,
    "labels": LabelRules,
    "headings": HeadingRules,
    "noise": NoiseRules,
    "figures": FigureRules,
    "metadata": MetadataRules,
    "tables": TableRules,
    "items": ItemRules,
}


def default_rules_dir() -> Path:
    """The shipped rules: inside the installed package (wheel) or at the checkout's top level."""
    packaged = resources.files("rectiparse") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if checkout.is_dir():
        return checkout
    raise RulesError(f"cannot find the rules folder (looked in {packaged} and {checkout})")


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        # libyaml's C loader when PyYAML has it: the pure-Python one is most of the rules' load time
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RulesError(f"{path}: cannot read rule file: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RulesError(f"{path}: top level must be a mapping, got {type(data).__name__}")
    return data


def _validate(name: str, data: dict[str, Any], where: str) -> BaseModel:
    try:
        return _MODELS[name].model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"key {'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors()
        )
        raise RulesError(f"{where}: invalid rules: {problems}") from exc


def load_rules(override_dir: str | Path | None = None) -> Rules:
    """Load the shipped rules, with the files of ``override_dir`` (or $RECTIPARSE_RULES) laid over."""
    override = override_dir or os.environ.get("RECTIPARSE_RULES") or None
    if override and not Path(override).is_dir():  # a typo must not silently mean "the shipped rules"
        what = "is a file, not a folder of rule files" if Path(override).exists() else "no such folder"
        raise RulesError(f"{override}: {what} (--rules / RECTIPARSE_RULES)")
    return _load_cached(str(Path(override).resolve()) if override else None)


def _extend(shipped: Any, extra: Any, where: str) -> Any:
    """``extra`` merged into ``shipped``: lists extended (shipped first, repeats dropped), maps key by key."""
    if isinstance(shipped, list) and isinstance(extra, list):
        out = list(shipped)
        out += [x for x in extra if x not in out]
        return out
    if isinstance(shipped, dict) and isinstance(extra, dict):
        merged = dict(shipped)
        for k, v in extra.items():
            merged[k] = _extend(shipped[k], v, f"{where}.{k}") if k in shipped else v
        return merged
    if isinstance(shipped, (list, dict)) or isinstance(extra, (list, dict)):
        raise RulesError(f"{where}: cannot extend a {type(shipped).__name__} with a {type(extra).__name__}")
    return extra  # a scalar inside an extended map: the override's value


def overlay(shipped: dict[str, Any], override: dict[str, Any], where: str = "override") -> dict[str, Any]:
    """A rule file's data with an override file laid over it (the merge rule of ``--rules DIR``).

    ``key:`` replaces the shipped value of ``key``; ``+key:`` extends it: a list gets the new entries appended
    (shipped ones first, repeats dropped), a map is merged key by key by the same rule (so ``+codes:
    {completed: [已清零]}`` adds one phrase and keeps every other), and a scalar inside such a map is replaced.
    Writing both ``key`` and ``+key`` in one file is an error, as is extending a key of the wrong shape.
    """
    out = dict(shipped)
    for key, value in override.items():
        if isinstance(key, str) and key.startswith("+"):
            name = key[1:]
            if name in override:
                raise RulesError(f"{where}: both {name!r} and {key!r} given; write one")
            out[name] = _extend(shipped[name], value, f"{where}: key {name}") if name in shipped else value
        else:
            out[key] = value
    return out


@functools.lru_cache(maxsize=8)
def _load_cached(override: str | None) -> Rules:
    base = default_rules_dir()
    parts: dict[str, BaseModel] = {}
    for name in RULE_FILES:
        path = base / f"{name}.yaml"
        if not path.is_file():
            raise RulesError(f"{path}: shipped rule file is missing")
        data = _read_yaml(path)
        where = str(path)
        if override:
            user = Path(override) / f"{name}.yaml"
            if user.is_file():
                data = overlay(data, _read_yaml(user), str(user))
                where = f"{user} (over {path})"
        parts[name] = _validate(name, data, where)
    return Rules(**parts, source=str(base) + (f" + {override}" if override else ""))  # type: ignore[arg-type]


_PER_RULES: dict[tuple[int, str], tuple[Rules, Any]] = {}


def per_rules(rules: Rules, key: str, build: Callable[[Rules], T]) -> T:
    """``build(rules)``, computed once per rules object and key: rules are immutable for a run, so what the
    stages compile from them (grammars, alternations) is built once, not once per document."""
    hit = _PER_RULES.get((id(rules), key))
    if hit is None or hit[0] is not rules:
        hit = _PER_RULES[(id(rules), key)] = (rules, build(rules))
    return hit[1]  # type: ignore[no-any-return]


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """Literal words as one regex alternation, longest first (so 已完成整改 wins over 已完成)."""
    return _alternation(tuple(words))


@functools.lru_cache(maxsize=512)
def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.lru_cache(maxsize=256)
def compiled(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """Compile once; rules are immutable for a run."""
    return regex.compile(pattern, flags)
