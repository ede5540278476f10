"""`lsr export`: the fixture's data profile as A4 PDF and HTML, printed by the system Chromium
and read back with poppler's pdftotext / pdffonts / pdfimages."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess

import pytest

from dashboard.profile.report.sections import SECTIONS
from lsr.cli import main
from tests.fixtures import publish_fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]
TITLES = [spec.title for spec in SECTIONS] + ["Sources and licences", "Appendix: methods"]


def poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One profile printed twice from the same inputs, and a two-area pack."""
    root = tmp_path_factory.mktemp("export")
    publish_fixture(root / "data")
    common = ["--data-dir", str(root / "data"), "export"]
    dated = ["--generated-on", "2026-01-02"]
    for run in ("first", "second"):
        args = [*common, "profile", "--area", "Halton", "--out", str(root / run), *dated]
        assert main(args) == 0
    pack = [*common, "pack", "--areas", "Halton,Coventry", "--out", str(root / "pack"), *dated]
    assert main([*pack, "--no-progress"]) == 0
    return root


class TestProfile:
    def test_writes_an_a4_pdf_and_html(self, exported) -> None:
        pdf = exported / "first" / "Halton-data-profile.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert "pts (A4)" in poppler("pdfinfo", str(pdf))
        page = (exported / "first" / "Halton-data-profile.html").read_text()
        assert "<script" not in page and "<svg" in page  # self-contained, charts inline

    def test_text_has_every_section_a_finding_and_the_synthetic_notice(self, exported) -> None:
        text = poppler("pdftotext", str(exported / "first" / "Halton-data-profile.pdf"), "-")
        for title in TITLES:
            assert title in text
        flat = " ".join(text.split())
        assert "Delayed transfers of care in Halton stood at" in flat
        assert "Synthetic demo data: Emergency admissions 65+ in Halton stood at" in flat
        assert "Synthetic data: some figures in this profile are synthetic demo values" in flat

    @pytest.mark.parametrize(
        "path",
        ["first/Halton-data-profile.pdf", "pack/Coventry-data-profile.pdf"],  # the pack's
        ids=["alone", "second-of-pack"],  # second profile starts from the first's numbers
    )
    def test_contents_page_numbers_are_where_the_sections_start(self, exported, path) -> None:
        pdf = str(exported / path)
        contents = poppler("pdftotext", "-layout", "-f", "2", "-l", "2", pdf, "-")
        for title in TITLES:
            line = next(ln for ln in contents.splitlines() if ln.strip().startswith(title))
            page = line.split()[-1]
            heading = poppler("pdftotext", "-f", page, "-l", page, pdf, "-")
            assert heading.lstrip().startswith(title), (title, page)

    def test_same_inputs_give_the_same_text_layer(self, exported) -> None:
        texts = [
            poppler("pdftotext", str(exported / run / "Halton-data-profile.pdf"), "-")
            for run in ("first", "second")
        ]
        assert texts[0] == texts[1]

    def test_fonts_embedded_and_charts_vector(self, exported) -> None:
        pdf = str(exported / "first" / "Halton-data-profile.pdf")
        fonts = poppler("pdffonts", pdf).splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column
        assert len(poppler("pdfimages", "-list", pdf).splitlines()) == 2  # header lines only


class TestPack:
    def test_one_profile_per_area_and_an_index(self, exported) -> None:
        pack = exported / "pack"
        for name in ("Halton", "Coventry"):
            assert (pack / f"{name}-data-profile.pdf").exists()
            assert f'href="{name}-data-profile.pdf"' in (pack / "index.html").read_text()

    def test_unknown_area_is_one_line_and_exit_2(self, exported, capsys) -> None:
        args = ["--data-dir", str(exported / "data"), "export", "pack", "--areas", "Nowhere"]
        assert main([*args, "--out", str(exported / "bad")]) == 2
        assert capsys.readouterr().err.count("\n") == 1
        assert not (exported / "bad").exists()


def test_missing_chromium_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch) -> None:
    publish_fixture(tmp_path / "data")
    monkeypatch.setenv("LSR_CHROMIUM", str(tmp_path / "no-such-chromium"))
    args = ["--data-dir", str(tmp_path / "data"), "export", "profile", "--area", "Halton"]
    assert main([*args, "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("lsr export: no Chromium found") and error.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_renders_beside_a_running_playwright_loop() -> None:
    # Given Playwright's sync API already running on this thread (as the browser tests do)
    from playwright.sync_api import sync_playwright

    from dashboard.profile.report.pdf import ReportRenderer

    try:  # in the full suite the browser tests' session Playwright already runs here
        asyncio.get_running_loop()
        running = contextlib.nullcontext()
    except RuntimeError:
        running = sync_playwright()
    with running:
        # When a report is printed, Then its own Playwright thread does not clash with it
        with ReportRenderer() as renderer:
            assert renderer.print_pdf("<p>x</p>", footer="f").startswith(b"%PDF")
