"""The rule engine stays pure: no database, Prefect or Streamlit below inspection.rules and friends."""

import ast
from pathlib import Path

import inspection

PURE = ["rules", "standard.py", "table.py", "columns.py", "evaluation.py", "demo.py", "errors.py", "numerals.py"]
FORBIDDEN = ("prefect", "streamlit", "sqlmodel", "sqlalchemy", "inspection.db", "weasyprint")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_domain_core_imports_no_io_frameworks():
    root = Path(inspection.__file__).parent
    files = [p for name in PURE for p in ((root / name).rglob("*.py") if (root / name).is_dir() else [root / name])]
    assert len(files) >= 8
    for path in files:
        bad = [m for m in _imports(path) if m.startswith(FORBIDDEN)]
        assert not bad, f"{path.name} imports {bad}"
