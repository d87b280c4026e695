"""Document → spoken script: intro, varied transitions, stories with their titles, sections,
sponsor breaks when the show wants them, outro; templates per language and per show; the
producer's text view."""

from __future__ import annotations

import json

import pytest

from audio_edition.config import load_config
from audio_edition.errors import ConfigError
from audio_edition.models import Block, Document, Story
from audio_edition.script import build_script

from .conftest import FIXTURES, run_cli


def story(title, *texts, kind="story", url=None):
    return Story(title=title, blocks=tuple(Block(text=t) for t in texts), kind=kind, url=url)


DOC = Document(
    title="La lettre du jour", language="fr", published="2025-11-12", publication="Ma Lettre",
    greeting="Salut à tous", intro=("Une intro.",), toc=("Sujet A", "Sujet B"),
    stories=(story("Sujet A", "Texte A.", url="https://a.example"), story("Sujet B", "Texte B."),
             story("Sujet C", "Texte C."), story("Sujet D", "Texte D."),
             story("L’outil de la semaine", "Un outil.", kind="section", url="https://tool.example"),
             story("Acme", "Achetez Acme.", kind="sponsor")),
    closing=("À la semaine prochaine !",),
)


def test_segment_order_and_roles():
    s = build_script(DOC)
    assert [seg.role for seg in s.segments] == ["intro"] + ["transition", "story"] * 4 + ["transition", "section",
                                                                                          "outro"]


def test_intro_welcomes_with_show_issue_greeting_and_toc_once():
    intro = build_script(DOC).segments[0].text
    assert intro.startswith("Bienvenue dans l’édition audio de Ma Lettre, la lettre du 12 novembre 2025 : "
                            "La lettre du jour.")
    assert "Salut à tous." in intro and "Une intro." in intro
    assert intro.count("Au sommaire") == 1 and "Sujet A." in intro and "Sujet B." in intro


def test_transitions_vary_first_and_last_are_announced():
    lines = [seg.text for seg in build_script(DOC).segments if seg.role == "transition"]
    stories = lines[:4]
    assert stories[0] == "Premier sujet."
    assert stories[-1] == "Dernier sujet de la semaine."
    assert len(set(stories)) == 4
    assert "L’outil de la semaine" in lines[-1]


def test_a_title_announced_after_a_comma_starts_lower_case_unless_it_is_a_name(tmp_path):
    cfg = tmp_path / "show.toml"
    cfg.write_text('[templates]\nsection = ["Et maintenant, {story}."]\n', encoding="utf-8")
    doc = Document(title="La lettre", language="fr", stories=(
        story("Sujet A", "Texte A."), story("L’outil de la semaine", "Un outil.", kind="section"),
        story("Google Maps passe à l’IA", "Texte.", kind="section")))
    lines = [seg.text for seg in build_script(doc, load_config(cfg)).segments if seg.role == "transition"]
    assert "Et maintenant, l’outil de la semaine." in lines
    assert "Et maintenant, Google Maps passe à l’IA." in lines


def test_stories_announce_their_title_and_carry_their_url():
    segs = [seg for seg in build_script(DOC).segments if seg.role in ("story", "section")]
    assert segs[0].spoken.startswith("Sujet A.") and segs[0].url == "https://a.example"
    assert segs[-1].url == "https://tool.example"
    assert segs[1].to_dict()["url"] is None
    assert "url" not in build_script(DOC).segments[0].to_dict()


def test_outro_names_the_show_reads_the_closing_and_says_where_it_came_from():
    outro = build_script(DOC).segments[-1]
    assert outro.role == "outro"
    assert outro.text.startswith("À la semaine prochaine !")
    assert "C’était Ma Lettre" in outro.text and "générée automatiquement à partir de la newsletter" in outro.text


def test_english_templates():
    doc = Document(title="The Letter", language="en", published="2025-03-07", publication="Tiny Tools",
                   stories=(story("One", "Text."), story("Two", "Text.")))
    s = build_script(doc)
    assert s.segments[0].text.startswith("Welcome to the audio edition of Tiny Tools, for March 7, 2025")
    transitions = [seg.text for seg in s.segments if seg.role == "transition"]
    assert transitions == ["First up.", "And our last story this week."]
    assert "generated automatically from the newsletter" in s.segments[-1].text


def test_sponsors_are_read_as_an_announced_break_only_when_the_show_asks(tmp_path):
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text("[show]\nread_sponsors = true\n", encoding="utf-8")
    s = build_script(DOC, load_config(cfg))
    [sponsor] = [seg for seg in s.segments if seg.role == "sponsor"]
    assert sponsor.text.startswith("Un mot de notre partenaire.") and "Achetez Acme." in sponsor.text
    assert sponsor.text.rstrip().endswith("Fin du message de notre partenaire.")
    assert not any(seg.role == "sponsor" for seg in build_script(DOC).segments)


def test_show_overrides_templates(tmp_path):
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text('[show]\nname = "Le Podcast"\n[templates]\nfirst_story = "C’est parti !"\n'
                   '[templates.fr]\noutro = "Fin de {show}, {date}."\n', encoding="utf-8")
    s = build_script(DOC, load_config(cfg))
    assert s.segments[1].text == "C’est parti !"
    assert s.segments[-1].text.endswith("Fin du Podcast, 12 novembre 2025.")  # "de Le" contracts


def test_unknown_placeholder_in_a_show_template_is_a_config_error(tmp_path):
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text('[templates]\nwelcome = "Bonjour {listener}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"templates\.welcome.*\{listener\}"):
        build_script(DOC, load_config(cfg))
    proc = run_cli("script", FIXTURES / "mammam-ia" / "web.html", "--config", cfg)
    assert proc.returncode == 1 and "{listener}" in proc.stderr and "Traceback" not in proc.stderr


def test_text_format_is_what_a_producer_reads():
    proc = run_cli("script", FIXTURES / "mammam-ia" / "web.html")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "[1] INTRO — " in out and "STORY — MAI-Image-1" in out and "SECTION — L’outil de la semaine" in out
    tail = out[out.index("# Not read"):]
    assert "[sponsor] " in tail and "[poll] " in tail and "NordVPN" in tail
    assert out.index("# Not read") > out.index("OUTRO")


def test_text_format_lists_toc_mismatches(tmp_path):
    page = tmp_path / "issue.html"
    page.write_text("<html><body><p>Au sommaire :</p><p>👉 Un sujet</p><p>👉 Un fantôme</p>"
                    "<h2>Un sujet</h2><p>Le texte du sujet, assez long pour être lu.</p></body></html>")
    proc = run_cli("script", page)
    assert "# Warnings (1)" in proc.stdout and "Un fantôme" in proc.stdout
    data = json.loads(run_cli("script", page, "--format", "json").stdout)
    assert data["warnings"] == ["table of contents entry 'Un fantôme' matches no story"]


def test_json_story_and_section_segments_carry_urls():
    data = json.loads(run_cli("script", FIXTURES / "mammam-ia" / "web.html", "--format", "json").stdout)
    parts = [s for s in data["segments"] if s["role"] in ("story", "section")]
    assert all("url" in s for s in parts)
    assert {"title", "language", "published", "segments", "skipped"} <= set(data)


def test_show_name_ending_in_punctuation_is_not_doubled():
    from audio_edition.models import Block, Document, Story
    from audio_edition.script import build_script

    doc = Document(title="Titre", publication="MAMMAM IA!", published="2025-11-12",
                   stories=(Story(title="Un sujet", blocks=(Block(text="Du texte."),)),))
    outro = build_script(doc).segments[-1]
    assert "!." not in outro.text and "IA!" in outro.text
