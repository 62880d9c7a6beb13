"""Figures: a table of phrases in the register of the bulletins, the seeds' gold figures, and properties."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectiparse.extract.figures import find_figures
from rectiparse.loaders import load
from rectiparse.normalise import fold, normalise
from rectiparse.numerals import chinese_decimal as parse_chinese_number
from rectiparse.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
M, A, P, C, OT = "money", "area", "percent", "count", "other"

# (phrase, [(value, unit, kind, approx), …]); [] means: no figure at all.
CASES: list[tuple[str, list[tuple[float | int, str, str, bool]]]] = [
    # --- money: 元 / 万元 / 亿元, Arabic, decimals, PDF spacing
    ("公司代偿 240 万元", [(2400000, "元", M, False)]),
    ("已通过法律途径催收代偿款 78 万元。", [(780000, "元", M, False)]),
    ("追缴资金 49.27 万元。", [(492700, "元", M, False)]),
    ("3家培训机构共40.37万元培训补贴已全部追回", [(3, "家", C, False), (403700, "元", M, False)]),
    ("注册资本1亿元（已实缴4332万元）", [(100000000, "元", M, False), (43320000, "元", M, False)]),
    ("引资额27.9亿元，落地率达到100%", [(2790000000, "元", M, False), (100, "%", P, False)]),
    ("4名人员退缴所发放津贴合计9480元。", [(4, "名", C, False), (9480, "元", M, False)]),
    ("发放“红领津贴”7.6万元。", [(76000, "元", M, False)]),
    ("实现资金调剂8.7亿元。", [(870000000, "元", M, False)]),
    ("累计帮助6个人才项目获得3500万元的人才贷授信", [(6, "个", C, False), (35000000, "元", M, False)]),
    ("有效投资30亿元。", [(3000000000, "元", M, False)]),
    ("开票销售276.8亿元，占全县的68.3%", [(27680000000, "元", M, False), (68.3, "%", P, False)]),
    ("项目团队已备案审批了总投资 2900 万元的年产 100 吨功能性聚酰亚胺树脂项目",
     [(29000000, "元", M, False), (100, "吨", OT, False)]),
    ("追回违规资金 1,250 元", [(1250, "元", M, False)]),
    ("收回资金 1,234,567.89 元", [(1234567.89, "元", M, False)]),
    ("挽回经济损失３５０万元", [(3500000, "元", M, False)]),
    ("减免租金 12.5 万 元", [(125000, "元", M, False)]),
    ("发放补贴3千元", [(3000, "元", M, False)]),
    ("下达资金2千万元", [(20000000, "元", M, False)]),
    ("债务规模达1.5万亿元", [(1500000000000, "元", M, False)]),
    ("清退多收费用0.5万元", [(5000, "元", M, False)]),
    ("拨付专项资金 66.57万元", [(665700, "元", M, False)]),
    ("追缴税款 12.345 万元", [(123450, "元", M, False)]),
    # --- money: Chinese numerals
    ("金鑫公司增加两亿元的直接融资1笔", [(200000000, "元", M, False), (1, "笔", C, False)]),
    ("努力实现规上工业总产值突破千亿元大关", [(100000000000, "元", M, False)]),
    ("收回资金三千五百万元", [(35000000, "元", M, False)]),
    ("筹集资金一点二亿元", [(120000000, "元", M, False)]),
    ("涉及金额五十万元", [(500000, "元", M, False)]),
    ("节约资金一万二千元", [(12000, "元", M, False)]),
    ("奖励一万元", [(10000, "元", M, False)]),
    ("清退保证金十二万元", [(120000, "元", M, False)]),
    # --- foreign currency keeps its unit
    ("理士新能源等企业已到账外资800万美元", [(8000000, "美元", M, False)]),
    ("实际使用外资1.2亿美元", [(120000000, "美元", M, False)]),
    ("引进欧元投资50万欧元", [(500000, "欧元", M, False)]),
    # --- rates: 万元/亩 → 元/亩, kind of the numerator
    ("规上工业亩均增加值 122.4 万元/亩", [(1224000, "元/亩", M, False)]),
    ("规上工业亩均税收达到 25万元/亩", [(250000, "元/亩", M, False)]),
    ("力争 2025 年规上工业亩均税收达到 25 万元/亩以上", [(250000, "元/亩", M, True)]),
    ("租金标准为每月15元/平方米", [(15, "元/平方米", M, False)]),
    ("年处理能力5万吨/年", [(50000, "吨/年", OT, False)]),
    # --- money ranges and approximations
    ("2023年拟发行企业公开债券5-10亿元", [(500000000, "元", M, False), (1000000000, "元", M, False)]),
    ("拟融资5—10亿元", [(500000000, "元", M, False), (1000000000, "元", M, False)]),
    ("单笔授信10万-20万元", [(100000, "元", M, False), (200000, "元", M, False)]),
    ("每户补助3～5万元", [(30000, "元", M, False), (50000, "元", M, False)]),
    ("补助三至五万元", [(30000, "元", M, False), (50000, "元", M, False)]),
    ("新增产值超 10 亿元企业 1 家", [(1000000000, "元", M, True), (1, "家", C, False)]),
    ("新招引3亿元以上项目 20 个", [(300000000, "元", M, True), (20, "个", C, False)]),
    ("完成新签约投资额 300 亿元以上", [(30000000000, "元", M, True)]),
    ("亩均产出不低于300万元、亩均税收不低于8万元（部分项目上调至12万元）",
     [(3000000, "元", M, True), (80000, "元", M, True), (120000, "元", M, False)]),
    ("涉及资金近3000万元", [(30000000, "元", M, True)]),
    ("挽回损失约 120 万元", [(1200000, "元", M, True)]),
    ("累计投入超过5亿元", [(500000000, "元", M, True)]),
    ("追回资金10余万元", [(100000, "元", M, True)]),
    ("追回资金3万余元", [(30000, "元", M, True)]),
    ("清退费用2万多元", [(20000, "元", M, True)]),
    ("投资逾百亿元", [(10000000000, "元", M, True)]),
    ("补助资金 50 万元左右", [(500000, "元", M, True)]),
    ("节约资金千余万元", [(10000000, "元", M, True)]),
    # --- area
    ("供地企业34家，供地面积565.88亩", [(34, "家", C, False), (565.88, "亩", A, False)]),
    ("全年新出让工业用地 1164 亩", [(1164, "亩", A, False)]),
    ("新增孵化空间 20 万平方米", [(200000, "平方米", A, False)]),
    ("使用厂房 1.6 万平方米，合计使用率达 95%", [(16000, "平方米", A, False), (95, "%", P, False)]),
    ("新增培育引导 2 家企业扩租厂房近 0.6 万平方米",
     [(2, "家", C, False), (6000, "平方米", A, True)]),
    ("嘉御龙庭东侧、龙腾宾馆西侧两块约124亩土地", [(2, "块", C, False), (124, "亩", A, True)]),
    ("年内完成4000亩稳定耕地调整", [(4000, "亩", A, False)]),
    ("整治提升低效工业用地 4500 亩以上", [(4500, "亩", A, True)]),
    ("完成11个区块1402亩的“清零”工作", [(11, "个", C, False), (1402, "亩", A, False)]),
    ("盘活存量土地1.5万亩", [(15000, "亩", A, False)]),
    ("新增绿地面积3.2公顷", [(3.2, "公顷", A, False)]),
    ("整治河道两岸面积12平方公里", [(12, "平方公里", A, False)]),
    ("拆除违建 8500 平方米", [(8500, "平方米", A, False)]),
    ("拆除违章建筑三千平方米", [(3000, "平方米", A, False)]),
    ("改造老旧厂房300平方", [(300, "平方米", A, False)]),
    ("整理土地 200 亩地块", [(200, "亩", A, False)]),
    ("完成1个500亩以上连片用地", [(1, "个", C, False), (500, "亩", A, True)]),
    # --- percentages and 个百分点
    ("总体完成率98.71%", [(98.71, "%", P, False)]),
    ("全区安置交付率达 74%。", [(74, "%", P, False)]),
    ("已完成年度目标任务 49.39%", [(49.39, "%", P, False)]),
    ("低效(空闲)土地已完成年度目标任务数 114.3%。", [(114.3, "%", P, False)]),
    ("规上工业增加值增长6%以上，规上工业亩均税收增长15%以上",
     [(6, "%", P, True), (15, "%", P, True)]),
    ("数字经济核心产业增加值占 GDP 比重超过 17%", [(17, "%", P, True)]),
    ("缴纳税收总额的10%-15%由县财政划拨", [(10, "%", P, False), (15, "%", P, False)]),
    ("比重提高到20%—30%", [(20, "%", P, False), (30, "%", P, False)]),
    ("审批时限再次压减30%", [(30, "%", P, False)]),
    ("完成率提高3.5个百分点", [(3.5, "个百分点", P, False)]),
    ("同比下降2个百分点", [(2, "个百分点", P, False)]),
    ("比上年提高两个百分点", [(2, "个百分点", P, False)]),
    ("占比提升1.2百分点", [(1.2, "个百分点", P, False)]),
    ("满意度达百分之九十五", [(95, "%", P, False)]),
    ("完成率达到百分之百", [(100, "%", P, False)]),
    ("增长百分之12.5", [(12.5, "%", P, False)]),
    ("不良率控制在5‰以内", [(5, "‰", P, False)]),
    ("增长１８．０９％", [(18.09, "%", P, False)]),
    ("同比增长-3.2%", [(-3.2, "%", P, False)]),
    ("提升至 3.4%,新增孵化空间", [(3.4, "%", P, False)]),
    # --- counts with every classifier
    ("巡视反馈的7个方面15个具体问题", [(7, "个", C, False), (15, "个", C, False)]),
    ("长期整改I 9个，长期整改II 1个", [(9, "个", C, False), (1, "个", C, False)]),
    ("全年完成整治低效工业企业413家", [(413, "家", C, False)]),
    ("全年完成整治低效工业企业四百一十三家", [(413, "家", C, False)]),
    ("新制定制度21项,修改完善制度6项", [(21, "项", C, False), (6, "项", C, False)]),
    ("按规定及程序已清退 126 人，择优留用 36 人", [(126, "人", C, False), (36, "人", C, False)]),
    ("聘请10名营商环境监督员", [(10, "名", C, False)]),
    ("给予教育提醒18人(20人次)", [(18, "人", C, False), (20, "人次", C, False)]),
    ("先后组织召开2次党工委会议、36次书记专题会", [(2, "次", C, False), (36, "次", C, False)]),
    ("巡视移交的13件信访件", [(13, "件", C, False)]),
    ("关于“3 宗地被企业无偿占用”问题", [(3, "宗", C, False)]),
    ("已完成了近 700 套安置房交付", [(700, "套", C, True)]),
    ("督促整改隐患97条", [(97, "条", C, False)]),
    ("东阳市融资担保有限公司 2 笔融资担保业务", [(2, "笔", C, False)]),
    ("累计“清零”处置(权证注销)117处", [(117, "处", C, False)]),
    ("已组织实施六批次内培企业供地工作", [(6, "批次", C, False)]),
    ("首批4个事项正在剥离", [(4, "个", C, False)]),
    ("组建4支青年招商突击队", [(4, "支", C, False)]),
    ("帮扶困难群众120户", [(120, "户", C, False)]),
    ("新建学校3所", [(3, "所", C, False)]),
    ("收到的31份用地申请", [(31, "份", C, False)]),
    ("更新设备12台", [(12, "台", C, False)]),
    ("处置公车5辆", [(5, "辆", C, False)]),
    ("腾退用房8间", [(8, "间", C, False)]),
    ("建成人才公寓2栋", [(2, "栋", C, False)]),
    ("位列第37位，前进11位", [(11, "位", C, False)]),
    ("开展专项培训两期", [(2, "期", C, False)]),
    ("举办培训班3期", [(3, "期", C, False)]),
    ("查处违纪案件5起", [(5, "起", C, False)]),
    ("发放宣传单页及宣传画册600余份", [(600, "份", C, True)]),
    ("重点向国内风电行业40多家知名企业推介", [(40, "家", C, True)]),
    ("新增高技能人才 0.29 万人以上", [(2900, "人", C, True)]),
    ("新招引大学生 1 万人以上", [(10000, "人", C, True)]),
    ("培训干部1.2万人次", [(12000, "人次", C, False)]),
    ("对 46 家企业开展检查", [(46, "家", C, False)]),
    ("开展3轮专项检查", [(3, "轮", C, False)]),
    ("已引进两个产业项目入驻", [(2, "个", C, False)]),
    ("对照“执行中梗阻”“履职中梗阻”“作风中梗阻”三个方面的问题", [(3, "个", C, False)]),
    ("围绕金华市十条重点产业链", [(10, "条", C, False)]),
    ("办理十一件民生实事", [(11, "件", C, False)]),
    ("成立工作专班二十个", [(20, "个", C, False)]),
    ("清退众创空间2家,整改至合格的众创空间2家", [(2, "家", C, False), (2, "家", C, False)]),
    ("新增上市企业 2-3 家", [(2, "家", C, False), (3, "家", C, False)]),
    ("每个镇街配备3至5名专干", [(3, "名", C, False), (5, "名", C, False)]),
    ("培训人员千余人", [(1000, "人", C, True)]),
    ("联系企业百余家", [(100, "家", C, True)]),
    ("由开发区D工委、管委会两位主要领导任组长", [(2, "位", C, False)]),
    ("梳理问题清单3类", [(3, "类", C, False)]),
    ("补植树木1200株", [(1200, "株", C, False)]),
    ("安装路灯80盏", [(80, "盏", C, False)]),
    # --- other measures and durations
    ("安排人员参加县网信办为期10天的跟班学习", [(10, "天", OT, False)]),
    ("限期3个月内整改到位", [(3, "个月", OT, False)]),
    ("在15个工作日内办结", [(15, "个工作日", OT, False)]),
    ("新建道路2.5公里", [(2.5, "公里", OT, False)]),
    ("铺设管网1200米", [(1200, "米", OT, False)]),
    ("新增装机容量5万千瓦", [(50000, "千瓦", OT, False)]),
    ("年产值增长2倍", [(2, "倍", OT, False)]),
    ("近3年来累计完成投资", [(3, "年", OT, True)]),
    ("连续三年获评优秀", [(3, "年", OT, False)]),
    ("三年以上未整改的问题", [(3, "年", OT, True)]),
    ("工作时长48小时", [(48, "小时", OT, False)]),
    # --- list markers are not decimals
    ("1.3家企业未按期开工", [(3, "家", C, False)]),
    # --- NOT figures: dates
    ("2023年3月10日至6月10日，省委第十五巡视组开展了延伸巡视", []),
    ("横店东磁牵头申报的省创新联合体材料已于 2023 年 12 月 5 日提交省科技厅", []),
    ("预计6月底前出台", []),
    ("1-12月规上工业亩均增加值", []),
    ("2022年4月—2022年11月", []),
    ("2024年东阳市政府工作报告中提出", []),
    ("（8月份进入工业列统）", []),
    ("发布日期:2021-03-04", []),
    ("截至11月30日", []),
    ("二〇二三年十二月二十二日", []),
    ("《东阳市重点产业链培育工作方案（2024—2026年）（初稿）》", []),
    ("制定出台科技城做地三年工作计划(2019-2021年)", []),
    # --- NOT figures: ordinals and sessions
    ("XX经济开发区在省级开发区排名位列第37位", []),
    ("开展第二轮巡察", []),
    ("第一批试点示范企业", []),
    ("2022年全市省级开发区考核获第一名", []),
    ("围绕南高齿第10万台主齿轮箱下线仪式", []),
    ("经县政府十五届6次常务会议研究讨论通过", []),
    ("县委十三届四十一次常委会研究讨论通过", []),
    ("认真贯彻落实省委十二届四次全会精神", []),
    ("市十六届人大一次会议一号议案", []),
    ("市第十六次党代会提出的目标", []),
    # --- NOT figures: document numbers, phones, postcodes, index numbers
    ("《金华市本级和东阳市“8+4”政策体系重点任务推进专项审计调查报告》（金审企调报〔2023〕8号）", []),
    ("东政发〔2022〕21号", []),
    ("（东政办发〔2021〕2 号）", []),
    ("（苏政传发﹝2021﹞94号）", []),
    ("联系电话：0739-5486000", []),
    ("电话0577-88019695", []),
    ("邮政编码325011", []),
    ("邵阳经济技术开发区管理委员会，422000", []),
    ("索引号 001008003015161/2021-00113", []),
    ("联系手机13912345678", []),
    ("温州高新区新三路16号高新大楼", []),
    # --- NOT figures: names, slogans, quotes, codes
    ("以“152”工程为抓手", []),
    ("签约落地大唐5G创新中心", []),
    ("科学运用3.0系统提高项目全程监管力度", []),
    ("增强“四个意识”、坚定“四个自信”、做到“两个维护”", []),
    ("不断增强四个意识、做到两个维护", []),
    ("督促班子成员认真履行“一岗双责”", []),
    ("班子成员认真履行一岗双责", []),
    ("对基层D组织“三会一课”活动开展督查指导", []),
    ("严格落实三会一课制度", []),
    ("同步建立“1+5+X”工作例会制度", []),
    ("推行“3+3”融资延期模式", []),
    ("工业高质量发展“十四五”规划", []),
    ("十四五期间,坚持以制造业高质量发展为主题", []),
    ("对‘两个责任’规定动作落实不够到位", []),
    ("关于“两个责任落实不够到位,作风建设不够扎实”问题", []),
    ("持之以恒纠正“四风”", []),
    ("全面打造“一件事一次办”园区升级版", []),
    ("深化“最多跑一次”改革", []),
    ("持续巩固“三年大灶”的成果", []),
    ("建立招商在谈项目“三张服务清单”", []),
    ("出台《温州浙南科技城重大产业项目“六个一律”实施方案》", []),
    ("向县委推荐新提拔1名“80后”副科职干部", [(1, "名", C, False)]),
    ("调整了一名60后部门负责人", []),
    ("提速2A信用评级工作", []),
    ("完成龙水单元YB-04-A-02做地储备", []),
    ("实施“雄鹰行动 2.0”", []),
    ("加快构建我市“12344”现代制造业体系", []),
    ("运用监督执纪四种形态", []),
    ("严格执行中央八项规定精神", []),
    ("落实“三重一大”决策制度", []),
    ("千方百计稳就业", []),
    ("送政策进千家万户", []),
    ("四处奔走协调", []),
    ("推进二次开发", []),
    ("2019年、2020年“152”工程项目引进任务", []),
    # --- NOT figures: 一 as an article, phases, words that contain a classifier
    ("目前一批关联项目已落地建设", []),
    ("对党员档案进行一次全面整理", []),
    ("争取年内组建一支高层次人才团队", []),
    ("落实每月一次政策兑现会", []),
    ("建立一条龙服务机制", []),
    ("平台二期及三期核心区村庄征迁任务", []),
    ("国际机电城二期", []),
    ("进一步完善工作机制", []),
    ("个别评委评标过程工作不细致", []),
    ("投资亿元以上项目", []),
    ("认定招引亿元项目", []),
    ("万人大会", []),
    ("走访数十家企业", []),
    ("实施“五个一”工程", []),
    ("推进五个一工程", []),
    ("党的二十大精神", []),
    ("五大行动为载体", []),
    ("三是突出高质量发展", []),
    ("（二十三）关于“部分人才奖励政策设计不够合理”问题", []),
    ("1.关于产业项目与合同约定投资强度的问题", []),
    ("序号\t五大行动\t十四五目标\n13\t人才科技赋能行动", []),
    # phrasings of other issuers' bulletins
    ("收获小麦2万斤，回收废旧物资120公斤", [(20000, "斤", "other", False), (120, "公斤", "other", False)]),
    ("完成土石方开挖3万立方", [(30000, "立方米", "other", False)]),
    ("克服困难，形成合力", []),
    ("对区委一、二、三轮巡察整改情况开展“回头看”", []),
    ("推进一、二期工程建设", []),
    ("开展三轮巡察", [(3, "轮", "count", False)]),
    ("清退违规发放的津补贴 38.46 万元", [(384600, "元", "money", False)]),
    ("挽回经济损失近1200万元，给予党纪政务处分6人，组织处理19人次",
     [(12000000, "元", "money", True), (6, "人", "count", False), (19, "人次", "count", False)]),
    ("污水处理费按每吨0.95元标准征收，已补征1.2万吨", [(0.95, "元", "money", False), (12000, "吨", "other", False)]),
    ("收回闲置土地86.5亩、约5.8公顷，补签土地合同12宗",
     [(86.5, "亩", "area", False), (5.8, "公顷", "area", True), (12, "宗", "count", False)]),
    ("清理不符合条件的享受对象135户、218人", [(135, "户", "count", False), (218, "人", "count", False)]),
    ("整改涉及3至5家殡仪服务机构", [(3, "家", "count", False), (5, "家", "count", False)]),
    ("欢迎通过监督电话0573-82345678反映", []),
    ("围绕三个聚焦开展巡察，执行四个不直接分管制度，畅通四位一体渠道，坚持三个不放过原则", []),
]


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _got(text: str, rules) -> list[tuple[float | int, str, str, bool]]:
    return [(f.value, f.unit, f.kind, f.approx) for f in find_figures(text, rules=rules)]


def test_table_is_large_enough():
    assert len(CASES) >= 150
    assert sum(1 for _, exp in CASES if not exp) >= 40


@pytest.mark.parametrize(("phrase", "expected"), CASES, ids=[c[0][:24] for c in CASES])
def test_phrase(phrase: str, expected, rules) -> None:
    got = _got(phrase, rules)
    assert got == expected, f"{phrase!r}: {got}"
    for f in find_figures(phrase, rules=rules):
        assert phrase[f.span[0] : f.span[1]] == f.text
        assert isinstance(f.value, int) == (f.value == int(f.value))


def test_value_types_are_int_when_whole(rules):
    f = find_figures("追缴资金 49.27 万元，挽回 1.0 万元，增长 98.71%", rules=rules)
    assert [type(x.value) for x in f] == [int, int, float]
    assert f[0].value == 492700 and f[1].value == 10000 and f[2].value == 98.71


def test_range_texts_and_spans(rules):
    text = "2023年拟发行企业公开债券5-10亿元，增加直接融资比重"
    lo, hi = find_figures(text, rules=rules)
    assert (lo.text, hi.text) == ("5-10亿元", "10亿元")
    assert lo.span[0] < hi.span[0] and lo.span[1] == hi.span[1]
    a, b = find_figures("纳税总额的10%-15%", rules=rules)
    assert (a.text, b.text) == ("10%", "15%")


def test_figure_text_excludes_outer_approximation_words(rules):
    (f,) = find_figures("已完成了近 700 套安置房交付", rules=rules)
    assert f.text == "700 套" and f.approx
    (g,) = find_figures("发放宣传画册600余份", rules=rules)
    assert g.text == "600余份" and g.approx


def test_start_end_window_and_absolute_spans(rules):
    text = "前言3家企业。正文：追回资金 49.27 万元，另有 2 笔。"
    s = text.index("正文")
    figs = find_figures(text, s, None, rules)
    assert [f.text for f in figs] == ["49.27 万元", "2 笔"]
    for f in figs:
        assert text[f.span[0] : f.span[1]] == f.text
    assert find_figures(text, 0, s, rules)[0].text == "3家"
    assert find_figures(text, 5, 5, rules) == []


def test_default_rules_are_loaded():
    assert find_figures("追回资金 3 万元")[0].value == 30000


def test_parse_chinese_number():
    assert parse_chinese_number("四百一十三") == 413
    assert parse_chinese_number("两亿") == 200000000
    assert parse_chinese_number("零点二九") == Decimal("0.29")
    assert parse_chinese_number("一点二亿") == 120000000
    assert parse_chinese_number("千亿") == 100000000000
    assert parse_chinese_number("四五") is None
    assert parse_chinese_number("十四五") is None


# --------------------------------------------------------------------------- the seeds


def _seed_text(name: str) -> str:
    return normalise(load(SAMPLES / name)).text


def _gold_items():
    for gold_path in sorted((SAMPLES / "gold").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for i, item in enumerate(gold["items"]):
            if item.get("figures_subset"):
                yield pytest.param(gold["seed"], gold, i, id=f"{gold['seed'][:3]}-{item['title'][:12]}")


def _item_window(text: str, gold: dict, index: int) -> tuple[int, int]:
    """From the gold item's title to the next gold item's title (its body lies in between)."""
    items = gold["items"]
    folded = fold(text)  # same length; the gold titles use half-width punctuation
    start = folded.index(fold(items[index]["title"]))
    end = len(text)
    for nxt in items[index + 1 :]:
        j = folded.find(fold(nxt["title"]), start + 1)
        if j != -1:
            end = j
            break
    return start, end


@pytest.mark.parametrize(("seed", "gold", "index"), list(_gold_items()))
def test_gold_figures_found_in_their_item(seed: str, gold: dict, index: int, rules) -> None:
    text = _seed_text(seed)
    start, end = _item_window(text, gold, index)
    got = [(f.value, f.unit) for f in find_figures(text, start, end, rules)]
    remaining = list(got)
    for want in gold["items"][index]["figures_subset"]:
        pair = (want["value"], want["unit"])
        assert pair in remaining, f"{seed}: {pair} not among {got} in {text[start:end][:80]!r}"
        remaining.remove(pair)


def test_gold_document_figures(rules):
    for gold_path in sorted((SAMPLES / "gold").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if not gold.get("document_figures_subset"):
            continue
        got = [(f.value, f.unit) for f in find_figures(_seed_text(gold["seed"]), rules=rules)]
        for want in gold["document_figures_subset"]:
            assert (want["value"], want["unit"]) in got


@pytest.mark.parametrize("seed", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_no_figure_for_dates_ordinals_numbers_in_seeds(seed: str, rules) -> None:
    text = _seed_text(seed)
    for f in find_figures(text, rules=rules):
        assert text[f.span[0] : f.span[1]] == f.text
        before = text[max(0, f.span[0] - 1) : f.span[0]]
        assert before != "第", f"ordinal {f.text!r}"
        assert f.unit not in ("月", "日", "号"), f"date or number {f.text!r}"
        assert not (f.unit == "年" and f.value >= 1900), f"year {f.text!r}"
        # a phone number, postcode or index number has no unit; a figure's number is short
        digits = sum(ch.isdigit() for ch in f.text)
        assert digits <= 10, f"long digit string {f.text!r}"
    found = {f.text for f in find_figures(text, rules=rules)}
    for bad in ("6次", "四十一次", "四次", "37位", "10万台", "一次", "一批", "一支"):
        assert bad not in found, f"{seed}: {bad}"


def test_every_seed_figure_is_listed_once_and_sorted(rules):
    for p in sorted(SAMPLES.glob("*.txt")):
        figs = find_figures(_seed_text(p.name), rules=rules)
        spans = [f.span for f in figs]
        assert spans == sorted(spans) and len(set(spans)) == len(spans)


def test_speed_on_a_20kb_bulletin(rules):
    text = _seed_text("004_dd361c94b27cbe2f.txt")
    text = (text * (20000 // len(text.encode("utf-8")) + 1))[:8000]  # ~20 KB of UTF-8 (CJK: 3 bytes a char)
    assert len(text.encode("utf-8")) >= 20000
    find_figures(text, rules=rules)  # compile once
    t0 = time.perf_counter()
    for _ in range(5):
        find_figures(text, rules=rules)
    per_call = (time.perf_counter() - t0) / 5
    assert per_call < 0.05, f"{per_call * 1000:.1f} ms"


# --------------------------------------------------------------------------- properties

_PREFIXES = ["", "追回资金", "共计", "截至目前已完成", "，", "。其中", "（", "一是"]
_SUFFIXES = ["", "。", "，已全部到位", "（已实缴）", "以上", "的项目", "；"]
_UNITS = ["元", "万元", "亿元", "家", "个", "人", "人次", "项", "亩", "万平方米", "%", "个百分点", "宗", "套", "次"]


@settings(max_examples=200, deadline=None)
@given(
    pre=st.sampled_from(_PREFIXES),
    post=st.sampled_from(_SUFFIXES),
    number=st.one_of(
        st.integers(min_value=1, max_value=99999).map(str),
        st.decimals(min_value=0, max_value=9999, places=2, allow_nan=False, allow_infinity=False).map(str),
    ),
    space=st.sampled_from(["", " "]),
    unit=st.sampled_from(_UNITS),
)
def test_span_text_roundtrip_for_inserted_figures(pre, post, number, space, unit) -> None:
    rules = load_rules()
    text = f"{pre}{number}{space}{unit}{post}"
    figs = find_figures(text, rules=rules)
    for f in figs:
        assert text[f.span[0] : f.span[1]] == f.text
    if unit in ("家", "个", "人", "人次", "项", "宗", "套", "次") and "." in number:
        return  # a fractional count is read as a list marker plus a count
    assert len(figs) == 1, (text, figs)
    assert figs[0].text.startswith(number)


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=99999999),
    mult=st.sampled_from(["万", "亿", ""]),
    pre=st.sampled_from(["", "追回资金", "共计", "注册资本"]),
)
def test_chinese_amount_equals_arabic_amount(n: int, mult: str, pre: str) -> None:
    if mult == "万":
        n = n % 10000 or 1  # 一万万 is not how an amount is written: 一亿
    rules = load_rules()
    arabic = find_figures(f"{pre}{n}{mult}元。", rules=rules)
    chinese_text = f"{pre}{cn2an.an2cn(n)}{mult}元。"
    chinese = find_figures(chinese_text, rules=rules)
    assert len(arabic) == 1 and len(chinese) == 1, (chinese_text, chinese)
    assert arabic[0].unit == chinese[0].unit == "元"
    assert arabic[0].value == chinese[0].value == n * {"万": 10000, "亿": 100000000, "": 1}[mult]


@settings(max_examples=200, deadline=None)
@given(whole=st.integers(min_value=0, max_value=9999), frac=st.integers(min_value=1, max_value=99))
def test_chinese_decimal_wan_equals_arabic(whole: int, frac: int) -> None:
    rules = load_rules()
    arabic = f"{whole}.{frac:02d}".rstrip("0")
    chinese = cn2an.an2cn(arabic)
    a = find_figures(f"共{arabic}万元", rules=rules)
    c = find_figures(f"共{chinese}万元", rules=rules)
    assert a and c and a[0].value == c[0].value
