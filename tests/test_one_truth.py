"""One date finder, one year-context rule and one fold table for the whole package (issue 13).

Dates are found once a document (``extract`` scans, metadata and summary read the same mentions); every date
written without its year takes it by ``dates.YearContext``; every punctuation folder is the one table of
``normalise.FOLD_PAIRS`` or a subset of it, so ― and 〜 fold alike wherever they are read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rectiparse import dates
from rectiparse.dates import YearContext, find_dates, find_deadlines
from rectiparse.extract import figures, metadata, summary
from rectiparse.normalise import FOLD_PAIRS, fold, fold_numeric
from rectiparse.pipeline import parse_text

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rectiparse"

BULLETIN = (
    "XX县委关于巡察整改进展情况的通报\n"
    "县委第一巡察组于2023年3月1日至4月30日对XX开展了巡察，5月20日反馈了意见。\n"
    "截至6月30日，巡察反馈的2个问题，已完成整改1个，正在整改1个。\n"
    "一、整改落实情况\n"
    "（一）关于“台账不清”问题，已完成整改。\n整改情况：已建立台账，12月底前完成复查。\n"
    "（二）关于“制度缺失”问题，正在整改。\n整改情况：出台制度。\n"
    "中共XX县委\n2023年7月1日\n"
)


def test_the_text_is_scanned_for_dates_once_a_document(monkeypatch: pytest.MonkeyPatch) -> None:
    whole: list[int] = []
    real = dates.find_dates

    def counting(text: str, *args: object, **kwargs: object) -> list[dates.DateMention]:
        if len(text) > 100:
            whole.append(len(text))
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dates, "find_dates", counting)
    monkeypatch.setattr(metadata, "find_dates", counting)
    monkeypatch.setattr(summary, "find_dates", counting)
    doc = parse_text(BULLETIN)
    assert len(whole) == 1
    assert doc.document.inspection_period is not None
    assert doc.document.inspection_period.start == "2023-03-01"
    assert doc.document.feedback_date == "2023-05-20"
    assert doc.summary.as_of == "2023-06-30"  # after the inspection period's full dates
    assert [d.date for d in doc.items[0].deadlines] == ["2023-12-31"]


def test_metadata_and_summary_keep_no_date_finder_of_their_own() -> None:
    for module in (metadata, summary):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert not re.search(r"def _dates\b|_year_before|_DATE_RE|_own_dates|def _cn_int", source), module


def test_one_year_context_rule() -> None:
    text = "截至6月30日，情况如下。2022年5月1日开会，7月2日复查。2023年1月3日验收，3月完成。"
    found = find_dates(text)
    years = YearContext(found)
    at = {d.text: years.at(d.span[0]) for d in found}
    assert at["7月2日"] == 2022  # the nearest full date before it
    assert at["3月"] == 2023
    assert at["6月30日"] is None  # nothing before it: not dated by a later date
    assert YearContext(found).first_year == 2022
    assert YearContext(found, default_year=2019).at(0) == 2019  # unless the caller gives a default
    assert YearContext([]).at(5) is None


def test_year_month_mentions_do_not_set_the_context() -> None:
    text = "2023年5月6日印发。2025年12月全面完成，8月底前完成。"
    found = find_dates(text)
    years = YearContext(found)
    eight = next(d for d in found if d.text.startswith("8月"))
    assert years.at(eight.span[0]) == 2023
    assert [d.date for d in find_deadlines(text)][-1] == "2023-08-31"


@pytest.mark.parametrize("variant", ["―", "〜", "—", "–", "－", "～"])
def test_dashes_and_waves_fold_alike_everywhere(variant: str) -> None:
    assert fold(variant) == fold_numeric(variant) == FOLD_PAIRS[variant]
    assert [f.value for f in figures.find_figures(f"5{variant}10亿元")] == [500000000, 1000000000]
    assert [d.date for d in find_dates(f"2023年3月1日{variant}4月30日")] == ["2023-03-01", "2023-04-30"]


def test_no_module_builds_a_fold_table_of_its_own() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "normalise.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"char_folder\(|_FOLD_PAIRS|\bFOLD\b", source):  # numerals' 两/〇 spelling is no fold
            offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders
