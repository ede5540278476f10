"""The checked readers every importer opens files through (extracts/ingest/files.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extracts.ingest import files
from extracts.ingest.problems import IngestError, Location, Summary


def write(tmp_path: Path, content: bytes | str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def refusal(call) -> IngestError:
    with pytest.raises(IngestError) as caught:
        call()
    return caught.value


class TestCsvFile:
    def test_rows_are_numbered_as_a_spreadsheet_shows_them_blank_rows_skipped(self, tmp_path):
        path = write(tmp_path, "a,b\n1,2\n\n,\n3,4\n")
        reader = files.CsvFile(path)
        assert reader.header == ["a", "b"]
        assert list(reader) == [(2, ["1", "2"]), (5, ["3", "4"])]

    def test_trailing_empty_fields_of_a_spreadsheet_export_are_dropped(self, tmp_path):
        path = write(tmp_path, "a,b,\n1,2,\n3,4,,\n")
        reader = files.CsvFile(path)
        assert reader.header == ["a", "b"] and [c for _, c in reader] == [["1", "2"], ["3", "4"]]

    @pytest.mark.parametrize(
        ("text", "row", "column", "message"),
        [
            ("a,b,c\n1,2,3\n4,5\n", 3, "c", "a field is missing"),
            ("a,b,c\n1,2,3,4\n", 2, "D", "a value beyond the last column"),
            ("a,b,c\n1,2,3\n4,5", 3, "c", "ends mid-row (2 of 3 fields)"),
            ('a,b\n1,"2\n', 2, None, "ends inside a quoted field"),
            ("a,b\n1," + "x" * 200_000 + "\n", 2, None, "longer than 131,072 characters"),
            ('a,b\n1,"2"x\n', 2, None, "not readable as CSV"),
        ],
    )
    def test_broken_rows_name_file_row_and_column(self, tmp_path, text, row, column, message):
        path = write(tmp_path, text)
        error = refusal(lambda: list(files.CsvFile(path)))
        assert error.location == Location(path, row=row, column=column)
        assert message in error.message

    def test_windows_1252_is_detected_and_decoded(self, tmp_path):
        path = write(tmp_path, "a,b\n£1,–\n".encode("cp1252"))
        reader = files.CsvFile(path)
        assert reader.encoding_name.startswith("Windows-1252")
        assert list(reader) == [(2, ["£1", "–"])]

    def test_nul_bytes_and_undecodable_bytes_are_refused(self, tmp_path):
        assert "NUL" in refusal(lambda: files.CsvFile(write(tmp_path, b"a,b\n1\x00,2\n"))).message
        error = refusal(lambda: files.CsvFile(write(tmp_path, b"a,b\n\xc3(\x81,2\n")))
        assert "neither UTF-8 nor Windows-1252" in error.message
        assert "0xC3 at offset 4" in error.message

    def test_a_missing_final_line_break_is_reported_not_refused(self, tmp_path):
        summary = Summary("test")
        header, rows = files.csv_header_and_rows(write(tmp_path, "a,b\n1,2\n3,4"), summary)
        assert list(rows) == [(2, ["1", "2"]), (3, ["3", "4"])]
        assert summary.warnings == [f"f.csv, row 3: {files.NO_FINAL_LINE_BREAK}"]

    def test_header_without_rows_empty_file_and_directory(self, tmp_path):
        _, rows = files.csv_header_and_rows(write(tmp_path, "a,b\n"))
        assert "header but no rows" in refusal(lambda: list(rows)).message
        assert "empty" in refusal(lambda: files.CsvFile(write(tmp_path, b""))).message
        (tmp_path / "d.csv").mkdir()
        assert "directory" in refusal(lambda: files.CsvFile(tmp_path / "d.csv")).message


class TestTitledCsv:
    def test_title_rows_are_free_rows_after_the_header_are_checked(self, tmp_path):
        path = write(tmp_path, "Title\n\nA,B,C\n1,2,3\n4,5\n")
        reader = files.TitledCsv(path)
        rows = iter(reader)
        assert [next(rows), next(rows), next(rows)] == [["Title"], [], ["A", "B", "C"]]
        reader.found_header(["A", "B", "C"])
        assert next(rows) == ["1", "2", "3"]
        error = refusal(lambda: next(rows))
        assert error.location == Location(path, row=5, column="C")


class TestJson:
    def test_valid_json_is_returned(self, tmp_path):
        assert files.load_json(write(tmp_path, '{"a": [1]}', "x.json")) == {"a": [1]}

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
            ('{\n"a": [1,\n', "not valid JSON"),
            (b'{"\xff": 1}', "not UTF-8"),
        ],
    )
    def test_broken_json_is_refused(self, tmp_path, content, message):
        path = write(tmp_path, content, "x.json")
        assert message in refusal(lambda: files.load_json(path)).message

    def test_cut_json_names_the_line(self, tmp_path):
        error = refusal(lambda: files.load_json(write(tmp_path, '{\n"a": [1,\n', "x.json")))
        assert error.location.row == 3


class TestWorkbooks:
    def test_a_truncated_xls_is_one_error(self, tmp_path):
        import io

        import xlwt

        book = xlwt.Workbook()
        sheet = book.add_sheet("S")
        for row in range(100):
            sheet.write(row, 0, row)
        buffer = io.BytesIO()
        book.save(buffer)
        path = write(tmp_path, buffer.getvalue()[:2000], "x.xls")
        assert "not a readable Excel .xls workbook" in refusal(lambda: files.open_xls(path)).message
