"""Every platform fixture pair ``tests/fixtures/platforms/NAME.{html,eml,xml}`` +
``NAME.expected.json``, checked by ``check_script.py`` through the CLI. Add a case by adding
two files. ``"check_flags"`` in the expected file passes options to the checker
(``--no-urls`` for e-mails whose links are tracking redirects)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import FIXTURES, run_cli

PLATFORMS = FIXTURES / "platforms"
CHECKER = FIXTURES / "check_script.py"


def pairs():
    for expected in sorted(PLATFORMS.glob("*.expected.json")):
        name = expected.name[: -len(".expected.json")]
        sources = [p for p in PLATFORMS.iterdir() if p.name.startswith(name + ".") and p != expected
                   and not p.name.endswith(".json")]
        assert len(sources) == 1, f"{expected.name}: expected exactly one input file, got {sources}"
        yield pytest.param(sources[0], expected, id=name)


@pytest.mark.parametrize("source,expected", list(pairs()))
def test_platform_fixture(source, expected):
    flags = json.loads(expected.read_text(encoding="utf-8")).get("check_flags", [])
    proc = run_cli("script", source, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    result = subprocess.run([sys.executable, CHECKER, expected, "-", *flags], input=proc.stdout,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
