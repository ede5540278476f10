"""Imports add, never erase: a batch replaces only the cells it contains.

A cell is one indicator key (metric, area, period, breakdown). ``merge_cells`` keeps every
existing cell the batch does not hold, replaces those it does (the later revision wins when
both carry a publication date) and counts, per metric, what was added, replaced and kept.
Real and synthetic never share a metric's series: when a batch brings real values for a
metric that still has synthetic cells, those cells would have to go, which is a removal and
is refused unless the user asks for ``--replace`` (the batch then replaces each of its
metrics' series whole).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from extracts.ingest.problems import IngestError, Location
from queries import schema

KEY = list(schema.INDICATORS.key)
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


@dataclass
class MergeReport:
    """What one import did to each metric: cells added, replaced, kept and removed."""

    added: Counter = field(default_factory=Counter)
    replaced: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    stale: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        """One line per metric, e.g. ``dtoc_rate: 12 added, 3 replaced, 15,800 kept``."""
        metrics = sorted(set(self.added) | set(self.replaced) | set(self.kept) | set(self.removed))
        out = []
        for metric_id in metrics:
            parts = [
                f"{self.added[metric_id]:,} added",
                f"{self.replaced[metric_id]:,} replaced",
                f"{self.kept[metric_id]:,} kept",
            ]
            if self.removed[metric_id]:
                parts.append(f"{self.removed[metric_id]:,} removed")
            if self.stale[metric_id]:
                parts.append(f"{self.stale[metric_id]:,} older revision(s) not applied")
            out.append(f"{metric_id}: {', '.join(parts)}")
        return out


def revision_date(vintage: object) -> str:
    """The latest ISO date a vintage names ("published 2017-11-09, revised 2018-06-14"), or ""
    when it names none; ISO dates compare correctly as text."""
    dates = _DATE.findall(str(vintage or ""))
    return max(dates) if dates else ""


def merge_cells(
    existing: pa.Table | None,
    batch: pa.Table,
    *,
    replace: bool = False,
    report: MergeReport | None = None,
    where: Location | None = None,
) -> pa.Table:
    """``existing`` with ``batch`` merged in cell by cell (see the module docstring).

    Raises ``IngestError`` when the merge would remove synthetic cells of a metric the batch
    brings real values for, unless ``replace``; with ``replace`` every metric in the batch is
    replaced whole and its other cells are counted as removed.
    """
    report = report if report is not None else MergeReport()
    batch = schema.conform("indicators", batch)
    if existing is None or existing.num_rows == 0:
        report.added.update(batch.column("metric_id").to_pylist())
        return _sorted(batch)
    existing = schema.conform("indicators", existing)
    batch_metrics = pa.array(sorted(set(batch.column("metric_id").to_pylist())), pa.string())
    mine = pc.is_in(existing.column("metric_id"), value_set=batch_metrics)
    others = existing.filter(pc.invert(mine))
    same_metric = existing.filter(mine)
    if replace:
        report.removed.update(_without(same_metric, batch).column("metric_id").to_pylist())
        report.replaced.update(_with(same_metric, batch).column("metric_id").to_pylist())
        report.added.update(_without(batch, same_metric).column("metric_id").to_pylist())
        return _concat(others, batch)
    _refuse_mixing(same_metric, batch, where or Location("batch"))
    batch, stale = _newer_revisions(same_metric, batch)
    report.stale.update(stale.column("metric_id").to_pylist())
    untouched = _without(same_metric, batch)
    report.kept.update(untouched.column("metric_id").to_pylist())
    report.replaced.update(_with(batch, same_metric).column("metric_id").to_pylist())
    report.added.update(_without(batch, same_metric).column("metric_id").to_pylist())
    return _concat(others, untouched, batch)


def _refuse_mixing(same_metric: pa.Table, batch: pa.Table, where: Location) -> None:
    """A real batch may not sit beside synthetic cells of its metrics (nor the reverse)."""
    for flag, other in ((False, "synthetic"), (True, "real")):
        metrics = set(
            batch.filter(pc.equal(batch.column("is_synthetic"), flag))
            .column("metric_id")
            .to_pylist()
        )
        clash = same_metric.filter(
            pc.and_(
                pc.is_in(same_metric.column("metric_id"), pa.array(sorted(metrics), pa.string())),
                pc.equal(same_metric.column("is_synthetic"), not flag),
            )
        )
        clash = _without(clash, batch)
        if clash.num_rows:
            counts = Counter(clash.column("metric_id").to_pylist())
            named = ", ".join(f"{m} ({n:,} cells)" for m, n in sorted(counts.items()))
            raise IngestError(
                where,
                f"this batch would remove the {other} values of {named}: real and synthetic "
                "never share a series; give --replace to replace these metrics whole",
            )


def _newer_revisions(same_metric: pa.Table, batch: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The batch cells to apply, and those an already published later revision outranks."""
    if same_metric.num_rows == 0:
        return batch, batch.slice(0, 0)
    published = same_metric.select([*KEY, "vintage"]).rename_columns([*KEY, "published"])
    joined = batch.join(published, keys=KEY, join_type="left outer")
    new = [revision_date(v) for v in joined.column("vintage").to_pylist()]
    old = [revision_date(v) for v in joined.column("published").to_pylist()]
    older = pa.array([bool(n and o and n < o) for n, o in zip(new, old, strict=True)])
    joined = joined.drop_columns(["published"])
    return (
        schema.conform("indicators", joined.filter(pc.invert(older))),
        schema.conform("indicators", joined.filter(older)),
    )


