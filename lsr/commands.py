"""The work behind each `lsr` subcommand; the parser lives in lsr.cli."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from extracts.ingest.problems import IngestError
from extracts.open_data import MissingSnapshotError
from extracts.publish import PublishError
from queries import findings, periods
from queries.areas import AreaDirectory, UnknownAreaError
from queries.catalogue import CatalogueError, UnknownMetricError, load_catalogue
from queries.schema import SchemaError
from queries.series import SeriesRequest, metric_series
from queries.store import DataNotPublishedError, DataStore


class UsageError(ValueError):
    """The command line asks for something that does not exist."""


USER_ERRORS = (
    UsageError,
    IngestError,
    PublishError,
    SchemaError,
    UnknownMetricError,
    UnknownAreaError,
    CatalogueError,
    DataNotPublishedError,
    MissingSnapshotError,
    periods.PeriodError,
    FileNotFoundError,
)

# source name -> module under extracts.ingest exposing ingest(paths, data_dir, options) -> Summary
INGESTERS = {
    "reference": "extracts.ingest.reference",
    "ons-population": "extracts.ingest.ons_population",
    "comparators": "extracts.ingest.comparators",
    "dtoc": "extracts.ingest.dtoc",
    "ascof": "extracts.ingest.ascof",
    "tidy": "extracts.ingest.tidy",
    "cqc-ratings": "extracts.ingest.cqc",
    "ccg-lookup": "extracts.ingest.ccg_lookup",
    "chc": "extracts.ingest.chc",
    "hes-apc": "extracts.ingest.hes",
    "hes-ae": "extracts.ingest.hes",
    "hexmap": "extracts.ingest.hexmap",
}


def demo(args: argparse.Namespace) -> int:
    from extracts.demo import build_demo

    version = build_demo(
        args.data_dir, seed=args.seed, hes_scale=args.scale, progress=not args.no_progress
    )
    print(f"published demo data version {version} in {args.data_dir}")
    return 0


def build(args: argparse.Namespace) -> int:
    from extracts.ingest.hes import rebuild

    print("\n".join(rebuild(args.data_dir).lines()))
    return 0


def ingest(args: argparse.Namespace) -> int:
    missing = [str(p) for p in args.paths if not Path(p).exists()]
    if missing:
        raise FileNotFoundError(f"no such file: {', '.join(missing)}")
    module = importlib.import_module(INGESTERS[args.source])
    summary = module.ingest(args.paths, args.data_dir, options=vars(args))
    print("\n".join(summary.lines()))
    return 0


def query(args: argparse.Namespace) -> int:
    store = DataStore(args.data_dir)
    metric = load_catalogue().get(args.metric)
    directory = AreaDirectory.load(store)
    area_code = directory.resolve(args.area)
    breakdown, _, breakdown_value = args.breakdown.partition("=")
    request = SeriesRequest(
        metric_id=metric.id,
        area_code=area_code,
        method=args.comparators,
        period_type=args.period_type,
        breakdown=breakdown or "all",
        breakdown_value=breakdown_value or "all",
        period_from=periods.parse(args.period_from) if args.period_from else None,
        period_to=periods.parse_end(args.period_to) if args.period_to else None,
    )
    methods = store.query("comparator_methods")["method"].tolist()
    if args.comparators not in methods:
        raise UsageError(
            f"unknown comparator method {args.comparators!r}; known: {', '.join(methods)}"
        )
    frame = metric_series(store, request)
    if frame.empty:
        raise UsageError(f"no {metric.id} data for {directory.name(area_code)} in that period")
    table = _query_table(frame, metric)
    place = directory.name(area_code)
    title = f"{metric.title} — {place} vs comparators ({args.comparators}) vs England"
    summary = findings.metric_finding(frame, metric, area_name=place).sentences
    if args.format == "csv":
        print(f"# {title}\n# unit: {metric.unit}")
        table.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(
            json.dumps(
                {
                    "metric": metric.id,
                    "area": area_code,
                    "unit": metric.unit,
                    "rows": table.to_dict(orient="records"),
                },
                default=str,
                indent=2,
            )
        )
    else:
        print(title)
        print(f"unit: {metric.unit}")
        print(table.to_string(index=False))
        print("\n" + "\n".join(summary))
    return 0


def _query_table(frame: pd.DataFrame, metric) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": frame["period_label"],
            "area": frame["area_value"].round(metric.decimals),
            "area_lower": frame["area_lower"].round(metric.decimals),
            "area_upper": frame["area_upper"].round(metric.decimals),
            "comparator_mean": frame["comparator_mean"].round(metric.decimals),
            "comparator_min": frame["comparator_min"].round(metric.decimals),
            "comparator_max": frame["comparator_max"].round(metric.decimals),
            "comparator_n": frame["comparator_n"].astype(str)
            + "/"
            + frame["comparator_expected"].astype(str),
            "england": frame["england_value"].round(metric.decimals),
            "vs_england": frame["vs_england"],
            "vs_comparator": frame["vs_comparator"],
            "synthetic": frame["area_is_synthetic"].fillna(False),
        }
    )


def serve(args: argparse.Namespace) -> int:
    """gunicorn with the settings in gunicorn.conf.py (threads, timeouts, access log, preload:
    the app is built once before the fork; each worker opens its own DuckDB on first query)."""
    env_data_dir = str(Path(args.data_dir).resolve())
    if args.dev:
        from app import create_app

        create_app(env_data_dir).run(host=args.host, port=args.port, debug=False)
        return 0
    root = Path(__file__).resolve().parents[1]
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "app:server",
        "--config",
        str(root / "gunicorn.conf.py"),
        "--chdir",
        str(root),
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--env",
        f"LSR_DATA_DIR={env_data_dir}",
    ]
    return subprocess.call(command)
