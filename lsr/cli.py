"""`lsr`: build the demo data, import published files, query metrics and serve the dashboard.

User mistakes end in one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lsr import commands, export

DEFAULT_DATA_DIR = "data/parquet"


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir or os.environ.get("LSR_DATA_DIR") or DEFAULT_DATA_DIR)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lsr", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir",
        help=f"published data directory (env LSR_DATA_DIR; default {DEFAULT_DATA_DIR})",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="build the embedded demo data (open data + synthetic)")
    demo.add_argument("--seed", type=int, default=20170401, help="random seed (default 20170401)")
    demo.add_argument(
        "--scale",
        type=float,
        default=0.05,
        help="HES record sample fraction (default 0.05; 1 = full England size)",
    )
    demo.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    demo.set_defaults(handler=commands.demo)

    build = sub.add_parser("build", help="derive HES indicators from the record-level extracts")
    build.add_argument(
        "--engine", choices=("duckdb", "spark"), default="duckdb", help="default duckdb"
    )
    build.add_argument(
        "--spark-master",
        help="Spark master URL (default local[*]; sc://host:15002 or env SPARK_REMOTE: Connect)",
    )
    build.add_argument(
        "--records",
        help="record-level extracts (default <data-dir>/records; with --engine spark also "
        "s3a://… or abfss://…)",
    )
    build.set_defaults(handler=commands.build)

    ingest = sub.add_parser("ingest", help="import published files of one source")
    ingest.add_argument("source", choices=sorted(commands.INGESTERS), help="which source format")
    ingest.add_argument("paths", nargs="+", type=Path, help="files to import")
    ingest.add_argument("--method", help="comparators: name of the method a CSV defines")
    ingest.add_argument("--open-dir", type=Path, help="also write the derived open snapshot here")
    ingest.add_argument(
        "--replace",
        action="store_true",
        help="replace each imported metric's whole series (default: add and replace cells only)",
    )
    ingest.set_defaults(handler=commands.ingest)

    query = sub.add_parser("query", help="print a metric for an area vs comparators vs England")
    query.add_argument("metric", help="metric id, e.g. dtoc_rate")
    query.add_argument("--area", required=True, help="ONS code or name, e.g. Liverpool")
    query.add_argument("--from", dest="period_from", help="first period, e.g. 2016/17 or 2017-09")
    query.add_argument("--to", dest="period_to", help="last period, e.g. 2017/18 Q4 or Sep 2017")
    query.add_argument("--comparators", default="default", help="comparator method")
    query.add_argument("--period-type", help="month, quarter, financial_year …")
    query.add_argument(
        "--breakdown",
        default="all",
        help="name=value, the value's code or label in any case, e.g. responsible_org=NHS",
    )
    query.add_argument(
        "--aggregate",
        action="store_true",
        help="one figure for the whole --from..--to window, pooled by denominator "
        "(person-days for delayed transfers), with its interval and verdicts",
    )
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(handler=commands.query)

    export.add_parser(sub)

    serve = sub.add_parser("serve", help="serve the dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--dev", action="store_true", help="Dash development server")
    serve.set_defaults(handler=commands.serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.data_dir = _data_dir(args)
    try:
        return args.handler(args) or 0
    except (*commands.USER_ERRORS, export.ExportError) as error:
        print(f"lsr {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
