"""The package's public surface, and its vocabulary as data."""

import re

import pytest

import inspection.ingest as ingest


def test_all_names_exist():
    assert ingest.__all__ == sorted(ingest.__all__)
    for name in ingest.__all__:
        assert hasattr(ingest, name), name


def test_vocabularies_are_data_files():
    from inspection.standard import STANDARDS_DIR
    assert (STANDARDS_DIR / "table-headers.toml").exists() and (STANDARDS_DIR / "veto-lexicon.toml").exists()


def test_header_rules_are_validated_with_parts():
    from inspection.ingest.headers import load_vocabulary
    vocab = load_vocabulary()
    assert len(vocab.parts["art_teachers"]) == 2


def _rules_with(tmp_path, parts: str):
    from inspection.standard import STANDARDS_DIR
    text = (STANDARDS_DIR / "table-headers.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^\[parts\.[^\]]+\]\nparts = .*\n", "", text)
    path = tmp_path / "table-headers.toml"
    path.write_text(text + "\n" + parts + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("parts, needle", [
    ('[parts.art_teachers]\nparts = [{ all = ["音乐", "教师"] }]', "at least 2"),        # one part
    ('[parts.art_teachers]\nparts = [{ any = ["音乐"] }, { all = ["美术"] }]', "parts.0.all"),  # `any`, no `all`
    ('[parts.art_teachers]\nparts = ["音乐", "美术"]', "parts.art_teachers"),           # not rules
    ('[parts.art_teachers]\nparts = [{ all = [] }, { all = ["美术"] }]', "at least 1"),  # empty rule
    ('[parts.art_teachers]\nparts = [{ all = ["音乐("] }, { all = ["美术"] }]', "正则表达式"),
    ('[parts.art_teachers]\nrules = [{ all = ["音乐"] }, { all = ["美术"] }]', "parts"),  # misnamed
    ('[parts.music_teachers]\nparts = [{ all = ["音乐"] }, { all = ["美术"] }]', "不是 [fields] 中的字段"),
    ('[parts.name]\nparts = [{ all = ["校名"] }, { all = ["学校"] }]', "不是数字列"),
])
def test_malformed_parts_are_rejected(tmp_path, parts, needle):
    from inspection.errors import StandardError
    from inspection.ingest.headers import load_vocabulary
    assert load_vocabulary(_rules_with(tmp_path, "")).parts == {}  # the file without parts is valid
    with pytest.raises(StandardError) as err:
        load_vocabulary(_rules_with(tmp_path, parts))
    assert "表头规则文件 table-headers.toml" in err.value.zh and "parts." in err.value.zh
    assert needle in err.value.zh
