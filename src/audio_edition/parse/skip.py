"""Classify blocks that are never read: sponsors, polls, calls to action, chrome.

``classify`` looks at one block (its text, links and classes) and returns a kind —
``sponsor``, ``poll``, ``subscribe``, ``share``, ``comment``, ``footer``, ``navigation``,
``related``, ``boilerplate`` — or ``None`` for a block to read. ``refine`` then looks at the
sequence: a poll's question goes with its options, a run of one-word links is navigation,
and a sponsor label or ad link makes its whole sponsored section unread, up to the next
heading, rule, or the end of the box it sits in.

Phrases are French and English (a few German/Spanish ad labels too); they only apply to
short blocks, so a story that mentions "subscribers" or "presented by" is still read.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from .blocks import RawBlock

AD_LINK = re.compile(
    r"[?&#](_bhiiv=|bhcl_id=|utm_campaign=ad_network|utm_medium=(sponsor(ed|ship)?|paid|ads?|cpc|cpm|display|"
    r"native|influencer)\b|utm_source=[^&]*ad_network|utm_content=sponsor|utm_campaign=[^&]*sponsor)|"
    r"doubleclick\.net|googleadservices\.com|/ad_network/|ad\.doubleclick|adclick\.|"
    r"\b(sponsy|paved\.com|passionfroot\.me|swapstack\.co|pubmatic|taboola|outbrain)\b", re.I)

_DECOR = re.compile(r"^[\W_]+", re.U)  # leading emoji, bullets, brackets

# a bare label word: only a sponsor label when it is (almost) the whole block ("Sponsorisé",
# "PUBLICITÉ", "Sponsor : Acme"); a story may well be titled "Publicité : Coca-Cola mise sur l'IA"
SPONSOR_WORD = re.compile(
    r"^(sponsoris[ée]e?s?|sponsors?|sponsored|sponsorship|publicit[ée]s?|pub|partenaires?|partenariat|"
    r"contenu (sponsoris[ée]|partenaire|sponsor)|communication commerciale|annonce (partenaire|sponsoris[ée]e?)|"
    r"advertisement|advertorial|ad|ads|partners?|promoted|paid (partnership|promotion|post)|sponsor spotlight|"
    r"featured partner|anzeige|werbung|gesponsert|patrocinado|publicidad)\b", re.I)
SPONSOR_PHRASE = re.compile(
    r"^(en partenariat avec|avec (le soutien|la participation) de|soutenu par|propos[ée]e? par|offert par|"
    r"pr[ée]sent[ée]e?s? par|sponsoris[ée]e?s? par|merci [àa] (notre|nos) (sponsor|partenaire)s?|"
    r"un (petit )?mot de (notre|nos) (sponsor|partenaire)s?|le mot (du|de notre) (sponsor|partenaire)|"
    r"sponsored by|presented by|in partnership with|brought to you by|together with|thanks to our sponsors?|"
    r"(a )?(quick )?word from (our|today['’]s|this week['’]s) (sponsor|partner)s?|today['’]s sponsor|"
    r"this (week|issue)['’]s sponsor|from our (sponsor|partner)s?|"
    r"a (message|word) from (?!(the|our|your) (editor|team|founder|newsroom))[^.!?]{2,40}$|"
    r"(big |many )?thanks to [^.!?]{1,40}? for (their|its|the) (support|sponsorship)|"
    r"merci [àa] [^.!?]{1,40}? pour (son|leur) (soutien|sponsoring|partenariat))\b", re.I)
SPONSOR_START = re.compile(SPONSOR_WORD.pattern + "|" + SPONSOR_PHRASE.pattern, re.I)
SPONSOR_SENTENCE = re.compile(
    r"\b((ce|cette|cet|la|le|notre|today['’]s|this|this week['’]s|\w+['’]s) (newsletter|lettre|[ée]dition|issue|"
    r"email|e-mail|episode|num[ée]ro|infolettre) (vous |t['’]|is |est )?(est |is )?"
    r"(sponsoris[ée]e?|pr[ée]sent[ée]e?|offerte?|propos[ée]e?|rendue? possible|soutenue?|financ[ée]e?|"
    r"brought to you|sponsored|presented|powered|made possible|supported|offered)( par| by)?)\b", re.I)
# the publication's note about its sponsors ("Axios thanks our partners for supporting our newsletters")
SPONSOR_NOTE = re.compile(r"\bthanks? (our|its) (partners|sponsors|advertisers) for|interested in advertising|"
                          r"remerci\w* (nos|ses) (partenaires|annonceurs|sponsors)")
SPONSOR_IN_HEADING = re.compile(
    r"[(\[]\s*(sponsor(is[ée]e?|ed)?|pub(licit[ée])?|partenaire|partner|ad|annonce)\s*[)\]]|"
    r"[-–—|·:]\s*(sponsor(is[ée]e?|ed)?|publicit[ée]|partenaire|partner)\s*$|"
    r"\b(en partenariat avec|in partnership with|pr[ée]sent[ée]e? par|presented by|brought to you by|"
    r"together with|sponsoris[ée]e? par|sponsored by)\b", re.I)

POLL_CLASS = re.compile(r"(^|[\s_-])poll(s|ing)?([\s_-]|$)|(^|\s)(survey|quiz|vote)(\s|$)", re.I)
POLL_TEXT = re.compile(
    r"(pour participer aux sondages|participer au sondage|r[ée]pondez? au sondage|vote pour voir|votez|"
    r"to participate in polls|sign in to vote|login to vote|vote to see|cast your vote|see the results|"
    r"voir les r[ée]sultats|take (our|the) (poll|survey)|r[ée]pondre au (sondage|questionnaire)|"
    # a rating scale: "1 = Didn't enjoy it // 5 = Really enjoyed it", "Rate this issue"
    r"(?<!\d)1\s*=\s*[^=]{2,60}\b[345]\s*=|\brate (this|today['’]s|this week['’]s) (issue|newsletter|edition|email)|"
    r"how would you rate|how did we do|what did you think of (this|today['’]s) (issue|newsletter|edition)|"
    r"note[zr]? (cette|ce) (newsletter|lettre|num[ée]ro|[ée]dition)|qu['’]avez-vous pens[ée] de (cette|ce))", re.I)
QUESTIONISH = re.compile(r"[?…:]\s*$|\.\.\.\s*$")

_SHORT, _MEDIUM, _LONG = 25, 45, 80  # word limits per rule family

BOILERPLATE: list[tuple[str, int, re.Pattern]] = [
    ("boilerplate", _SHORT, re.compile(
        r"^(lire en ligne|voir en ligne|lire sur le web|(lire|consulter|voir) la version (web|en ligne)|"
        r"version (web|en ligne)|"
        r"voir (cet|ce|l['’])\s?(e-?mail|message|newsletter) (dans|sur) (votre|ton|le) navigateur|"
        r"(voir|afficher|ouvrir) (la version )?(dans|en|sur) (le|votre|ton) navigateur|view (this )?(email |e-mail |post |newsletter )?"
        r"(in|on) (your |a |the )?(web )?browser|view (it )?online|read (it )?online|read on the web|"
        r"view (as a |the )?web (page|version)|web version|open in (browser|app)|having trouble (viewing|reading)|"
        r"(un )?probl[èe]me d['’]affichage|si (ce|cet) (message|e-?mail) ne s['’]affiche pas|"
        r"can['’]?t (read|see|view) (this|the) (e-?mail|message|newsletter|issue)|"
        r"(e-?mail|message) not displaying (correctly|properly)|"
        r"vous ne (parvenez pas [àa] lire|voyez pas) (cet|ce|cette) (e-?mail|message|lettre))", re.I)),
    ("subscribe", _MEDIUM, re.compile(
        r"(on t['’]a transf[ée]r[ée]|on vous a transf[ée]r[ée]|transf[ée]re[zr]?-(lui|leur|la|le)\b|"
        r"forward (it|this( e-?mail| issue| newsletter)?) to (a friend|someone|your)|transf[ée]r[ée]e? (cette|ce) (lettre|newsletter|e-?mail|message)|"
        r"re[çc]u (cet|ce) (e-?mail|message) d['’]un ami|was forwarded|forwarded (this|to you)|someone forwarded|"
        r"got this from a friend|\babonne[- ]toi\b|\babonnez[- ]vous\b|\bs['’]abonner\b|\bje m['’]abonne\b|"
        r"\binscris[- ]toi\b|\binscrivez[- ]vous\b|\bsubscribe (here|now|today|for free|to|below)\b|"
        r"^subscribe\b|\bsign up (here|now|today|for (free|our|my|the|a free|updates)|to (our|my|the|receive|get))\b|^sign up\b|get (it|this|our newsletter|the newsletter) "
        r"(in|delivered to|straight to) your inbox|\bjoin (\d[\d,. ]*|thousands of|over|more than) .{0,30}"
        r"(readers|subscribers)|rejoins? (les )?(\d[\d  .]*|des milliers de|plus de) .{0,30}(lecteurs|abonn[ée]s)|"
        r"re[çc]ois .{0,40} chaque (semaine|jour|matin|mois)|upgrade to (paid|premium)|become a (paid|premium) "
        r"(subscriber|member)|passe[rz]? (à|a) (l['’]abonnement|la version) (payant|premium)|devenir (membre|abonn[ée])|"
        r"abonnement (payant|premium)|gift a subscription|offrir (un|cet) abonnement|\bparrain(e|ez|er|age)\b|"
        r"refer (a friend|your friends|\d+ friends?)|referral (program|link)|invite (tes|vos) (ami|proche)s|"
        r"share .{0,40} and (earn|get) (rewards|free)|you['’]re (currently )?(a )?free subscriber|"
        r"pour lire la suite|to (keep|continue) reading|r[ée]serv[ée] aux (membres|abonn[ée]s)|for paid subscribers|"
        # the publication asking for support: donations, memberships, trials, ads in the newsletter
        r"\bdonate\b|make a donation|faire un don|\bpatreon\b|\bko-fi\b|buy me a coffee|soutenez[- ]nous|"
        r"support (us|this newsletter|our work|independent)|become a (paid |premium )?(member|patron|supporter)|"
        r"free trial|essai gratuit|upgrade to unlock|unlock (the following|this post|all)|"
        r"we rely on (sponsors|readers)|submit a sponsored|want to (advertise|sponsor)|advertise (with|in) (us|this)|"
        r"(sponsor|advertise in) (this|the) newsletter|pour (être|etre) visible dans|\b(annonceurs?|ads|advertising|sponsors?)@|"
        r"share (this|the) newsletter|partage[rz]? (cette|la|notre) (newsletter|lettre)|"
        r"(want|like) to (submit|suggest|share) an? (article|link|story|post)|submit an? (article|link) for|"
        r"envoye[rz] (cette|la|notre) (newsletter|lettre) autour de (vous|toi)|devene[rz] (nos|notre) ambassadeur|"
        r"vous [êe]tes (un )?annonceur|devene[zr] (notre )?partenaire|"
        r"\bjob board\b|\bpost a job\b|advertise with \w+|you['’]re (getting|reading) the free|"
        r"(cinq|5) [ée]toiles|laisse[rz]?(-nous)? (un|une) (avis|note|commentaire sur)|"
        r"(rate|review) (us|the (show|podcast)) on|leave (us )?a (review|rating)|"
        r"(propose[rz]?|soumet(s|tez|tre)|envoie[rz]?(-nous)?) (un|ton|votre) (article|lien|sujet) pour)",
        re.I)),
    ("footer", _LONG, re.compile(
        r"(\bd[ée]sabonner\b|\bd[ée]sabonnement\b|d[ée]sinscri|\bunsubscribe\b|^opt[- ]out\b|"
        r"opt[- ]out (of|from) (these|this|our|all|future|further) (e-?mails|messages|communications|mailings)|"
        r"signaler un contenu|report (this|an?) (abuse|spam)|conform[ée]ment (à|a|au|aux) .{0,80}(protection des donn[ée]es|"
        r"rgpd|informatique et libert)|donn[ée]es personnelles|(spam|junk) folder|dossier (des )?(spams?|"
        r"courriers? ind[ée]sirables)|ajoute[rz]? notre adresse|add (our|this) (e-?mail )?address to your contacts|"
        r"(update|manage|change) (your )?(email |subscription )?(preferences|subscription|settings)|"
        r"(g[ée]rer|modifier|mettre [àa] jour) (tes|vos|ton|votre|mon|mes|ma) (pr[ée]f[ée]rences|abonnement|inscription)|"
        r"why did i get this|why am i (getting|receiving) this|"
        r"(tu re[çc]ois|vous recevez|tu as re[çc]u|vous avez re[çc]u) (cet|ce|cette) (e-?mail|message|lettre|newsletter)|"
        r"you (are |were )?(receiv(ed|ing)|getting) this|you['’]re receiving this|this (e-?mail|message) was sent to|"
        r"(cet|ce) (e-?mail|message) a [ée]t[ée] envoy[ée]|vous (êtes|etes) inscrit|you (are|were) subscribed|"
        r"you signed up|our mailing address|notre adresse (postale|e-?mail)|add us to your address book|"
        r"(ajoute[rz]?|ajoutez)[- ]nous [àa] (tes|vos) contacts|(powered by|propuls[ée]e? par) (beehiiv|substack|ghost|buttondown|"
        r"mailchimp|convertkit|kit|revue|mailerlite|sendinblue|brevo)|(sent|made) (with|via|using) "
        r"(beehiiv|substack|ghost|buttondown|mailchimp|convertkit|kit)|brought to you by buttondown|"
        r"envoy[ée] (avec|via|par) (beehiiv|substack|ghost|buttondown|mailchimp|brevo|sendinblue)|"
        r"politique de confidentialit|privacy policy|conditions (g[ée]n[ée]rales )?d['’]utilisation|"
        r"terms of (service|use)|mentions l[ée]gales|all rights reserved|tous droits r[ée]serv[ée]s|"
        r"^(©|\(c\)|copyright\b)|intuit mailchimp|mailchimp\.com/|"
        r"(nous utilisons|ce site utilise|on utilise) des cookies|we use cookies|this (site|website) uses cookies|"
        r"(accepter|refuser|g[ée]rer) (les |tous les )?cookies|accept (all )?cookies|cookie (settings|preferences))", re.I)),
    ("share", _SHORT, re.compile(
        r"^(partager sur|partage[rz]? (cette|ce|la) (newsletter|lettre|post|article|[ée]dition)|share on|"
        r"share (this|the) (post|email|e-mail|newsletter|issue|article|story)|tweet (this|it)|"
        r"copier le lien|copy link|lien copi[ée]|transf[ée]rer [àa] un ami|forward (this )?to a friend|"
        r"suivez[- ]nous|suis[- ]nous|retrouvez[- ]nous|follow us|connect with us|follow \w+ on (social|twitter|x\b|linkedin)|"
        r"(like|comment|restack|share|partager|commenter|j['’]aime)$|(share|partage[rz]?)\b\W*(\w+\W*){0,5}$)|tu as aim[ée] (ce post|cette (lettre|newsletter|[ée]dition))|"
        r"vous avez aim[ée] (ce post|cette (lettre|newsletter|[ée]dition))|did you (enjoy|like) (this|today)|"
        r"enjoy(ed)? (this|today['’]s) (post|newsletter|issue|email|edition)\?|"
        r"si (cette|ce) (newsletter|lettre|post|[ée]dition) (t|vous)['’]a plu|if you (enjoyed|liked) this", re.I)),
    ("comment", _SHORT, re.compile(
        r"^(ajouter un commentaire|laisser un commentaire|leave a comment|add a comment|commenter|"
        r"\d+ (comments?|commentaires?)|view comments|voir les commentaires|join the discussion|"
        r"rejoindre la discussion)\b|\b(hit|just) reply\b|reply to this (e-?mail|message)|"
        r"r[ée]pond(s|ez) (simplement |directement )?[àa] (cet|ce) (e-?mail|message|courriel)", re.I)),
    ("related", _SHORT, re.compile(
        r"^(continuer la lecture|lire aussi|[àa] lire aussi|[àa] lire [ée]galement|lire [ée]galement|"
        r"sur le m[êe]me (sujet|th[èe]me)|dans le m[êe]me genre|vous aimerez aussi|tu aimeras aussi|"
        r"keep reading|read (more|next)|more from|related (posts|articles|stories)|you (might|may) also like|"
        r"recommand[ée]e?s?|recommandations|recommended( newsletters| reading)?|recommendations|"
        r"(les )?derniers (articles|num[ée]ros|posts)|latest (posts|issues)|previous (issue|posts)|"
        r"[ée]ditions? pr[ée]c[ée]dentes?|num[ée]ros? pr[ée]c[ée]dents?|lire la suite|read the full (post|story)|"
        r"most (popular|read|clicked) (from|in|of) (the )?(last|previous|past)|les plus (lus|cliqu[ée]s)|"
        r"pour aller plus loin|further reading)\b",
        re.I)),
]

# cheap substring gates: a family's regex only runs when one of its words is in the block
TRIGGERS = {
    "boilerplate": ("lire en", "lire la", "lire sur", "voir en", "voir cet", "voir ce", "voir l", "version", "navigateur",
                    "consulter la",
                    "browser", "view", "read online", "read it", "read on", "web version", "afficher", "ouvrir",
                    "open in", "trouble", "probl", "si ce", "si cet", "can't", "cant", "can’t", "not displaying",
                    "ne parvenez", "ne voyez"),
    "subscribe": ("transfé", "transfer", "forward", "got this", "reçu cet", "reçu ce", "recu cet", "recu ce", "abonn",
                  "subscri", "inscris", "inscrivez", "sign up", "inbox", "join", "rejoins", "rejoignez", "reçois",
                  "recois", "upgrade", "become a", "passer", "passez", "devenir", "gift", "offrir", "parrain",
                  "refer", "referral", "invite tes", "invite vos", "share", "you're", "you’re", "pour lire",
                  "to keep", "to continue", "réservé", "reserve", "for paid", "donat", "faire un don", "patreon",
                  "ko-fi", "buy me", "soutenez", "support us", "support this", "support our", "support independent",
                  "become a", "free trial", "essai gratuit", "unlock", "rely on", "want to submit", "want to suggest",
                  "want to share", "want to advertise", "want to sponsor", "like to submit", "like to suggest",
                  "like to share", "submit a", "submit an", "advertis", "annonceur", "sponsor this", "sponsor the",
                  "partager cette", "partagez cette", "partage cette", "partager la", "partagez la", "partagez notre",
                  "partager notre", "pour être visible", "pour etre visible", "ads@", "sponsors@", "sponsor@",
                  "un article pour", "ton article", "votre article", "un lien pour", "ton lien", "votre lien",
                  "un sujet pour", "envoyez cette", "envoyez la", "envoyer cette", "envoyez notre", "devenez",
                  "devenir", "vous êtes annonceur", "vous etes annonceur", "vous êtes un annonceur", "job board",
                  "post a job", "you're getting", "you’re getting", "you're reading", "you’re reading",
                  "cinq étoiles", "cinq etoiles", "5 étoiles", "5 etoiles", "laisser un", "laissez un", "laisse un",
                  "laissez-nous", "laisse-nous", "laisser une", "laissez une", "rate us", "review us", "rate the show",
                  "rate the podcast", "review the show", "review the podcast", "leave us", "leave a review",
                  "leave a rating"),
    "footer": ("désabonn", "desabonn", "désinscri", "desinscri", "unsubscribe", "opt-out", "opt out", "update your",
               "update email", "update preferences", "update subscription", "update settings", "manage your",
               "manage email", "manage preferences", "manage subscription", "manage settings", "change your",
               "change email", "change preferences", "change subscription", "change settings",
               *(f"{verb} {whose}" for verb in ("gérer", "gerer", "modifier", "mettre à jour", "mettre a jour")
                 for whose in ("tes", "vos", "ton", "votre", "mon", "mes", "ma")),
               "why did", "why am",
               "tu reçois", "tu recois", "vous recevez", "as reçu", "as recu", "avez reçu", "avez recu", "you are",
               "you were", "you're", "you’re", "you received", "you receive", "you got", "this email", "this e-mail",
               "this message", "cet e", "cet email", "ce message", "vous êtes inscrit", "vous etes inscrit",
               "you signed", "our mailing", "notre adresse", "add us", "ajoutez", "ajoute", "ajouter", "powered by",
               "propulsé par", "propulse par", "sent with", "sent via", "sent using", "made with", "made via",
               "envoyé", "envoye", "privacy", "confidentialit", "conditions d", "conditions g", "terms of",
               "mentions l", "all rights", "droits r", "copyright", "intuit", "mailchimp.com", "cookie",
               "signaler un", "report this", "report an", "report abuse", "report spam", "conformément",
               "conformement", "données personnelles", "donnees personnelles", "spam", "junk", "dossier des",
               "dossier spam", "dossier courrier", "add our", "add this", "ajouter notre", "ajoutez notre"),
    "share": ("partag", "share", "tweet", "copier", "copy link", "lien copi", "transférer", "transferer", "forward",
              "suivez", "suis-nous", "suis nous", "retrouvez", "follow", "connect", "like", "comment", "restack",
              "aimé", "aime", "enjoy", "a plu", "t'a plu", "t’a plu", "vous a plu", "if you"),
    "comment": ("comment", "discussion", "reply", "répond", "repond"),
    "related": ("continuer la", "lire aussi", "à lire", "a lire", "lire également", "lire egalement", "même sujet",
                "meme sujet", "même thème", "même genre", "aimerez", "aimeras", "keep reading", "read more",
                "read next", "more from", "related", "you might", "you may", "recommand", "recommend", "derniers",
                "latest", "previous", "précédent", "precedent", "lire la suite", "read the full", "most popular",
                "most read", "most clicked", "les plus lus", "les plus cliqu",
                "pour aller plus", "further reading"),
}
POLL_TRIGGERS = ("sondage", "poll", "vote", "résultat", "resultat", "survey", "questionnaire", "1 =", "1=", "rate this",
                 "rate today", "rate this week", "how would",
                 "how did", "what did", "notez cette", "noter cette", "note cette", "notez ce", "noter ce",
                 "qu'avez", "qu’avez")
SPONSOR_TRIGGERS = ("sponsor", "présent", "present", "offert", "propos", "possible", "soutenu", "financ", "brought",
                    "powered", "supported", "offered", "thanks to", "merci à", "merci a")

def fold(text: str) -> str:
    """Lower case without accents, apostrophes made straight: "Sur le même thème" and the
    "Sur le meme theme" of a template typed without accents gate and match alike."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'").replace("œ", "oe"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_FAMILIES: dict[str, set[str]] = {}
for _fam, _words in list(TRIGGERS.items()) + [("poll", POLL_TRIGGERS), ("sponsor", SPONSOR_TRIGGERS)]:
    for _w in _words:
        _FAMILIES.setdefault(fold(_w), set()).add(_fam)
# the scan finds the longest trigger at a place: it stands for the shorter ones it begins with too
for _w in _FAMILIES:
    for _k in range(1, len(_w)):
        if _w[:_k] in _FAMILIES:
            _FAMILIES[_w] = _FAMILIES[_w] | _FAMILIES[_w[:_k]]
def _trie_pattern(words) -> str:
    """One regex for many literal words, factored as a trie ("abo(?:nn|…)"), so that the scan
    tries a handful of branches at each place instead of every word; longest match first."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node) -> str:
        ends = "" in node
        branches = [re.escape(ch) + walk(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return walk(trie)


_TRIGGER_RE = re.compile(r"(?<!\w)" + _trie_pattern(_FAMILIES))


def _families(low: str) -> set[str]:
    """Which rule families a lower-cased text could match (one regex scan)."""
    found: set[str] = set()
    for hit in set(_TRIGGER_RE.findall(fold(low))):
        found |= _FAMILIES[hit]
    if "©" in low or "(c)" in low:
        found.add("footer")
    return found


TEMPLATE_VAR = re.compile(r"\{\{\s*[^{}]{1,80}?\s*\}\}|\{%[^%]{0,80}%\}|\*\|[A-Z0-9_:]+\|\*|%%\{?[\w:.-]{1,40}\}?%%|"
                          r"\[\[\s*[\w.]+\s*\]\]|\{\$[\w.]+\}")
_POSTAL = re.compile(r"\b\d{1,5}[\w ,.#°-]{0,40}\b(street|st\.?|avenue|ave\.?|road|rd\.?|blvd|boulevard|rue|"
                     r"all[ée]e|chemin|pmb|suite|bp)\b.{0,80}\b\d{4,5}\b", re.I)
SOCIAL = re.compile(r"^(twitter|x|linkedin|facebook|instagram|youtube|tiktok|threads|bluesky|mastodon|"
                    r"substack notes|whatsapp|telegram|discord|rss|email|e-mail|github|reddit|spotify)$", re.I)


# "— Mirek Stanek" under a linked title; a link whose text is only its site ("github.com")
BYLINE = re.compile(r"^\s*(?:[—–]|-{1,2}|[Bb]y|[Pp]ar)\s+[A-ZÀ-Þ][\w'’.-]*"
                    r"(?:\s+(?:de |van |von |da |le )?[A-ZÀ-Þ][\w'’.-]*){0,3}"
                    r"(?:\s*[·•|—–]\s*[^.!?]{1,30})?\s*$")  # "By Mike Allen · Sep 20, 2022"
# "Photo: David Banks/Getty Images", "Crédit photo : AFP", "Stefan Puchner/Getty Images"
CREDIT = re.compile(r"^(photos?|images?|illustrations?|cr[ée]dits?( photos?| images?)?|photo credit|image credits?|"
                    r"top image credit|source image|visuels?)\s*:|"
                    r"^[^.!?]{0,60}(/|©|\(c\)|\bvia\b)\s*(getty images|afp|reuters|shutterstock|unsplash|ap photo|"
                    r"istock|pexels|alamy|hans lucas|sipa|abaca)\b[^.!?]{0,30}\.?$", re.I)
# "Smart Brevity count: 414 words ... a 2 minute read", "Temps de lecture : 4 min"
READING_TIME = re.compile(r"\b\d{1,3}[- ]?(minutes?|mins?)[- ]read\b|\b(a|an|one|two|three|four|five|six|seven|eight|"
                          r"nine|ten) minute read\b|\b(temps de )?lecture\s*:\s*\d{1,3}\s*min|\b\d{1,3}\s*min(utes)? de "
                          r"lecture\b", re.I)
BYLINE_HEADING = re.compile(r"^([Pp]ar|[Bb]y|[Ww]ritten by|[ÉéEe]crit par)\s+[A-ZÀ-Þ][^.!]{0,80}$")
BARE_LINK = re.compile(r"^(https?://)?(www\.)?([\w-]+\.)+[a-z]{2,12}(/\S*)?$", re.I)


FOOTNOTES_HEADING = re.compile(r"^(foot ?notes?|end ?notes?|notes( de bas de page| et r[ée]f[ée]rences)?|"
                               r"notes and references)\s*:?$", re.I)


_AD_HINTS = ("utm_", "bhiiv", "bhcl", "doubleclick", "googleadservices", "ad_network", "adclick", "sponsy", "paved",
             "passionfroot", "swapstack", "pubmatic", "taboola", "outbrain")


def is_ad_link(href: str) -> bool:
    if not href:
        return False
    low = href.lower()
    return any(h in low for h in _AD_HINTS) and bool(AD_LINK.search(href))


def undecorate(text: str) -> str:
    return _DECOR.sub("", text or "").strip()


def sponsor_label(block: RawBlock, fams: set[str] | None = None) -> bool:
    """A block that says what follows is sponsored: "Sponsorisé", "Together with Acme",
    "🤝 En partenariat avec Lumo", a heading ending with "(sponsor)"."""
    text = undecorate(block.full_text())
    words = len(text.split())
    if words <= 4 and SPONSOR_WORD.match(text):
        return True
    if block.level or (block.bold and words <= 14):
        return bool(SPONSOR_PHRASE.match(text) or SPONSOR_IN_HEADING.search(text))
    # "Today's issue is presented by Acme." on a line of its own announces what follows
    return words <= 10 and bool(SPONSOR_PHRASE.match(text)) or \
        words <= 16 and "sponsor" in (_families(text.lower()) if fams is None else fams) \
        and bool(SPONSOR_SENTENCE.search(text))


def strip_template_vars(text: str) -> str:
    text = TEMPLATE_VAR.sub("", text)
    text = re.sub(r"\s+([,.!?;:])", r"\1", text)
    text = re.sub(r"^[,;:]\s*", "", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _load_phrases() -> list[tuple[str, int, re.Pattern]]:
    """``data/phrases/<lang>.toml``: (kind, word limit, one whole-word regex of its phrases, folded)."""
    import tomllib
    from importlib import resources

    merged: dict[str, tuple[int, set[str]]] = {}
    base = resources.files("audio_edition") / "data" / "phrases"
    for entry in sorted(base.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        for kind, table in tomllib.loads(entry.read_text(encoding="utf-8")).items():
            limit, phrases = merged.get(kind, (0, set()))
            merged[kind] = (max(limit, int(table.get("max_words", _MEDIUM))),
                            phrases | {fold(p) for p in table.get("phrases", [])})
    return [(kind, limit, re.compile(r"(?<!\w)(?:" + _trie_pattern(phrases) + r")(?!\w)"))
            for kind, (limit, phrases) in merged.items() if phrases]


PHRASE_FILES = _load_phrases()


def classify(block: RawBlock) -> str | None:
    if block.tag == "img":
        return "sponsor" if any(is_ad_link(h) or h.startswith("ad-image:") for h in block.links) else "image"
    if any(is_ad_link(h) for h in block.links):
        return "sponsor"
    text = block.full_text()
    low = text.lower()
    fams = _families(low)
    cls = block.classes.lower()
    if (("poll" in cls or "survey" in cls or "quiz" in cls or "vote" in cls) and POLL_CLASS.search(block.classes)) \
            or ("poll" in fams and POLL_TEXT.search(text)):
        return "poll"
    words = len(text.split())
    if sponsor_label(block, fams) or (words <= 40 and "sponsor" in fams and SPONSOR_SENTENCE.search(text)):
        return "sponsor"
    if words <= 40 and ("partner" in low or "partenaire" in low or "advertis" in low) and SPONSOR_NOTE.search(low):
        return "sponsor"
    plain = undecorate(text)
    for kind, limit, pattern in BOILERPLATE:
        if words <= limit and kind in fams and (pattern.search(plain) or pattern.search(text)
                                                 or pattern.search(fold(plain))):
            return kind
    folded = None
    for kind, limit, pattern in PHRASE_FILES:
        if words <= limit:
            folded = folded if folded is not None else fold(plain)
            if pattern.search(folded):
                return kind
    if words <= 40 and _POSTAL.search(text):
        return "footer"
    if TEMPLATE_VAR.search(text):
        rest = strip_template_vars(text)
        if len(rest.split()) < 2 or len(rest) < 0.5 * len(text):
            return "boilerplate"
    if block.link_only and words <= 3 and SOCIAL.match(plain):
        return "share"
    if words <= 16 and not block.level and CREDIT.search(plain):
        return "caption"
    if words <= 14 and not block.level and not block.bold and not block.link_only and READING_TIME.search(plain):
        return "boilerplate"
    if words <= 9 and not block.level:
        if BYLINE.match(text):
            return "byline"
        if block.link_only and BARE_LINK.match(plain):
            return "link"
    return None


# --- sequences --------------------------------------------------------------------------------

def _link_base(href: str) -> str:
    parts = urlsplit(href)
    path = parts.path.rsplit("/", 1)[0] if parts.path.count("/") > 1 else parts.path
    return f"{parts.netloc}{path}"


_VOTE_PATH = re.compile(r"(poll|vote|survey|answer|rating|feedback|sondage|reponse|réponse)", re.I)


def poll_options(run: list[RawBlock]) -> bool:
    """Answer links by their shape: the same address but for the query string ("?answer=1",
    "?answer=2"), or a vote endpoint. Links to different articles, or to anchors in the
    page (a table of contents), are not a poll."""
    hrefs = [b.links[0] for b in run if b.links]
    if len(hrefs) < 2 or len(hrefs) != len(run) or any(h.startswith("#") for h in hrefs):
        return False
    parts = [urlsplit(h) for h in hrefs]
    same_page = len({(p.netloc, p.path) for p in parts}) == 1 and len({p.query or p.fragment for p in parts}) == len(parts)
    votes = all(_VOTE_PATH.search(p.path + "?" + p.query) for p in parts) and len({_link_base(h) for h in hrefs}) == 1
    return same_page or votes


def is_heading(b: RawBlock) -> bool:
    return bool(b.level) or (b.bold and b.label is None and 0 < len(b.text) < 160)


def refine(blocks: list[RawBlock], kinds: list[str | None]) -> None:
    """Sequence rules, in place on ``kinds``."""
    n = len(blocks)
    # polls: options are short link-only blocks sharing a link base, after a question
    i = 0
    while i < n:
        if kinds[i] is None and blocks[i].link_only and len(blocks[i].text.split()) <= 8:
            j = i
            while j + 1 < n and kinds[j + 1] in (None, "poll") and blocks[j + 1].link_only and \
                    len(blocks[j + 1].text.split()) <= 8 and blocks[j + 1].links:
                j += 1
            run = blocks[i:j + 1]
            q = i - 1
            if j > i and poll_options(run) and q >= 0 and kinds[q] is None and \
                    (QUESTIONISH.search(blocks[q].full_text()) or blocks[q].bold) and len(blocks[q].text) < 200:
                for k in range(q, j + 1):
                    kinds[k] = "poll"
            i = j + 1
            continue
        i += 1
    # a poll's question is the bold or question line just before it
    for i in range(n):
        if kinds[i] == "poll" or (blocks[i].separator and "ae-skipped-poll" in blocks[i].classes):
            q = i - 1
            if q >= 0 and kinds[q] is None and (blocks[q].bold or QUESTIONISH.search(blocks[q].full_text())) \
                    and len(blocks[q].full_text()) < 200 and not blocks[q].level:
                kinds[q] = "poll"
    # navigation: three or more one-to-three-word links in a row (not in-page anchors: a contents list)
    i = 0
    while i < n:
        j = i
        while j < n and kinds[j] is None and blocks[j].link_only and len(blocks[j].text.split()) <= 3 \
                and not blocks[j].level and not all(h.startswith("#") for h in blocks[j].links):
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                kinds[k] = "navigation"
        i = max(j, i + 1)
    # "Lire aussi :" / "Related:" / "Follow us:" labels take the list that follows them
    for i in range(n):
        if kinds[i] in ("related", "share", "navigation", "subscribe") and \
                (blocks[i].level or blocks[i].full_text().rstrip().endswith(":") or blocks[i].bold):
            j = i + 1
            while j < n and kinds[j] is None and blocks[j].tag == "li":
                kinds[j] = kinds[i]
                j += 1
    # a heading that is a byline under the title ("Par Clara Dupont, dans C'est qui la boss ?")
    for i in range(1, n):
        if kinds[i] is None and blocks[i].level and is_heading(blocks[i - 1]) and kinds[i - 1] is None \
                and BYLINE_HEADING.match(blocks[i].text):
            kinds[i] = "byline"
    # "Footnotes" / "Notes" as a heading: the notes under it are not read
    for i in range(n):
        if kinds[i] is None and is_heading(blocks[i]) and FOOTNOTES_HEADING.match(undecorate(blocks[i].text)):
            kinds[i] = "footnote"
            j = i + 1
            while j < n and kinds[j] is None and not is_heading(blocks[j]) and not blocks[j].separator:
                kinds[j] = "footnote"
                j += 1
    extend_sponsors(blocks, kinds)
    tail_furniture(blocks, kinds)


# where furniture links go: the publication's own pages and services, never an article
FURNITURE_LINK = re.compile(
    r"^(mailto:|#/|/(?!/)|\.\.?/)|[/.?&=](subscribe|unsubscribe|signup|sign-up|manage|preferences|settings|profile|"
    r"share|sharer|refer|referral|ref|invite|archive|archives|issues?|feed|rss|index\.xml|atom|app-link|"
    r"app-store-redirect|disable_email|optout|opt-out|feedback|poll|vote|survey|account|login|donate|upgrade|"
    r"sponsor|advertise)\b|apps\.apple\.com|play\.google\.com|(facebook|twitter|x|linkedin|instagram|"
    r"threads|bsky|mastodon\.social|tiktok|youtube|t\.me|wa\.me|discord|reddit)\.(com|net|org|app|gg|me|social)/",
    re.I)
TAIL_WORDS = 35


def _link_density(b: RawBlock) -> float:
    words = len(b.text.split()) or 1
    return min(1.0, len(b.link_text.split()) / words)


def tail_furniture(blocks: list[RawBlock], kinds: list[str | None]) -> None:
    """After the issue's last words, what is left is furniture whatever it says: short blocks
    made mostly of links to the publication's own services (subscribe, share, refer, archive,
    previous/next issue, app stores, social profiles) or of merge tags. Scanned back from the
    end, up to the first block that reads as text; a list of links to articles is not furniture."""
    k = len(blocks) - 1
    while k >= 0:
        b = blocks[k]
        if b.separator or kinds[k] is not None:
            k -= 1
            continue
        words = len(b.full_text().split())
        furniture_links = [h for h in b.links if FURNITURE_LINK.search(h)]
        if b.level or words > TAIL_WORDS:
            break
        if TEMPLATE_VAR.search(b.full_text()):
            kinds[k] = "footer"
        elif b.links and len(furniture_links) * 2 >= len(b.links) and _link_density(b) >= 0.5:
            kinds[k] = "footer"
        else:
            break
        k -= 1


def _common_unit(a: RawBlock, b: RawBlock) -> tuple[int, ...]:
    k = 0
    while k < min(len(a.path), len(b.path)) and a.path[k] == b.path[k]:
        k += 1
    return a.path[:k]


MAX_SPONSOR_BLOCKS = 15
ISSUE_SPONSOR = re.compile(r"^(pr[ée]sent[ée]e? par|presented by|brought to you by|propos[ée]e? par|offert par|"
                           r"sponsored by|sponsoris[ée]e? par|avec le soutien de|supported by)\b", re.I)


def extend_sponsors(blocks: list[RawBlock], kinds: list[str | None]) -> None:
    """A sponsor label or a sponsored heading makes its section sponsored: up to the next
    heading that is not itself sponsored (of the same rank or higher when the sponsor has a
    heading), a horizontal rule, or the end of the box the label sits in."""
    n = len(blocks)
    i = 0
    while i < n:
        b = blocks[i]
        if kinds[i] != "sponsor" or b.separator:
            i += 1
            continue
        is_label = sponsor_label(b) or is_heading(b)
        if not is_label:
            # an ad link in a paragraph: if its section starts with a heading just above and the
            # section is short, the whole section is the ad (beehiiv ad-network placements)
            start = i
            while start > 0 and i - start < 3 and not is_heading(blocks[start]) and kinds[start - 1] is None \
                    and not blocks[start - 1].separator:
                start -= 1
            if is_heading(blocks[start]) and start < i:
                end = i + 1
                while end < n and not is_heading(blocks[end]) and not blocks[end].separator:
                    end += 1
                ad = sum(1 for k in range(start, end) if kinds[k] == "sponsor")
                if end - start <= MAX_SPONSOR_BLOCKS and ad * 2 >= (end - start - 1):
                    for k in range(start, end):
                        kinds[k] = "sponsor"
                    i = end
                    continue
            i += 1
            continue
        # from a label or a sponsored heading: extend forward
        own_rank = b.level or (7 if is_heading(b) else 0)
        j = i + 1
        before = kinds[i + 1: i + 2 + MAX_SPONSOR_BLOCKS]  # what the extension may overwrite
        if not b.level and j < n and is_heading(blocks[j]) and (kinds[j] in (None, "sponsor")):
            own_rank = blocks[j].level or 7  # "Sponsorisé" then the ad's own heading
            kinds[j] = "sponsor"
            j += 1
        unit = _common_unit(b, blocks[j]) if j < n else b.path
        # a box of its own (a table cell, a card) when some block of the issue lies outside it
        boxed = any(x.path[: len(unit)] != unit for x in blocks)
        while j < n and j - i <= MAX_SPONSOR_BLOCKS:
            c = blocks[j]
            if c.separator:
                break
            if boxed and c.path[: len(unit)] != unit:
                break
            if is_heading(c) and kinds[j] != "sponsor":
                rank = c.level or 7
                if not own_rank or rank <= own_rank or not c.level and own_rank == 7:
                    break
            if kinds[j] is None or kinds[j] in ("sponsor", "subscribe", "boilerplate", "button", "image"):
                kinds[j] = "sponsor"
            j += 1
        if j - i > MAX_SPONSOR_BLOCKS and not b.level and ISSUE_SPONSOR.search(undecorate(b.full_text())):
            # "Presented by Pfizer" over a whole issue (Axios): the issue has a sponsor, its stories
            # are not the ad; only the label is dropped (the ad itself comes with its own label)
            kinds[i + 1: i + 1 + len(before)] = before
            i += 1
            continue
        after = [blocks[k].text for k in range(i + 1, j) if blocks[k].text]
        if not is_heading(b) and (not after or len(after) == 1 and len(after[0].split()) <= 4):
            _sponsored_above(blocks, kinds, i)  # nothing after the label but a tag: it closes the ad
        elif j < n and j > i + 1 and kinds[j] is None and blocks[j].link_only and not blocks[j].level \
                and len(blocks[j].text.split()) <= 6 and (j + 1 >= n or is_heading(blocks[j + 1])
                                                          or blocks[j + 1].separator):
            kinds[j] = "sponsor"  # the ad's button, in a box of its own just after it ("Start For Free Today")
            j += 1
        i = j


def _sponsored_above(blocks: list[RawBlock], kinds: list[str | None], i: int) -> None:
    """A label that ends its item ("Promoted by Acme" under an item's title and summary):
    the item above it, from its heading, is the ad."""
    k = i - 1
    while k >= 0 and i - k <= 6 and not blocks[k].separator and kinds[k] in (None, "byline", "link") \
            and blocks[k].path[: len(blocks[i].path)] == blocks[i].path[: len(blocks[k].path)]:
        if is_heading(blocks[k]):
            for m in range(k, i):
                kinds[m] = "sponsor"
            return
        k -= 1
