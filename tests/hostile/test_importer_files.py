"""Hostile input files for `lsr ingest`: a careless or broken file is refused in one line.

Every probe writes its own broken file (built in code from a valid one) into a temporary
directory and runs the real command line in-process. Each must end with exit 2 and exactly one
line on stderr naming the file (and, for a row-level problem, the row and the column), and the
published data must be byte-identical afterwards. The valid files are imported too, so a
refusal is known to come from the damage and not from the fixture.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from lsr import cli
from tests.fixtures import COUNCILS, NAMES, publish_fixture

OFLOG_HEADER = (
    "Financial year,Local authority code,Local authority name,Grouping,Entity_Name,Region,"
    "Measure,Code,Value,MEDIAN,MADs_from_median,rank_order"
)
SEQUEL = '"Outcome, Outcome of short-term services: sequel to service"'
EASE = '"Outcome, Ease of finding information about services – service users"'  # en dash
TIDY_HEADER = "metric_id,area_code,period,value,vintage"


def oflog_text() -> str:
    rows = [
        f"2016-17,{code},Council {i},LA_Raw,Unitary Authorities,North East,{SEQUEL},ASC5,"
        f"{70 + i},76.8,-0.45,DESC"
        for i, code in enumerate(COUNCILS)
    ]
    return "\n".join([OFLOG_HEADER, *rows]) + "\n"


def tidy_text() -> str:
    rows = [f"ascof_2b1,{code},2016/17,{80 + i / 10:.1f},local return" for i, code in
            enumerate(COUNCILS)]  # fmt: skip
    return "\n".join([TIDY_HEADER, *rows]) + "\n"


def comparators_text() -> str:
    rows = [
        f"{NAMES[code]},{NAMES[peer]},{rank}"
        for index, code in enumerate(COUNCILS)
        for rank, peer in enumerate(
            [COUNCILS[(index + k) % len(COUNCILS)] for k in range(1, 16)], start=1
        )
    ]
    return "\n".join(["area_code,peer_code,rank", *rows]) + "\n"


@dataclass(frozen=True)
class Importer:
    source: str
    name: str
    valid: Callable[[], str]
    options: tuple[str, ...] = ()


CSV_IMPORTERS = {
    "ascof": Importer("ascof", "ASC_data.csv", oflog_text),
    "tidy": Importer("tidy", "series.csv", tidy_text),
    "comparators": Importer("comparators", "peers.csv", comparators_text, ("--method", "mine")),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("hostile") / "data"
    publish_fixture(directory)
    return directory


@pytest.fixture
def data_dir(tmp_path: Path, published: Path) -> Path:
    return Path(shutil.copytree(published, tmp_path / "data"))


def published_bytes(data_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and p.name != ".publish.lock"
    }


def run(data_dir: Path, importer: Importer, path: Path, capsys) -> tuple[int, str]:
    argv = ["--data-dir", str(data_dir), "ingest", importer.source, str(path), *importer.options]
    code = cli.main(argv)
    return code, capsys.readouterr().err


def assert_refused(data_dir, importer, path, capsys, *, row=None, column=None) -> str:
    """Exit 2, one line naming the file (row, column), and nothing published changed."""
    before = published_bytes(data_dir)
    code, err = run(data_dir, importer, path, capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:2000]
    line = lines[0]
    assert len(line) < 400, line[:400]
    assert line.startswith("lsr ingest: ") and path.name in line, line
    if row is not None:
        assert re.search(rf"\brow {row}\b", line), line
    if column is not None:
        assert f"column {column!r}" in line, line
    assert published_bytes(data_dir) == before
    return line


def lines_of(importer: Importer) -> list[str]:
    return importer.valid().splitlines()


def write(tmp_path: Path, importer: Importer, content: str | bytes) -> Path:
    path = tmp_path / importer.name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("name", sorted(CSV_IMPORTERS))
class TestBrokenCsvRows:
    """Field counts and file ends: each importer checks every row against its header."""

    def test_the_valid_file_is_imported(self, name, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS[name]
        code, err = run(data_dir, importer, write(tmp_path, importer, importer.valid()), capsys)
        assert code == 0, err

    def test_a_row_missing_a_field_is_refused(self, name, tmp_path, data_dir, capsys):
        # Given the fourth data row (row 5) with one field left out, so later ones slide left
        importer = CSV_IMPORTERS[name]
        lines = lines_of(importer)
        cells = lines[4].split(",")
        del cells[-3]
        lines[4] = ",".join(cells)
        path = write(tmp_path, importer, "\n".join(lines) + "\n")
        # Then the batch is refused naming the row and the first column left without a value
        header = lines[0].split(",")
        line = assert_refused(data_dir, importer, path, capsys, row=5, column=header[-1])
        assert "field is missing" in line

    def test_a_row_with_an_extra_field_is_refused(self, name, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS[name]
        lines = lines_of(importer)
        lines[3] += ",12"
        path = write(tmp_path, importer, "\n".join(lines) + "\n")
        assert_refused(data_dir, importer, path, capsys, row=4)

    def test_a_file_cut_mid_row_is_refused(self, name, tmp_path, data_dir, capsys):
        # Given the file cut in half, inside a row (no line end after the last, short row)
        importer = CSV_IMPORTERS[name]
        text = importer.valid()
        half = len(text) // 2
        while text[half - 1] != ",":  # cut just after a separator: the row is short
            half += 1
        path = write(tmp_path, importer, text[:half])
        row = text[:half].count("\n") + 1
        line = assert_refused(data_dir, importer, path, capsys, row=row)
        assert "cut short" in line

    def test_a_file_ending_inside_a_quoted_field_is_refused(self, name, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS[name]
        text = importer.valid() + '"E06000001,'
        path = write(tmp_path, importer, text)
        row = text.count("\n") + 1
        line = assert_refused(data_dir, importer, path, capsys, row=row)
        assert "quoted field" in line

    def test_a_five_megabyte_field_is_refused(self, name, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS[name]
        lines = lines_of(importer)
        cells = lines[2].split(",")
        cells[1] = "x" * 5_000_000
        lines[2] = ",".join(cells)
        path = write(tmp_path, importer, "\n".join(lines) + "\n")
        line = assert_refused(data_dir, importer, path, capsys, row=3)
        assert "longer than" in line

    def test_nul_bytes_are_refused(self, name, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS[name]
        path = write(tmp_path, importer, importer.valid().replace("\n", "\x00\n", 3))
        assert "NUL" in assert_refused(data_dir, importer, path, capsys)

    def test_a_directory_given_as_the_file_is_refused(self, name, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS[name]
        path = tmp_path / importer.name
        path.mkdir()
        assert "directory" in assert_refused(data_dir, importer, path, capsys)

    def test_an_empty_file_and_a_header_alone_are_refused(self, name, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS[name]
        assert_refused(data_dir, importer, write(tmp_path, importer, b""), capsys)
        header = lines_of(importer)[0] + "\n"
        assert_refused(data_dir, importer, write(tmp_path, importer, header), capsys)

    def test_binary_garbage_is_refused(self, name, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS[name]
        garbage = bytes((i * 7919 + 13) % 256 for i in range(4096))
        assert_refused(data_dir, importer, write(tmp_path, importer, garbage), capsys)


@pytest.mark.parametrize("name", ["ascof", "tidy"])
def test_a_complete_last_row_without_a_line_break_is_read_with_a_warning(
    name, tmp_path, data_dir, capsys
):
    # Given a file whose last row is complete but has no line break (as some tools save)
    importer = CSV_IMPORTERS[name]
    text = importer.valid().rstrip("\n")
    # When imported, it is read, and the summary asks the user to check it is complete
    argv = ["--data-dir", str(data_dir), "ingest", importer.source,
            str(write(tmp_path, importer, text))]  # fmt: skip
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    rows = text.count("\n") + 1
    assert f"row {rows}: the file does not end with a line break" in out


CUTS = int(os.environ.get("LSR_FUZZ_CASES", "4"))  # the long run (make fuzz) sets more


def _cut_offsets(text: str, count: int) -> list[int]:
    """``count`` offsets spread over ``text`` that are not just after a line break."""
    step = max(1, len(text) // (count + 1))
    offsets = []
    for offset in range(step, len(text), step):
        while text[offset - 1] == "\n":
            offset += 1
        offsets.append(offset)
    return offsets[:count]


@pytest.mark.parametrize("name", sorted(CSV_IMPORTERS))
def test_a_file_cut_anywhere_is_refused_or_flagged(name, tmp_path, data_dir, capsys):
    """Cut inside a row: refused; cut inside the last field of a row (the field count is whole),
    read only with the summary's warning that the file may be incomplete."""
    importer = CSV_IMPORTERS[name]
    text = importer.valid()
    refused = flagged = 0
    for offset in _cut_offsets(text, CUTS):
        path = write(tmp_path, importer, text[:offset])
        before = published_bytes(data_dir)
        argv = ["--data-dir", str(data_dir), "ingest", importer.source, str(path),
                *importer.options]  # fmt: skip
        code = cli.main(argv)
        captured = capsys.readouterr()
        if code == 2:
            assert len(captured.err.strip().splitlines()) == 1, captured.err
            assert published_bytes(data_dir) == before
            refused += 1
        else:
            assert code == 0 and "does not end with a line break" in captured.out, captured
            flagged += 1
    assert refused + flagged == len(_cut_offsets(text, CUTS)) and refused >= 1


