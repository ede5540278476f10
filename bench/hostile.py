"""Benchmark: what hostile requests cost the real server, side by side with the probe.

    python -m bench.hostile [--repeats 30] [--attackers 8]

Builds a small demo dataset, starts `lsr serve --workers 1` on a loopback port and times, in
one run: the probe callback (Dash's dispatch and nothing of ours), forged callbacks the guard
refuses (a 100 KB metric id, 1 MB of notices, JSON nested 100,000 deep), a 50 MB declared body
(refused from its headers) and a 100 KB URL (gunicorn's limit, the app's page); then /healthz
while ``--attackers`` threads send 100 KB metric ids nonstop (issue 15: 33 s stalls before).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from dashboard.serving.operations import probe_request

ROOT = Path(__file__).resolve().parents[1]
LSR = [sys.executable, "-m", "lsr.cli"]
CALLBACK = "/_dash-update-component"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def send(port: int, head: bytes, body: bytes = b"") -> tuple[int, int]:
    """Status and answer size of one request written as raw bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(head + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]), len(answer)


def post(port: int, body: bytes, declared: int | None = None) -> tuple[int, int]:
    length = len(body) if declared is None else declared
    head = (
        f"POST {CALLBACK} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()
    return send(port, head, body)


def forged(output: str, value: object) -> bytes:
    dependencies = json.loads(DEPENDENCIES[0])
    spec = next(d for d in dependencies if d["output"] == output)
    request = {
        "output": output,
        "outputs": {"id": output.split(".")[0], "property": output.split(".")[1]},
        "inputs": [{**i, "value": value} for i in spec["inputs"]],
        "changedPropIds": [f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"],
        "state": [{**s, "value": None} for s in spec["state"]],
    }
    return json.dumps(request).encode()


DEPENDENCIES: list[bytes] = []


def timed(label: str, call, repeats: int) -> float:
    seconds, outcome = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        outcome = call()
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds) * 1000
    print(f"{label:<44} {median:9.1f} ms median  (HTTP {outcome[0]}, {outcome[1]:,} bytes back)")
    return median


def healthz_under_attack(port: int, attackers: int, seconds: float) -> list[float]:
    explorer = next(d["output"] for d in json.loads(DEPENDENCIES[0])
                    if d["inputs"] and d["inputs"][0]["id"] == "explorer-metric")  # fmt: skip
    body = forged_explorer(explorer)
    stop = threading.Event()
    sent = []

    def attack() -> None:
        while not stop.is_set():
            try:
                post(port, body)
                sent.append(1)
            except OSError:
                return  # the server is being stopped

    threads = [threading.Thread(target=attack, daemon=True) for _ in range(attackers)]
    for thread in threads:
        thread.start()
    waits = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60).read()
        waits.append(time.perf_counter() - started)
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    print(f"forged requests sent during the checks: {len(sent)}")
    return waits


def forged_explorer(output: str) -> bytes:
    spec = next(d for d in json.loads(DEPENDENCIES[0]) if d["output"] == output)
    component, prop = output.rsplit(".", 1)
    inputs = [{**i, "value": None} for i in spec["inputs"]]
    inputs[0]["value"] = "dtoc_rate" * 11_000  # ~100 KB
    return json.dumps(
        {
            "output": output,
            "outputs": {"id": component, "property": prop},
            "inputs": inputs,
            "changedPropIds": ["explorer-metric.value"],
            "state": [{**s, "value": None} for s in spec["state"]],
        }
    ).encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--attackers", type=int, default=8)
    parser.add_argument("--attack-seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lsr-hostile-") as scratch:
        data_dir = Path(scratch) / "data"
        subprocess.run([*LSR, "--data-dir", str(data_dir), "demo", "--scale", "0.05"],
                       cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        port = free_port()
        log = (Path(scratch) / "server.log").open("w")
        server = subprocess.Popen(
            [*LSR, "--data-dir", str(data_dir), "serve", "--workers", "1", "--port", str(port)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            for _ in range(300):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                        break
                except OSError:
                    time.sleep(0.3)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-dependencies") as answer:
                DEPENDENCIES.append(answer.read())
            report(port, args)
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    return 0


def report(port: int, args: argparse.Namespace) -> None:
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    probe = timed("probe callback (dispatch, no work)", lambda: post(port, json.dumps(
        probe_request()).encode()), args.repeats)  # fmt: skip
    explorer = next(d["output"] for d in json.loads(DEPENDENCIES[0])
                    if d["inputs"] and d["inputs"][0]["id"] == "explorer-metric")  # fmt: skip
    cases = {
        "forged: 100 KB metric id": lambda: post(port, forged_explorer(explorer)),
        "forged: 1,000,000 characters of notices": lambda: post(
            port, forged("url-notice.children", "n" * 1_000_000)
        ),
        "forged: JSON nested 100,000 deep": lambda: post(port, b"[" * 100_000 + b"]" * 100_000),
        "50 MB declared body (64 KB sent)": lambda: post(port, b" " * 65536, 50 * 1024 * 1024),
        "100 KB URL": lambda: send(port, b"GET /?" + b"a" * 100_000 + b" HTTP/1.1\r\n\r\n"),
    }
    for label, call in cases.items():
        median = timed(label, call, args.repeats)
        print(f"{'':<44} ratio to the probe: {median / probe:.2f}")
    waits = healthz_under_attack(port, args.attackers, args.attack_seconds)
    print(
        f"/healthz while {args.attackers} threads send 100 KB metric ids: "
        f"median {statistics.median(waits) * 1000:.0f} ms, max {max(waits) * 1000:.0f} ms "
        f"({len(waits)} checks)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
