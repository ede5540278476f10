"""Component bundles that only some pages use, left out of the other pages' shell.

Dash serves one page shell for every path, and a first visit evaluates every script in it.
AG Grid's bundle (1.3 MB, about a quarter of what a first visit downloads) serves Select areas
alone. The service navigation makes every page change a full page load, so the shell is
trimmed per request path; ``assets/page-bundles.js`` turns any in-page navigation to a page
whose bundle was left out into a full page load, so that page always gets its bundle.
"""

from __future__ import annotations

import json
import re

from dashboard.ui.shell import is_active

# component package -> the paths of the pages that render its components
# (a path shows a page as the navigation marks it current: ``/area/E08000012`` shows ``/area``;
# assets/page-bundles.js matches paths the same way)
PAGE_BUNDLES: dict[str, tuple[str, ...]] = {"dash_ag_grid": ("/",)}
CONFIG_ID = "lsr-page-bundles"


def unused_packages(path: str) -> list[str]:
    return [
        package
        for package, pages in PAGE_BUNDLES.items()
        if not any(is_active(page, path) for page in pages)
    ]


def trim_scripts(scripts: str, path: str) -> str:
    """The shell's script tags without the bundles of packages no component at ``path`` uses."""
    for package in unused_packages(path):
        bundle = re.compile(
            rf'<script src="[^"]*/_dash-component-suites/{re.escape(package)}/[^"]*"></script>\s*'
        )
        scripts = bundle.sub("", scripts)
    return scripts


def config_script() -> str:
    """Which pages need which package, for assets/page-bundles.js (JSON, never executed)."""
    return (
        f'<script id="{CONFIG_ID}" type="application/json">'
        f"{json.dumps(PAGE_BUNDLES, separators=(',', ':'))}</script>"
    )
