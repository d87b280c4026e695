"""Classify blocks that are never read: sponsors, polls, calls to action, chrome.

Each rule returns a kind (``sponsor``, ``poll``, ``subscribe``, ``share``, ``footer``,
``navigation``, ``related``, ``boilerplate``) or ``None`` for a block to read.
"""

from __future__ import annotations

import re

from .blocks import RawBlock

AD_LINK = re.compile(r"[?&](_bhiiv=opp|bhcl_id=|utm_campaign=ad_network)|[?&]utm_medium=(sponsor|paid|ad)\b", re.I)

SPONSOR_LABEL = re.compile(
    r"^\s*(sponsoris[ée]e?s?|publicit[ée]|partenaire|en partenariat avec|pr[ée]sent[ée]e? par|"
    r"merci [àa] notre (sponsor|partenaire)|sponsored( by)?|presented by|in partnership with|"
    r"brought to you by|together with|advertisement|ad|paid partnership)\b",
    re.I,
)

POLL_CLASS = re.compile(r"(^|\s|_|-)poll(\s|_|-|$)", re.I)
POLL_TEXT = re.compile(r"(pour participer aux sondages|to participate in polls|sign in to vote|vote to see)", re.I)

BOILERPLATE = [
    ("subscribe", re.compile(r"(on t['’]a transf[ée]r[ée]|transf[ée]r[ée]e? cette (lettre|newsletter)|"
                             r"abonne[- ]toi|abonnez[- ]vous|s['’]abonner|forwarded this|was forwarded|"
                             r"subscribe (here|now|to)|sign up (here|for)|get (it|this) in your inbox|"
                             r"re[çc]ois .* chaque)", re.I)),
    ("boilerplate", re.compile(r"^(lire en ligne|voir (la version )?en ligne|view (this email )?in (your )?browser|"
                               r"read online|afficher dans le navigateur)\b", re.I)),
    ("footer", re.compile(r"(d[ée]sabonner|d[ée]sinscri|unsubscribe|update your preferences|mettre [àa] jour (tes|vos) pr[ée]f[ée]rences|"
                          r"tu re[çc]ois cet e-?mail|vous recevez cet e-?mail|you (are )?receiv(ed|ing) this|"
                          r"powered by beehiiv|politique de confidentialit|conditions d['’]utilisation|privacy policy|"
                          r"terms of (service|use)|all rights reserved|tous droits r[ée]serv[ée]s|^©)", re.I)),
    ("share", re.compile(r"^(partager sur|share on|copier le lien|copy link|lien copi[ée])|tu as aim[ée] ce post|"
                         r"did you enjoy|ajouter un commentaire|leave a comment|^(like|comment|restack|share)$", re.I)),
    ("related", re.compile(r"^(continuer la lecture|lire aussi|[àa] lire aussi|keep reading|related posts|read more|"
                           r"recommand[ée]|recommended)\b", re.I)),
]

TEMPLATE_VAR = re.compile(r"\{\{\s*[\w.]+\s*\}\}|\*\|[A-Z_:]+\|\*|%%[\w]+%%")


def is_ad_link(href: str) -> bool:
    return bool(AD_LINK.search(href))


def classify(block: RawBlock) -> str | None:
    if any(is_ad_link(h) for h in block.links):
        return "sponsor"
    if POLL_CLASS.search(block.classes) or POLL_TEXT.search(block.text):
        return "poll"
    text = block.full_text() if hasattr(block, "full_text") else block.text
    if len(block.text) <= 60 and SPONSOR_LABEL.match(block.text) and len(block.text.split()) <= 6:
        return "sponsor"
    for kind, pattern in BOILERPLATE:
        if pattern.search(text):
            return kind
    if TEMPLATE_VAR.search(block.text):
        return "boilerplate"
    return None
