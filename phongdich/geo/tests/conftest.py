"""Geo fixtures: the packaged trees, and the GSO reference lists of ../shared/data when present."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from phongdich.geo.loaders import wheel_2021_path

SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


def _absent(what: str) -> None:
    """Skip for want of a data file — except in CI, where nothing may be skipped."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing (CI=true: no skipping)")
    pytest.skip(f"{what} is missing")


@pytest.fixture
def shared_csv() -> Callable[[str], Path]:
    def get(name: str) -> Path:
        path = SHARED_DATA / name
        if not path.is_file():
            # The reference lists sit beside the repository, not in it: checked when present
            # (as in CI), skipped in a clone that has no ../shared.
            pytest.skip(f"reference file ../shared/data/{name} is not beside this clone")
        return path

    return get


@pytest.fixture
def wheel_2021() -> Path:
    path = wheel_2021_path()
    if not path.is_file():
        _absent(f"{path.name} in {settings.DATA_DIR} (run ./scripts/start or pip download … -d var/data)")
    return path


@pytest.fixture
def load(db: Any) -> Callable[..., str]:
    """``load("--tree", "2021")`` runs ``manage.py load_units --province 19 …`` and returns its output."""

    def run(*args: str, province: str = "19") -> str:
        out = io.StringIO()
        call_command("load_units", "--province", province, *args, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def thai_nguyen_2021(wheel_2021: Path, load: Callable[..., str]) -> str:
    return load("--tree", "2021")
