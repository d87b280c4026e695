"""pytest fixtures around the fakes; import them into a test module to use them."""

from __future__ import annotations

import pytest

from .edge_service import FakeEdgeService


@pytest.fixture
def edge_service(monkeypatch):
    """A fake edge service (100× real time, no latency) with the edge_tts client pointed at it."""
    svc = FakeEdgeService(speed=100).start()
    svc.patch(monkeypatch)
    yield svc
    svc.stop()


def fast_edge_options(**overrides) -> dict:
    """EdgeEngine options for tests: short backoff and deadlines (no sleeps of seconds)."""
    return {"attempts": 3, "backoff": 0.001, "backoff_max": 0.01, "deadline": 2.0, "deadline_per_char": 0.002,
            **overrides}
