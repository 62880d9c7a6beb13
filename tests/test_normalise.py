"""The normaliser: noise removed and reported, CJK spaces removed, broken paragraphs rejoined, spans kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectiparse.loaders import load, load_bytes
from rectiparse.normalise import fold, normalise

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _norm(s: str):
    return normalise(load_bytes(s.encode("utf-8"), "t.txt"))


def test_paywall_marker_inside_a_word_is_removed_and_reported():
    t = normalise(load(SAMPLES / "004_dd361c94b27cbe2f.txt"))
    assert "##paid" not in t.text
    assert "问题的整改\n一是开发区社会事务管理事项剥离方案" in t.text
    assert "哒哒" not in t.text and "代笔" not in t.text
    noise = [i for i in t.issues if i.code == "noise_removed"]
    assert any("paidbegin" in i.message for i in noise)
    assert sum("哒哒" in i.message for i in noise) >= 3
    # the zero-length span marks where the marker stood: right inside 整改
    at = next(i.span for i in noise if "paidbegin" in i.message)
    assert t.text[at[0] - 1 : at[0] + 1] == "整改"


def test_markdown_emphasis_removed_but_numbers_kept():
    t = normalise(load(SAMPLES / "002_056a472a98951650.txt"))
    assert "**" not in t.text
    assert "巡视反馈的7个方面15个具体问题，已完成整改1个" in t.text


def test_cjk_spaces_removed_but_not_between_digits_and_words():
    t = _norm("推动 东阳工业经济，建 设平台，完成 240 万元。\n")
    assert "推动东阳工业经济，建设平台" in t.text
    assert "240 万元" in t.text or "240万元" in t.text


def test_sentence_broken_over_blank_line_is_rejoined():
    t = normalise(load(SAMPLES / "000_6f123fd23d2bb904.txt"))
    assert "（十六）关于“东阳市已收购的低效工业用地后续管理不到位”中的“12宗地未按规定对外公开招租”问题" in t.text
    assert "编制并出台磁性电子产业发展规划。" in t.text


def test_headings_and_signature_are_not_glued():
    t = normalise(load(SAMPLES / "002_056a472a98951650.txt"))
    lines = t.text.split("\n")
    assert "中共邵阳经济技术开发区工作委员会" in lines
    assert "2023年12月22日" in lines
    assert "（一）反馈问题：招商引资项目质量不够高" in lines


def test_a_title_as_long_as_the_wrap_width_stays_its_own_line():
    """In a short paste every line is "as long as the wrap width"; a 关于…的报告 title is still a title."""
    raw = (
        "关于2023年度区级预算执行审计查出问题整改情况的报告\n区审计局局长 王某\n"
        "主任、各位副主任、各位委员：\n受区政府委托，现将整改情况报告如下。\n"
    )
    lines = normalise(load_bytes(raw.encode("utf-8"), "t.txt")).text.split("\n")
    assert lines[0] == "关于2023年度区级预算执行审计查出问题整改情况的报告"
    # while a hard-wrapped sentence of the same shape is still rejoined
    wrapped = "区审计局在审计中发现部分单位未按规定向区人大常委会报告\n国有资产管理情况，现已督促整改到位。\n"
    assert normalise(load_bytes(wrapped.encode("utf-8"), "w.txt")).text.startswith(
        "区审计局在审计中发现部分单位未按规定向区人大常委会报告国有资产管理情况"
    )


def test_closing_paragraph_and_occasion_line_are_not_glued_to_their_neighbours():
    """A status line without its full stop does not run into "下一步，…"; "——…会议上" under a report's title
    does not run into the speaker's name."""
    raw = (
        "关于2023年度审计查出问题整改情况的报告\n——2024年6月26日在市人大常委会第二十次会议上\n市审计局局长 张某\n"
        "主任、各位副主任、各位委员：\n一、关于“资金闲置”问题\n整改情况：已盘活资金。整改结果：已完成整改\n"
        "下一步，我局将持续巩固整改成果。\n"
    )
    lines = normalise(load_bytes(raw.encode("utf-8"), "t.txt")).text.split("\n")
    assert "——2024年6月26日在市人大常委会第二十次会议上" in lines
    assert "市审计局局长张某" in lines
    assert "整改情况：已盘活资金。整改结果：已完成整改" in lines
    assert "下一步，我局将持续巩固整改成果。" in lines


def test_web_metadata_line_keeps_its_field_separators():
    t = normalise(load(SAMPLES / "003_0db8544a2eb4edc4.txt"))
    assert "组配分类 通知公告 发布机构 温州浙南科技城管委会" in t.text
    assert "浏览次数" not in t.text and "Produced By" not in t.text


def test_ascii_quotes_paired_into_chinese_quotes():
    t = normalise(load(SAMPLES / "001_f32850ce6c833049.txt"))
    assert "实施“万亩千亿”平台拓展行动" in t.text


def test_fold_keeps_length():
    s = "（一）关于“X”问题：１２３，ＡＢ"
    assert len(fold(s)) == len(s)
    assert fold(s) == '(一)关于"X"问题:123,AB'


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_kept_character_maps_back_to_the_same_source_character(path):
    t = normalise(load(path))
    for pos in range(0, len(t.text), 7):
        ch = t.text[pos]
        if ch in "\n “”":  # separators and repaired quotes are not copied from the source
            continue
        assert t.source_text[t.to_source(pos)] == ch


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["整改", "问题", "，", "。", " ", "\n", "**", "##paidbegin##", "12", "万元"]),
                max_size=40))
def test_normalise_never_invents_characters(parts):
    raw = "".join(parts)
    if not raw.strip():
        return
    t = _norm(raw)
    kept = [c for c in t.text if c not in "\n “”"]
    # every output character comes from the input, in order
    src = iter(raw)
    assert all(any(c == s for s in src) for c in kept)


def test_a_bilingual_site_banner_is_not_joined_to_the_next_line():
    """"某区人民政府 The People's Government of …" over "政府信息公开": the banner ends in English words and is
    never the first half of a wrapped sentence; joined, it became the document's title."""
    from rectiparse.pipeline import parse_text

    d = parse_text(
        "某某区人民政府 The People's Government of Moumou District\n\n政府信息公开\n\n"
        "关于中山路环境整治工作“回头看”的通报\n\n来源:区政府办公室 时间:2023-12-27\n\n"
        "5月10日,区督查室对中山路环境整治工作整改落实情况进行了“回头看”,现将有关情况通报如下。\n"
    )
    assert d.text.splitlines()[0] == "某某区人民政府 The People's Government of Moumou District"
    assert d.document.title == "关于中山路环境整治工作“回头看”的通报"
