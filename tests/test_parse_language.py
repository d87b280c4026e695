"""A language per passage, the cadence of the letter and the date said once, as the script
(``audio-edition script --format json``) shows them."""

from __future__ import annotations

import json

import pytest

from .conftest import FIXTURES, run_cli

MIXED = """<html lang="fr"><head><title>La Veille IA n°12</title></head><body>
<p>Bonjour à tous, voici les articles de recherche de la semaine, avec leurs résumés originaux.</p>
<h2>Un modèle qui lit les radiographies</h2>
<p>Une équipe de Stanford a publié le 24 octobre 2025 un modèle qui repère les fractures avec 94 % de précision.</p>
<p>Abstract: We present a model that detects fractures in 12,000 radiographs with 94 percent accuracy, published
on October 24, 2025, outperforming the previous state of the art.</p>
<h2>A study in English</h2>
<p>We measured the carbon flux of the North Atlantic for ten years and found that it fell by 12 percent.</p>
<p>The authors point to the warming of surface waters, which slows the uptake of carbon dioxide by the ocean.</p>
<h2>Une citation du jour</h2>
<p>Le ministre a déclaré, lors de la conférence de Pékin, une phrase reprise par toute la presse :</p>
<p>人工智能将改变我们的生活和工作方式，我们必须做好准备。</p>
<h2>Le chiffre de la semaine</h2>
<p>Trente-huit milliards de dollars ont été investis dans les puces en 2025, soit le double de l’an dernier.</p>
</body></html>"""


def script_of(path) -> dict | list:
    proc = run_cli("script", path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    path = tmp_path_factory.mktemp("mixed") / "veille.html"
    path.write_text(MIXED, encoding="utf-8")
    return script_of(path)


def part(script: dict, title: str) -> dict:
    return next(s for s in script["segments"] if s["role"] in ("story", "section") and s["title"] == title)


def test_an_english_abstract_in_a_french_story_is_normalized_in_english(mixed):
    spoken = part(mixed, "Un modèle qui lit les radiographies")["spoken"]
    french, english = spoken.split("\n")[1:3]
    assert "vingt-quatre octobre deux mille vingt-cinq" in french and "quatre-vingt-quatorze" in french
    assert "twelve thousand" in english and "ninety-four" in english
    assert "octobre" not in english and "Octoberobre" not in spoken and "twenty" not in french


def test_a_story_written_in_english_is_an_english_segment(mixed):
    seg = part(mixed, "A study in English")
    assert seg["language"] == "en"
    assert "ten years" in seg["spoken"] and "twelve percent" in seg["spoken"]
    assert all("language" not in part(mixed, t) for t in ("Un modèle qui lit les radiographies",
                                                          "Le chiffre de la semaine"))


def test_a_passage_in_a_language_without_a_voice_is_announced_not_read(mixed):
    seg = part(mixed, "Une citation du jour")
    assert "人工智能" not in seg["spoken"]
    assert "Un passage en chinois, qui n’est pas lu." in seg["text"]
    assert "conférence de Pékin" in seg["spoken"]


@pytest.mark.parametrize("name", ["mammam-ia/web.html", "platforms/substack-fr-web.html",
                                  "platforms/buttondown-en-email.html"])
def test_a_one_language_issue_has_no_passage_in_another(name):
    script = script_of(FIXTURES / name)
    assert [s["title"] for s in script["segments"] if "language" in s] == []


DAILY = """<html lang="{lang}"><head><title>{title}</title></head><body><p>{hello}</p>
<h2>{a}</h2><p>{text}</p><h2>{b}</h2><p>{text}</p><p>{bye}</p></body></html>"""


@pytest.mark.parametrize("lang,fields,never", [
    ("fr", dict(title="Le Brief du matin", hello="Bonjour, voici l’essentiel de ce matin.", a="La Bourse monte",
                b="Le rail recrute", text="Un paragraphe d’information assez long pour être lu comme un vrai sujet.",
                bye="À demain !"), "semaine"),
    ("en", dict(title="The Morning Note", hello="Good morning, here is what matters today.", a="Stocks rise",
                b="Rail hires", text="A paragraph of news long enough to be read as a real story by the voice.",
                bye="See you tomorrow!"), "week"),
])
def test_a_daily_never_says_this_week(tmp_path, lang, fields, never):
    path = tmp_path / "daily.html"
    path.write_text(DAILY.format(lang=lang, **fields), encoding="utf-8")
    script = script_of(path)
    said = [s["text"] for s in script["segments"] if s["role"] in ("intro", "transition", "outro")]
    assert not any(never in t.lower() for t in said), said


def test_a_feed_of_daily_issues_takes_the_daily_wording(tmp_path):
    items = "".join(
        f"<item><title>Le point du {d} octobre</title><guid>d{d}</guid><pubDate>{day}, {d:02d} Oct 2025 06:00:00 GMT"
        f"</pubDate><description><![CDATA[<h2>Premier titre</h2><p>Un texte assez long pour un sujet.</p>"
        f"<h2>Second titre</h2><p>Un autre texte assez long pour un sujet.</p>]]></description></item>"
        for d, day in ((6, "Mon"), (7, "Tue"), (8, "Wed")))
    path = tmp_path / "feed.xml"
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Le Point</title>'
                    f"<language>fr</language>{items}</channel></rss>", encoding="utf-8")
    scripts = script_of(path)
    for script in scripts:
        said = " ".join(s["text"] for s in script["segments"] if s["role"] in ("transition", "outro"))
        assert "semaine" not in said and "à demain" in said


def test_the_date_is_said_once(mixed, tmp_path):
    script = script_of(FIXTURES / "mammam-ia" / "web.html")
    texts = [s["text"] for s in script["segments"]]
    assert sum("12 novembre 2025" in t for t in texts) == 1
    assert "12 novembre 2025" in texts[0]
