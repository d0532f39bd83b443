"""The supervision cycle (督导评估工作周期): stages, transitions, deadlines and accountability as data,
and the pure checks over it. No database, Prefect or Streamlit here: services gather the `Facts`.

    规划提交 → 年度监测 → 县级自评 → 地区督导评估 → 推荐自治区评估 → 国家认定 → 认定后复查
                 ↑               ↓ 整改 (rectification) ↺      ↓ 不予认定 (confirmed veto)
                 └──── 问责 (accountability: missed year, slide after recognition, overdue rectification)
"""

from inspection.cycle.ledger import build_ledgers, progress_summary
from inspection.cycle.machine import Actor, Move, check_transition, plan_move, stage_deadline
from inspection.cycle.model import ROLE_ZH, Cycle, load_cycle
from inspection.cycle.requirements import Facts
from inspection.cycle.slide import SlideJudgement, judge_slide

__all__ = ["Actor", "Cycle", "Facts", "Move", "ROLE_ZH", "SlideJudgement", "build_ledgers", "check_transition",
           "judge_slide", "load_cycle", "plan_move", "progress_summary", "stage_deadline"]
