"""Faults (issue 14): a real `inspection` process SIGKILLed at every commit of a submission, a demo
stopped between a verdict and its letter and in the middle of its monitoring run. On restart the
data is consistent (`inspection audit verify` passes), the re-run completes, and nothing is doubled.
Two rounds for one county at the same moment: the second is told who holds the county, stores nothing.

The kill is the process's own SIGKILL at a named point (`inspection/db/faults.py`), so every commit
of the command is tried in turn, deterministically; nothing runs after it, as after a power cut.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from inspection.cli import app
from inspection.db.models import AuditEvent, County, Evaluation, ReviewVerdict, RoundLease, Submission
from tests.services.conftest import school_csv

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]
runner = CliRunner()
INSPECTION = str(Path(sys.executable).parent / "inspection")
SUBMIT = ["submit", "泽普县", "--actor", "泽普县教育局", "--as-of", "2025-05-10", "--year", "2025"]


def _use(data: Path, monkeypatch) -> None:
    """Point this process at a data folder (its SQLite database and its audit anchor)."""
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(data))
    monkeypatch.setenv("INSPECTION_AUDIT_ANCHOR", str(data / "anchor.log"))


def _process(args: list[str], data: Path, kill_at: str | None = None,
             own_server: bool = False) -> subprocess.CompletedProcess:
    """`inspection ARGS` as a process of its own, on `data`, with the test's Prefect server (or,
    `own_server`, with the temporary one a user's command starts)."""
    from prefect.settings import PREFECT_API_URL
    env = {**os.environ, "INSPECTION_DATA_DIR": str(data), "INSPECTION_AUDIT_ANCHOR": str(data / "anchor.log"),
           "PREFECT_API_URL": "" if own_server else PREFECT_API_URL.value()}
    env.pop("INSPECTION_KILL_AT", None)
    if kill_at:
        env["INSPECTION_KILL_AT"] = kill_at
    # Output to files, not pipes: a child left running (a server) would hold a pipe open, and the
    # run would wait for it instead of returning.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        done = subprocess.run([INSPECTION, *args], env=env, stdout=out, stderr=err, timeout=600)
        out.seek(0), err.seek(0)
        return subprocess.CompletedProcess(done.args, done.returncode, out.read().decode(), err.read().decode())


def _verified() -> int:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    return int(result.output.split("：")[1].split(" ")[0])


def _count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


@pytest.fixture
def ready(tmp_path, monkeypatch):
    """泽普县 in annual monitoring, a passing school table to submit; the folder is copied per kill."""
    from tests.workflows.test_cli_cycle import test_advance_refuses_with_both_languages_and_moves_when_allowed
    from inspection.standard import load_standard
    base = tmp_path / "base"
    _use(base, monkeypatch)
    test_advance_refuses_with_both_languages_and_moves_when_allowed(tmp_path)
    return base, school_csv(tmp_path / "泽普县2025.csv", load_standard())


def _round_is_whole_once(table: Path) -> None:
    from inspection.db import session_scope
    with session_scope() as s:
        county = s.exec(select(County).where(County.name == "泽普县")).one()
        assert county.stage == "prefecture_evaluation"
        assert _count(s, Submission, Submission.kind == "self_assessment") == 1
        assert _count(s, Evaluation, Evaluation.county_id == county.id) == 1
        assert _count(s, AuditEvent, AuditEvent.action == "submission.upload", AuditEvent.after.is_not(None)) == 2
        assert _count(s, AuditEvent, AuditEvent.action == "submission.ingest") == 1
        assert _count(s, RoundLease) == 0                                  # given back
    assert sorted(p.name for p in (Path(os.environ["INSPECTION_DATA_DIR"]) / "submissions").rglob("*")
                  if ".part" in p.name) == []


@pytest.mark.parametrize("point", ["before-commit", "before-anchor", "after-commit"])
def test_a_submission_killed_at_any_commit_completes_when_run_again(ready, tmp_path, monkeypatch, point):
    base, table = ready
    for nth in range(1, 30):
        data = tmp_path / f"{point}-{nth}"
        shutil.copytree(base, data)
        killed = _process([*SUBMIT[:2], str(table), *SUBMIT[2:]], data, kill_at=f"{point}:{nth}")
        if killed.returncode == 0:              # past the command's last commit: every one was tried
            assert nth > 5, killed.stdout
            break
        assert killed.returncode == -signal.SIGKILL, (nth, killed.stderr)
        _use(data, monkeypatch)
        _verified()                             # consistent as the kill left it
        again = runner.invoke(app, [*SUBMIT[:2], str(table), *SUBMIT[2:]])
        assert again.exit_code == 0, (nth, again.output)
        assert json.loads(again.output)["status"] in ("queued", "already_submitted")
        _round_is_whole_once(table)
        _verified()
    else:
        pytest.fail("the submission never ended")