class TestOflogFieldSlide:
    """Issue 15.6: Shropshire's 2016/17 2D was published as its MEDIAN (76.8) instead of 73."""

    def test_value_left_out_is_refused_not_replaced_by_the_median(self, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS["ascof"]
        lines = lines_of(importer)
        cells = lines[3].split(",")  # ..., Code, Value, MEDIAN, MADs, rank
        value_index = len(cells) - 4
        assert cells[value_index + 1] == "76.8"
        del cells[value_index]
        lines[3] = ",".join(cells)
        path = write(tmp_path, importer, "\n".join(lines) + "\n")
        assert_refused(data_dir, importer, path, capsys, row=4, column="rank_order")


class TestEncodings:
    def test_a_windows_1252_ascof_file_is_read_with_its_en_dash(self, tmp_path, data_dir, capsys):
        # Given an Oflog file saved by Excel as "CSV" (Windows-1252): the measure has an en dash
        importer = CSV_IMPORTERS["ascof"]
        lines = lines_of(importer)
        lines[1:] = [line.replace(SEQUEL, EASE).replace(",ASC5,", ",ASC7,") for line in lines[1:]]
        path = write(tmp_path, importer, ("\n".join(lines) + "\n").encode("cp1252"))
        # When imported, the measure is recognised and the values published as real
        code, err = run(data_dir, importer, path, capsys)
        assert code == 0, err
        from extracts.publish import read_current

        rows = [
            r
            for r in read_current(data_dir, "indicators").to_pylist()
            if r["metric_id"] == "ascof_3d1" and r["source"] == "ascof"
        ]
        assert sorted(r["value"] for r in rows) == [70.0 + i for i in range(len(COUNCILS))]

    def test_a_latin_1_tidy_file_is_read(self, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS["tidy"]
        text = importer.valid().replace("local return", "Région return £")
        path = write(tmp_path, importer, text.encode("latin-1"))
        code, err = run(data_dir, importer, path, capsys)
        assert code == 0, err
        from extracts.publish import read_current

        vintages = {
            r["vintage"]
            for r in read_current(data_dir, "indicators").to_pylist()
            if r["source"] == "tidy"
        }
        assert vintages == {"Région return £"}

    def test_bytes_that_are_no_known_encoding_are_refused(self, tmp_path, data_dir, capsys):
        importer = CSV_IMPORTERS["tidy"]
        text = importer.valid().encode("utf-8").replace(b"local", b"loc\x81\x8d\x90l")
        path = write(tmp_path, importer, text)
        assert "UTF-8" in assert_refused(data_dir, importer, path, capsys)


# --- JSON ------------------------------------------------------------------------------------
JSON_IMPORTERS = {
    "comparators": Importer("comparators", "NN.json", lambda: "{}"),
    "hexmap": Importer("hexmap", "councils.hexjson", lambda: "{}"),
}


@pytest.mark.parametrize("name", sorted(JSON_IMPORTERS))
class TestBrokenJson:
    def test_nested_100000_deep_is_refused(self, name, tmp_path, data_dir, capsys):
        importer = JSON_IMPORTERS[name]
        path = write(tmp_path, importer, "[" * 100_000 + "]" * 100_000)
        assert "nested" in assert_refused(data_dir, importer, path, capsys)

    def test_cut_short_is_refused_naming_the_line(self, name, tmp_path, data_dir, capsys):
        importer = JSON_IMPORTERS[name]
        document = {code: COUNCILS[:16] for code in COUNCILS}
        text = json.dumps(document, indent=1)
        path = write(tmp_path, importer, text[: len(text) // 2])
        line = assert_refused(data_dir, importer, path, capsys)
        assert "not valid JSON" in line and "row " in line

    def test_not_utf8_and_a_directory_are_refused(self, name, tmp_path, data_dir, capsys):
        importer = JSON_IMPORTERS[name]
        assert_refused(data_dir, importer, write(tmp_path, importer, b'{"\xff": 1}'), capsys)
        path = tmp_path / "folder.json"
        path.mkdir()
        assert_refused(data_dir, importer, path, capsys)

    def test_a_list_at_the_top_is_refused(self, name, tmp_path, data_dir, capsys):
        importer = JSON_IMPORTERS[name]
        assert_refused(data_dir, importer, write(tmp_path, importer, "[1, 2, 3]"), capsys)


# --- workbooks -------------------------------------------------------------------------------
def xls_bytes() -> bytes:
    """A small real .xls (BIFF8) workbook, written by xlwt."""
    import io

    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("MYE2 - Persons")
    for row in range(200):
        for column in range(12):
            sheet.write(row, column, f"cell {row}:{column}" if column < 2 else row * column)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WORKBOOK_IMPORTERS = {
    "ons-population": Importer("ons-population", "mid2016.xls", lambda: ""),
    "dtoc": Importer("dtoc", "Sep_17.xls", lambda: ""),
}


@pytest.mark.parametrize("name", sorted(WORKBOOK_IMPORTERS))
class TestBrokenWorkbooks:
    @pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
    def test_a_truncated_xls_is_refused(self, name, fraction, tmp_path, data_dir, capsys):
        importer = WORKBOOK_IMPORTERS[name]
        data = xls_bytes()
        path = write(tmp_path, importer, data[: int(len(data) * fraction)])
        assert_refused(data_dir, importer, path, capsys)

    def test_text_and_a_directory_named_xls_are_refused(self, name, tmp_path, data_dir, capsys):
        importer = WORKBOOK_IMPORTERS[name]
        assert_refused(data_dir, importer, write(tmp_path, importer, "a,b\n1,2\n"), capsys)
        path = tmp_path / "folder.xls"
        path.mkdir()
        assert "directory" in assert_refused(data_dir, importer, path, capsys)


@pytest.mark.realdata
def test_a_truncated_ons_workbook_is_refused(real_data, tmp_path, data_dir, capsys):
    """Issue 15.7: a truncated ONS .xls raised xlrd's IndexError (exit 1)."""
    importer = WORKBOOK_IMPORTERS["ons-population"]
    source = sorted((real_data / "ons_mye").glob("*.xls"))[0]
    data = source.read_bytes()
    for fraction in (0.3, 0.6, 0.95):
        path = tmp_path / source.name
        path.write_bytes(data[: int(len(data) * fraction)])
        assert_refused(data_dir, importer, path, capsys)


# --- any importer: the message stays one bounded, printable line -----------------------------
@pytest.mark.parametrize("source", ["hes-apc", "hes-ae"])
def test_binary_record_extracts_give_one_printable_line(source, tmp_path, data_dir, capsys):
    # Given bytes with newlines and control characters that the CSV parser quotes back
    importer = Importer(source, "extract.csv", lambda: "")
    garbage = bytes((i * 7919 + 13) % 256 for i in range(5000))
    line = assert_refused(data_dir, importer, write(tmp_path, importer, garbage), capsys)
    assert line.isprintable()


def test_one_line_folds_newlines_controls_and_length():
    assert cli.one_line("a\nb\r\n\tc\x00d\x1b") == "a b c?d?"
    long = cli.one_line("x" * 5_000_000)
    assert len(long) == cli.MESSAGE_LIMIT and long.endswith("…")


# --- every importer against the same careless files ------------------------------------------
def _careless_files() -> dict[str, tuple[str, bytes | None]]:
    """Probe name -> (file suffix, content); None makes a directory of that name."""
    xls = xls_bytes()
    return {
        "empty": (".csv", b""),
        "binary": (".csv", bytes((i * 7919 + 13) % 256 for i in range(5000))),
        "truncated xls": (".xls", xls[: len(xls) // 2]),
        "xlsx garbage": (".xlsx", b"PK\x03\x04" + bytes(3000)),
        "json nested 100,000 deep": (".json", b"[" * 100_000 + b"]" * 100_000),
        "latin-1 csv": (".csv", "a,b,c\n\xe9,2,3\n".encode("latin-1")),
        "5 MB field": (".csv", b"a,b\n1," + b"x" * 5_000_000 + b"\n"),
        "directory": (".csv", None),
    }


SOURCES = sorted(set(cli.commands.INGESTERS) - {"reference"})  # reference reads a folder


@pytest.mark.parametrize("probe", sorted(_careless_files()))
@pytest.mark.parametrize("source", SOURCES)
def test_every_importer_refuses_careless_files_in_one_line(
    source, probe, tmp_path, data_dir, capsys
):
    suffix, content = _careless_files()[probe]
    if source == "chc":  # CHC needs a CCG lookup first, or it stops before reading the file
        lookup = tmp_path / "lookup.csv"
        lookup.write_text(f"ccg_code,area_code,weight\n00T,{COUNCILS[0]},1\n")
        code, err = run(data_dir, Importer("ccg-lookup", "lookup.csv", str), lookup, capsys)
        assert code == 0, err
    importer = Importer(source, f"input{suffix}", lambda: "")
    path = tmp_path / importer.name
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    assert_refused(data_dir, importer, path, capsys)


def test_an_xlsx_whose_sheet_is_damaged_after_its_header_is_refused(tmp_path, data_dir, capsys):
    # Given a CQC .xlsx with a proper header row, whose sheet XML is cut inside the next row
    # (the zip itself is intact, so the workbook opens and the damage is met while reading)
    import io
    import zipfile

    from openpyxl import Workbook

    from extracts.ingest.cqc import COLUMNS, REQUIRED

    book = Workbook()
    book.active.append([COLUMNS[name][0] for name in REQUIRED])
    for row in range(300):
        book.active.append([f"1-{row:09d}", f"Home {row}", "Y", "Y", "", "", 20, "Halton",
                            "Good", "01/01/2017"])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    damaged = tmp_path / "ratings.xlsx"
    with zipfile.ZipFile(buffer) as source_zip, zipfile.ZipFile(damaged, "w") as target:
        for item in source_zip.infolist():
            data = source_zip.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: data.index(b"</row>") + 30]
            target.writestr(item, data)
    # Then the import is refused in one line naming the file and the damage
    importer = Importer("cqc-ratings", damaged.name, str)
    assert "not a readable .xlsx" in assert_refused(data_dir, importer, damaged, capsys)
