"""Words for the codes the services return (outcomes, statuses, fields), in both languages."""

from __future__ import annotations

from inspection.columns import column
from inspection.ui.state import lang

OUTCOME = {"met": ("达标", "met"), "not_met": ("未达标", "not met"), "pending": ("待补充材料", "pending"),
           "vetoed": ("不予认定", "vetoed")}
STATUS = {"received": ("已接收", "received"), "ingested": ("已读取学校数据，待提交", "read, not submitted"),
          "report": ("已保存（报告类材料）", "kept (a report)"), "rejected": ("未接受，请修改后重传", "not accepted; fix and upload again"),
          "evaluated": ("已核算", "evaluated"), "queued": ("待地区审核", "awaiting review"),
          "reviewed": ("已审核", "reviewed"), "superseded": ("已被新上传的数据表替代", "replaced by a later table")}
DECISION = {"approve": ("通过，推荐自治区评估", "approve"), "return": ("退回整改", "return for rectification"),
            "veto": ("不予认定", "not recognised (veto)")}
FINDING = {"open": ("待认定", "open"), "confirmed": ("已确认", "confirmed"), "dismissed": ("已排除", "dismissed"),
           "met": ("认定达标", "met"), "not_met": ("认定未达标", "not met"), "resolved": ("已整改", "resolved")}
KIND = {"school": ("学校未达标", "school"), "cv": ("差异系数", "CV"), "indicator": ("县级指标", "indicator"),
        "veto": ("否决事项", "veto"), "judgement": ("定性指标", "judged indicator")}
STAGE = {"primary": ("小学", "primary"), "junior": ("初中", "junior")}
FIELD_EN = {"students": "Students", "classes": "Classes", "qualified_teachers": "Qualified teachers",
            "backbone_teachers": "Backbone teachers", "pe_teachers": "PE teachers", "art_teachers": "Art teachers",
            "teaching_area": "Teaching area (m²)", "sports_area": "Sports area (m²)",
            "equipment_value": "Equipment (yuan)", "multimedia_rooms": "Multimedia rooms"}


def said(zh: str | None, en: str | None) -> str:
    """A text a service wrote (a finding, a reason) in the page's language: its English where the
    service wrote one too, else the Chinese (the rule engine's own sentences are Chinese only)."""
    return (en or zh or "") if lang() == "en" else (zh or "")


def word(table: dict, code: str | None) -> str:
    if code is None:
        return "—"
    pair = table.get(code)
    return code if pair is None else pair[1 if lang() == "en" else 0]


def field_label(field: str) -> str:
    """A figure's column header; equipment is stored in 元, so the label says 元."""
    if lang() == "en":
        return FIELD_EN.get(field, field)
    header = column(field).header
    return header.replace("（万元）", "（元）")


def stage_order() -> list[str]:
    """The cycle's stage ids in their order, from the cycle's data."""
    from inspection.webapi.labels import stage_ids
    return stage_ids()


def stage_name(stage: str | None) -> str:
    """A cycle stage (规划提交, 年度监测…) in the page's language, from the cycle's data."""
    from inspection.webapi.labels import stage_label
    return "—" if not stage else stage_label(stage, lang())
