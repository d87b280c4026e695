"""The shared fixtures of the first newsletter, checked with their own checker."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import FIXTURES, run_cli

CHECKER = FIXTURES / "check_script.py"
MAMMAM = FIXTURES / "mammam-ia"


def check(source, expected, *flags):
    proc = run_cli("script", source, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    result = subprocess.run([sys.executable, CHECKER, expected, "-", *flags], input=proc.stdout,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_web_page():
    check(MAMMAM / "web.html", MAMMAM / "expected.json")
