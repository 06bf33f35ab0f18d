#!/usr/bin/env python3
"""The load generator of ``bench/checkins.py``: HTTP requests on loopback, from its own process.

    python bench/checkins_client.py SPEC.json OUT.json

``SPEC.json`` names the server (``host``, ``port``) and a list of jobs, run one after the other.
Each job sends ``count`` POST requests from ``concurrency`` threads (each request on a new
connection, as gunicorn's sync workers close it anyway), after ``warmup`` untimed ones, and stops
early after ``time_limit`` seconds. Its bodies are

* ``checkin``: one check-in as the scan page sends it — a fresh UUIDv7 ``client_id``, ``at`` = now, a
  poster token and a phone's device token drawn from ``tokens`` and ``devices``;
* ``lines``: the lines of the file ``bodies`` in turn (the batches, prepared by the parent).

``OUT.json`` gets, per job, the latency of every timed request, the statuses and the wall time.
Only the standard library: the client stays small next to the server it measures.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any


def uuid7() -> uuid.UUID:
    """A UUIDv7 as the scan page makes it (``scan.js``): 48 bits of the time in ms, then random."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms << 80) | (0x7 << 76) | (((rand >> 62) & 0xFFF) << 64) | (0b10 << 62) | (rand & ((1 << 62) - 1))
    return uuid.UUID(int=value)


def checkin_body(rng: random.Random, tokens: list[str], devices: list[str]) -> bytes:
    now = dt.datetime.now(dt.UTC).isoformat()
    body = {
        "client_id": str(uuid7()),  # as the scan page's: time-ordered, never repeated across jobs or runs
        "at": now,
        "sent_at": now,
        "token": rng.choice(tokens),
        "device": rng.choice(devices),
    }
    return json.dumps(body).encode()


def post(host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json", **headers})
        response = conn.getresponse()
        response.read()
        status = response.status
    finally:
        conn.close()
    return status, time.perf_counter() - started


def run_job(host: str, port: int, job: dict[str, Any]) -> dict[str, Any]:
    kind = job["kind"]
    lines: list[bytes] = []
    if kind == "lines":
        lines = [line.encode() for line in Path(job["bodies"]).read_text().splitlines() if line]
    tokens: list[str] = job.get("tokens", [])
    devices: list[str] = job.get("devices", [])
    headers: dict[str, str] = job.get("headers", {})
    count, warmup = int(job["count"]), int(job.get("warmup", 0))
    deadline_seconds = float(job.get("time_limit", 120))
    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors: list[str] = []

    def body_for(index: int, rng: random.Random) -> bytes:
        return lines[index % len(lines)] if kind == "lines" else checkin_body(rng, tokens, devices)

    # Warm-up: every worker process of the server loads its code and opens its connections.
    rng = random.Random(job.get("seed", 0))
    for i in range(warmup):
        post(host, port, job["path"], body_for(i, rng), headers)

    started = time.perf_counter()
    deadline = started + deadline_seconds

    def worker(seed: int) -> None:
        local = random.Random(seed)
        while True:
            with lock:
                index = state["next"]
                if index >= count or time.perf_counter() > deadline:
                    return
                state["next"] += 1
            try:
                status, seconds = post(host, port, job["path"], body_for(warmup + index, local), headers)
            except OSError as exc:  # a refused or reset connection is a failed request, not a crash
                with lock:
                    errors.append(repr(exc))
                    statuses[0] += 1
                continue
            with lock:
                latencies.append(seconds)
                statuses[status] += 1

    threads = [threading.Thread(target=worker, args=(job.get("seed", 0) * 100 + n,)) for n in range(job["concurrency"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "name": job["name"],
        "latencies": latencies,
        "statuses": {str(k): v for k, v in statuses.items()},
        "errors": errors[:5],
        "wall_seconds": wall,
        "requests": len(latencies),
    }


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[1]).read_text())
    results = [run_job(spec["host"], int(spec["port"]), job) for job in spec["jobs"]]
    Path(argv[2]).write_text(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
