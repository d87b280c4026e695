"""Issue metadata: title, date, language, author, publication, subtitle, canonical URL.

Sources of truth, best first: what the container said (feed item, e-mail headers), the
platform's own header markup, ``<meta>`` tags and JSON-LD, then visible text (a byline such
as "12 novembre 2025 · L’équipe"), then language detection from the words themselves.
"""

from __future__ import annotations

import json
import re
from collections import Counter

MONTHS = {
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9,
    "october": 10, "november": 11, "december": 12,
    # German, Spanish, Italian (common enough in newsletters)
    "januar": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12,
}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?:de\s+)?({_MONTH_RE})\.?\s+"
                             rf"(?:de\s+)?(\d{{4}})\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")


def iso_date(value: str | None) -> str | None:
    if not value:
        return None
    m = _ISO.search(value)
    if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
        return m.group(0)
    return None


def date_in_text(text: str, lang: str | None = None) -> str | None:
    """A date written out in a short visible text ("12 novembre 2025", "Nov 12, 2025")."""
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        m = pattern.search(text)
        if m:
            if order == "dmy":
                day, month, year = int(m.group(1)), MONTHS.get(m.group(2).lower().rstrip(".")), int(m.group(3))
            else:
                month, day, year = MONTHS.get(m.group(1).lower().rstrip(".")), int(m.group(2)), int(m.group(3))
            if month and 1 <= day <= 31 and 1990 <= year <= 2100:
                return f"{year:04d}-{month:02d}-{day:02d}"
    iso = iso_date(text)
    if iso:
        return iso
    m = _NUMERIC.search(text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (b, a) if lang == "en" and a <= 12 else (a, b)
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def meta_content(root, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            for el in root.iter("meta"):
                if (el.get(attr) or "").lower() == name.lower():
                    value = (el.get("content") or "").strip()
                    if value:
                        return value
    return None


_LD_WRAPPER = re.compile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")


def json_ld(root) -> dict:
    """The first JSON-LD object describing an article (``Article``, ``BlogPosting``...)."""
    best: dict = {}
    for node in root.iter("script"):
        if (node.get("type") or "").lower() != "application/ld+json":
            continue
        text = _LD_WRAPPER.sub("", node.text or "")  # <![CDATA[ ... ]]>, <!-- ... --> around the JSON
        try:
            data = json.loads(text)
        except ValueError:
            continue
        candidates = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for d in candidates:
            if isinstance(d, dict):
                kind = d.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and ("Article" in k or "Posting" in k) for k in kinds):
                    return d
                best = best or d
    return best


def ld_name(value) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return ld_name(value.get("name"))
    if isinstance(value, list) and value:
        names = [n for n in (ld_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    return None


_TITLE_SEPARATORS = re.compile(r"\s+[|–—·:»-]\s+")


def strip_site_suffix(title: str, site: str | None) -> str:
    """'Post title | Site' → 'Post title' when the suffix is the site's name."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) >= 2 and site and norm(parts[-1]) == norm(site):
        return title[: title.rfind(parts[-1])].rstrip(" |–—·:»-")
    if len(parts) >= 2 and site and norm(parts[0]) == norm(site):
        return title[len(parts[0]):].lstrip(" |–—·:»-")
    return title


_NORM_DROP = re.compile(r"[^\w]+", re.U)


def norm(text: str | None) -> str:
    """Lower-case words only: for comparing titles, headings and TOC entries."""
    return _NORM_DROP.sub(" ", (text or "").casefold()).strip()


# --- language -----------------------------------------------------------------------------

STOPWORDS = {
    "fr": set("le la les de des du un une et est à en dans pour que qui pas sur avec ce cette il elle nous "
              "vous ils sont au aux ne se plus mais ou son sa ses leur été être fait comme tout aussi l d qu "
              "n c s j où très".split()),
    "en": set("the and of to a is in that it for on with as was are be this by you at from have an or "
              "not but they his her we their has which will can more what about s t i".split()),
    "de": set("der die das und ist nicht ein eine zu den mit sich des auf für im dem von auch es an "
              "wird sie wir ich aus bei".split()),
    "es": set("el la los las de y que en un una es por con para no se su al lo como más pero sus le "
              "ya o este esta".split()),
    "it": set("il la di che e un una per non in sono con del della gli le si è da al ma anche come "
              "questo questa nel".split()),
    "pt": set("o a os as de e que em um uma para com não do da no na por se mais como mas ao dos das "
              "foi seu sua".split()),
    "nl": set("de het een en van is dat niet in op te met voor zijn er aan ook als maar om dan "
              "wordt door".split()),
}
_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿñæœßìòáíóú]+", re.I)


def detect_language(text: str) -> tuple[str | None, float]:
    """(language, confidence 0..1) from stop-word counts over the first 20 000 characters."""
    words = _WORD.findall(text[:20000].lower())
    if len(words) < 12:
        return None, 0.0
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in sw) for lang, sw in STOPWORDS.items()}
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < 5:
        return None, 0.0
    return best, (top - second) / top


def pick_language(declared: list[str | None], text: str, default: str = "fr") -> str:
    """The issue's language: declared (``<html lang>``, feed, ``og:locale``) unless the text
    itself clearly says otherwise (templates often keep a default ``lang="en"``)."""
    first = next((d for d in declared if d), None)
    decl = first.replace("_", "-").split("-")[0].lower() if first else None
    detected, confidence = detect_language(text)
    if decl and detected and detected != decl and confidence >= 0.5:
        return detected
    return decl or detected or default


_SENDER_SPLIT = re.compile(r"^([A-ZÀ-Ý][\w'’.-]*(?: [A-ZÀ-Ý][\w'’.-]*)?) "
                           r"(?:at|from|de chez|chez|@|\||/|[-–—]) (.{2,})$")


def author_from_sender(name: str) -> str | None:
    """The person in "Jane from Acme" / "Léa de chez Bidule" (the publication is the rest)."""
    m = _SENDER_SPLIT.match(name or "")
    return m.group(1).strip() if m else None


def publication_from_sender(name: str) -> str:
    """An e-mail sender's display name → the publication's name: "Dan at The Sunday Ledger",
    "Léa de chez Bidule", "Jérôme Marin / Cafétech" name their publication second; "L'équipe
    Tech.Rocks" and "The Morning Brew Team" name it inside."""
    m = _SENDER_SPLIT.match(name)
    if m:
        name = m.group(2).strip()
    # "L'équipe Tech.Rocks", "The Morning Brew team": the team is the publication's
    m = re.match(r"^(?:l['’][ée]quipe (?:de |d['’])?|the team (?:at|of|behind) |team )(.{2,})$", name, re.I) or \
        re.match(r"^(?:the )?(.{2,}?) team$", name, re.I)
    if m:
        name = m.group(1).strip()
    return name


CADENCE_CUES = {
    "daily": re.compile(r"\b(daily|every (morning|day|weekday)|each (morning|day)|see you tomorrow|tomorrow morning|"
                        r"until tomorrow|quotidienne?|chaque (matin|jour|soir)|tous les (matins|jours|soirs)|"
                        r"[àa] demain|demain matin|ce matin|today['’]s (issue|edition|email|newsletter))\b", re.I),
    "weekly": re.compile(r"\b(weekly|every (week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
                         r"next week|this week['’]s|hebdo(madaire)?|chaque semaine|toutes les semaines|"
                         r"[àa] la semaine prochaine|de la semaine|cette semaine|la semaine prochaine)\b", re.I),
    "fortnightly": re.compile(r"\b(fortnight(ly)?|bi-?weekly|every (two|other) weeks?|tous les quinze jours|"
                              r"toutes les deux semaines|bimensuel(le)?|quinzaine)\b", re.I),
    "monthly": re.compile(r"\b(monthly|every month|next month|this month['’]s|mensuel(le)?|chaque mois|"
                          r"le mois prochain|au mois prochain|ce mois-ci|du mois)\b", re.I),
}


def detect_cadence(texts: list[str]) -> str | None:
    """How often the letter comes out, from what it says of itself ("à demain", "this week's
    issue", "fortnightly"): the cadence with clearly the most cues, else ``None``."""
    hits = {c: sum(len(p.findall(t)) for t in texts) for c, p in CADENCE_CUES.items()}
    ranked = sorted(hits.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top and top > second else None


def cadence_from_gaps(days: list[float]) -> str | None:
    """The cadence a feed's publication dates show (median gap between issues, in days)."""
    if len(days) < 2:
        return None
    gaps = sorted(days)
    median = gaps[len(gaps) // 2]
    for cadence, low, high in (("daily", 0.5, 1.6), ("weekly", 5, 9), ("fortnightly", 12, 17), ("monthly", 25, 35)):
        if low <= median <= high:
            return cadence
    return "other"
