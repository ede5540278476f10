"""`lsr export profile|pack`: data profiles as A4 PDF and self-contained HTML."""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, date, datetime
from pathlib import Path

from tqdm import tqdm

from dashboard.profile.report.export import Written, write_index, write_pack
from dashboard.profile.report.pdf import RenderError
from queries import periods
from queries.areas import AreaDirectory
from queries.store import DataStore


class ExportError(ValueError):
    """The export was asked for something that does not exist or cannot be printed."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="write data profiles (A4 PDF + HTML) for reviewers")
    kinds = export.add_subparsers(dest="kind", required=True, metavar="KIND")
    profile = kinds.add_parser("profile", help="one area's data profile")
    profile.add_argument("--area", required=True, help="ONS code or name, e.g. Liverpool")
    pack = kinds.add_parser("pack", help="a profile per area plus an index")
    chosen = pack.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--reviewed", action="store_true", help="the 20 reviewed areas")
    chosen.add_argument("--areas", help="comma-separated names or codes, e.g. Halton,York")
    pack.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    for parser in (profile, pack):
        parser.add_argument("--comparators", default="default", help="comparator method")
        parser.add_argument("--period-to", help="last period shown, e.g. 2018/19 or 2018/19 Q4")
        parser.add_argument("--out", type=Path, default=Path("reports"), help="output folder")
        parser.add_argument(
            "--generated-on",
            help="date printed as generated (YYYY-MM-DD; default SOURCE_DATE_EPOCH or today)",
        )
        parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = DataStore(args.data_dir)
    directory = AreaDirectory.load(store)
    methods = store.query("comparator_methods")["method"].tolist()
    if args.comparators not in methods:
        raise ExportError(
            f"unknown comparator method {args.comparators!r}; known: {', '.join(methods)}"
        )
    codes = _areas(args, directory)
    period_to = periods.parse_end(args.period_to) if args.period_to else None
    generated_on = generated_date(args.generated_on)
    started = time.perf_counter()
    written: list[Written] = []
    try:
        profiles = write_pack(
            store,
            codes,
            method=args.comparators,
            period_to=period_to,
            out_dir=args.out,
            generated_on=generated_on,
            directory=directory,
        )
        bar = tqdm(
            profiles,
            total=len(codes),
            desc="lsr export",
            unit="area",
            disable=args.kind == "profile" or getattr(args, "no_progress", False),
        )
        for item in bar:
            bar.set_postfix_str(item.area_name)
            written.append(item)
    except RenderError as error:
        raise ExportError(str(error)) from error
    for item in written:
        print(
            f"wrote {item.pdf} ({item.pages} pages, {item.findings} findings"
            f"{', includes synthetic data' if item.synthetic else ''}) and {item.html.name}"
        )
    if args.kind == "pack":
        index = write_index(
            args.out,
            written,
            method=args.comparators,
            data_version=store.version,
            generated_on=generated_on,
        )
        print(f"wrote {index}")
    seconds = time.perf_counter() - started
    print(f"{len(written)} profile(s) in {seconds:.1f} s")
    return 0


def _areas(args: argparse.Namespace, directory: AreaDirectory) -> list[str]:
    if args.kind == "profile":
        return [directory.resolve(args.area)]
    if args.reviewed:
        councils = directory.councils
        reviewed = councils[councils["reviewed"].fillna(False).astype(bool)]
        return reviewed.sort_values("name")["area_code"].tolist()
    names = [name.strip() for name in args.areas.split(",") if name.strip()]
    if not names:
        raise ExportError("--areas needs at least one area name or code")
    return list(dict.fromkeys(directory.resolve(name) for name in names))


def generated_date(text: str | None) -> date:
    """The date printed on the cover: given, else SOURCE_DATE_EPOCH (reproducible builds),
    else today."""
    if text:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ExportError(f"--generated-on must be YYYY-MM-DD, not {text!r}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return datetime.now(tz=UTC).date()
