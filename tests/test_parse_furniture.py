"""Furniture found by its shape (links, position, styles), not only by its words."""

from __future__ import annotations

from audio_edition.models import Issue
from audio_edition.parse import parse_issue

TEXT = "Un paragraphe de nouvelles assez long pour être lu comme un vrai sujet, avec des faits et des chiffres."


def parse(body: str, lang: str = "fr"):
    return parse_issue(Issue(id="t", source="t.html", raw_html=f'<html lang="{lang}"><body>{body}</body></html>'))


def read(doc) -> str:
    return " ".join([*doc.intro, *doc.closing] + [s.title for s in doc.stories]
                    + [b.full_text() for s in doc.stories for b in s.blocks])


def kinds(doc) -> dict[str, str]:
    return {s.text: s.kind for s in doc.skipped}


def test_links_that_differ_only_in_a_tracking_query_are_headlines_not_a_poll():
    track = "https://acme.us5.list-manage.com/track/click?u=8f3a&id={}&e=z"
    links = "".join(f'<p><a href="{track.format(n)}">{t}</a></p>' for n, t in enumerate(
        ["The quiet return of the landline phone", "Why every city now wants a night mayor"]))
    doc = parse(f"<p>Hello readers, the links we liked this week.</p><p><b>Top links</b></p>{links}"
                f"<h2>Main story</h2><p>{TEXT}</p>", "en")
    assert "night mayor" in read(doc)
    assert "poll" not in kinds(doc).values()


def test_answer_links_with_a_vote_parameter_are_a_poll():
    opts = "".join(f'<p><a href="https://example.com/p/issue-12?poll=9&answer={a}">{a}</a></p>'
                   for a in ("Oui", "Non"))
    doc = parse(f"<h2>Un sujet</h2><p>{TEXT}</p><p><b>Votre avis sur ce numéro</b></p>{opts}"
                f"<h2>Un autre</h2><p>{TEXT}</p>")
    assert kinds(doc).get("Oui") == "poll" and "Votre avis" not in read(doc)


def test_a_button_is_never_a_title_and_never_read():
    button = ('<table><tr><td bgcolor="#0b3d62" style="padding:10px"><a href="https://example.com/register" '
              'style="color:#fff">Register here</a></td></tr></table>')
    doc = parse(f"<h2>Festival</h2><p>{TEXT}</p>{button}<h2>Bins</h2><p>{TEXT}</p>")
    assert [s.title for s in doc.stories] == ["Festival", "Bins"]
    assert "Register here" not in read(doc) and kinds(doc)["Register here"] == "button"


def test_after_the_last_words_link_dense_service_lines_are_footer():
    doc = parse(f"<h2>Un sujet</h2><p>{TEXT}</p><h2>Un autre</h2><p>{TEXT}</p>"
                '<p><a href="/issues/40/">← Numéro 40</a> · <a href="/issues/42/">Numéro 42 →</a></p>'
                '<p><a href="https://apps.apple.com/app/id1">App Store</a> '
                '<a href="https://play.google.com/x">Google Play</a></p>')
    assert "Numéro 40" not in read(doc) and "App Store" not in read(doc)
    assert kinds(doc)["← Numéro 40 · Numéro 42 →"] == "footer"


def test_a_closing_paragraph_with_an_article_link_is_still_read():
    doc = parse(f"<h2>Un sujet</h2><p>{TEXT}</p><h2>Un autre</h2><p>{TEXT} Lire aussi "
                '<a href="https://www.lemonde.fr/article">l’enquête du Monde</a> sur le sujet.</p>')
    assert "l’enquête du Monde" in read(doc)


def test_a_headline_set_large_without_heading_tags_is_a_story():
    cell = '<tr><td style="font-family:Georgia;font-size:{}px">{}</td></tr>'
    rows = "".join(cell.format(22, t) + cell.format(14, TEXT + " " + TEXT) for t in ("Premier titre", "Second titre"))
    doc = parse(f'<table><tr><td style="font-size:14px">Bonjour à toutes et à tous.</td></tr>{rows}</table>')
    assert [s.title for s in doc.stories] == ["Premier titre", "Second titre"]


def test_text_set_at_one_pixel_is_hidden():
    doc = parse(f'<h2>Un sujet</h2><p>{TEXT}</p><p style="font-size:1px;color:#fff">nl-slot-22 tracking</p>'
                f"<h2>Un autre</h2><p>{TEXT}</p>")
    assert "nl-slot-22" not in read(doc) and kinds(doc)["nl-slot-22 tracking"] == "hidden"


def test_a_sponsor_label_drawn_as_an_image_labels_its_box():
    box = ('<table><tr><td><img src="https://cdn.example.com/badge.png" alt="Sponsorisé">'
           '<div>Équipez votre laboratoire avec Verrerie Durand.</div></td></tr></table>')
    doc = parse(f"<h2>Un sujet</h2><p>{TEXT}</p>{box}<h2>Un autre</h2><p>{TEXT}</p>")
    assert "Verrerie" not in read(doc) and kinds(doc)["Sponsorisé"] == "sponsor"


def test_a_data_table_is_read_row_by_row_with_its_headers():
    table = ("<table><tr><th>Ville</th><th>Pluie (mm)</th></tr><tr><td>Brest</td><td>1 210</td></tr>"
             "<tr><td>Nice</td><td>760</td></tr></table>")
    doc = parse(f"<h2>La pluie</h2><p>{TEXT}</p>{table}<h2>Un autre</h2><p>{TEXT}</p>")
    text = read(doc)
    assert "Ville: Brest; Pluie (mm): 1 210." in text and "Ville: Nice; Pluie (mm): 760." in text


def test_a_layout_table_stays_transparent():
    layout = (f'<table role="presentation"><tr><td><h2>Un sujet</h2><p>{TEXT}</p></td>'
              f'<td><h2>Un autre</h2><p>{TEXT}</p></td></tr></table>')
    doc = parse(layout)
    assert [s.title for s in doc.stories] == ["Un sujet", "Un autre"]
