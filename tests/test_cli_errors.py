"""Bad input: one line on stderr saying what and where, the right exit status, no traceback,
and nothing left behind."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLE, run_cli


def assert_one_line_error(proc, status: int, *needles: str) -> None:
    assert proc.returncode == status, (proc.returncode, proc.stderr)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("audio-edition: error: ")
    for needle in needles:
        assert needle in lines[0]


def test_missing_file(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("build", tmp_path / "nope.html", "--out", out)
    assert_one_line_error(proc, 1, "nope.html", "no such file")
    assert not out.exists()


@pytest.mark.parametrize("content,needle", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
    (b"just some words, no markup at all\n", "not an HTML document"),
    (b"", "empty"),
    (b"   \n\t  \n", "empty"),
])
def test_not_html(tmp_path, content, needle):
    src = tmp_path / "issue.html"
    src.write_bytes(content)
    out = tmp_path / "out"
    for command in (["build", src, "--out", out], ["script", src]):
        proc = run_cli(*command)
        assert_one_line_error(proc, 1, str(src), needle)
    assert not out.exists()


def test_unknown_engine(tmp_path):
    proc = run_cli("build", EXAMPLE, "--engine", "festival", "--out", tmp_path / "out")
    assert_one_line_error(proc, 2, "--engine", "festival")
    assert not (tmp_path / "out").exists()


def test_unwritable_out(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    out = blocker / "out"
    proc = run_cli("build", EXAMPLE, "--out", out)
    assert_one_line_error(proc, 1, str(out), "not writable")


def test_missing_argument_is_usage_error():
    proc = run_cli("build")
    assert_one_line_error(proc, 2, "SOURCE")


def test_bad_config_names_the_key(tmp_path):
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text('[audio]\npause_ms = "long"\n')
    proc = run_cli("script", EXAMPLE, "--config", cfg)
    assert_one_line_error(proc, 1, "audio.pause_ms", str(cfg))


def test_help_teaches_with_examples():
    for command in ("build", "script"):
        proc = run_cli(command, "--help")
        assert proc.returncode == 0
        assert "Examples:" in proc.stdout and f"audio-edition {command} " in proc.stdout
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("audio-edition, version ")
