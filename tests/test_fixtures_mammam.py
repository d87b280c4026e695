"""The shared fixtures of the first newsletter, in all the forms beehiiv serves it, checked
with their own checker: the web page, the e-mail (bare HTML and .eml), and both items of the
RSS feed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import FIXTURES, run_cli

CHECKER = FIXTURES / "check_script.py"
MAMMAM = FIXTURES / "mammam-ia"


def check(source, expected, *flags, cli_args=()):
    proc = run_cli("script", source, "--format", "json", *cli_args)
    assert proc.returncode == 0, proc.stderr
    result = subprocess.run([sys.executable, CHECKER, expected, "-", *flags], input=proc.stdout,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return proc.stdout


def test_web_page():
    check(MAMMAM / "web.html", MAMMAM / "expected.json")


@pytest.mark.parametrize("name", ["email.html", "email.eml"])
def test_email(name):
    # e-mail links are tracking redirects: story URLs are not comparable
    check(MAMMAM / name, MAMMAM / "expected.json", "--no-urls")


def test_rss_newest_item():
    check(MAMMAM / "rss.xml", MAMMAM / "expected.json")


def test_rss_older_item():
    check(MAMMAM / "rss.xml", MAMMAM / "expected-rss-older.json")


def test_rss_gives_one_script_per_item_oldest_first():
    out = json.loads(run_cli("script", MAMMAM / "rss.xml", "--format", "json").stdout)
    assert [s["published"] for s in out] == ["2025-11-05", "2025-11-12"]


def test_rss_latest_keeps_the_newest_issue():
    out = check(MAMMAM / "rss.xml", MAMMAM / "expected.json", cli_args=("--latest", "1"))
    assert isinstance(json.loads(out), dict)


def test_rss_since_filters_by_date():
    out = json.loads(run_cli("script", MAMMAM / "rss.xml", "--format", "json", "--since", "2025-11-06").stdout)
    assert out["published"] == "2025-11-12"
