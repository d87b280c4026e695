"""The config schema: one place for every key; mistakes are one line naming the key and its closest name."""

from __future__ import annotations

import tomllib

import pytest

from audio_edition.config import (
    SECTIONS,
    ShowConfig,
    apple_categories,
    commented_config,
    load_config,
    parse_config,
    schema,
    schema_markdown,
)
from audio_edition.errors import ConfigError

from .conftest import ROOT, run_cli


@pytest.mark.parametrize("text,message", [
    ('[shwo]\nname = "x"', r"unknown table \[shwo\] \(did you mean \[show\]\?\)"),
    ('[show]\ntitel = "x"', r"unknown key show\.titel \(did you mean show\.title\?\)"),
    ("[show]\nexplicit = \"no\"", r"show\.explicit must be true or false \(a boolean\), got 'no'"),
    ("[audio]\npause_ms = \"700\"", r"audio\.pause_ms must be an integer"),
    ("[audio]\npause_ms = true", r"audio\.pause_ms must be an integer"),
    ('[show]\ncategory = "Tech"', r"show\.category is not an Apple Podcasts category \(did you mean 'Technology'\?\)"),
    ('[show]\ncategory = "News"\nsubcategory = "Tech"', (r"show\.subcategory 'Tech' is not a subcategory of 'News' "
                                                         r"\(did you mean 'Tech News'\?\)")),
    ('[show]\ncategory = "Technology"\nsubcategory = "Podcasting"',
     r"not a subcategory of 'Technology' \(it has none\)"),
    ('[show]\ntype = "daily"', r"show\.type must be one of episodic, serial"),
    ('[show]\nowner_email = "nobody"', r"show\.owner_email must be an e-mail address"),
    ('[show]\nlink = "javascript:alert(1)"', r"show\.link must be an http:// or https:// URL"),
    ('[show]\nlanguage = "French"', r"show\.language must be a language code"),
    ('[templates]\nfirst_stroy = "x"', r"unknown key templates\.first_stroy \(did you mean templates\.first_story\?\)"),
    ("[templates]\nfirst_story = 3", r"templates\.first_story must be a string or a list of strings"),
    ('[templates.fr]\noutroo = "x"', r"unknown key templates\.fr\.outroo \(did you mean templates\.fr\.outro\?\)"),
    ('[voices]\nprofil = "v.toml"', r"unknown key voices\.profil \(did you mean voices\.profile\?\)"),
    ('[feed]\nmail = "a@b.org"', r"unknown key feed\.mail \(did you mean feed\.email\?"),
    ('[feed]\ntitle = "A"\n[show]\ntitle = "B"', r"feed\.title and show\.title are both set: keep show\.title"),
    ("show = 3", r"\[show\] must be a table"),
])
def test_mistakes_name_the_key(tmp_path, text, message):
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_config(cfg)
    assert str(info.value).startswith(str(cfg)) and "\n" not in str(info.value)


def test_a_long_description_is_refused_with_its_size():
    with pytest.raises(ConfigError, match=r"show\.description must be at most 4000 bytes.*got 4002"):
        parse_config({"show": {"description": "é" * 2001}})
    assert parse_config({"show": {"description": "é" * 2000}}).show.description


def test_the_cli_prints_one_line_and_exits_1(tmp_path):
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text('[shwo]\nname = "x"\n', encoding="utf-8")
    proc = run_cli("script", ROOT / "examples" / "mammam-ia.html", "--config", cfg)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "did you mean [show]" in proc.stderr


def test_the_feed_table_of_earlier_versions_still_loads():
    cfg = parse_config({"feed": {"title": "T", "email": "a@b.org", "base_url": "https://x.org/p/", "explicit": True,
                                 "category": "News"}})
    assert (cfg.show.title, cfg.show.owner_email, cfg.show.base_url, cfg.show.explicit, cfg.show.category) == \
        ("T", "a@b.org", "https://x.org/p/", True, "News")


def test_defaults_and_every_apple_category():
    cfg = ShowConfig()
    assert cfg.show.category == "Technology" and cfg.show.explicit is False and cfg.show.type == "episodic"
    assert cfg.audio.pause_ms == 700 and cfg.voices.profile is None
    cats = apple_categories()
    assert len(cats) == 19 and "True Crime" in cats and "Tech News" in cats["News"]
    for cat, subs in cats.items():
        parse_config({"show": {"category": cat}})
        for sub in subs:
            parse_config({"show": {"category": cat, "subcategory": sub}})


