"""Document metadata: every seed's gold document block, then table and property tests per field."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectiparse.dates import first_full_date as parse_date
from rectiparse.extract.metadata import extract_metadata
from rectiparse.loaders import load
from rectiparse.normalise import Text, normalise

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEEDS = sorted(SAMPLES.glob("*.txt"))


def _text(s: str) -> Text:
    return Text(text=s, source_text=s, segments=[(0, 0, len(s))], page_starts=[])


def _same(a: object, b: object) -> bool:
    """Strings compare NFKC- and white-space-insensitively, lists item by item."""
    if isinstance(a, str) and isinstance(b, str):
        def key(s: str) -> str:
            return "".join(unicodedata.normalize("NFKC", s).split())

        return key(a) == key(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, Text]:
    return {p.stem: normalise(load(p)) for p in SEEDS}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_document_matches_gold(path: Path, seed_texts: dict[str, Text]) -> None:
    gold = json.loads((SAMPLES / "gold" / f"{path.stem}.gold.json").read_text(encoding="utf-8"))["document"]
    meta = extract_metadata(seed_texts[path.stem]).model_dump()
    for key, want in gold.items():
        got = meta[key]
        if key == "inspection_period" and got is not None:
            got = [got["start"], got["end"]]
        if key == "contacts":
            got = {k: got[k] for k in want}
        assert _same(got, want), f"{key}: got {got!r}, gold {want!r}"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_spans_give_back_verbatim_values(path: Path, seed_texts: dict[str, Text]) -> None:
    text = seed_texts[path.stem]
    meta = extract_metadata(text)
    verbatim = {"title", "issuer", "doc_number", "index_number", "inspector"}
    for key, (a, b) in meta.spans.items():
        assert 0 <= a < b <= len(text.text)
        if key in verbatim:
            assert text.text[a:b] == getattr(meta, key)
        if key.startswith("contacts."):
            _, field, i = key.split(".")
            assert text.text[a:b] == getattr(meta.contacts, field)[int(i)]
        if key.startswith("source_report."):
            assert text.text[a:b] == getattr(meta.source_report, key.split(".")[1])


def test_seed_addresses(seed_texts: dict[str, Text]) -> None:
    m = extract_metadata(seed_texts["003_0db8544a2eb4edc4"])
    assert m.contacts.addresses == ["温州高新区新三路16号高新大楼温州浙南科技城管理委员会"]
    m = extract_metadata(seed_texts["002_056a472a98951650"])
    assert m.contacts.addresses == ["邵阳市双清区邵阳大道邵阳经济技术开发区管理委员会"]


# --------------------------------------------------------------------------- title, type, issuer


def test_red_head_and_doc_number_are_not_the_title() -> None:
    t = _text(
        "XX县人民政府办公室文件\nX政办发〔2024〕7号\nXX县人民政府办公室关于县委巡察反馈问题整改情况的报告\n"
        "根据县委统一部署，2023年9月1日至10月31日，县委第一巡察组对县政府办公室开展了常规巡察。\n"
        "XX县人民政府办公室\n2024年1月8日\n"
    )
    m = extract_metadata(t)
    assert m.title == "XX县人民政府办公室关于县委巡察反馈问题整改情况的报告"
    assert m.doc_number == "X政办发〔2024〕7号"
    assert m.issuer == "XX县人民政府办公室"
    assert m.date == "2024-01-08"
    assert m.doc_type == "inspection"
    assert m.inspector == "县委第一巡察组"
    assert m.inspection_period is not None
    assert (m.inspection_period.start, m.inspection_period.end) == ("2023-09-01", "2023-10-31")


def test_transmitted_plan_without_its_own_title_line_takes_the_inner_title() -> None:
    t = _text(
        "XX市人民政府关于印发《XX市审计查出问题整改工作方案》的通知\n各区县人民政府：\n现印发给你们，请认真贯彻执行。\n"
        "XX市人民政府\n2023年6月1日\n一、总体要求\n"
    )
    m = extract_metadata(t)
    assert m.title == "XX市审计查出问题整改工作方案"
    assert m.doc_type == "plan"
    assert m.issuer == "XX市人民政府"
    a, b = m.spans["title"]
    assert t.text[a:b] == m.title


def test_web_page_channel_and_metadata_block() -> None:
    t = _text(
        "通知公告\n索引号：11330700002/2023-01234\n发布机构 XX市审计局 生成日期 2023-08-01\n"
        "XX市审计局关于2022年度市级预算执行审计查出问题整改情况的报告\n发布时间：2023年8月2日\n"
        "根据《XX市2022年度市级预算执行和其他财政收支的审计工作报告》（X审报〔2023〕3号）要求，现将整改情况报告如下。\n"
    )
    m = extract_metadata(t)
    assert m.title == "XX市审计局关于2022年度市级预算执行审计查出问题整改情况的报告"
    assert m.doc_type == "audit"
    assert m.index_number == "11330700002/2023-01234"
    assert m.publish_date == "2023-08-02"  # 发布时间 is preferred to 生成日期
    assert m.issuer == "XX市审计局"
    assert m.source_report is not None
    assert m.source_report.doc_number == "X审报〔2023〕3号"
    assert m.date is None


def test_container_metadata_only_fills_gaps() -> None:
    t = _text("XX区审计局关于审计整改情况的报告\n正文。\n")
    m = extract_metadata(t, {"title": "首页 - XX区", "publish_date": "2024/05/06", "index_number": "ABC-1"})
    assert m.title == "XX区审计局关于审计整改情况的报告"
    assert m.publish_date == "2024-05-06"
    assert m.index_number == "ABC-1"
    assert "publish_date" not in m.spans


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("XX市关于巡视整改进展情况的通报", "inspection"),
        ("中共XX县委关于十四届县委第三轮巡察集中整改进展情况的通报", "inspection"),
        ("XX市人民政府关于2022年度审计查出问题整改情况的报告", "audit"),
        ("关于市委巡察反馈意见整改方案", "plan"),
        ("XX镇巡察反馈问题整改任务清单", "plan"),
        ("关于高质量做好一号议案办理工作的实施方案", "plan"),
        ("XX区2023年政府工作报告", "other"),
    ],
)
def test_doc_type_from_title(title: str, doc_type: str) -> None:
    assert extract_metadata(_text(title + "\n正文。\n")).doc_type == doc_type


@pytest.mark.parametrize(
    ("sentence", "inspector"),
    [
        ("2023年3月10日至6月10日，省委第十五巡视组对我区开展了延伸巡视。", "省委第十五巡视组"),
        ("2021年5月，中央第三巡视组对我省开展了常规巡视。", "中央第三巡视组"),
        ("2022年4月至6月，区委4个巡察组对12家单位开展了常规巡察。", "区委4个巡察组"),
        ("十一届县委第二轮巡察期间，县委第一巡察组对我局开展了巡察。", "县委第一巡察组"),
        ("2023年8月，集团党委第二巡察组对公司开展了专项巡察。", "集团党委第二巡察组"),
        ("2019年8月14日,市委巡察组向我委反馈了巡察意见。", "市委巡察组"),
        ("1月17日，市委第五专项巡察组巡察市第二人民医院党委情况反馈会议召开。", "市委第五专项巡察组"),
        ("2023年5月，县委巡察机动组对我局开展了巡察。", "县委巡察机动组"),
        # the mention naming both the body and the group wins over an earlier bare count of groups
        ("区委组建4个巡察组开展常规巡察。随后，区委第二巡察组等向被巡察单位反馈。", "区委第二巡察组"),
    ],
)
def test_inspector(sentence: str, inspector: str) -> None:
    assert extract_metadata(_text(sentence)).inspector == inspector


@pytest.mark.parametrize(
    ("body", "period", "feedback"),
    [
        ("2023年3月10日至6月10日，省委第十五巡视组对我区开展了巡视。7月19日，省委第十五巡视组向我区反馈了巡视意见。",
         ("2023-03-10", "2023-06-10"), "2023-07-19"),
        ("市委第二巡察组于2022年7月15日至9月5日对我区开展了巡察，并于9月30日进行了反馈。",
         ("2022-07-15", "2022-09-05"), "2022-09-30"),
        ("2022年11月1日至2023年1月10日，县委第三巡察组对我镇开展了巡察，2023年2月20日反馈了巡察意见。",
         ("2022-11-01", "2023-01-10"), "2023-02-20"),
        ("2022年11月1日至1月10日，县委巡察组对我镇开展了巡察。", ("2022-11-01", "2023-01-10"), None),
        ("自2023年3月10日起至5月20日，省委第三巡视组对我市开展了巡视，6月12日反馈了巡视意见。",
         ("2023-03-10", "2023-05-20"), "2023-06-12"),
        # the text says only the months
        ("2023年4月上旬至6月中旬，市委第六巡察组开展了巡察，并于2023年8月反馈了巡察意见。",
         ("2023-04", "2023-06"), "2023-08"),
    ],
)
def test_period_and_feedback(body: str, period: tuple[str, str], feedback: str | None) -> None:
    m = extract_metadata(_text(body))
    assert m.inspection_period is not None
    assert (m.inspection_period.start, m.inspection_period.end) == period
    assert m.feedback_date == feedback


# --------------------------------------------------------------------------- contacts


@pytest.mark.parametrize(
    ("line", "phones", "emails", "postcodes"),
    [
        ("联系电话：0739-5486000；电子邮箱：sjk_jgw_jgw@163.com。", ["0739-5486000"], ["sjk_jgw_jgw@163.com"], []),
        ("联系方式:电话0577-88019695;电子邮箱:wzznkjc2020@126.com;邮政编码325011。",
         ["0577-88019695"], ["wzznkjc2020@126.com"], ["325011"]),
        ("监督电话：12388、0571-87050000，手机13912345678。", ["12388", "0571-87050000", "13912345678"], [], []),
        ("举报电话：（010）66188000；邮编：100032。", ["（010）66188000"], [], ["100032"]),
        ("邮政信箱：XX市XX路1号XX区委巡察办，322100；电子邮箱：xcb@xx.gov.cn。", [], ["xcb@xx.gov.cn"], ["322100"]),
        # six- and eleven-digit numbers that are not contacts
        ("完成投资123456万元，索引号001008003015161/2021-00113，项目编号20230101001。", [], [], []),
        ("共清理资金325011元，涉及422000亩。", [], [], []),
    ],
)
def test_contact_patterns(line: str, phones: list[str], emails: list[str], postcodes: list[str]) -> None:
    c = extract_metadata(_text(line)).contacts
    assert (c.phones, c.emails, c.postcodes) == (phones, emails, postcodes)


@settings(max_examples=60, deadline=None)
@given(
    area=st.sampled_from(["010", "021", "0571", "0579", "0739", "0577"]),
    number=st.integers(min_value=2_000_000, max_value=89_999_999),
    postcode=st.integers(min_value=100_000, max_value=859_999),
    filler=st.integers(min_value=100_000, max_value=999_999),
)
def test_contacts_found_with_spans_and_bare_numbers_ignored(area: str, number: int, postcode: int, filler: int) -> None:
    phone = f"{area}-{number}"
    s = f"全年共完成{filler}个项目。如有意见建议，请反映。联系电话：{phone}；邮政编码：{postcode}。"
    t = _text(s)
    m = extract_metadata(t)
    assert m.contacts.phones == [phone]
    assert m.contacts.postcodes == [str(postcode)]
    for key in ("contacts.phones.0", "contacts.postcodes.0"):
        a, b = m.spans[key]
        assert s[a:b] in (phone, str(postcode))


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2021-03-04", "2021-03-04"),
        ("2021/3/4", "2021-03-04"),
        ("2022 年 5 月 31 日", "2022-05-31"),
        ("二〇二三年五月十日", "2023-05-10"),
        ("二〇二〇年十二月二十七日", "2020-12-27"),
    ],
)
def test_parse_date(written: str, iso: str) -> None:
    assert parse_date(written) == iso


def test_signature_with_chinese_numeral_date() -> None:
    t = _text("XX县审计局关于审计整改情况的报告\n正文。\nXX县审计局\n二〇二三年五月十日\n")
    m = extract_metadata(t)
    assert (m.issuer, m.date) == ("XX县审计局", "2023-05-10")


def test_title_broken_over_two_lines_is_rejoined() -> None:
    t = _text("中共XX县委关于十四届县委第三轮巡察\n集中整改进展情况的通报\n根据县委统一部署，开展了巡察。\n")
    m = extract_metadata(t)
    assert m.title == "中共XX县委关于十四届县委第三轮巡察集中整改进展情况的通报"
    assert m.issuer == "中共XX县委"


def test_loader_title_style_wins() -> None:
    s = "XX区人民政府门户网站关于公开的说明\nXX区审计局关于审计整改情况的公告\n正文。\n"
    t = Text(text=s, source_text=s, segments=[(0, 0, len(s))], page_starts=[], styles={s.index("XX区审计局"): "title"})
    assert extract_metadata(t).title == "XX区审计局关于审计整改情况的公告"


@pytest.mark.parametrize(
    ("head", "field", "value"),
    [
        # a breadcrumb is not the title
        ("首页\n-> 要闻 -> 审计通告 -> 审计公告\nXX市审计局关于审计整改情况的报告\n正文。\n", "title",
         "XX市审计局关于审计整改情况的报告"),
        ("您当前所在位置：首页 > 信息公开 > 公告\nXX县关于巡察整改情况的通报\n正文。\n", "title", "XX县关于巡察整改情况的通报"),
        # 日期 on its own is the publish date; 成文日期 is not
        ("成文日期：2024-04-12\nXX局党组关于巡察整改情况的通报\n日期：2024-04-15 10:20:07　来源：XX局\n正文。\n",
         "publish_date", "2024-04-15"),
        ("成文日期：2024-04-12\nXX局党组关于巡察整改情况的通报\n正文。\n", "publish_date", None),
        ("发稿时间：2023年5月6日\nXX关于巡察整改情况的通报\n正文。\n", "publish_date", "2023-05-06"),
        # the issuer prefix of a title stops at a number or a colon
        ("XX省审计厅2024年第3号公告：关于2023年度省级预算执行审计查出问题整改情况的报告\n正文。\n", "issuer", "XX省审计厅"),
        # the publishing body of the web block, when it reads as an organisation
        ("向阳区开展巡察整改专项督查\n来源：向阳区委巡察办发布时间：2020-12-10 16:02:43\n正文。\n", "issuer", "向阳区委巡察办"),
        ("XX市审计整改工作综述\n来源：XX日报 2023-08-17\n正文。\n", "issuer", None),
        ("巡察整改专项督查\n【发布时间：2023-08-15】【来源：县委巡察办】【字体：大 中 小】\n正文。\n", "issuer", "县委巡察办"),
        # the occasion written after the title on its line
        ("详细介绍\nXX市2022年度绩效审计查出问题整改情况的报告——2023年4月在XX市七届人大常委会第十七次会议上\n正文。\n",
         "title", "XX市2022年度绩效审计查出问题整改情况的报告"),
        # labels padded with spaces between their characters
        ("索 引 号：11330700002/2023-01234\n文　　号：东审〔2023〕15号\nXX关于审计整改情况的公告\n正文。\n",
         "index_number", "11330700002/2023-01234"),
        ("索 引 号：11330700002/2023-01234\n文　　号：东审〔2023〕15号\nXX关于审计整改情况的公告\n正文。\n",
         "doc_number", "东审〔2023〕15号"),
    ],
)
def test_web_header_variants(head: str, field: str, value: str | None) -> None:
    m = extract_metadata(_text(head))
    assert getattr(m, field) == value
    if value is not None and field in ("title", "issuer", "index_number", "doc_number"):
        a, b = m.spans[field]
        assert head[a:b] == value


def test_a_cited_law_is_not_the_audit_source_report() -> None:
    t = _text(
        "XX市关于2022年度审计查出问题整改情况的报告\n根据《中华人民共和国审计法》规定，市人大常委会审议了"
        "《XX市人民政府关于2022年度市本级预算执行和其他财政收支的审计工作报告》。\n"
    )
    m = extract_metadata(t)
    assert m.source_report is not None
    assert m.source_report.title == "XX市人民政府关于2022年度市本级预算执行和其他财政收支的审计工作报告"


def test_report_to_a_congress_is_dated_by_its_occasion() -> None:
    t = _text("关于2022年度审计查出问题整改情况的报告\n——2023年12月26日在XX市第十七届人民代表大会\n常务委员会第十六次会议上\n"
              "市审计局局长 某某\n正文。\n")
    m = extract_metadata(t)
    assert m.date == "2023-12-26"
    a, b = m.spans["date"]
    assert t.text[a:b] == "2023年12月26日"
    # an ordinary sentence with a meeting is not the occasion line
    m2 = extract_metadata(_text("XX关于整改情况的报告\n正文。2023年5月6日在县委常委会会议上听取了汇报。\n"))
    assert m2.date is None


def test_a_section_heading_is_never_the_title():
    """An excerpt that starts below its title (an occasion line, a salutation, then "一、…总体推进情况"): the first
    line ending in 情况 is a numbered section, not the document's title; the title stays empty."""
    from rectiparse.pipeline import parse_text

    d = parse_text(
        "2023年11月22日在某市人大常委会会议上\n市审计局局长 张三\n主任、各位副主任、各位委员：\n"
        "我受市人民政府委托，报告审计查出问题的整改情况，请予审议。\n"
        "一、审计整改工作总体推进情况\n市政府高度重视审计整改工作。\n"
        "（一）落实整改主体责任情况\n各单位制定整改台账。\n"
    )
    assert d.document.title is None
    assert d.document.doc_type == "audit"


