"""How the dashboard is shaped: the files one metric crosses from explorer URL to chart, the
lines of Python in dashboard/, and the `duplicates` pair counts.

What "files crossed" counts: the explorer page is registered with Dash and rendered once for
``URL`` (to warm module imports and the reference caches), then rendered again in-process
under ``sys.setprofile``: every Python function call whose code lives in dashboard/ or
queries/ is recorded in order. Printed: the number of distinct source files executed while
the page turned the URL into its layout with the trend figure, and "entries": how many times
control passed into each file from a different file (re-entering a file counts again). The
"path" is narrower: the dashboard/ files on the call stack whenever a figure builder
(dashboard/charts/) or a query (queries/) is entered, i.e. the files a metric id passes
through from the page to its data and its figure, with the helpers that look up names and
options on the way. "chain" is narrower still: the files on the stack when the URL module
(dashboard/urls.py), the metric's series query (queries/series.py) or a figure builder is
entered: the page, its state, its view model, the panel and the chart. The same URL
through the same layout function before and after a refactor, so the numbers are
comparable; the fixture dataset (tests.fixtures) keeps them independent of the demo data.

    .venv/bin/python -m bench.dashboard_shape
"""

from __future__ import annotations

import collections
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
URL = "/metric/dtoc_rate?area=E06000002&method=default&period=month"
WATCHED = ("dashboard", "queries")


def _explorer_layout(data_dir: Path):
    import dash

    from app import create_app

    create_app(data_dir)
    page = next(page for page in dash.page_registry.values() if page["path"] == "/metric")
    return page["layout"]


def crossing(data_dir: Path, url: str = URL) -> tuple[list[str], collections.Counter, set[str]]:
    """The dashboard/queries files executed while rendering ``url``, entries per file, the
    dashboard files on the path to a chart builder or a query, and those on the chain."""
    layout = _explorer_layout(data_dir)
    parts = urlsplit(url)
    metric_id = parts.path.rsplit("/", 1)[-1]
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    layout(metric_id=metric_id, **query)  # warm imports and caches
    roots = tuple(str(ROOT / name) + "/" for name in WATCHED)
    order: list[str] = []
    entries: collections.Counter = collections.Counter()
    last = [None]
    path: set[str] = set()
    chain: set[str] = set()
    targets = (str(ROOT / "dashboard" / "charts") + "/", str(ROOT / "queries") + "/")
    links = (targets[0], str(ROOT / "queries" / "series.py"), str(ROOT / "dashboard" / "urls.py"))

    def profile(frame, event, _arg):
        if event != "call":
            return
        filename = frame.f_code.co_filename
        if not filename.startswith(roots):
            return
        relative = str(Path(filename).relative_to(ROOT))
        if relative not in entries:
            order.append(relative)
        if filename.startswith(targets):
            path.update(_dashboard_stack(frame.f_back, roots[0]))
        if filename.startswith(links):
            chain.update(_dashboard_stack(frame, roots[0]))
        if last[0] != relative:
            entries[relative] += 1
        last[0] = relative

    sys.setprofile(profile)
    try:
        layout(metric_id=metric_id, **query)
    finally:
        sys.setprofile(None)
    return order, entries, path, chain


def _dashboard_stack(frame, dashboard_root: str) -> set[str]:
    """The dashboard/ files of ``frame`` and its callers."""
    files = set()
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(dashboard_root):
            files.add(str(Path(name).relative_to(ROOT)))
        frame = frame.f_back
    return files


def python_lines(folder: str = "dashboard") -> int:
    return sum(len(path.read_text().splitlines()) for path in (ROOT / folder).rglob("*.py"))


def duplicate_pairs(folder: str | None = None) -> str:
    repo = ROOT / folder if folder else ROOT
    result = subprocess.run(
        ["duplicates", "--repo", str(repo), "--seconds", "120"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.splitlines()[0] if result.stdout else "duplicates not available"


def main() -> int:
    from tests.fixtures import publish_fixture

    with tempfile.TemporaryDirectory() as directory:
        publish_fixture(Path(directory))
        order, entries, path, chain = crossing(Path(directory))
    print(f"URL: {URL}")
    print(f"files crossed (dashboard/ + queries/): {len(order)}")
    dashboard_files = [name for name in order if name.startswith("dashboard/")]
    print(f"  of them in dashboard/: {len(dashboard_files)}")
    for name in order:
        print(f"  {entries[name]:4d} entries  {name}")
    print(f"path (dashboard/ files on the stack to a chart or a query): {len(path)}")
    for name in sorted(path):
        print(f"  {name}")
    print(f"chain (stack at the URL module, the series query and the figure): {len(chain)}")
    for name in sorted(chain):
        print(f"  {name}")
    print(f"lines of Python in dashboard/: {python_lines():,}")
    print(f"duplicates, whole tree: {duplicate_pairs()}")
    print(f"duplicates, dashboard/: {duplicate_pairs('dashboard')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
