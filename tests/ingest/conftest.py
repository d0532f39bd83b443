import pytest

from tests.factories import school


@pytest.fixture(scope="session")
def rows(standard):
    """Ten school-stage rows: primaries, a nine-year school (two rows), juniors; one fails R5."""
    out = [school(standard, f"第{i}小学", students=300 + 37 * i, ratios={"R5": 0.9 if i == 3 else 1.1})
           for i in range(1, 6)]
    out += [school(standard, "九年一贯制学校", "primary", 600), school(standard, "九年一贯制学校", "junior", 400)]
    out += [school(standard, f"第{i}中学", "junior", students=500 + 11 * i) for i in range(1, 4)]
    return out


@pytest.fixture(scope="session")
def baseline(rows, standard, tmp_path_factory):
    """The evaluation of the canonical CSV of `rows`: every other format must give the same."""
    from tests.ingest.factories import Layout, TableSpec, write_csv
    from tests.ingest.helpers import evaluate_file
    path = write_csv(tmp_path_factory.mktemp("base") / "base.csv", TableSpec.of(rows, Layout()))
    return evaluate_file(path, standard)
