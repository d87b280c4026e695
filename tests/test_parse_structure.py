"""How an issue's shape is found: header, greeting, TOC, stories, sections, sub-headings,
sponsors, polls and calls to action, on small issues written for each rule."""

from __future__ import annotations

import re

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
            "<ul><li><b>Premier point :</b> un détail.</li></ul><p><strong>Pourquoi c’est important :</strong> la "
            "raison.</p>"
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
    body = (f"<h2><a href='{ad}'>Une marque vous parle</a></h2><p>Texte de la marque avec <a href='{ad}'>un "
            f"lien</a>.</p>"
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
    # the publication's own asks, bylines and bare links, seen in real Substack, Mailchimp and beehiiv issues
    ("You can donate to us here", "subscribe"),
    ("Become a member of the community and get a one-month free trial.", "subscribe"),
    ("We rely on sponsors to keep this going. To submit a sponsored link, contact us.", "subscribe"),
    ("Ps, please do share this newsletter on your social channels.", "subscribe"),
    ("Pour être visible dans cette newsletter, écrivez à annonceurs@exemple.fr.", "subscribe"),
    ("Most Popular From Last Issue", "related"),
    ("1 = Didn't enjoy it at all // 5 = Really enjoyed it", "poll"),
    ("— Mirek Stanek", "byline"),
    ("If you want to submit an article for the next issue, please drop us an email.", "subscribe"),
    ("Thanks to JetBrains for their support!", "sponsor"),
    ("Merci à Qonto pour son soutien !", "sponsor"),
    ("Gérer mon abonnement", "footer"),
    ("Consulter la version en ligne", "boilerplate"),
    ("Envoyez cette newsletter autour de vous et devenez nos ambassadeurs !", "subscribe"),
    ("Vous êtes annonceur et vous voulez être visible ici ? Contactez-nous.", "subscribe"),
    ("Signaler un contenu inapproprié", "footer"),
    ("Conformément au règlement général sur la protection des données, vous disposez d’un droit d’accès.", "footer"),
    ("Pour aller plus loin : Doctolib condamné pour abus de position dominante.", "related"),
    ("Prenez vingt secondes pour nous laisser un petit cinq étoiles sur votre application.", "subscribe"),
    ("Avoid our newsletter ending up in your spam folder by adding our address to your contacts.", "footer"),
    ("Job board: Hiring? Post a job and reach 500,000 readers.", "subscribe"),
    ("Photo : David Banks/Getty Images", "caption"),
    ("By Mike Allen · Sep 20, 2022", "byline"),
    ("Smart Brevity count: 414 words ... a 2 minute read.", "boilerplate"),
    ("Axios thanks our partners for supporting our newsletters. If you're interested in advertising, learn more.",
     "sponsor"),
    ("<a href='https://github.com/x/y'>github.com</a>", "link"),
])
def test_calls_to_action_and_chrome(line, kind):
    doc = parse(f"<p>Bonjour à tous,</p><h2>Un sujet</h2>{STORY}<p>{line}</p>")
    first_word = re.sub(r"<[^>]+>", "", line).split()[0]
    assert first_word not in read_text(doc).replace("Bonjour", "")
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
    ('<script type="application/ld+json"><![CDATA[{"@type": "NewsArticle", "datePublished": '
     '"2025-10-02T08:00:00+02:00"}]]></script>', ""),
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
    body = ("<h2>Un sujet</h2><figure><img src='x.png' alt='ALT'><figcaption>Une légende de "
            "photo.</figcaption></figure>"
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


@pytest.mark.parametrize("ad", [
    "<h2>How CodeRabbit can support your code reviews</h2><p>This issue is offered by CodeRabbit, a tool that "
    "reviews your pull requests.</p><p><a href='https://coderabbit.ai/?utm_medium=influencer'>Try CodeRabbit</a></p>",
    "<p>Tuesday's issue is presented by FusionAuth.</p><h2>Don't build your own auth</h2>"
    "<p>FusionAuth integrates with any stack.</p>",
])
def test_sponsors_named_in_a_sentence_or_an_influencer_link(ad):
    body = f"<h2>Un premier sujet</h2>{STORY}{ad}<h2>Un second sujet</h2>{STORY}"
    doc = parse(body)
    text = read_text(doc)
    assert "CodeRabbit" not in text and "FusionAuth" not in text, text
    assert titles(doc) == ["Un premier sujet", "Un second sujet"]


def test_an_issue_forwarded_from_gmail_keeps_its_platform_markup():
    """Gmail renames classes m_<digits>name: the forward header and the platform's footer are still not read."""
    body = ("<div class='gmail_quote'><div dir='ltr' class='gmail_attr'>---------- Forwarded message ---------<br>"
            "From: La Lettre &lt;lettre@substack.com&gt;<br>Date: Fri, Feb 18, 2022</div>"
            "<div class='m_3175531391534174211body m_3175531391534174211markup'>"
            f"<h2>Un sujet</h2>{STORY}</div>"
            "<div class='m_3175531391534174211footer'>© 2022 La Lettre <a href='#'>Se désabonner</a> "
            "548 Market Street PMB 72296, San Francisco, CA 94104</div></div>")
    doc = parse(body, head="<link href='https://substackcdn.com/x.css'>")
    text = read_text(doc)
    assert "Forwarded" not in text and "From:" not in text and "Market Street" not in text
    assert titles(doc) == ["Un sujet"]


def test_footnote_marks_and_notes_are_not_read():
    body = (f"<h2>Un sujet</h2><p>Une phrase avec une note<sup id='fnref:1'><a href='#fn:1' class='footnote-ref'>1"
            f"</a></sup> au milieu, puis la suite.</p>{STORY}"
            "<div class='footnotes'><hr><ol><li id='fn:1'><p>La note de bas de page.</p></li></ol></div>")
    doc = parse(body)
    text = read_text(doc)
    assert "note1" not in text and "note de bas de page" not in text
    assert "Une phrase avec une note au milieu, puis la suite." in text
    assert any(s.kind == "footnote" for s in doc.skipped)


@pytest.mark.parametrize("item", [
    # Mailchimp: each item a box of its own
    "<div><p><a href='https://ex.org/a'><strong>How to avoid breached passwords</strong></a></p><p>— Jane Doe</p>"
    "<p>Leaked passwords are everywhere, and here is how to check yours.</p><p><em>Promoted by FusionAuth</em></p>"
    "<p><a href='https://ex.org/t'><em>Security</em></a></p></div>",
    # beehiiv: headings in one column, the item's tag in an <h6> after the label
    "<h2>How to avoid breached passwords</h2><p>— Jane Doe</p><p>Leaked passwords are everywhere, and here is how "
    "to check yours.</p><p><em>Promoted by FusionAuth</em></p><h6>Security</h6>",
])
def test_a_sponsor_label_that_closes_an_item_makes_the_item_an_ad(item):
    story = "<p>A paragraph that tells the story in detail, with facts and figures for the reader.</p>"
    body = f"<h2>The first story</h2>{story}{item}<h2>The second story</h2>{story}"
    doc = parse(body)
    text = read_text(doc)
    assert "breached" not in text and "Leaked" not in text, text
    assert titles(doc) == ["The first story", "The second story"]


def test_notes_under_a_footnotes_heading_are_not_read():
    body = (f"<h2>Un sujet</h2>{STORY}<h2>Un autre sujet</h2>{STORY}"
            "<h3 id='notes'><br>Footnotes</h3><ol><li>There are some notable historical initiatives.</li>"
            "<li>Scott, 1959.</li></ol>")
    doc = parse(body)
    assert "historical" not in read_text(doc) and titles(doc) == ["Un sujet", "Un autre sujet"]


def test_an_essay_without_stories_is_one_story_named_after_the_issue():
    para = "<p>" + " ".join(["Une phrase de l’essai qui développe son idée avec soin."] * 6) + "</p>"
    doc = parse(f"<h1>Le problème de l’année</h1><p>Bonjour à tous,</p>{para * 5}", head="<title>Le problème de "
                                                                                         "l’année</title>")
    assert doc.greeting == "Bonjour à tous" and doc.intro == ()
    assert titles(doc, "story") == ["Le problème de l’année"]
    assert len(doc.stories[0].blocks) == 5


def test_a_short_intro_before_stories_stays_the_intro():
    doc = parse(f"<p>Bonjour à tous,</p><p>Trois sujets cette semaine, et un outil.</p><h2>Un sujet</h2>{STORY}")
    assert doc.intro == ("Trois sujets cette semaine, et un outil.",) and titles(doc) == ["Un sujet"]


def test_the_pages_own_date_wins_over_a_related_posts_time():
    body = (f"<article><h1>Le grand titre</h1><h2>Un sujet</h2>{STORY}</article>"
            "<div><a href='/p/old'>Un ancien billet</a> <time datetime='2025-05-21T17:45:07Z'>21 mai</time></div>")
    doc = parse(body, head='<meta property="article:published_time" content="2025-10-02T08:00:00Z">')
    assert doc.published == "2025-10-02"


def test_the_publication_named_in_a_copyright_line_without_the_links_after_it():
    body = (f"<h1>Le grand titre</h1><h2>Un sujet</h2>{STORY}"
            "<div class='footer'><p>© 2022 Slow Chinese <a href='#'>Unsubscribe</a><br>548 Market Street PMB 72296, "
            "San Francisco, CA 94104</p></div>")
    assert parse(body).publication == "Slow Chinese"


def test_ghost_link_cards_are_read_as_one_line_each():
    """A Ghost digest lists its latest posts as bookmark cards: their titles are what the listener came for."""
    card = ("<figure class='kg-card kg-bookmark-card'><a class='kg-bookmark-container' href='https://ex.org/{n}'>"
            "<div class='kg-bookmark-content'><div class='kg-bookmark-title'>{t}</div>"
            "<div class='kg-bookmark-description'>Ce que dit le billet {n}.</div><div class='kg-bookmark-metadata'>"
            "<span class='kg-bookmark-publisher'>Earthen</span></div></div></a></figure>")
    body = ("<div class='post-content'><p>Bonjour à tous,</p><p>Voici nos derniers billets, à lire ou à écouter.</p>"
            + card.format(n=1, t="Écrire la Terre") + card.format(n=2, t="Le problème du calendrier") + "</div>")
    doc = parse(body, head="<meta name='generator' content='Ghost 6.0'>")
    text = read_text(doc)
    assert "Écrire la Terre. Ce que dit le billet 1." in text
    assert "Le problème du calendrier. Ce que dit le billet 2." in text
    assert "Earthen" not in text


def test_a_lone_ghost_link_card_is_an_aside_not_read():
    body = ("<div class='gh-content'><h2>Un sujet</h2>" + STORY +
            "<figure class='kg-card kg-bookmark-card'><a class='kg-bookmark-container' href='https://ex.org/1'>"
            "<div class='kg-bookmark-title'>Un autre billet</div><div class='kg-bookmark-description'>Son résumé."
            "</div></a></figure>" + STORY + "</div>")
    doc = parse(body, head="<meta name='generator' content='Ghost 6.0'>")
    assert "Un autre billet" not in read_text(doc)


def test_a_digest_of_linked_titles_under_category_headings_reads_each_item():
    """TLDR-style: <h1> categories, each over linked bold titles with a summary; the items are the stories."""
    def item(n):
        return (f"<div><a href='https://ex.org/{n}'><strong>Item number {n} of the digest (4 minute read)</strong></a>"
                f"<br><br><span>The summary of item {n}, in two plain sentences. It says what happened.</span></div>")
    body = ("<table><tr><td><p>Hello, here is today's digest.</p>"
            "<h1>Big Tech &amp; Startups</h1>" + item(1) + item(2)
            + "<h1>Research &amp; Innovation</h1>" + item(3) + "</td></tr></table>")
    doc = parse(body)
    assert titles(doc) == [f"Item number {n} of the digest" for n in (1, 2, 3)]
    assert [s.url for s in doc.stories] == [f"https://ex.org/{n}" for n in (1, 2, 3)]
    assert "The summary of item 2" in read_text(doc)


def test_a_closing_link_that_only_names_its_site_is_not_read():
    body = ("<h2>Un sujet</h2><p>Un paragraphe qui résume l’article en deux phrases. Il dit ce qui s’est passé.<br>"
            "<a href='https://blog.jetbrains.com/x'>blog.jetbrains.com</a></p><h2>Un autre</h2>" + STORY)
    text = read_text(parse(body))
    assert "jetbrains" not in text and "Il dit ce qui s’est passé." in text


def test_a_tag_or_category_badge_before_the_next_title_is_not_read():
    body = "".join(f"<h2>Le sujet numéro {n}</h2>{STORY}<p><a href='/tag/{n}'><em>{tag}</em></a></p>"
                   for n, tag in ((1, "Leadership"), (2, "Tests"), (3, "Cloud")))
    doc = parse(body)
    text = read_text(doc)
    assert "Leadership" not in text and "Tests" not in text
    assert titles(doc) == [f"Le sujet numéro {n}" for n in (1, 2, 3)]


def test_an_ad_at_the_top_goes_with_its_button_and_the_first_item_is_still_a_story():
    item = ("<div><p><a href='https://ex.org/{n}'><strong>The item number {n}</strong></a></p>"
            "<p>A summary of the item, in two plain sentences. It says what the article covers.</p></div>")
    body = ("<div><p>Today's issue is presented by Acme</p><h2>Don't build your own auth</h2>"
            "<p>Acme integrates with any stack and deploys anywhere.</p></div>"
            "<div><p><a href='https://acme.example/signup'>Start For Free Today</a></p></div>"
            + "".join(item.format(n=n) for n in (1, 2, 3)))
    doc = parse(body)
    text = read_text(doc)
    assert "Acme" not in text and "Start For Free" not in text
    assert titles(doc) == [f"The item number {n}" for n in (1, 2, 3)]


def test_an_editorial_sentence_that_says_sign_up_is_read():
    line = "To follow along, go sign up for ChatGPT (seriously, go do that now), and try one prompt below."
    doc = parse(f"<h2>Un sujet</h2>{STORY}<p>{line}</p><h2>Un autre</h2>{STORY}")
    assert line in read_text(doc)


def test_an_issue_presented_by_a_sponsor_keeps_its_stories_and_drops_the_message():
    """Axios: "Presented by Pfizer" heads the whole issue; the ad is the later "A message from Pfizer"."""
    long_story = "".join(f"<p>Paragraph {n} of the lead story, with facts and figures for the reader.</p>"
                         for n in range(16))
    body = ("<table><tr><td><p>Presented By Pfizer</p></td></tr><tr><td><h2>1 big thing: the lead story</h2>"
            + long_story + "</td></tr><tr><td><p><b>A message from Pfizer</b></p>"
            "<p>An accord for a healthier world, from our partner.</p></td></tr>"
            "<tr><td><h2>2. The second story</h2>" + STORY + "</td></tr></table>")
    doc = parse(body)
    text = read_text(doc)
    assert "Paragraph 0 of the lead story" in text and "Paragraph 15 of the lead story" in text
    assert "Pfizer" not in text and "healthier world" not in text
    assert titles(doc) == ["1 big thing: the lead story", "The second story"]


def test_an_opt_out_in_a_story_is_read():
    line = "Today we live in the Wild West of AI, and you can opt out by adopting a few simple tools like ad blockers."
    doc = parse(f"<h2>Un sujet</h2>{STORY}<p>{line}</p><h2>Un autre</h2>{STORY}")
    assert line in read_text(doc)


def test_a_byline_heading_under_a_title_leaves_the_title_its_story():
    """Kessel: <h2>title</h2><h4>Par Clara Dupont, dans C’est qui la boss ?</h4> then the text."""
    body = "".join(f"<h2>Le titre du sujet {n}</h2><h4>Par Clara Dupont, dans La Lettre {n}</h4>{STORY}"
                   for n in (1, 2))
    doc = parse(body)
    assert titles(doc) == ["Le titre du sujet 1", "Le titre du sujet 2"]
    assert "Clara Dupont" not in read_text(doc)


def test_a_pull_quote_is_not_read_twice():
    body = (f"<h2>Un sujet</h2><p>La phrase qui compte, dite une fois dans le texte.</p>"
            "<div class='pullquote'><p>La phrase qui compte, dite une fois dans le texte.</p></div>"
            f"{STORY}<h2>Un autre</h2>{STORY}")
    assert read_text(parse(body)).count("La phrase qui compte") == 1


def test_a_dated_byline_gives_the_date_when_nothing_else_does():
    body = f"<h2>Un sujet</h2><p>By Mike Allen · Sep 20, 2022</p>{STORY}<h2>Un autre</h2>{STORY}"
    doc = parse(body)
    assert doc.published == "2022-09-20" and "Mike Allen" not in read_text(doc)