def test_a_second_round_at_the_same_moment_is_told_and_stores_nothing(ready, tmp_path):
    """A real second process holds the county's round (alive); `submit` is refused with exit 75
    naming it; once that holder is killed, the next `submit` takes the county over and completes."""
    base, table = ready
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from inspection.db import repo, session_scope; from inspection.services import leases\n"
        "with session_scope() as s:\n"
        "    leases.take(s, county=repo.get_county(s, name='泽普县'), holder='泽普县教育局（另一台电脑）')\n"
        "print('held', flush=True); time.sleep(120)")],
        env={**os.environ, "INSPECTION_DATA_DIR": str(base), "INSPECTION_AUDIT_ANCHOR": str(base / "anchor.log")},
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        told = _process([*SUBMIT[:2], str(table), *SUBMIT[2:]], base)
        assert told.returncode == 75, told.stderr
        assert "错误：泽普县的另一份自评材料正在处理中（泽普县教育局（另一台电脑）于" in told.stderr
        assert "Error: another self-assessment round of 泽普县" in told.stderr and "Traceback" not in told.stderr
        from inspection.db import session_scope
        with session_scope() as s:
            assert _count(s, Submission, Submission.kind == "self_assessment") == 0
    finally:
        holder.kill()
        holder.wait()
    done = _process([*SUBMIT[:2], str(table), *SUBMIT[2:]], base)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "queued"
    _round_is_whole_once(table)


@pytest.mark.parametrize("kill_at", ["audit:letter.render:1", "audit:ledger.write:5"])
def test_a_demo_killed_between_steps_completes_when_run_again(tmp_path, monkeypatch, kill_at):
    """Killed after the verdict was recorded and before its letter; or in the middle of the annual
    monitoring run (the 5th county's ledger): the re-run writes the letter / the missing ledgers once."""
    data = tmp_path / "demo"
    killed = _process(["demo", "--as-of", "2026-11-29"], data, kill_at=kill_at)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    _use(data, monkeypatch)
    _verified()
    again = _process(["demo", "--as-of", "2026-11-29"], data)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr[-2000:]
    events = _verified()
    from inspection.db import session_scope
    with session_scope() as s:
        verdicts = s.exec(select(ReviewVerdict)).all()
        assert [v.document_number for v in verdicts] == ["喀教督〔2025〕1号"]
        from inspection.services.letters import letter_file
        assert letter_file(verdicts[0]).read_bytes()[:5] == b"%PDF-" and not Path(verdicts[0].letter_path).is_absolute()
        assert _count(s, AuditEvent, AuditEvent.action == "letter.render") == 1
        ledgers = s.exec(select(AuditEvent.entity_id).where(AuditEvent.action == "ledger.write")).all()
        assert len(ledgers) == len(set(ledgers)) == 12                    # each county's 2026 ledger once
        assert _count(s, RoundLease) == 0
    third = _process(["demo", "--as-of", "2026-11-29"], data)
    assert third.returncode == 0
    assert _verified() == events                                          # a complete demo changes nothing


def _servers_of(data: Path) -> list[int]:
    """Prefect API servers (uvicorn on create_app) started for the data folder `data`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if b"create_app" in (proc / "cmdline").read_bytes() and \
                    f"INSPECTION_DATA_DIR={data}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except (OSError, ValueError):
            continue
    return found


def test_a_killed_command_leaves_no_temporary_prefect_server_behind(ready, tmp_path):
    """Without a configured server, Prefect's temporary one is a child of the command: SIGKILL
    skips Prefect's own clean-up, and the watchdog started beside it stops it instead."""
    import time
    base, table = ready
    killed = _process([*SUBMIT[:2], str(table), *SUBMIT[2:]], base, kill_at="before-commit:2", own_server=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    for _ in range(100):
        if not _servers_of(base):
            break
        time.sleep(0.1)
    assert _servers_of(base) == []
