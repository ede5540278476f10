"""The LSR Explorer Dash application.

``create_app(data_dir)`` builds the app around one DataStore; the module-level ``server`` is
what gunicorn serves (``gunicorn app:server``), reading LSR_DATA_DIR (default data/parquet).
"""

from __future__ import annotations

import os
from pathlib import Path

import dash
from dashboard.layout import shell

from dashboard import context
from queries.store import DataStore

ROOT = Path(__file__).resolve().parent


def create_app(data_dir: str | Path) -> dash.Dash:
    """A Dash app serving the published data in ``data_dir``; assets are vendored (offline)."""
    context.set_store(DataStore(data_dir))
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder=str(ROOT / "dashboard" / "pages"),
        assets_folder=str(ROOT / "assets"),
        external_stylesheets=[],
        serve_locally=True,
        suppress_callback_exceptions=True,
        title="LSR Explorer",
        update_title=None,
    )
    app.layout = shell()
    return app


server = create_app(os.environ.get("LSR_DATA_DIR", "data/parquet")).server
