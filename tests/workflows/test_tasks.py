"""Task bodies through `.fn()` (no Prefect server), and which faults are retried."""

from datetime import date

import pytest
from prefect.logging import disable_run_logger
from sqlalchemy.exc import IntegrityError, OperationalError

from inspection.errors import StageError
from workflows import tasks
from workflows.retry import is_transient, retry_transient


def test_only_transient_faults_are_retried():
    assert is_transient(OperationalError("SELECT 1", {}, Exception("database is locked")))
    assert is_transient(IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: auditevent.prev_hash")))
    assert not is_transient(IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: county.name")))
    assert not is_transient(StageError("不能", "cannot"))
    assert not is_transient(FileNotFoundError("x.csv"))
    assert is_transient(ConnectionResetError())

    class State:
        data = OperationalError("x", {}, Exception("server closed the connection unexpectedly"))
    assert retry_transient(None, None, State())


def test_task_bodies_run_without_a_server(flow_db):
    with disable_run_logger():
        names = tasks.list_counties.fn()
        assert names[0] == "泽普县" and len(names) == 12
        assert tasks.monitor_batch.fn(["泽普县"], 2026, "2026-11-29") == [{
            "county": "泽普县", "year": 2026, "status": "no_figures"}]
        assert tasks.sweep_county.fn("泽普县", "2026-01-01") == ["missed_recognition_year"]
        assert tasks.sweep_county.fn("泽普县", "2026-01-01") == []
        with pytest.raises(StageError, match="没有待审核的自评材料"):
            tasks.record_verdict.fn("巴楚县", "approve", "委员甲", "通过", date(2027, 7, 1).isoformat())
