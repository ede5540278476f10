"""gunicorn settings for `lsr serve` (which adds --bind, --workers and the data directory).

Each worker serves requests on a few threads: callbacks wait on DuckDB, which releases the
GIL, so threads overlap queries; JSON and figure building do not, hence workers too.
"""

import os

# every worker builds its per-version look-ups in the background when it first serves a
# version (dashboard/serving/warm_lookups.py)
os.environ.setdefault("LSR_WARM_LOOKUPS", "1")

# gthread, answering over-long request lines with the app's own page (not a bare 414)
worker_class = "dashboard.serving.friendly_worker.FriendlyThreadWorker"
threads = 4
# The app is built once in the master and shared copy-on-write; DataStore opens its DuckDB
# connection lazily in each worker (it checks the pid), so nothing database-related is forked.
preload_app = True
timeout = 60  # a callback slower than this is a bug; the worker is restarted
graceful_timeout = 20
keepalive = 5  # seconds: browsers reuse one connection for a page's callbacks
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'


def when_ready(server):  # noqa: ANN001, ANN201 - gunicorn's hook: the app is loaded, no worker yet
    """Freeze what building the app left in memory, so the workers' collections skip it
    (dashboard/serving/heap.py)."""
    from dashboard.serving.heap import freeze_startup_objects

    server.log.info("froze %d startup objects out of garbage collection", freeze_startup_objects())
