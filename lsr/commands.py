"""The work behind each `lsr` subcommand; the parser lives in lsr.cli."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

from extracts.ingest.problems import IngestError
from extracts.open_data import MissingSnapshotError
from extracts.publish import PublishError
from lsr import query as query_command
from queries import periods, query_choices, window
from queries.areas import UnknownAreaError
from queries.catalogue import CatalogueError, UnknownMetricError
from queries.schema import SchemaError
from queries.store import DataNotPublishedError


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
    query_choices.ChoiceError,
    window.WindowError,
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
    from extracts.hes_spark import SparkUnavailable
    from extracts.ingest.hes import rebuild

    if args.engine != "spark" and (args.spark_master or "://" in str(args.records or "")):
        raise UsageError("--spark-master and s3a:// or abfss:// records need --engine spark")
    try:
        summary = rebuild(
            args.data_dir,
            engine=args.engine,
            spark_master=args.spark_master,
            records=args.records,
        )
    except SparkUnavailable as error:
        raise UsageError(str(error)) from None
    print("\n".join(summary.lines()))
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
    return query_command.run(args, usage_error=UsageError)


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
