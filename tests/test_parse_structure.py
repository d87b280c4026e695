"""How an issue's shape is found: header, greeting, TOC, stories, sections, sub-headings,
sponsors, polls and calls to action, on small issues written for each rule."""

from __future__ import annotations

import pytest

from audio_edition.models import Issue
from audio_edition.parse import parse_issue


def parse(body: str, head: str = "", **kw):
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return parse_issue(Issue(id="t", source="t.html", raw_html=html, **kw))


def read_text(doc) -> str:
    parts = [doc.greeting or "", *doc.intro, *doc.toc]
    for s in doc.stories:
        parts.append(s.title)
        parts.extend(b.full_text() for b in s.blocks)
    return "\n".join(parts)


def titles(doc, kind=None):
    return [s.title for s in doc.stories if kind is None or s.kind == kind]


STORY = "<p>Un paragraphe de texte qui raconte le sujet en détail, avec des faits et des chiffres.</p>"


@pytest.mark.parametrize("heading", [
    "<h2>1️⃣ {t}</h2>", "<h3>1. {t}</h3>", "<p><strong>#1 — {t}</strong></p>", "<p><b>1) {t}</b></p>",
    "<h2>{t}</h2>",
])
def test_story_headings_in_their_many_forms(heading):
    body = "<p>Bonjour à tous,</p><p>Voici la lettre de la semaine, avec trois sujets.</p>" + "".join(
        heading.replace("1", str(n)).format(t=f"Le sujet numéro {n} de la semaine") + STORY for n in (1, 2, 3))
    doc = parse(body)
    assert titles(doc, "story") == [f"Le sujet numéro {n} de la semaine" for n in (1, 2, 3)]
    assert doc.greeting == "Bonjour à tous"


def test_bold_one_line_titles_when_there_are_no_headings():
    body = ("<p>Hi everyone,</p><p>Short intro to the week, nothing fancy here at all.</p>"
            "<p><strong>The first story</strong></p>" + STORY +
            "<p><strong>The second story</strong></p>" + STORY)
    doc = parse(body)
    assert titles(doc) == ["The first story", "The second story"]


def test_labelled_sub_parts_stay_in_their_story():
    body = ("<h2>1. Un sujet</h2><p><b>Le résumé :</b> ce qui s’est passé.</p><p><b>Les détails :</b></p>"
            "<ul><li><b>Premier point :</b> un détail.</li></ul><p><strong>Pourquoi c’est important :</strong> la raison.</p>"
            "<h2>2. Un autre sujet</h2>" + STORY)
    doc = parse(body)
    first = doc.stories[0]
    assert [b.label for b in first.blocks] == ["Le résumé", "Les détails", "Premier point", "Pourquoi c’est important"]
    assert first.blocks[0].text == "ce qui s’est passé."
    assert len(doc.main_stories) == 2


def test_repeated_sub_headings_are_not_stories():
    body = "".join(f"<h2>Sujet {n} de la semaine</h2>{STORY}<h3>Pourquoi c’est important</h3>{STORY}"
                   f"<h3>La suite</h3>{STORY}" for n in (1, 2, 3))
    doc = parse(body)
    assert titles(doc) == ["Sujet 1 de la semaine", "Sujet 2 de la semaine", "Sujet 3 de la semaine"]
    assert doc.stories[0].blocks[1].label == "Pourquoi c’est important"


def test_sections_among_numbered_stories():
    body = ("<h2>🔥 Les sujets</h2><h3>1. Premier sujet</h3>" + STORY + "<h3>2. Second sujet</h3>" + STORY +
            "<h2>L’outil de la semaine : Machin</h2><p>Machin sert à faire des choses utiles au quotidien.</p>")
    doc = parse(body)
    assert titles(doc, "story") == ["Premier sujet", "Second sujet"]
    assert titles(doc, "section") == ["L’outil de la semaine : Machin"]
    assert any(s.kind == "heading" and "Les sujets" in s.text for s in doc.skipped)


def test_toc_entries_match_stories_and_mismatches_are_warned():
    toc = "<p><b>Au sommaire :</b></p><p>👉 Le premier sujet</p><p>👉 Le second sujet</p><p>👉 Un sujet fantôme</p>"
    body = "<p>Salut,</p>" + toc + "<h2>Le premier sujet</h2>" + STORY + "<h2>Le second sujet du jour</h2>" + STORY
    doc = parse(body)
    assert doc.toc == ("Le premier sujet", "Le second sujet", "Un sujet fantôme")
    assert len(doc.warnings) == 1 and "Un sujet fantôme" in doc.warnings[0]


def test_toc_names_bold_paragraph_stories():
    body = ("<p>In this issue:</p><ul><li>Robots learn to fold laundry</li><li>A new battery chemistry</li></ul>"
            "<p><strong>Robots learn to fold laundry</strong></p>" + STORY +
            "<p>Some emphasis <strong>inside</strong> a paragraph.</p>"
            "<p><strong>A new battery chemistry</strong></p>" + STORY)
    doc = parse(body)
    assert titles(doc, "story") == ["Robots learn to fold laundry", "A new battery chemistry"]
    assert not doc.warnings


