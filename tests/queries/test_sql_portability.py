"""Every query, as the store runs it (shared parts composed in), parses and transpiles to Spark
SQL and Trino, so the same SQL can run on a cluster over the same Parquet layout on object
storage (README: Scaling out)."""

from pathlib import Path

import pytest
import sqlglot

from queries.store import SQL_DIR, load_query

SQL_FILES = sorted(SQL_DIR.glob("*.sql"))
SHARED_PARTS = sorted((SQL_DIR / "shared").glob("*.sql"))


def test_there_are_queries_to_check():
    assert len(SQL_FILES) >= 8


@pytest.mark.parametrize("part", SHARED_PARTS, ids=lambda p: p.name)
def test_every_shared_part_is_composed_into_a_checked_query(part: Path):
    body = part.read_text().strip()
    users = [path.stem for path in SQL_FILES if body in load_query(path.stem).text]
    assert users, f"{part.name} is included by no query"


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
class TestPortability:
    def test_starts_with_a_comment_naming_its_parameters(self, path: Path):
        text = path.read_text()
        assert text.startswith("-- ")
        assert "Parameters:" in text
        for parameter in load_query(path.stem).parameters:
            assert f"${parameter}" in text.split("SELECT")[0] or parameter in text

    @pytest.mark.parametrize("dialect", ["spark", "trino"])
    def test_transpiles_without_errors(self, path: Path, dialect: str):
        text = load_query(path.stem).text
        assert "-- include:" not in text
        expressions = sqlglot.parse(text, read="duckdb")
        assert len(expressions) == 1
        translated = expressions[0].sql(dialect=dialect, unsupported_level=sqlglot.ErrorLevel.RAISE)
        assert "SELECT" in translated.upper()
