"""Opening a user's file safely: every way a file can be unreadable becomes one ``IngestError``.

Importers read through these helpers so a directory given as the file, text that is not
UTF-8, a CSV row with a field missing (which would slide the next column into its place), a
file cut short mid-row, an enormous field, a damaged workbook or deeply nested JSON is refused
with one line naming the file, row and column, never a traceback and never a published guess.
CSV rows are streamed: memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extracts.ingest.problems import IngestError, Location, Summary
from extracts.ingest.validation import column_letter

ENCODINGS = ("utf-8-sig", "cp1252")  # what CSVs are saved as: Excel's "CSV UTF-8" and "CSV"
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252 (Latin-1)"}
MAX_FIELD = 131_072  # characters in one CSV field; the csv module's own default limit
MAX_JSON_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 20
NO_FINAL_LINE_BREAK = "the file does not end with a line break: check it is complete"


def require_file(path: Path) -> Path:
    """``path`` as a readable, non-empty regular file, or an error saying what it is instead."""
    path = Path(path)
    where = Location(path)
    if not path.exists():
        raise IngestError(where, "no such file")
    if path.is_dir():
        raise IngestError(where, "is a directory, not a file; give the file(s) inside it")
    if not path.is_file():
        raise IngestError(where, "is not a regular file")
    try:
        size = path.stat().st_size
        with open(path, "rb"):
            pass
    except OSError as error:
        raise IngestError(where, f"cannot be read ({error.strerror or error})") from None
    if size == 0:
        raise IngestError(where, "the file is empty")
    return path


def text_encoding(path: Path) -> str:
    """The first of ``ENCODINGS`` the whole file decodes in (read in chunks, memory flat)."""
    path = require_file(path)
    failures = []
    for encoding in ENCODINGS:
        problem = _decode_problem(path, encoding)
        if problem is None:
            return encoding
        failures.append(problem)
    offset, byte = failures[0]
    if byte == 0:
        message = "contains NUL bytes: not a text CSV (a spreadsheet? save it as CSV UTF-8)"
    else:
        message = (
            f"is neither UTF-8 nor Windows-1252 text (byte 0x{byte:02X} at offset {offset:,}); "
            "save it as CSV UTF-8"
        )
    raise IngestError(Location(path), message)


def _decode_problem(path: Path, encoding: str) -> tuple[int, int] | None:
    """(offset, byte) of the first byte ``encoding`` cannot decode (or of a NUL), else None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                return offset + nul, 0
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return offset + error.start, chunk[error.start] if error.start < len(chunk) else 0
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset, 0
    return None


