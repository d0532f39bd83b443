from inspection.demo import COUNTY_SIZES, county_schools, prefecture_schools, to_csv
from inspection.rules import evaluate_resources
from inspection.demo import to_table


def test_demo_is_reproducible_and_plausible(standard, schedule):
    a = prefecture_schools(standard, schedule, seed=7)
    b = prefecture_schools(standard, schedule, seed=7)
    assert set(a) == set(COUNTY_SIZES) == {c.name for c in schedule.counties}
    assert to_csv(a["泽普县"]) == to_csv(b["泽普县"])
    for name, schools in a.items():
        students = [s.figures["students"] for s in schools]
        assert 150 <= min(students) and max(students) <= 2000, name
        nine_year = [s.name for s in schools if "九年一贯制" in s.name]
        assert nine_year and len(nine_year) % 2 == 0


def test_counties_due_later_are_further_off_and_short_on_grounds(standard, schedule):
    def met_share(name, year):
        return evaluate_resources(to_table(county_schools(standard, name, year)), standard).met.mean(axis=0)
    early, late = met_share("泽普县", 2025), met_share("莎车县", 2034)
    assert early.mean() > late.mean() + 0.3
    assert early[4] < early[0]  # R5 sports grounds lag behind R1 teachers, as the plan says


def test_demo_csv_reads_back_identically(tmp_path, standard):
    from inspection.ingest import read_school_table
    schools = county_schools(standard, "岳普湖县", 2028)
    path = tmp_path / "demo.csv"
    path.write_text(to_csv(schools), encoding="utf-8")
    read = evaluate_resources(read_school_table(path, standard), standard)
    direct = evaluate_resources(to_table(schools), standard)
    assert (read.passed == direct.passed).all()
