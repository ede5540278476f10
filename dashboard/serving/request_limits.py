"""Limits every request meets before any work: body size, URL length, known paths.

A body over the cap is refused from its Content-Length alone (413, connection closed, nothing
read); a body sent without one is cut off at the cap while it is read. A URL too long to be
one of ours gets a short page of the app's own (414); gunicorn's request-line limit sits above
ours and answers with the same page (``friendly_worker``). An address no page serves answers
404 with the app's own page (the router shows its not-found view).
"""

from __future__ import annotations

import html
import logging
import re

import dash
import flask

MAX_BODY_BYTES = 1024 * 1024  # a callback body is a few KB; a grid of 152 rows ~100 KB
MAX_URL_CHARS = 4000  # below gunicorn's 4094-byte request line (method and version included)
SERVICE_PREFIXES = ("/_dash-", "/_reload-hash", "/_favicon", "/assets/", "/healthz", "/metrics")
STYLESHEET = "/assets/00-bootstrap.min.css"
LOG_CHARS = 200
log = logging.getLogger("lsr.rejected")


def friendly_page(status: int, title: str, message: str) -> str:
    """A small self-contained HTML page in the app's style (no script: it works anywhere)."""
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} – LSR Explorer</title>"
        f'<link rel="stylesheet" href="{STYLESHEET}"></head>'
        '<body><main class="container-xl py-4">'
        f'<h1 class="h3">{html.escape(title)}</h1><p>{html.escape(message)}</p>'
        '<p><a href="/">Go to Select areas</a> · <a href="/methods">Methods &amp; sources</a></p>'
        f'<p class="text-muted small">HTTP {status}</p></main></body></html>'
    )


URL_TOO_LONG = (
    "Address too long",
    "This address is longer than any page of LSR Explorer uses. Links copied from the app are "
    "much shorter: try the link again, or start from Select areas.",
)


def page_paths() -> list[re.Pattern]:
    """Patterns of the addresses the registered pages serve (``/area/<code>`` and ``/area``)."""
    patterns = []
    for module, page in dash.page_registry.items():
        if module.endswith("not_found_404"):
            continue  # the not-found view is what unknown addresses show
        for template in filter(None, (page.get("path_template"), page.get("path"))):
            parts = re.split(r"<[^>]+>", template)
            patterns.append(re.compile("^" + "[^/]+".join(map(re.escape, parts)) + "$"))
    return patterns


def is_page(path: str, patterns: list[re.Pattern]) -> bool:
    return any(pattern.match(path) for pattern in patterns)


def install(server: flask.Flask) -> None:
    """Register first: these checks come before any hook that reads the body."""
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @server.before_request
    def refuse_oversized() -> flask.Response | None:
        request = flask.request
        if len(request.full_path) > MAX_URL_CHARS:
            log.warning("rejected 414 %s %s…", request.method, request.full_path[:LOG_CHARS])
            return _page(414, *URL_TOO_LONG)
        if (request.content_length or 0) > MAX_BODY_BYTES:
            log.warning("rejected 413 %s %s: %s bytes declared", request.method,
                        request.path[:LOG_CHARS], request.content_length)  # fmt: skip
            return _too_large()
        if request.content_length is None and request.method in ("POST", "PUT", "PATCH"):
            # a chunked body: read up to the cap (the stream stops there), refuse if it is full
            if len(request.get_data(cache=True)) >= MAX_BODY_BYTES:
                return _too_large()
        return None

    @server.after_request
    def not_found_status(response: flask.Response) -> flask.Response:
        """The page shell for an address no page serves: the same shell, status 404."""
        request = flask.request
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and response.mimetype == "text/html"
            and not request.path.startswith(SERVICE_PREFIXES)
            and not is_page(request.path, _patterns())
        ):
            response.status_code = 404
        return response


def _too_large() -> flask.Response:
    response = flask.Response(
        f"Request body over {MAX_BODY_BYTES // 1024} KB\n", 413, mimetype="text/plain"
    )
    response.headers["Connection"] = "close"  # the rest is never read, so no keep-alive
    return response


def _page(status: int, title: str, message: str) -> flask.Response:
    response = flask.Response(friendly_page(status, title, message), status, mimetype="text/html")
    response.headers["Connection"] = "close"
    return response


_PATTERNS: list[re.Pattern] = []


def _patterns() -> list[re.Pattern]:
    """The page patterns, read once the pages are registered (at the first request)."""
    if not _PATTERNS:
        _PATTERNS.extend(page_paths())
    return _PATTERNS
