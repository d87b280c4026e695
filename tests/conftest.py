"""Shared fixtures: paths, a CLI runner in a subprocess, one espeak build of the example."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import audio_edition

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "examples" / "mammam-ia.html"
SRC = Path(audio_edition.__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``audio-edition ARGS`` as a user would, in a fresh process (no TTY)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "audio_edition", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    """The bundled example built offline with espeak, once per test session."""
    out = tmp_path_factory.mktemp("example-build")
    proc = run_cli("build", EXAMPLE, "--engine", "espeak", "--out", out,
                   "--base-url", "https://podcast.example.org/mammam/")
    assert proc.returncode == 0, proc.stderr
    return out
