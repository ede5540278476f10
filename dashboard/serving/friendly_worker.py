"""gunicorn's threaded worker, answering over-long request lines and headers with the app's
own short page instead of gunicorn's bare "414 URI Too Long".

A request line over gunicorn's limit never reaches the app (nothing of it is parsed beyond the
limit), so the page is written here, with the same security headers the app sends.
"""

from __future__ import annotations

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from dashboard.serving.request_limits import URL_TOO_LONG, friendly_page
from dashboard.serving.security_headers import ALWAYS

HEADERS_TOO_LARGE = (
    "Request headers too large",
    "This request carries more headers than LSR Explorer accepts. Clearing this site's "
    "cookies or starting from Select areas usually helps.",
)
LOG_CHARS = 200


class FriendlyThreadWorker(ThreadWorker):
    def handle_error(self, req, client, addr, exc):  # noqa: ANN001, ANN201 - gunicorn's hook
        if isinstance(exc, LimitRequestLine):
            status, reason, (title, message) = 414, "URI Too Long", URL_TOO_LONG
        elif isinstance(exc, LimitRequestHeaders):
            status, reason = 431, "Request Header Fields Too Large"
            title, message = HEADERS_TOO_LARGE
        else:
            return super().handle_error(req, client, addr, exc)
        peer = (addr or ("",))[0]
        self.log.warning("refused %s from %s: %s", status, peer, str(exc)[:LOG_CHARS])
        try:
            util.write_nonblock(client, response_bytes(status, reason, title, message))
        except OSError:
            self.log.debug("could not send the %s page", status)
        return None


def response_bytes(status: int, reason: str, title: str, message: str) -> bytes:
    body = friendly_page(status, title, message).encode()
    headers = {
        "Connection": "close",
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": str(len(body)),
        "Cache-Control": "no-store",
        **ALWAYS,
    }
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode("latin-1") + b"\r\n" + body
