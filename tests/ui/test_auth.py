"""Local accounts: argon2 hashes, sign-in, account commands."""

import pytest
from typer.testing import CliRunner

from inspection import webapi
from inspection.auth import authenticate, create_user, hash_password, set_active, verify_password
from inspection.cli import app
from inspection.db import session_scope
from inspection.errors import AccessDenied, InspectionError

runner = CliRunner()


def test_hash_is_argon2id_and_verifies():
    h = hash_password("correct horse")
    assert h.startswith("$argon2id$") and "correct horse" not in h
    assert verify_password(h, "correct horse") and not verify_password(h, "wrong")
    assert not verify_password("not-a-hash", "x")


def test_authenticate_right_wrong_unknown_and_disabled(ui_db):
    with session_scope() as s:
        me = authenticate(s, username="zepu", password="junheng-zepu")
        assert me.role == "county" and me.county_name == "泽普县"
        assert authenticate(s, username="zepu", password="nope") is None
        assert authenticate(s, username="nobody", password="junheng-zepu") is None
        set_active(s, username="zepu", active=False, actor="t")
    with session_scope() as s:
        assert authenticate(s, username="zepu", password="junheng-zepu") is None


def test_create_user_validates(ui_db):
    with session_scope() as s:
        with pytest.raises(InspectionError, match="已存在"):
            create_user(s, username="zepu", password="x" * 8, role="county", county="泽普县", actor="t")
        with pytest.raises(InspectionError, match="至少8位"):
            create_user(s, username="new", password="short", role="observer", actor="t")
        with pytest.raises(InspectionError, match="必须指定所属县市"):
            create_user(s, username="new", password="x" * 8, role="county", actor="t")
        with pytest.raises(InspectionError, match="无效"):
            create_user(s, username="new", password="x" * 8, role="admin", actor="t")
        with pytest.raises(InspectionError, match="没有县市"):
            create_user(s, username="new", password="x" * 8, role="county", county="火星县", actor="t")


def test_cli_user_add_list_disable(ui_db):
    result = runner.invoke(app, ["user", "add", "shache", "--role", "county", "--county", "莎车县",
                                 "--password", "shache-2026"])
    assert result.exit_code == 0, result.output
    assert webapi.sign_in("shache", "shache-2026").county_name == "莎车县"
    listing = runner.invoke(app, ["user", "list"])
    assert "shache\tcounty\t莎车县\t启用" in listing.output
    assert runner.invoke(app, ["user", "disable", "shache"]).exit_code == 0
    with pytest.raises(AccessDenied):
        webapi.sign_in("shache", "shache-2026")
    bad = runner.invoke(app, ["user", "add", "x", "--role", "county", "--password", "12345678"])
    assert bad.exit_code == 1 and "县市账号必须指定所属县市" in bad.output and "Traceback" not in bad.output


def test_demo_users_prints_accounts_and_is_idempotent(ui_db):
    for _ in range(2):
        result = runner.invoke(app, ["demo-users"])
        assert result.exit_code == 0, result.output
    for name, password in (("weiyuan", "junheng-weiyuan"), ("zepu", "junheng-zepu"), ("guancha", "junheng-guancha")):
        assert name in result.output and password in result.output
        assert webapi.sign_in(name, password).username == name


def test_sign_in_locks_after_repeated_failures(ui_db):
    for _ in range(5):
        with pytest.raises(AccessDenied, match="用户名或密码错误"):
            webapi.sign_in("bachu", "wrong-password")
    with pytest.raises(AccessDenied, match="次数过多"):
        webapi.sign_in("bachu", "junheng-bachu")


def test_the_lockout_holds_across_processes(ui_db):
    """Failures made by another server process (here a child Python) lock the account here too."""
    import subprocess
    import sys
    script = ("from inspection import webapi\n"
              "for _ in range(5):\n"
              "    try: webapi.sign_in('zepu', 'wrong-password')\n"
              "    except Exception: pass\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    with pytest.raises(AccessDenied, match="次数过多"):
        webapi.sign_in("zepu", "junheng-zepu")


def test_sign_in_session_resumes_until_closed_or_disabled(ui_db, monkeypatch):
    monkeypatch.setenv("INSPECTION_SESSION_HOURS", "2")
    me, token, max_age = webapi.sign_in_session("zepu", "junheng-zepu")
    assert me.county_name == "泽普县" and max_age == 2 * 3600
    assert webapi.resume_session(token) == me
    assert webapi.resume_session(None) is None and webapi.resume_session("not-a-token") is None
    with pytest.raises(AccessDenied):
        webapi.sign_in_session("zepu", "wrong-password")
    webapi.close_session(token)
    assert webapi.resume_session(token) is None
    _, token, _ = webapi.sign_in_session("zepu", "junheng-zepu")
    with session_scope() as s:
        set_active(s, username="zepu", active=False, actor="t")
    assert webapi.resume_session(token) is None
