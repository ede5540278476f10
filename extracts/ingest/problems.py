"""One shared way for every importer to report what is wrong with a user's file.

An ``IngestError`` always says where (file, sheet, row, column) and what was expected, so the
CLI can print it as one line. Warnings are collected in a ``Summary`` and listed at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where in a published file something was found; row numbers are 1-based as in Excel."""

    file: Path | str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [Path(self.file).name]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)


class IngestError(ValueError):
    """A file cannot be imported; nothing from the batch is published."""

    def __init__(self, location: Location, message: str):
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")


@dataclass
class Summary:
    """What an import read, for the closing table, plus warnings that did not stop it."""

    source: str
    files: int = 0
    rows: int = 0
    areas: set[str] = field(default_factory=set)
    periods: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    version: str | None = None
    changes: list[str] = field(default_factory=list)  # per metric: added, replaced, kept

    def warn(self, location: Location, message: str) -> None:
        self.warnings.append(f"{location}: {message}")

    def lines(self) -> list[str]:
        """The closing summary table as printable lines."""
        rows = [
            ("source", self.source),
            ("files read", str(self.files)),
            ("rows read", f"{self.rows:,}"),
            ("areas", str(len(self.areas))),
            ("periods", str(len(self.periods))),
            ("warnings", str(len(self.warnings))),
        ]
        if self.version:
            rows.append(("published version", self.version))
        width = max(len(label) for label, _ in rows)
        out = [f"{label.ljust(width)}  {value}" for label, value in rows]
        out += [f"  {change}" for change in self.changes]
        out += [f"  warning: {w}" for w in self.warnings[:50]]
        if len(self.warnings) > 50:
            out.append(f"  … and {len(self.warnings) - 50} more warnings")
        return out
