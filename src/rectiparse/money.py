"""What a money figure is: spent, recovered, planned, or just stated — from the words just before it.

Why: bulletins state money in very different roles. "投入资金1.2亿元" was spent, "追回资金35万元" recovered,
"力争到2025年完成投资1000亿元" is a target, and "违规发放补贴12万元" describes the problem. Summed together they
mean nothing (a 千亿元 plan target dwarfs every amount actually spent), so ``export`` records each money figure's
role and ``report`` charts the roles apart. The rule is deliberately simple and visible: the clause before the
figure (back to the last 。；; or line break, at most ``WINDOW`` characters) is searched for the cue words below:
a planning cue (计划, 力争, 目标 …) anywhere in it makes the figure planned — the clause speaks of the future
whatever verb follows — else the nearest cue wins; with no cue, a figure in an item's ``next_steps`` (下步措施) is
planned, as is any amount of a plan (整改方案); any other is merely stated.
"""

from __future__ import annotations

import regex

WINDOW = 24
ROLES = ("spent", "recovered", "planned", "stated")

CUES: dict[str, tuple[str, ...]] = {
    "recovered": ("追回", "收回", "挽回", "退还", "退回", "归还", "清退", "收缴", "追缴", "补缴", "缴回", "返还",
                  "回收", "上缴", "缴纳", "罚没", "挽回损失", "核减", "整改到位资金", "整改金额", "催收", "退费"),
    "planned": ("计划", "预计", "拟", "力争", "努力", "目标", "规划", "争取", "将投入", "预算", "估算", "总投资",
                "突破", "到20"),
    "spent": ("投入", "支出", "拨付", "使用", "下达", "安排资金", "安排", "筹措", "落实资金", "完成投资", "发放补助",
              "支付", "兑付", "兑现", "偿还", "化解", "投资", "补助", "资助", "到位资金", "已拨", "发放", "奖补"),
}
_CUE = regex.compile("|".join(regex.escape(c) for c in sorted(
    (c for cues in CUES.values() for c in cues), key=len, reverse=True)))
_ROLE_OF = {c: role for role, cues in CUES.items() for c in cues}
_CLAUSE_END = regex.compile(r"[。；;\n！？]")


def money_role(before: str, field: str | None = None, doc_type: str | None = None) -> str:
    """Role of a money figure from the text just before it, the item field it sits in and the document type
    (without a cue, amounts in a 整改方案 — ``plan`` — are targets)."""
    clause = _CLAUSE_END.split(before[-WINDOW:])[-1]
    roles = [_ROLE_OF[m.group(0)] for m in _CUE.finditer(clause)]
    if "planned" in roles:
        return "planned"
    if roles:
        return roles[-1]
    if field == "next_steps" or doc_type == "plan":
        return "planned"
    return "stated"
