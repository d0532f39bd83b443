"""A flow command refused on purpose prints the bilingual error alone: Prefect's own log lines of
that error (its trace, the run's failed state) are not shown, whichever task or flow raised it."""

import pytest

from tests.workflows.test_faults import _process, _use

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_a_refused_verdict_prints_only_the_bilingual_error(tmp_path, monkeypatch):
    from inspection.db import init_database, repo, session_scope
    from inspection.services import make_context
    data = tmp_path / "data"
    _use(data, monkeypatch)
    init_database()
    with session_scope() as s:
        repo.seed_schedule(s, schedule=make_context("t").schedule, actor="t")
    refused = _process(["verdict", "泽普县", "--decision", "approve", "--reason", "各项达标", "--actor", "委员甲",
                        "--no-letter"], data)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == ["错误：泽普县没有待审核的自评材料",
                                                   "Error: 泽普县 has no self-assessment awaiting review"]
