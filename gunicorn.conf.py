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
# 2 workers x 4 threads on 2 cores, measured against 2x2, 2x1 and 3x1 under 20 users asking
# only for new views (2026-12-08): server CPU per view the same within noise (threads add no
# CPU), but with fewer threads page GETs and cached answers wait behind whole renders (GET
# p50 ~1.1 s at 2x1 against 0.1-0.3 s at 2x4)
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
