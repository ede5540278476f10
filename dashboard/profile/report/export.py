"""Write data profiles to disk: one area's PDF and HTML, or a pack of areas with an index."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path

from dashboard.profile.report.content import ReportContent, report_content
from dashboard.profile.report.pdf import ReportRenderer
from queries.areas import AreaDirectory
from queries.store import DataStore


@dataclass(frozen=True)
class Written:
    """What one profile wrote, for the pack's index and summary."""

    area_code: str
    area_name: str
    pdf: Path
    html: Path
    pages: int
    findings: int
    synthetic: bool
    seconds: float


def write_pack(
    store: DataStore,
    area_codes: Iterable[str],
    *,
    method: str,
    period_to: date | None,
    out_dir: Path,
    generated_on: date,
    directory: AreaDirectory | None = None,
    renderer: Callable[[], ReportRenderer] = ReportRenderer,
) -> Iterator[Written]:
    """Each area's profile in turn. Queries run in a thread: the first area's while Chromium
    starts, each next area's while Chromium prints the current one (the browser is another
    process, so the two overlap)."""
    directory = directory or AreaDirectory.load(store)

    def content_for(code: str) -> tuple[ReportContent, float]:
        started = time.perf_counter()
        content = report_content(
            store,
            area_code=code,
            method=method,
            period_to=period_to,
            generated_on=generated_on,
            directory=directory,
        )
        return content, time.perf_counter() - started

    codes = list(area_codes)
    if not codes:
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-content") as pool:
        upcoming = pool.submit(content_for, codes[0])
        with renderer() as printer:
            for index in range(len(codes)):
                content, query_seconds = upcoming.result()
                if index + 1 < len(codes):
                    upcoming = pool.submit(content_for, codes[index + 1])
                started = time.perf_counter() - query_seconds
                yield write_content(printer, content, out_dir=out_dir, started=started)


def write_content(
    renderer: ReportRenderer, content: ReportContent, *, out_dir: Path, started: float
) -> Written:
    """Render and write one profile; each file is written under a temporary name and
    renamed, so a crash never leaves half a PDF."""
    rendered = renderer.render(content)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / f"{content.file_stem}.pdf"
    html_path = out_dir / f"{content.file_stem}.html"
    _write_atomically(pdf_path, rendered.pdf)
    _write_atomically(html_path, rendered.html.encode("utf-8"))
    return Written(
        area_code=content.area["area_code"],
        area_name=content.area_name,
        pdf=pdf_path,
        html=html_path,
        pages=rendered.page_count,
        findings=content.finding_count,
        synthetic=content.synthetic,
        seconds=time.perf_counter() - started,
    )


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def write_index(
    out_dir: Path, written: list[Written], *, method: str, data_version: str, generated_on: date
) -> Path:
    """``index.html`` linking every profile of the pack, with its pages and findings."""
    rows = "".join(
        f"<tr><td>{escape(w.area_name)}</td><td>{escape(w.area_code)}</td>"
        f'<td><a href="{escape(w.pdf.name)}">PDF</a></td>'
        f'<td><a href="{escape(w.html.name)}">HTML</a></td>'
        f"<td>{w.pages}</td><td>{w.findings}</td>"
        f"<td>{'yes' if w.synthetic else 'no'}</td></tr>"
        for w in written
    )
    document = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Data profiles – LSR Explorer</title>"
        "<style>body{font-family:Arial,'Liberation Sans',sans-serif;margin:2em}"
        "table{border-collapse:collapse}td,th{border-bottom:1px solid #b1b4b6;"
        "padding:.3em .8em;text-align:left}</style></head><body>"
        f"<h1>Data profiles: {len(written)} areas</h1>"
        f"<p>Comparator method {escape(method)} · data version {escape(data_version)} · "
        f"generated {generated_on.isoformat()}</p>"
        "<table><thead><tr><th>Area</th><th>Code</th><th>PDF</th><th>HTML</th><th>Pages</th>"
        f"<th>Findings</th><th>Synthetic data?</th></tr></thead><tbody>{rows}</tbody></table>"
        "</body></html>\n"
    )
    path = out_dir / "index.html"
    _write_atomically(path, document.encode("utf-8"))
    return path


@dataclass(frozen=True)
class ReportFile:
    filename: str
    pdf: bytes


def report_pdf(
    store: DataStore,
    *,
    area_code: str,
    method: str,
    period_to: date | None = None,
    generated_on: date | None = None,
) -> ReportFile:
    """One area's PDF in memory (the Area profile's download), rendered as `lsr export
    profile` renders it; a browser is started for the request (while the queries run) and
    closed after it."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-content") as pool:
        pending = pool.submit(
            report_content,
            store,
            area_code=area_code,
            method=method,
            period_to=period_to,
            generated_on=generated_on or datetime.now(tz=UTC).date(),
        )
        with ReportRenderer() as renderer:
            content = pending.result()
            rendered = renderer.render(content)
    return ReportFile(filename=f"{content.file_stem}.pdf", pdf=rendered.pdf)