def test_every_key_has_a_doc_and_the_readme_table_is_generated_from_the_schema():
    keys = schema()
    free_form = {t for t, cls in SECTIONS.items() if hasattr(cls, "from_table")}  # validated by their own rules
    assert {k.table for k in keys} | free_form == set(SECTIONS)
    assert all(k.doc for k in keys)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- config-table:start -->\n", 1)[1].split("\n<!-- config-table:end -->", 1)[0]
    assert table == schema_markdown(), "README's config table is stale: python -m audio_edition.config prints it"


def test_the_commented_config_is_valid_and_loads_to_what_was_set():
    text = commented_config({"show": {"name": "Ma Lettre", "owner_email": "a@b.org", "category": "News"}})
    data = tomllib.loads(text)
    assert data["show"] == {"name": "Ma Lettre", "owner_email": "a@b.org", "category": "News"}
    # uncommenting every key gives a file that loads too (the examples are valid values)
    uncommented = "\n".join(line[2:] if line.startswith("# ") and " = " in line.split("#")[1] else line
                            for line in text.splitlines())
    parse_config(tomllib.loads(uncommented.replace("# [templates]", "[templates]")))
    for k in schema():
        assert f"{k.name} = " in text


def test_init_writes_a_config_and_a_voice_profile_that_build_reads(tmp_path):
    proc = run_cli("init", "--dir", tmp_path, "--name", "Ma Lettre", "--owner-email", "a@b.org", "--category",
                   "News", "--subcategory", "Tech News", "--language", "en", "--explicit")
    assert proc.returncode == 0, proc.stderr
    cfg = load_config(tmp_path / "audio-edition.toml")
    assert (cfg.show.name, cfg.show.subcategory, cfg.show.explicit, cfg.show.language) == \
        ("Ma Lettre", "Tech News", True, "en")
    from audio_edition.casting import resolve_profile
    profile = resolve_profile(config=cfg)
    assert profile.name == "Ma Lettre" and profile.language == "en"
    again = run_cli("init", "--dir", tmp_path, "--name", "X")
    assert again.returncode == 1 and "already exists (use --force" in again.stderr
    bad = run_cli("init", "--dir", tmp_path / "b", "--category", "Tech")
    assert bad.returncode == 1 and "did you mean 'Technology'" in bad.stderr
    assert not (tmp_path / "b" / "audio-edition.toml").exists()


def test_init_asks_on_a_terminal(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from audio_edition import cli_init
    runner = CliRunner()
    answers = "Ma Lettre\nDe l’IA chaque semaine.\nMoi\na@b.org\n\n\nhttps://x.org/p/\n"
    monkeypatch.setattr(cli_init, "interactive", lambda: True)
    result = runner.invoke(cli_init.init, ["--dir", str(tmp_path)], input=answers)
    assert result.exit_code == 0, result.output
    cfg = load_config(tmp_path / "audio-edition.toml")
    assert (cfg.show.name, cfg.show.owner_email, cfg.show.base_url, cfg.show.category) == \
        ("Ma Lettre", "a@b.org", "https://x.org/p/", "Technology")


def test_a_section_is_a_dataclass_registered_in_one_table(monkeypatch):
    from dataclasses import dataclass

    from audio_edition.config import key

    @dataclass
    class EchoSection:
        """An extra table."""

        gain: float = key(0.0, "gain in dB")
        bed: dict | bool = key({}, "a sub-table, or false to leave it out")  # noqa: RUF009 (key() copies it)

        def __post_init__(self):
            if self.gain > 10:
                raise ConfigError(f"echo.gain must be at most 10, got {self.gain}")

    monkeypatch.setitem(SECTIONS, "echo", EchoSection)
    assert parse_config({"echo": {"gain": 3}}).echo.gain == 3.0
    assert ShowConfig().echo.gain == 0.0
    with pytest.raises(ConfigError, match=r"^x\.toml: echo\.gain must be at most 10"):
        parse_config({"echo": {"gain": 11}}, "x.toml")
    with pytest.raises(ConfigError, match=r"unknown key echo\.gian \(did you mean echo\.gain\?\)"):
        parse_config({"echo": {"gian": 1}})
    assert "| `echo.gain` | number | `0.0` | gain in dB |" in schema_markdown()
    assert parse_config({"echo": {"bed": {"file": "x.mp3"}}}).echo.bed == {"file": "x.mp3"}
    assert parse_config({"echo": {"bed": False}}).echo.bed is False
    with pytest.raises(ConfigError, match=r"echo\.bed must be a table, got 'x'"):
        parse_config({"echo": {"bed": "x"}})
    assert "| `echo.bed` | table |" in schema_markdown()
