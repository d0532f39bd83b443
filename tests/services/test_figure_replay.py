"""The figures against the audit log: a figure changed in the tables, bypassing the program, is
found by `verify_state`; one changed through the program (a correction with its reason) is not."""

from datetime import date

from sqlalchemy import text

from inspection.db import audit, session_scope
from inspection.db.models import CountyIndicatorValue
from tests.services.conftest import county, self_assess, school_workbook


def _problems(db) -> list[str]:
    with session_scope(db) as s:
        return audit.verify_state(s, "plan_submission")


def test_a_figure_changed_in_the_tables_is_found_and_a_corrected_one_is_not(db, tmp_path, standard):
    from tests.services.test_cycle_services import _plan
    _plan(db, tmp_path)
    self_assess(db, date(2025, 5, 10), school_workbook(tmp_path / "t.xlsx", standard))
    assert [p for p in _problems(db) if "数据" in p] == []
    from inspection import webapi
    from inspection.access import Principal
    from inspection.db.models import User
    with session_scope(db) as s:
        s.add(User(username="weiyuan", display_name="委员", role="committee", password_hash="x"))
    with session_scope(db) as s:
        fig = s.exec(text("SELECT s.name, f.stage FROM schoolyearfigures f JOIN school s ON s.id = f.school_id "
                          "ORDER BY f.id LIMIT 1")).one()
    webapi.correct_figure(Principal("weiyuan", "committee"), "泽普县", year=2025, school=fig[0], stage=fig[1],
                          field="students", value=777, reason="原表录入错误，以学籍系统为准")
    assert [p for p in _problems(db) if "数据" in p] == []                     # through the program: in the log
    with session_scope(db) as s:
        s.exec(text("UPDATE schoolyearfigures SET students = students + 1 WHERE id = "
                    "(SELECT min(id) FROM schoolyearfigures)"))
        s.exec(text("UPDATE countyindicatorvalue SET evidence = '改过的佐证' WHERE id = "
                    "(SELECT min(id) FROM countyindicatorvalue)"))
    problems = _problems(db)
    assert "泽普县2025年的学校数据与审计日志最后记录的不符（表中数据被直接改动）" in problems
    assert "泽普县2025年的县级指标数据与审计日志最后记录的不符（表中数据被直接改动）" in problems
    with session_scope(db) as s:                                                # and a row deleted outright
        s.exec(text("DELETE FROM schoolyearfigures WHERE id = (SELECT max(id) FROM schoolyearfigures)"))
        assert s.get(CountyIndicatorValue, 1) is not None and county(s).name == "泽普县"
        assert s.exec(text("SELECT count(*) FROM schoolyearfigures")).one()[0] == 9
    assert sum("学校数据" in p for p in _problems(db)) == 1
