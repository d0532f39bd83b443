"""The policy table: each role's reach, and a county user held to their own county."""

import pytest

from inspection.access import POLICY, Principal, allowed, require, visible_county_ids
from inspection.errors import AccessDenied

COMMITTEE = Principal("w", "committee")
ZEPU = Principal("z", "county", county_id=1, county_name="泽普县")
OBSERVER = Principal("o", "observer")
UNBOUND = Principal("u", "county", county_id=None)


def test_committee_may_do_everything_on_any_county_but_submit_for_it_or_answer_its_questions():
    assert [a for a in POLICY if not allowed(COMMITTEE, a, 7)] == ["submission.submit", "thread.answer"]


@pytest.mark.parametrize("action", [a for a, r in POLICY.items() if r.scoped and "county" in r.roles])
def test_county_user_only_on_own_county(action):
    assert allowed(ZEPU, action, 1)
    assert not allowed(ZEPU, action, 2)
    assert not allowed(ZEPU, action, None)
    with pytest.raises(AccessDenied) as err:
        require(ZEPU, action, 2)
    assert "泽普县" in err.value.zh and "其他县市" in err.value.zh


@pytest.mark.parametrize("action", ["dashboard.view", "review.queue", "verdict.draft", "verdict.record",
                                    "finding.decide", "report.generate", "cases.overview"])
def test_county_user_refused_committee_actions(action):
    assert not allowed(ZEPU, action, 1)


def test_observer_is_read_only_and_sees_no_drafts_or_documents():
    assert allowed(OBSERVER, "dashboard.view") and allowed(OBSERVER, "county.summary", 3)
    for action in ("county.figures", "documents.view", "documents.upload", "figure.correct", "verdict.record",
                   "letters.download", "review.queue", "report.generate"):
        assert not allowed(OBSERVER, action, 3), action


def test_nobody_and_unbound_county_accounts_may_do_nothing():
    assert not any(allowed(None, a, 1) for a in POLICY)
    assert not any(allowed(UNBOUND, a, None) for a in POLICY)
    with pytest.raises(AccessDenied, match="请先登录"):
        require(None, "dashboard.view")


def test_unknown_action_is_refused():
    assert not allowed(COMMITTEE, "no.such.action")


def test_visible_counties():
    assert visible_county_ids(ZEPU, [1, 2, 3]) == [1]
    assert visible_county_ids(OBSERVER, [1, 2, 3]) == [1, 2, 3]


def test_access_module_is_pure():
    import ast
    from pathlib import Path

    import inspection.access as mod
    tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
    names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in names if m and m.startswith(("streamlit", "sqlmodel", "sqlalchemy", "inspection.db"))}
