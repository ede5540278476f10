"""HTML and A4 PDF from a report's content, through the system's Chromium driven by Playwright.

Why Chromium: Plotly draws its charts in a browser anyway, so the same engine turns each chart
into SVG (vector, selectable text) and prints the page with its fonts embedded; one browser
serves a whole pack. Only a Chromium already on the machine is used (Debian's
/usr/bin/chromium, or LSR_CHROMIUM); nothing downloads a browser.

The contents page needs page numbers Chromium cannot compute: a printing's outline (bookmarks
from the headings) tells on which page each section starts, and the report is printed again
with those numbers unless they were already right. The PDF is tagged, so readers can navigate it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from plotly.offline import get_plotlyjs
from pypdf import PdfReader

from dashboard.profile.report import html
from dashboard.profile.report.content import ReportContent, chart

MAX_PRINTINGS = 3  # a guess, the pages it gave, and one spare
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run")
MARGIN = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}
FOOTER = (
    '<div style="font-size:7.5pt;width:100%;margin:0 15mm;color:#505a5f;'
    "font-family:Arial,'Liberation Sans',sans-serif;display:flex;justify-content:space-between\">"
    "<span>{label}</span>"
    '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)
TO_SVG = """async (figures) => {
    const svgs = [];
    for (const figure of figures) {
        const url = await Plotly.toImage(figure, {
            format: 'svg', width: figure.layout.width, height: figure.layout.height});
        svgs.push(url.slice(url.indexOf(',') + 1));
    }
    return svgs;
}"""


class RenderError(RuntimeError):
    """No usable Chromium, or it failed to print."""


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: bytes
    pages: dict[str, int]  # anchor -> page on which the part starts
    page_count: int


VENDORED_PLOTLY = Path(__file__).resolve().parents[2] / "assets" / "vendor"


def plotly_source() -> str:
    """The plotly.js the dashboard serves (the vendored basic bundle: scatter and bar, a third
    of the full bundle's size, so Chromium evaluates it sooner), else the full bundle."""
    bundles = sorted(VENDORED_PLOTLY.glob("plotly-basic-*.min.js"))
    return bundles[-1].read_text(encoding="utf-8") if bundles else get_plotlyjs()


def chromium_path() -> str:
    """The system Chromium (LSR_CHROMIUM overrides); never a downloaded one."""
    configured = os.environ.get("LSR_CHROMIUM")
    found = configured or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not os.path.exists(found):
        raise RenderError(
            "no Chromium found to print PDFs: install Debian's chromium "
            "(apt-get install chromium) or set LSR_CHROMIUM to its path"
        )
    return found


class ReportRenderer:
    """One headless Chromium for many reports: a page holding Plotly for the charts and a
    page that prints. Use as a context manager. Playwright runs on a thread of its own, so
    any caller can use it (a web request's thread, or a thread with an asyncio loop running,
    where Playwright's sync API refuses to start)."""

    def __enter__(self) -> ReportRenderer:
        executable = chromium_path()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        try:
            self._on_thread(self._start, executable)
        except BaseException:
            self._thread.shutdown()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self._on_thread(self._stop)
        finally:
            self._thread.shutdown()

    def _on_thread(self, function, *args, **kwargs):
        return self._thread.submit(function, *args, **kwargs).result()

    def _start(self, executable: str) -> None:
        from playwright.sync_api import Error, sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=executable, args=list(CHROMIUM_ARGS)
            )
        except Error as error:
            self._playwright.stop()
            raise RenderError(f"could not start Chromium: {error}".splitlines()[0]) from error
        self._charts = self._browser.new_page()
        self._charts.set_content("<!DOCTYPE html><html><body></body></html>")
        self._charts.add_script_tag(content=plotly_source())
        self._printer = self._browser.new_page()

    def _stop(self) -> None:
        self._browser.close()
        self._playwright.stop()

    def chart_svgs(self, content: ReportContent) -> dict[str, str]:
        """Every headline chart as inline SVG markup, keyed by metric id."""
        blocks = [block for section in content.sections for block in section.headlines]
        figures = [json.loads(chart(block).to_json()) for block in blocks]
        encoded = self._on_thread(self._charts.evaluate, TO_SVG, figures)
        return {block.metric.id: unquote(svg) for block, svg in zip(blocks, encoded, strict=True)}

    def print_pdf(self, document: str, *, footer: str) -> bytes:
        return self._on_thread(self._print, document, footer)

    def _print(self, document: str, footer: str) -> bytes:
        self._printer.set_content(document, wait_until="load")
        return self._printer.pdf(
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER.format(label=footer),
            margin=MARGIN,
            outline=True,
            tagged=True,
        )

    def render(self, content: ReportContent) -> Rendered:
        """The HTML and the PDF, printed until the contents' page numbers are the pages the
        sections start on. The previous report's numbers are the first guess: profiles of a
        pack usually paginate alike, so most are printed once."""
        charts = self.chart_svgs(content)
        footer = f"{content.area_name} data profile · LSR Explorer · data version " + (
            content.data_version
        )
        if content.synthetic:
            footer += " · includes synthetic data"
        entries = html.contents_entries(content)
        pages = getattr(self, "_last_pages", {})
        for _ in range(MAX_PRINTINGS):
            document = html.document(content, charts=charts, pages=pages)
            pdf = self.print_pdf(document, footer=footer)
            printed = section_pages(pdf, entries)
            if printed == pages:
                self._last_pages = pages
                return Rendered(document, pdf, pages, len(PdfReader(io.BytesIO(pdf)).pages))
            pages = printed
        raise RenderError(f"the contents of {content.area_name}'s profile did not settle")


def section_pages(pdf: bytes, entries: list[tuple[str, str]]) -> dict[str, int]:
    """The page (from 1) on which each titled part starts, read from the PDF's outline (which
    Chromium builds from the headings): the first outline entry with the part's title after
    the previous part's."""
    reader = PdfReader(io.BytesIO(pdf))
    outline = [
        (str(item.title).strip(), reader.get_destination_page_number(item) + 1)
        for item in _flatten(reader.outline)
    ]
    pages: dict[str, int] = {}
    position = 0
    for anchor, title in entries:
        for index in range(position, len(outline)):
            if outline[index][0] == title:
                pages[anchor] = outline[index][1]
                position = index + 1
                break
    return pages


def _flatten(outline: list) -> list:
    items = []
    for item in outline:
        items.extend(_flatten(item) if isinstance(item, list) else [item])
    return items
