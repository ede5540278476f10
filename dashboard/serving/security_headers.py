"""Security headers on every response, and a Content-Security-Policy Dash can live with.

Everything the app loads is self-hosted, so the policy allows only this origin. The few inline
scripts Dash writes into its page shell (the renderer's start, inline clientside callbacks)
are allowed by their hashes, taken from the shell actually served, so a Dash upgrade that
changes them cannot silently break the page. Styles keep 'unsafe-inline': Plotly and the
components set style attributes and inject style elements at run time.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re

import flask

INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
DATA_TYPES = ("application/json",)  # script elements that hold data and are never run
POLICY = (
    "default-src 'self'",
    "script-src 'self' {hashes}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HTML_CACHE = "no-cache"  # revalidate: a page shell names the bundles of the current release
DYNAMIC_CACHE = "no-store"  # callback answers and operational endpoints


def inline_scripts(html: str) -> tuple[str, ...]:
    """The bodies of the scripts a browser would run inline (not data, not src=)."""
    found = []
    for match in INLINE_SCRIPT.finditer(html):
        attributes = match.group("attributes")
        if "src=" in attributes or any(kind in attributes for kind in DATA_TYPES):
            continue
        if match.group("body").strip():
            found.append(match.group("body"))
    return tuple(found)


@functools.lru_cache(maxsize=64)
def policy_for(scripts: tuple[str, ...]) -> str:
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in sorted(set(scripts))
    )
    return "; ".join(POLICY).format(hashes=hashes).replace("'self' ;", "'self';")


def install(server: flask.Flask) -> None:
    """Add the headers to every response (registered last: runs before compression)."""

    @server.after_request
    def secure(response: flask.Response) -> flask.Response:
        for name, value in ALWAYS.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            scripts = () if response.direct_passthrough else inline_scripts(_text(response))
            response.headers["Content-Security-Policy"] = policy_for(scripts)
            response.headers["Cache-Control"] = HTML_CACHE
        elif "Cache-Control" not in response.headers and not flask.request.path.startswith(
            ("/assets/", "/_dash-component-suites/", "/_favicon")
        ):
            response.headers["Cache-Control"] = DYNAMIC_CACHE
        return response


def _text(response: flask.Response) -> str:
    if "Content-Encoding" in response.headers:
        return ""
    return response.get_data(as_text=True)
