"""The LSR Explorer Dash application.

``create_app(data_dir)`` builds the app around one DataStore; the module-level ``server`` is
what gunicorn serves (``gunicorn app:server``), reading LSR_DATA_DIR (default data/parquet).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import dash
import flask

from dashboard import context
from dashboard.serving import (
    callback_guard,
    operations,
    page_bundles,
    request_limits,
    security_headers,
)
from dashboard.ui.shell import shell
from queries.store import DataStore

ROOT = Path(__file__).resolve().parent
POLYFILL_SCRIPT = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\s*')


class LsrDash(dash.Dash):
    """Dash with a lighter page shell: without its @babel/polyfill bundle (ES2015+ polyfills
    for browsers that predate them; every browser the service supports has them natively, and
    evaluating it cost 0.3 s of every first visit on a 2-core machine), and without component
    bundles the requested page does not use (``dashboard.serving.page_bundles``)."""

    def interpolate_index(self, **kwargs: str) -> str:
        scripts = POLYFILL_SCRIPT.sub("", kwargs.get("scripts", ""))
        if flask.has_request_context():
            scripts = page_bundles.trim_scripts(scripts, flask.request.path)
        kwargs["scripts"] = page_bundles.config_script() + scripts
        return super().interpolate_index(**kwargs)


def create_app(data_dir: str | Path) -> dash.Dash:
    """A Dash app serving the published data in ``data_dir``; assets are vendored (offline)."""
    store = DataStore(data_dir)
    context.set_store(store)
    app = LsrDash(
        __name__,
        use_pages=True,
        pages_folder=str(ROOT / "dashboard"),
        assets_folder=str(ROOT / "assets"),
        external_stylesheets=[],
        serve_locally=True,
        suppress_callback_exceptions=True,
        title="LSR Explorer",
        update_title=None,
        compress=True,
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="en-GB">', 1)
    app.layout = shell()
    # order matters: limits before anything reads a body, the guard before the answer cache
    request_limits.install(app.server)
    callback_guard.install(app.server, app, callback_guard.known_values())
    operations.install(app.server, store)
    security_headers.install(app.server)
    operations.register_probe(app)
    return app


@functools.cache
def _default_app() -> dash.Dash:
    return create_app(os.environ.get("LSR_DATA_DIR", "data/parquet"))


def __getattr__(name: str):
    """``app.server`` is built on first use, so importing create_app builds no second app
    (Dash pages re-import their modules per app, which would register every callback twice)."""
    if name == "server":
        return _default_app().server
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