def _without(data: pa.Table, keys: pa.Table) -> pa.Table:
    return data.join(keys.select(KEY), keys=KEY, join_type="left anti")


def _with(data: pa.Table, keys: pa.Table) -> pa.Table:
    return data.join(keys.select(KEY), keys=KEY, join_type="left semi")


def _concat(*tables: pa.Table) -> pa.Table:
    return _sorted(pa.concat_tables([schema.conform("indicators", t) for t in tables]))


def _sorted(table: pa.Table) -> pa.Table:
    table = schema.conform("indicators", table)
    return table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in KEY]))


def publishable(
    current: pa.Table | None,
    batch: pa.Table,
    *,
    replace: bool = False,
    changes: list[str] | None = None,
    where: Location | None = None,
) -> dict[str, pa.Table]:
    """``merge_cells`` then ``partitions_for``: what an importer publishes for its batch, with
    the per-metric added/replaced/kept lines appended to ``changes``."""
    report = MergeReport()
    merged = merge_cells(current, batch, replace=replace, report=report, where=where)
    if changes is not None:
        changes += report.lines()
    return partitions_for(current, merged, set(batch.column("metric_id").to_pylist()))


def partitions_for(
    current: pa.Table | None, merged: pa.Table, metrics: set[str]
) -> dict[str, pa.Table]:
    """The ``indicators`` partitions to publish after a merge that touched ``metrics``: every
    source that held or now holds one of them, with its rows from ``merged``."""
    value_set = pa.array(sorted(metrics), pa.string())
    touched = set()
    for table in (current, merged):
        if table is not None:
            holding = table.filter(pc.is_in(table.column("metric_id"), value_set=value_set))
            touched |= set(holding.column("source").to_pylist())
    return {
        source: _sorted(merged.filter(pc.equal(merged.column("source"), source)))
        for source in sorted(touched)
    }


def periods(table: pa.Table | None) -> set[tuple]:
    """The (metric, period type, period start) triples a table holds."""
    if table is None or table.num_rows == 0:
        return set()
    columns = [table.column(c).to_pylist() for c in ("metric_id", "period_type", "period_start")]
    return set(zip(*columns, strict=True))


def synthetic_dropped_where_real(parts: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The rule for a whole build: a metric with any real value anywhere keeps only its real
    values (periods no real source covers become gaps); synthetic values stay only for metrics
    with no real source at all."""
    real = set()
    for part in parts.values():
        real |= set(
            part.filter(pc.invert(part.column("is_synthetic"))).column("metric_id").to_pylist()
        )
    value_set = pa.array(sorted(real), pa.string())
    out = {}
    for source, part in parts.items():
        drop = pc.and_(
            part.column("is_synthetic"), pc.is_in(part.column("metric_id"), value_set=value_set)
        )
        out[source] = part.filter(pc.invert(drop))
    return out
