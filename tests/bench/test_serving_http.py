"""The benchmark's HTTP client: a keep-alive connection the server has closed is retried once
on a fresh one, as browsers do, instead of counting as a failed request."""

from __future__ import annotations

import http.server
import socket
import threading

from bench.serving_http import Client


class AnswerThenHangUp(http.server.BaseHTTPRequestHandler):
    """Answers one request per connection, keep-alive in its headers, then closes it (as a
    server whose keep-alive timeout ran out while the user was reading)."""

    protocol_version = "HTTP/1.1"
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        AnswerThenHangUp.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
        self.close_connection = True

    def log_message(self, *args):
        pass


def test_a_connection_the_server_closed_is_reopened_and_the_request_answered():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), AnswerThenHangUp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = Client(f"http://127.0.0.1:{server.server_port}")
        first = client.get("/one")
        second = client.get("/two")  # on the connection the server has closed
        client.close()
    finally:
        server.shutdown()
        server.server_close()
    assert (first.status, second.status) == (200, 200)
    assert AnswerThenHangUp.requests == ["/one", "/two"]  # each sent once to the server


def test_no_server_is_a_failed_request():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    assert Client(f"http://127.0.0.1:{port}").get("/").status == 0
