"""``gunicorn.conf.py``: how the system is served, chosen from the machine and the environment."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any

import pytest

CONF = Path(__file__).resolve().parents[3] / "gunicorn.conf.py"
VARIABLES = ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_LOG_LEVEL")


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_default_is_threaded_one_worker_per_core_on_loopback_M1(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load(monkeypatch)
    assert conf["workers"] == (os.cpu_count() or 1)
    assert (conf["threads"], conf["worker_class"]) == (32, "gthread")  # the check-ins' group commit needs threads
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["timeout"] == 60


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WEB_CONCURRENCY": "3"}, {"workers": 3}),
        ({"GUNICORN_THREADS": "1"}, {"threads": 1, "worker_class": "sync"}),
        ({"GUNICORN_THREADS": "8"}, {"threads": 8, "worker_class": "gthread"}),
        ({"GUNICORN_BIND": "0.0.0.0:9000"}, {"bind": "0.0.0.0:9000"}),
        ({"GUNICORN_TIMEOUT": "120"}, {"timeout": 120}),
        # A value that is not a number leaves the default rather than failing the start; below 1 counts as 1.
        ({"WEB_CONCURRENCY": "nhiều"}, {"workers": os.cpu_count() or 1}),
        ({"GUNICORN_THREADS": "0"}, {"threads": 1, "worker_class": "sync"}),
        ({"GUNICORN_THREADS": ""}, {"threads": 32}),
    ],
)
def test_environment_chooses_each_value_M1(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: dict[str, Any]
) -> None:
    conf = load(monkeypatch, **env)
    assert {name: conf[name] for name in expected} == expected
