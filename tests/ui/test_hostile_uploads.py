"""The hostile corpus through the web upload: every file is refused with the reason `evaluate`
gives, named as the county named it — a red "rejected", never "saved", never an exception."""

import pytest

from inspection import webapi
from inspection.errors import ReadError
from tests.ingest.test_bad_input import HOSTILE_ENV, KINDS, _bad


@pytest.fixture
def good(tmp_path, standard):
    from tests.factories import school
    from tests.ingest.factories import Layout, TableSpec, write_csv, write_docx, write_pdf, write_xlsx
    spec = TableSpec.of([school(standard, f"第{k}小学") for k in range(3)], Layout())
    return {"pdf": write_pdf(tmp_path / "t.pdf", spec, Layout()), "docx": write_docx(tmp_path / "t.docx", spec),
            "xlsx": write_xlsx(tmp_path / "t.xlsx", spec), "csv": write_csv(tmp_path / "t.csv", spec)}


def test_every_hostile_file_is_refused_by_the_web_upload(zepu, good, tmp_path, monkeypatch):
    for name, value in HOSTILE_ENV.items():
        monkeypatch.setenv(name, value)
    for kind in KINDS:
        folder = tmp_path / kind
        folder.mkdir()
        path, _error, words = _bad(kind, good, folder)
        shown = f"{kind}-{path.name}"                          # the name the county gave it
        try:
            got = webapi.upload(zepu, filename=shown, data=path.read_bytes())
        except ReadError as refused:                           # refused before it is kept: empty, or not accepted
            assert shown in refused.zh and (path.suffix not in webapi.ACCEPTED or "空文件" in refused.zh), refused.zh
            continue
        assert got["status"] == "rejected", (kind, got["status"], got["error"])
        if not got["duplicate"]:                               # the same bytes as an earlier case: one submission
            assert words in got["error"] and shown in got["error"], (kind, got["error"])
