"""gunicorn settings for `lsr serve` (which adds --bind, --workers and the data directory).

Each worker serves requests on a few threads: callbacks wait on DuckDB, which releases the
GIL, so threads overlap queries; JSON and figure building do not, hence workers too.
"""

import gc
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


def pre_fork(server, worker) -> None:
    """Before each worker is forked, what the master built (the app and the libraries it
    imported: ~200,000 functions, dicts and modules) leaves the garbage collector's sight.
    Otherwise every full collection in a worker walks all of it again: ~100 ms of CPU every
    few requests, the p95 of a page render (and it writes to the pages the fork shares)."""
    gc.freeze()
