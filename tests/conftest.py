"""Shared fixtures."""

from __future__ import annotations

import os

import pytest

# A real HTTP server on 127.0.0.1 with scripted replies (see tests/mockserver.py).
from tests.mockserver import mock_server  # noqa: F401


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite expected outputs (golden files) from the current behaviour",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files should be rewritten instead of compared (never under CI)."""
    wanted = bool(request.config.getoption("--update-golden"))
    if wanted and os.environ.get("CI"):
        pytest.fail("--update-golden is refused under CI: golden files must be committed")
    return wanted