def test_sponsor_label_takes_its_whole_section():
    body = ("<h2>1. Sujet</h2>" + STORY + "<p>Sponsorisé</p><h2>Une offre incroyable</h2><p>Achetez ceci.</p>"
            "<ul><li>Prix : 9 €</li></ul><h2>2. Autre sujet</h2>" + STORY)
    doc = parse(body)
    text = read_text(doc)
    assert "offre incroyable" not in text and "Achetez" not in text and "Prix" not in text
    assert titles(doc, "story") == ["Sujet", "Autre sujet"]
    assert {s.text for s in doc.skipped if s.kind == "sponsor"} >= {"Sponsorisé", "Achetez ceci."}


@pytest.mark.parametrize("label", ["Presented by Acme", "Together with Acme", "🤝 En partenariat avec Acme",
                                   "Acme (sponsor)", "Publicité", "Merci à notre sponsor Acme"])
def test_sponsor_headings(label):
    body = (f"<h2>Premier sujet</h2>{STORY}<h2>{label}</h2><p>Acme fait des choses formidables.</p>"
            f"<p><a href='https://acme.example'>Essayer Acme</a></p><h2>Second sujet</h2>{STORY}")
    doc = parse(body)
    assert "Acme" not in read_text(doc)
    assert titles(doc) == ["Premier sujet", "Second sujet"]


def test_ad_network_links_make_a_sponsored_section():
    ad = "https://brand.example/offer?_bhiiv=opp_123&bhcl_id=abc"
    body = (f"<h2><a href='{ad}'>Une marque vous parle</a></h2><p>Texte de la marque avec <a href='{ad}'>un lien</a>.</p>"
            f"<ul><li>Avantage un</li></ul><h2>Le vrai sujet</h2>{STORY}")
    doc = parse(body)
    assert titles(doc) == ["Le vrai sujet"] and "marque" not in read_text(doc)


def test_sponsor_ends_at_a_rule_or_at_the_end_of_its_box():
    body = (f"<h2>Un sujet</h2>{STORY}<hr><p><strong>Sponsored by Acme</strong></p><p>Acme text here.</p><hr>"
            "<p>Back to the story, this paragraph is read.</p>"
            "<table><tr><td><p>PARTENAIRE</p><p>Bidule vend des choses.</p></td></tr>"
            "<tr><td><p>Ce paragraphe est lu, il est dans une autre case.</p></td></tr></table>")
    text = read_text(parse(body))
    assert "Acme" not in text and "Bidule" not in text
    assert "Back to the story, this paragraph is read." in text
    assert "Ce paragraphe est lu, il est dans une autre case." in text


def test_sponsor_words_inside_a_story_are_read():
    body = ("<h2>Un sujet</h2><p>Le nouveau modèle, présenté par Google mardi, a été développé en partenariat avec "
            "plusieurs universités et sponsorisé par personne, ce qui change tout pour la recherche.</p>")
    assert "présenté par Google" in read_text(parse(body))


def test_poll_question_and_options_are_not_read():
    body = (f"<h2>Un sujet</h2>{STORY}<p><b>Qu’as-tu pensé de cette édition ?</b></p>"
            "<p><a href='https://ex.org/vote?a=1'>🔥 Top</a></p><p><a href='https://ex.org/vote?a=2'>😐 Bof</a></p>"
            "<p><a href='https://ex.org/vote?a=3'>👎 Nul</a></p>")
    doc = parse(body)
    text = read_text(doc)
    assert "pensé de cette édition" not in text and "Bof" not in text
    assert any(s.kind == "poll" for s in doc.skipped)


@pytest.mark.parametrize("line,kind", [
    ("Si on t’a transféré cette lettre, abonne-toi ici !", "subscribe"),
    ("Forwarded this email? Subscribe here for more.", "subscribe"),
    ("Lire en ligne", "boilerplate"),
    ("View this email in your browser", "boilerplate"),
    ("Partager sur LinkedIn", "share"),
    ("Leave a comment", "comment"),
    ("Lire aussi : notre dossier sur les robots", "related"),
    ("Tu reçois cet e-mail car tu es abonné. Se désabonner.", "footer"),
    ("Update your preferences or unsubscribe.", "footer"),
    ("© 2025 La Lettre. Tous droits réservés.", "footer"),
    ("Powered by beehiiv", "footer"),
    ("*|UNSUB|*", "boilerplate"),
])
def test_calls_to_action_and_chrome(line, kind):
    doc = parse(f"<p>Bonjour à tous,</p><h2>Un sujet</h2>{STORY}<p>{line}</p>")
    assert line.split()[0] not in read_text(doc).replace("Bonjour", "")
    assert any(s.kind == kind for s in doc.skipped), doc.skipped


