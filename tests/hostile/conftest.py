"""The real server (`lsr serve`: gunicorn, this repository's settings) over the fixture data
on a free loopback port, and how many probes to send (``make fuzz`` sends more)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.fixtures import publish_fixture

ROOT = Path(__file__).resolve().parents[2]
FUZZ_SCALE = int(os.environ.get("LSR_FUZZ_SCALE", "1"))  # make fuzz sets a larger scale
METRICS_TOKEN = "hostile-test-token"
ANSWERS_DISK_MB = 0.1  # a small cap, so junk requests reach it within the test
START_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def hostile_data(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("hostile")
    publish_fixture(data_dir)
    return data_dir


@pytest.fixture(scope="session")
def server_url(hostile_data, tmp_path_factory) -> str:
    """Base URL of `lsr serve --workers 1` in its own process group, stopped at the end."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("hostile-log") / "server.log"
    command = [sys.executable, "-m", "lsr.cli", "--data-dir", str(hostile_data), "serve"]
    env = {
        **os.environ,
        "LSR_METRICS_TOKEN": METRICS_TOKEN,
        "LSR_ANSWERS_DISK_MB": str(ANSWERS_DISK_MB),
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*command, "--workers", "1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(base_url, process, log_path)
        yield base_url
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def _wait_for_health(base_url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer within {START_SECONDS}s")


@pytest.fixture(scope="module")
def hostile_app(hostile_data):
    """The app in this process, for probes that must watch what page code does."""
    from app import create_app

    return create_app(hostile_data)


@pytest.fixture(scope="module")
def client(hostile_app):
    return hostile_app.server.test_client()