class CsvFile:
    """A CSV file's header and data rows, every row checked to have the header's field count.

    Iterating yields ``(row_number, cells)`` for non-blank rows, numbered as a spreadsheet shows
    them (header = row 1). ``encoding`` says how the text was decoded.
    """

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        self._open(path, encoding)
        self.header = self._first_row()

    def _open(self, path: Path, encoding: str | None) -> None:
        self.path = require_file(path)
        self.encoding = encoding or text_encoding(self.path)
        self._handle = open(self.path, newline="", encoding=self.encoding)
        self._ended_mid_line = False
        self._reader = csv.reader(self._lines(), strict=True)

    @property
    def ended_without_line_break(self) -> bool:
        """Whether the last line read had no line break: complete rows are still read (some
        tools save CSVs so), but a file cut inside its last field looks the same."""
        return self._ended_mid_line

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)

    def _lines(self) -> Iterator[str]:
        for line in self._handle:
            if not line.endswith(("\n", "\r")):
                self._ended_mid_line = True
            yield line

    def _first_row(self) -> list[str]:
        try:
            header = next(self._next_rows(1), None)
        except IngestError:
            self.close()
            raise
        if header is None or not any(cell.strip() for cell in header[1]):
            self.close()
            raise IngestError(Location(self.path, row=1), "the file is empty (no header row)")
        cells = header[1]
        while len(cells) > 1 and not cells[-1].strip():  # "a,b,c," from a spreadsheet
            cells = cells[:-1]
        return cells

    def _next_rows(self, start: int) -> Iterator[tuple[int, list[str]]]:
        number = start
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise IngestError(Location(self.path, row=number), _csv_problem(error)) from None
            yield number, cells
            number += 1

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.header)
        try:
            for number, cells in self._next_rows(2):
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != width:
                    cells = self._fitted(number, cells, width)
                yield number, cells
        finally:
            self.close()

    def _fitted(self, number: int, cells: list[str], width: int) -> list[str]:
        if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
            return cells[:width]
        if len(cells) > width:
            where = Location(self.path, row=number, column=column_letter(width))
            raise IngestError(
                where, f"{len(cells)} fields where the header has {width}: a value beyond the "
                "last column (an unquoted comma?); nothing was imported",
            )  # fmt: skip
        where = Location(self.path, row=number, column=self.header[len(cells)])
        if self._ended_mid_line:
            raise IngestError(
                where, f"the file ends mid-row ({len(cells)} of {width} fields): it looks cut "
                "short; nothing was imported",
            )  # fmt: skip
        raise IngestError(
            where, f"{len(cells)} fields where the header has {width}: a field is missing, so "
            "the values after it would shift columns; nothing was imported",
        )  # fmt: skip

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _csv_problem(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"a field is longer than {MAX_FIELD:,} characters; nothing was imported"
    if "unexpected end of data" in text:
        return "the file ends inside a quoted field: it looks cut short; nothing was imported"
    return f"not readable as CSV ({text}); nothing was imported"


class TitledCsv(CsvFile):
    """A CSV whose header sits under a few title rows (CQC, NHS England): every row is yielded
    as it is (blank ones too, so callers can number them), until ``found_header`` is told which
    row is the header; from then on each non-blank row must have its field count."""

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        self._open(path, encoding)
        self.header = None

    def found_header(self, cells: list[object]) -> None:
        labels = ["" if cell is None else str(cell) for cell in cells]
        while len(labels) > 1 and not labels[-1].strip():
            labels = labels[:-1]
        self.header = labels

    def __iter__(self) -> Iterator[list[str]]:  # type: ignore[override]
        try:
            for number, cells in self._next_rows(1):
                if self.header is not None and any(cell.strip() for cell in cells):
                    if len(cells) != len(self.header):
                        cells = self._fitted(number, cells, len(self.header))
                yield cells
        finally:
            self.close()


def csv_header_and_rows(
    path: Path, summary: Summary | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the checked data rows of a CSV (see ``CsvFile``); a file with a header
    and no data rows is refused when the rows are read. With ``summary``, a file that is not
    UTF-8 or whose last row has no line break after it is noted there."""
    reader = CsvFile(path)
    if summary is not None and reader.encoding != "utf-8-sig":
        summary.warn(Location(reader.path), f"read as {reader.encoding_name} text (not UTF-8)")

    def rows() -> Iterator[tuple[int, list[str]]]:
        last = None
        for number, cells in reader:
            last = number
            yield number, cells
        if last is None:
            raise IngestError(Location(reader.path, row=2), "the file has a header but no rows")
        if summary is not None and reader.ended_without_line_break:
            summary.warn(Location(reader.path, row=last), NO_FINAL_LINE_BREAK)

    return reader.header, rows()


def csv_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Checked data rows as ``{header label: cell}`` (labels stripped), like csv.DictReader."""
    reader = CsvFile(path)
    labels = [label.strip() for label in reader.header]
    for number, cells in reader:
        yield number, dict(zip(labels, cells, strict=True))


def load_json(path: Path) -> object:
    """A JSON document; broken, cut-short, too large or too deeply nested JSON is refused."""
    path = require_file(path)
    where = Location(path)
    size = path.stat().st_size
    if size > MAX_JSON_BYTES:
        raise IngestError(where, f"{size:,} bytes is too large for a JSON lookup file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(where, f"not UTF-8 JSON (byte at offset {error.start:,})") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise IngestError(where, "JSON nested too deeply to be a lookup file") from None
    except json.JSONDecodeError as error:
        raise IngestError(
            Location(path, row=error.lineno, column=f"character {error.colno}"),
            f"not valid JSON: {error.msg}",
        ) from None


@contextmanager
def reading_workbook(path: Path, kind: str = "Excel workbook") -> Iterator[None]:
    """Turn anything a workbook library raises while parsing into one ``IngestError``.

    xlrd and openpyxl raise many unrelated types (IndexError, struct.error, KeyError,
    BadZipFile, AssertionError…) for a damaged or truncated file; all mean the same to a user.
    """
    try:
        yield
    except IngestError:
        raise
    except MemoryError:
        raise IngestError(Location(path), f"too large to read as an {kind}") from None
    except Exception as error:  # noqa: BLE001 - see docstring
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise IngestError(
            Location(path),
            f"not a readable {kind} (damaged or cut short?): {_short(detail)}",
        ) from None


def open_xls(path: Path, **options) -> object:
    """An xlrd workbook of a checked file; a damaged or truncated .xls is an ``IngestError``."""
    import xlrd

    path = require_file(path)
    with reading_workbook(path, "Excel .xls workbook"):
        return xlrd.open_workbook(str(path), **options)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