def test_template_variables_are_removed_from_read_text():
    doc = parse(f"<p>Bonjour {{{{first_name}}}},</p><h2>Un sujet</h2>{STORY}")
    assert doc.greeting == "Bonjour"
    assert "first_name" not in read_text(doc)


def test_email_header_is_not_read_and_gives_the_date():
    body = ("<table><tr><td><a href='#'>Lire en ligne</a></td></tr><tr><td><h1>Le grand titre</h1>"
            "<p>Un sous-titre qui résume la lettre de la semaine.</p><p>12 novembre 2025 · L’équipe</p></td></tr>"
            "<tr><td class='content'><p>👋 Salut la compagnie,</p><p>L’intro de la semaine, avec des choses à dire.</p>"
            f"<h2>Un sujet</h2>{STORY}</td></tr></table>")
    doc = parse(body, head="<title>Le grand titre</title>")
    assert doc.title == "Le grand titre" and doc.published == "2025-11-12"
    assert doc.greeting == "Salut la compagnie"
    assert doc.intro == ("L’intro de la semaine, avec des choses à dire.",)


@pytest.mark.parametrize("head,body_extra", [
    ('<meta property="article:published_time" content="2025-10-02T08:00:00Z">', ""),
    ('<meta itemprop="datePublished" content="2025-10-02T08:00:00+02:00">', ""),
    ("", '<p><time datetime="2025-10-02T06:30:00.000Z"></time></p>'),
])
def test_a_timestamp_gives_the_date(head, body_extra):
    """Platforms write the date as a full timestamp: its day is the issue's date."""
    doc = parse(f"<h1>Le grand titre</h1>{body_extra}<h2>Un sujet</h2>{STORY}", head=head)
    assert doc.published == "2025-10-02"


@pytest.mark.parametrize("lang_attr,text,expected", [
    ('lang="en"', "Bonjour à tous, voici la lettre de la semaine avec les nouvelles du monde et de la science, "
                  "les sujets qui comptent pour nous et pour vous.", "fr"),
    ("", "Hello everyone, this is the letter of the week with the news of the world and of science, the "
         "stories that matter to us and to you.", "en"),
    ('lang="de-DE"', "Hallo zusammen, das ist der Brief der Woche mit den Nachrichten aus der Welt und der "
                     "Wissenschaft, die für uns wichtig sind und die wir auch lesen.", "de"),
])
def test_language(lang_attr, text, expected):
    html = f"<html {lang_attr}><body><p>{text}</p><h2>Titre</h2><p>{text}</p></body></html>"
    assert parse_issue(Issue(id="t", source="t", raw_html=html)).language == expected


def test_captions_are_optional():
    body = ("<h2>Un sujet</h2><figure><img src='x.png' alt='ALT'><figcaption>Une légende de photo.</figcaption></figure>"
            + STORY)
    html = f"<html><body>{body}</body></html>"
    assert "Une légende de photo." not in read_text(parse_issue(Issue(id="t", source="t", raw_html=html)))
    with_captions = parse_issue(Issue(id="t", source="t", raw_html=html), read_captions=True)
    assert "Une légende de photo." in read_text(with_captions)


def test_sponsors_kept_for_an_announced_break_when_asked():
    body = (f"<h2>Premier sujet</h2>{STORY}<h2>Presented by Acme</h2><p>Acme fait des choses.</p>"
            f"<h2>Second sujet</h2>{STORY}")
    html = f"<html><body>{body}</body></html>"
    doc = parse_issue(Issue(id="t", source="t", raw_html=html), read_sponsors=True)
    assert [s.kind for s in doc.stories] == ["story", "sponsor", "story"]
    assert doc.stories[1].blocks[0].text == "Acme fait des choses."


def test_closing_words_go_to_the_outro():
    body = (f"<h2>Un sujet</h2>{STORY}<h2>Un autre</h2>{STORY}<p>C’est tout pour cette semaine !</p><p>Camille</p>")
    doc = parse(body)
    assert doc.closing == ("C’est tout pour cette semaine !", "Camille")
    assert "C’est tout" not in " ".join(b.text for b in doc.stories[-1].blocks)


def test_story_url_is_the_first_meaningful_link():
    body = ("<h2>Un sujet</h2><p>Texte <a href='#note'>note</a> et <a href='https://twitter.com/intent/tweet?u=1'>tweet</a>"
            " puis <a href='https://source.example/article'>la source</a> et <a href='https://autre.example'>autre</a>.</p>")
    assert parse(body).stories[0].url == "https://source.example/article"


def test_a_story_about_advertising_is_not_a_sponsor():
    body = (f"<h2>Publicité : Coca-Cola mise tout sur l’IA</h2>{STORY}"
            f"<h2>Les partenaires d’OpenAI s’inquiètent</h2>{STORY}")
    assert titles(parse(body)) == ["Publicité : Coca-Cola mise tout sur l’IA", "Les partenaires d’OpenAI s’inquiètent"]
