"""One self-assessment round per county at a time: the lease is taken once, given back, and a
holder that died is taken over."""

import os
import subprocess
import sys
import threading

import pytest

from inspection.db import repo, session_scope
from inspection.db.models import RoundLease
from inspection.errors import BusyError
from inspection.services import leases


def _take(db, holder="泽普县教育局"):
    with session_scope(db) as s:
        return leases.take(s, county=repo.get_county(s, name="泽普县"), holder=holder)


def test_a_second_round_is_refused_naming_the_holder_until_the_first_gives_back(db):
    token = _take(db, "甲")
    with pytest.raises(BusyError) as err:
        _take(db, "乙")
    assert "泽普县的另一份自评材料正在处理中（甲于" in err.value.zh and "本次未保存任何文件" in err.value.zh
    assert err.value.exit_code == 75 and "by 甲" in err.value.en
    with session_scope(db) as s:
        leases.give_back(s, county=repo.get_county(s, name="泽普县"), token="not-this-round")
    with pytest.raises(BusyError):
        _take(db, "乙")                                    # only the holder's token gives it back
    with session_scope(db) as s:
        leases.give_back(s, county=repo.get_county(s, name="泽普县"), token=token)
    assert _take(db, "乙") != token


def test_the_lease_of_a_killed_process_is_taken_over(db):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    _take(db, "甲")
    with session_scope(db) as s:
        s.get(RoundLease, repo.get_county(s, name="泽普县").id).pid = child.pid   # held by a live process
    with pytest.raises(BusyError):
        _take(db, "乙")
    child.kill()
    child.wait()
    _take(db, "乙")                                       # its holder is gone: taken over at once
    with session_scope(db) as s:
        assert s.get(RoundLease, repo.get_county(s, name="泽普县").id).holder == "乙"


def test_a_lease_from_another_host_lapses_with_age(db, monkeypatch):
    _take(db, "甲")
    with session_scope(db) as s:
        s.get(RoundLease, repo.get_county(s, name="泽普县").id).host = "another-host"
    with pytest.raises(BusyError):
        _take(db, "乙")
    monkeypatch.setenv("INSPECTION_LEASE_MINUTES", "0")
    _take(db, "乙")


def test_two_rounds_starting_at_the_same_moment_one_wins(db):
    barrier, outcomes = threading.Barrier(2), []

    def start(holder):
        barrier.wait()
        try:
            _take(db, holder)
            outcomes.append("won")
        except BusyError:
            outcomes.append("told")
    threads = [threading.Thread(target=start, args=(h,)) for h in ("甲", "乙")]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert sorted(outcomes) == ["told", "won"]
    with session_scope(db) as s:
        assert s.get(RoundLease, repo.get_county(s, name="泽普县").id).pid == os.getpid()
