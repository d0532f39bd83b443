"""The package's public surface, and its vocabulary as data."""

import inspection.ingest as ingest


def test_all_names_exist():
    assert ingest.__all__ == sorted(ingest.__all__)
    for name in ingest.__all__:
        assert hasattr(ingest, name), name


def test_vocabularies_are_data_files():
    from inspection.standard import STANDARDS_DIR
    assert (STANDARDS_DIR / "table-headers.toml").exists() and (STANDARDS_DIR / "veto-lexicon.toml").exists()