def test_a_labelled_title_in_a_web_info_table_or_a_mirrors_footer():
    """"- 标 题：…的通报" in a page's info table, "标题:【要闻】…" at a mirror's foot: the page states its title (the
    label was taken for part of it, and the issuer became 标题). The footer title is no status line either."""
    from rectiparse.pipeline import parse_text

    d = parse_text(
        "- 索 引 号:3704063704060004/2023-00364\n- 发布机构:中共某镇委员会\n"
        "- 标 题:某镇党委关于巡察整改进展情况的通报\n某镇党委关于巡察整改进展情况的通报\n"
        "根据区委统一部署，区委巡察组对某镇进行了巡察。现将整改进展情况予以公布。\n"
    )
    assert d.document.title == "某镇党委关于巡察整改进展情况的通报"
    assert d.document.issuer != "标题"
    d = parse_text(
        "记者近日获悉，督察组共向我省转办信访件300件，目前已完成整改260件。\n"
        "关于督察反馈的问题，全省上下施压推动问题改善。各市就完善的问题举行新闻发布会。\n"
        "当月，省整改工作领导小组对全省16个市的整改工作开展了现场监督。\n"
        "标题:【要闻】近九成督察转办信访件整改完成\n地址:http://www.example.com/xwzx/10136.html\n"
    )
    assert d.document.title == "【要闻】近九成督察转办信访件整改完成"
    assert "http://www.example.com" not in d.text
    assert all(i.status is None for i in d.items)


def test_written_date_from_a_web_info_table():
    """"成文时间：2023年11月23日" in a page's info table dates a document that has no signature."""
    from rectiparse.pipeline import parse_text

    d = parse_text("- 发布机构:中共某镇委员会\n- 成文时间:2023年11月23日\n某镇党委关于巡察整改进展情况的通报\n"
                   "根据区委统一部署，区委巡察组对某镇进行了巡察。\n")
    assert d.document.date == "2023-11-23"
