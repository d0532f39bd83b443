"""Who may see or do what (权限): a pure policy table, checked on the server for every call.

Three roles use Junheng:

    committee   地区督导委员会 — every county, every action
    county      县市教育局     — its own county only: stage, figures, documents, letters
    observer    观察员（人大代表等）— read-only overview of all counties, no drafts or documents

`require(principal, action, county_id)` raises `AccessDenied` (bilingual message) unless the policy
allows it; `allowed` answers the same question without raising, for hiding buttons. The policy is
data (`POLICY`), so a new action is one row. Nothing here touches a database or Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from inspection.errors import AccessDenied

Role = Literal["committee", "county", "observer"]
ROLES: tuple[Role, ...] = ("committee", "county", "observer")
ROLE_ZH = {"committee": "督导委员会", "county": "县市教育局", "observer": "观察员"}
ROLE_EN = {"committee": "supervision committee", "county": "county education bureau", "observer": "observer"}


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user as the server knows it (always re-read from the database per call)."""

    username: str
    role: Role
    county_id: int | None = None
    county_name: str | None = None
    display_name: str = ""

    @property
    def label(self) -> str:
        who = self.display_name or self.username
        return f"{who}（{self.county_name}）" if self.county_name else who


@dataclass(frozen=True, slots=True)
class Rule:
    """An action: who may do it, and whether a county user is held to their own county."""

    zh: str
    en: str
    roles: frozenset[str]
    scoped: bool = False  # needs a county; a county user may only name their own


def _rule(zh: str, en: str, *roles: str, scoped: bool = False) -> Rule:
    return Rule(zh, en, frozenset(roles), scoped)


POLICY: dict[str, Rule] = {
    "app.use": _rule("使用本系统", "use the app", "committee", "county", "observer"),
    "dashboard.view": _rule("查看全地区总览", "view the prefecture dashboard", "committee", "observer"),
    "county.summary": _rule("查看县市进展", "view a county's progress", "committee", "observer", "county",
                            scoped=True),
    "county.figures": _rule("查看学校数据与评估草稿", "view school figures and draft evaluations",
                            "committee", "county", scoped=True),
    "documents.view": _rule("查看上报材料", "view submitted documents", "committee", "county", scoped=True),
    "documents.upload": _rule("上传材料", "upload documents", "committee", "county", scoped=True),
    "submission.submit": _rule("提交审核", "submit for review", "county", scoped=True),
    "review.queue": _rule("审核上报材料", "review submissions", "committee"),
    "figure.correct": _rule("更正数据", "correct a figure", "committee", "county", scoped=True),
    "finding.decide": _rule("认定否决事项", "decide a veto finding", "committee", scoped=True),
    "verdict.record": _rule("记录评估结论", "record the verdict", "committee", scoped=True),
    "verdict.draft": _rule("预览意见书草稿", "preview a draft letter", "committee", scoped=True),
    "report.generate": _rule("生成报告与函件", "generate reports and letters", "committee"),
    "letters.download": _rule("下载函件", "download letters", "committee", "county", scoped=True),
    "forms.download": _rule("下载空白表格", "download blank forms", "committee", "county", "observer"),
    "cases.view": _rule("查看问责事项", "view accountability cases", "committee", "county", scoped=True),
    "cases.overview": _rule("查看全地区问责事项", "view all accountability cases", "committee"),
    "cases.manage": _rule("管理问责事项", "manage accountability cases", "committee", scoped=True),
    "thread.view": _rule("查看问询与答复", "view questions and answers", "committee", "county", scoped=True),
    "thread.ask": _rule("提出问询", "ask a county a question", "committee", scoped=True),
    "thread.answer": _rule("答复问询", "answer a question", "county", scoped=True),
    "thread.close": _rule("处理问询", "close a question", "committee", scoped=True),
    "notifications.view": _rule("查看通知", "view notifications", "committee", "county", "observer"),
    "plan.save": _rule("保存推演方案", "save a what-if plan", "committee", "county", scoped=True),
}


def allowed(principal: Principal | None, action: str, county_id: int | None = None) -> bool:
    """True when `principal` may perform `action` (on `county_id`, for a county-scoped action)."""
    rule = POLICY.get(action)
    if principal is None or rule is None or principal.role not in rule.roles:
        return False
    if principal.role == "county":
        if principal.county_id is None:
            return False  # a county account not bound to a county may do nothing
        if rule.scoped and county_id != principal.county_id:
            return False
    return True


def require(principal: Principal | None, action: str, county_id: int | None = None) -> None:
    """Raise `AccessDenied` unless `allowed`; the message names the action, never another county."""
    if allowed(principal, action, county_id):
        return
    rule = POLICY.get(action) or _rule(action, action)
    if principal is None:
        raise AccessDenied("请先登录。", "Please sign in.", action=action)
    if principal.role == "county" and rule.scoped and principal.role in rule.roles:
        raise AccessDenied(f"您的账号属于{principal.county_name or '未指定县市'}，无权{rule.zh}（其他县市）。",
                           f"Your account belongs to {principal.county_name or 'no county'}; "
                           f"you may not {rule.en} for another county.",
                           action=action, county_id=county_id, username=principal.username)
    raise AccessDenied(f"{ROLE_ZH[principal.role]}账号无权{rule.zh}。",
                       f"A {ROLE_EN[principal.role]} account may not {rule.en}.",
                       action=action, county_id=county_id, username=principal.username)


def visible_county_ids(principal: Principal, all_ids: list[int], action: str = "county.summary") -> list[int]:
    """The counties among `all_ids` this principal may see for `action`, in the given order."""
    return [cid for cid in all_ids if allowed(principal, action, cid)]
