"""Body size, URL length, unknown paths, security headers and /metrics on the real server.

Regression for issue 15 items 3, 4, 5 (metrics) and 9: on the old code a 50 MB body was read
in full, over-long URLs got gunicorn's bare 414, unknown paths answered 200, /metrics was
public and kept a label per unknown path, and no security header was sent.
"""

from __future__ import annotations

import base64
import hashlib
import re
import socket
from urllib.parse import urlsplit

import pytest

from dashboard.serving import security_headers
from dashboard.serving.request_limits import MAX_BODY_BYTES
from tests.hostile import forge, probe_http
from tests.hostile.conftest import METRICS_TOKEN


def raw_exchange(server_url: str, head: bytes, body_parts, timeout: float = 10) -> bytes:
    """Send ``head`` and then the body parts (stopping early if the server answers) and
    return what the server answered."""
    parts = urlsplit(server_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as connection:
        connection.sendall(head)
        try:
            for part in body_parts:
                connection.sendall(part)
        except OSError:
            pass  # the server answered and closed without reading the rest: what we want
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and len(answer) > 20:
                break
        return answer


class TestBodySize:
    def test_a_declared_50_mb_body_is_refused_before_it_is_sent(self, server_url):
        # Given headers announcing 50 MB, and only 64 KB of it sent
        head = (
            f"POST {forge.CALLBACK} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {50 * 1024 * 1024}\r\n\r\n"
        ).encode()
        # Then the server answers 413 without waiting for the rest (the old code waited)
        answer = raw_exchange(server_url, head, [b" " * 65536])
        assert answer.startswith(b"HTTP/1.1 413")

    def test_a_chunked_body_over_the_cap_is_cut_off_with_413(self, server_url):
        head = (
            f"POST {forge.CALLBACK} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        ).encode()
        chunk = b"[" + b" " * (256 * 1024) + b"]"
        chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * 6 + [b"0\r\n\r\n"]
        answer = raw_exchange(server_url, head, chunks)
        assert answer.startswith(b"HTTP/1.1 413")

    def test_a_body_under_the_cap_is_read_and_judged(self, server_url):
        body = b'{"output": "' + b"x" * (MAX_BODY_BYTES - 100) + b'"}'
        answer = probe_http.request(server_url, "POST", forge.CALLBACK, body)
        assert answer.status == 400  # read, then refused by the guard: not a 413


class TestUrls:
    @pytest.mark.parametrize("length", [4_050, 10_000, 100_000])
    def test_an_over_long_url_gets_the_apps_own_page(self, server_url, length):
        path = "/dtoc?area=" + "a" * length
        answer = probe_http.request(server_url, "GET", path)
        assert answer.status == 414
        assert b"Address too long" in answer.body and b"LSR Explorer" in answer.body
        assert answer.headers["x-content-type-options"] == "nosniff"

    @pytest.mark.parametrize(
        "path", ["/nope", "/area/E06000001/extra", "/dtoc/x", "/.env", "/not-found"]
    )
    def test_an_unknown_path_answers_404_with_the_apps_shell(self, server_url, path):
        answer = probe_http.request(server_url, "GET", path)
        assert answer.status == 404
        assert b"_dash-config" in answer.body  # the app's page: its router shows not-found

    def test_the_router_shows_the_apps_not_found_view(self, server_url):
        answer = probe_http.post_json(server_url, forge.CALLBACK, forge.router_request("/x", ""))
        assert answer.status == 200  # the callback itself worked
        assert b"Page not found" in answer.body and b"Methods & sources" in answer.body

    @pytest.mark.parametrize(
        "path", ["/", "/area", "/area/E06000001", "/metric/dtoc_rate", "/dtoc", "/methods"]
    )
    def test_every_page_still_answers_200(self, server_url, path):
        assert probe_http.request(server_url, "GET", path).status == 200


class TestHeaders:
    def test_pages_carry_a_csp_allowing_exactly_their_inline_scripts(self, server_url):
        answer = probe_http.request(server_url, "GET", "/dtoc")
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "'unsafe-eval'" not in policy and "script-src 'self' 'sha256-" in policy
        html = answer.body.decode()
        for script in security_headers.inline_scripts(html):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy
        assert "'unsafe-inline'" not in re.search(r"script-src[^;]*", policy).group(0)
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"
        assert answer.headers["cache-control"] == "no-cache"

    def test_callbacks_are_not_stored_and_assets_stay_cacheable(self, server_url):
        answer = probe_http.post_json(server_url, forge.CALLBACK, forge.router_request("/", ""))
        assert answer.status == 200 and answer.headers["cache-control"] == "no-store"
        assert answer.headers["x-content-type-options"] == "nosniff"
        asset = probe_http.request(server_url, "GET", "/assets/00-bootstrap.min.css")
        assert "max-age" in asset.headers["cache-control"]


class TestMetrics:
    def test_metrics_are_404_without_the_token(self, server_url):
        assert probe_http.request(server_url, "GET", "/metrics").status == 404
        wrong = {"Authorization": "Bearer guess"}
        assert probe_http.request(server_url, "GET", "/metrics", headers=wrong).status == 404

    def test_metrics_labels_stay_bounded_to_known_pages(self, server_url):
        for index in range(30):
            junk = f"/junk-{index}-<script>" + "x" * 200
            probe_http.post_json(server_url, forge.CALLBACK, forge.router_request(junk, ""))
        authorized = {"Authorization": f"Bearer {METRICS_TOKEN}"}
        answer = probe_http.request(server_url, "GET", "/metrics", headers=authorized)
        assert answer.status == 200
        labels = set(answer.json()["answer_cache"]["render_on_miss"])
        known = {"/", "/area", "/metric", "/hospital", "/dtoc", "/social-care", "/chc"}
        assert labels <= known | {"/ratings", "/methods", "other"}
        assert "other" in labels
