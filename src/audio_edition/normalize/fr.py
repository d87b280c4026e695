"""French rules: written French (newsletter style) → what a radio presenter says.

Order matters; each group consumes its digits and symbols so later groups never see them:
abbreviations → dates and times → ordinals and Roman numerals → ranges → signs →
money → percents → units → letters glued to digits → versions → plain numbers →
symbols → capitals (acronyms) → tidy-up.
"""

from __future__ import annotations

import re

from . import numbers_fr as nf
from .acronyms import _TICKER as TICKER
from .acronyms import (
    COMMON_WORDS_FR,
    SHOUT,
    TOKEN,
    AcronymReader,
    drop_ticker,
    lower_shout,
)
from .common import UPPER, L, Words, long_number_rule
from .engine import Rule, digit_gated, rule

WORDS = Words(dot="point", at="arobase", half="et demi", quarter="quart", three_quarters="trois quarts",
              a_half="un demi", tld_words=frozenset({"com", "org", "net", "info", "tech", "news", "dev", "app",
                                                     "blog", "shop", "store", "cloud", "site", "online",
                                                     "page", "art", "quebec"}))

MONTHS = nf.MONTHS
MONTHS_RE = "|".join(MONTHS)
_MONTH_ABBR = {"janv": "janvier", "jan": "janvier", "févr": "février", "fév": "février", "fevr": "février",
               "avr": "avril", "juil": "juillet", "sept": "septembre", "oct": "octobre", "nov": "novembre",
               "déc": "décembre", "dec": "décembre"}

# an integer, possibly with thousands separated by spaces (no-break spaces are spaces by now)
INT = r"(?:(?<!\d)\d{1,3}(?: \d{3})+(?!\d)|\d+)"
DEC = rf"{INT}(?:,\d+)?"  # decimal comma
DECM = rf"{INT}(?:[,.]\d+)?"  # money and percents also take a decimal point
B = r"(?<![\w,.])"  # a number starts here (not inside a word or another number)

FEMININE = frozenset("""
heure heures minute minutes seconde secondes semaine semaines année années journée journées fois
personne personnes entreprise entreprises image images vidéo vidéos page pages étoile étoiles version
versions place places ligne lignes offre offres chanson chansons voix voiture voitures femme femmes
nuit nuits saison saisons édition éditions question questions réponse réponses étape étapes raison
raisons idée idées application applications fonction fonctions fonctionnalité fonctionnalités
startup startups start-up société sociétés marque marques tonne tonnes dizaine dizaines centaine
centaines douzaine vingtaine trentaine IA mission missions campagne campagnes catégorie catégories
règle règles leçon leçons astuce astuces méthode méthodes étude études newsletter newsletters lettre
lettres série séries vague vagues puce puces carte cartes main mains tête têtes photo photos
minute-là nouvelle nouvelles seule seules grande grandes petite petites dernière dernières
livre-sterling livres-sterling victoire victoires défaite défaites partie parties vue vues
recherche recherches requête requêtes action actions banque banques usine usines ville villes
équipe équipes plateforme plateformes technologie technologies solution solutions tâche tâches
branche branches filiale filiales agence agences boutique boutiques école écoles classe classes
langue langues région régions commune communes maison maisons chaîne chaînes émission émissions
salle salles porte portes voie voies route routes rue rues machine machines usine usines puce puces
minute secondes nation nations semaine mesure mesures loi lois étoile planète planètes vie vies
heure œuvre œuvres page pages fiche fiches liste listes note notes clé clés valeur valeurs
personnalité start-ups licorne licornes levée levées transaction transactions commande commandes
fois sortie sorties mise mises entrée entrées arme armes molécule molécules cellule cellules espèce
espèces langue source sources piste pistes saison épisode-pilote famille familles
""".split())
# endings that are (almost) always feminine; the exceptions are in MASCULINE
_FEMININE_ENDINGS = ("tion", "tions", "sion", "sions", "té", "tés", "ance", "ances", "ence", "ences", "ette",
                     "ettes", "ure", "ures", "ude", "udes", "ière", "ières", "euse", "euses", "trice", "trices",
                     "ade", "ades", "ise", "ises", "ée", "ées", "ie", "ies", "elle", "elles", "esse", "esses")
MASCULINE = frozenset("""
été étés comité comités pâté traité traités côté côtés musée musées lycée lycées trophée trophées
silence silences incendie incendies génie génies parapluie murmure mercure cimetière cimetières
squelette squelettes parapluies foie foies lycées athénée pygmée scarabée apogée mausolée
""".split())


def _int(s: str) -> str:
    return s.replace(" ", "")


def _next_word(m: re.Match) -> str:
    nxt = re.match(r"\s+([\w'-]+)", m.string[m.end():m.end() + 40])
    if not nxt:
        return ""
    w = nxt.group(1)
    return w.split("'")[-1] if "'" in w else w


def is_feminine(word: str) -> bool:
    """Is this noun feminine? (the list, then endings such as -tion, -té, -ance; exceptions kept)."""
    w = word.lower()
    if w in FEMININE or word in FEMININE:
        return True
    if w in MASCULINE or len(w) < 4:
        return False
    return w.endswith(_FEMININE_ENDINGS)


def _feminine_follows(m: re.Match) -> bool:
    w = _next_word(m)
    if w.lower() in ("premières", "premières", "dernières", "nouvelles", "grandes", "petites", "meilleures"):
        return True  # "les 21 premières entreprises"
    return is_feminine(w)


def number(int_part: str, frac: str | None = None, feminine: bool = False) -> str:
    return nf.decimal_words(_int(int_part), frac, feminine)


def _value(int_part: str, frac: str | None) -> float:
    return float(_int(int_part) + ("." + frac if frac else ""))


def _split(num: str) -> tuple[str, str | None]:
    """'2,99' → ('2', '99'); '1 250' → ('1 250', None); '$2.99' style too."""
    m = re.fullmatch(r"(.*?)[,.](\d+)", num)
    if m and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num):
        return m.group(1), m.group(2)
    return num.replace(".", ""), None


def _de(word: str) -> str:
    return "d'" + word if word[:1] in "aeiouyéèêhAEIOUYÉ" else "de " + word


# --- abbreviations ---------------------------------------------------------------------------

def _etc(m: re.Match) -> str:
    dots = m.group(1) or ""
    if dots == "...":
        return "et cetera..."
    if dots == "." and re.match(r"\s*(?:$|\n|[A-ZÀ-Þ«\"“])", m.string[m.end():m.end() + 3]):
        return "et cetera."
    return "et cetera"


def _end(spoken: str):
    """A replacement for an abbreviation ending with a dot: the dot stays when it ends the sentence."""
    def repl(m: re.Match) -> str:
        if re.match(r"\s*(?:$|\n)|\s+[A-ZÀ-Þ]", m.string[m.end():m.end() + 3]):
            return spoken + "."
        return spoken
    return repl


def _cap_like(word: str, written: str) -> str:
    return word[:1].upper() + word[1:] if written[:1].isupper() else word


def _dotted_acronym(m: re.Match) -> str:
    letters = m.group(0).replace(".", "")
    end = "." if re.match(r"\s*(?:$|\n)", m.string[m.end():m.end() + 2]) else ""
    return " ".join(letters) + end


def _monsieur(m: re.Match) -> str:
    """'M. Dupont' → 'Monsieur Dupont', but not the initial of 'Charles M. Smith'."""
    before = m.string[max(0, m.start() - 30):m.start()]
    if re.search(r"[^\s.!?:;«\"(]\s+[A-ZÀ-Þ][\w-]*\s$", before):  # a capitalized word mid-sentence
        return m.group(0)
    return "Monsieur"


ABBREVIATIONS = [
    rule("abbreviation", r"(?<![\w.])av\.\s?J\.-?C\.", _end("avant Jésus-Christ"), gate='J\\.-?C'),
    rule("abbreviation", r"(?<![\w.])apr\.\s?J\.-?C\.", _end("après Jésus-Christ"), gate='J\\.-?C'),
    rule("abbreviation", r"(?<![\w.])J\.-C\.", _end("Jésus-Christ"), gate='J\\.-C'),
    rule("abbreviation", r"(?<![\w.])(St|Ste|Sts|Stes)-(?=[A-ZÀ-Þ])",
         lambda m: {"St": "Saint", "Ste": "Sainte", "Sts": "Saints", "Stes": "Saintes"}[m.group(1)] + "-",
         gate='St'),
    rule("abbreviation", r"(?<![\w.])Me\s(?=[A-ZÀ-Þ][a-zà-ÿ])", "Maître ", gate='Me '),
    rule("abbreviation", r"(?<![\w.])bd\.?(?=\s+[A-ZÀ-Þ])", "boulevard", gate='bd'),
    rule("abbreviation", r"(?<![\w.])av\.(?=\s+(?:de|du|des|d'|[A-ZÀ-Þ]))", "avenue", gate='av\\.'),
    rule("abbreviation", r"(?<![\w.])hab\.(?:\s?/\s?km[²2])?",
         lambda m: _end("habitants par kilomètre carré" if "km" in m.group(0) else "habitants")(m), gate='hab\\.'),
    rule("abbreviation", r"(?<![\w.])(janv|févr|fév|avr|juil|oct|nov|déc)\.(?=\s)",
         lambda m: _MONTH_ABBR[m.group(1)], gate='(?:janv|fév|avr|juil|oct|nov|déc)\\.'),
    rule("abbreviation", r"(?<![\w.])sept\.(?=\s\d{4})", "septembre", gate='sept\\.'),
    rule("abbreviation", r"(?<=[IVXLCDM]e|[IVXLCDM]r) s\.", _end(" siècle"), gate=' s\\.'),
    rule("abbreviation", r"(?<![\w.])MM\.(?=\s+[A-ZÀ-Þ])", "Messieurs", gate='MM\\.'),
    rule("abbreviation", r"(?<![\w.])M\.(?=\s+[A-ZÀ-Þ])", _monsieur, gate='M\\.'),
    rule("abbreviation", r"(?<![\w.])Mr\.?(?=\s+[A-ZÀ-Þ])", "Monsieur", gate='Mr'),
    rule("abbreviation", r"\bMmes\b\.?", "Mesdames", gate='Mmes'),
    rule("abbreviation", r"\bMme\b\.?", "Madame", gate='Mme'),
    rule("abbreviation", r"\bMlles\b\.?", "Mesdemoiselles", gate='Mlles'),
    rule("abbreviation", r"\bMlle\b\.?", "Mademoiselle", gate='Mlle'),
    rule("abbreviation", r"(?<![\w.])Dr\.?(?=\s+[A-ZÀ-Þ])", "Docteur", gate='Dr'),
    rule("abbreviation", r"(?<![\w.])Pr\.?(?=\s+[A-ZÀ-Þ])", "Professeur", gate='Pr'),
    rule("abbreviation", r"\b[Ee]tc\b(\.\.\.|\.)?", _etc, gate='[Ee]tc'),
    rule("abbreviation", r"(?<![\w.])([Pp])\.\s?ex\.", lambda m: _cap_like("par exemple", m.group(1)),
         gate='\\.\\s?ex\\.'),
    rule("abbreviation", r"(?<![\w.])([Ee])x\.(?=\s)", lambda m: _cap_like("par exemple", m.group(1)), gate='[Ee]x\\.'),
    rule("abbreviation", r"(?<![\w.])([Cc])f\.?(?=\s)", lambda m: _cap_like("voir", m.group(1)), gate='[Cc]f'),
    rule("abbreviation", r"(?<![\w.])([Ee])nv\.(?=\s)", lambda m: _cap_like("environ", m.group(1)), gate='nv\\.'),
    rule("abbreviation", r"(?<![\w.])([Cc])\.-à-d\.?|\b([Cc])-à-d\b|\b([Cc])àd\b",
         lambda m: _cap_like("c'est-à-dire", m.group(0)), gate='à-?d'),
    rule("abbreviation", r"(?<![\w.])([Vv])s\.?(?=\s)", lambda m: _cap_like("contre", m.group(1)), gate='[Vv]s'),
    rule("abbreviation", r"(?<![\w.])([Tt])él\.", lambda m: _cap_like("téléphone", m.group(1)), gate='él\\.'),
    rule("abbreviation", r"(?<![\w.])([Aa])pprox\.", lambda m: _cap_like("environ", m.group(1)), gate='pprox\\.'),
    rule("abbreviation", r"(?<![\w.])([Rr])esp\.", lambda m: _cap_like("respectivement", m.group(1)), gate='esp\\.'),
    rule("abbreviation", r"(?<![\w.])(N\.B\.|NB)(?=\s*:)", "Nota bene", gate='N\\.?B'),
    rule("abbreviation", r"(?m)^(P\.-S\.|PS)(?=\s*:|\s)", "Post-scriptum", gate='P\\.?-?S'),
    rule("abbreviation", r"\bCie\b", "compagnie", gate='Cie'),
    rule("abbreviation", r"\bSté\b", "société", gate='Sté'),
    rule("abbreviation", r"(?<![\w.])[nN][°o]\s?(?=\d)|(?<![\w&#])#(?=\d)", "numéro "),
    rule("abbreviation", r"(?<![\w.])[nN]°(?=\s)", "numéro", gate='°'),
    rule("abbreviation", r"(?<![\w.])pp\.\s?(?=\d)", "pages "),
    rule("abbreviation", r"(?<![\w.])p\.\s?(?=\d)", "page "),
    rule("abbreviation", r"(?<![\w.])vol\.\s?(?=\d)", "volume "),
    rule("abbreviation", r"(?<![\w.])chap\.\s?(?=\d)", "chapitre "),
    rule("abbreviation", r"(?<![\w.])([Aa])rt\.\s?(?=\d|[LRD]\.?\s?\d)", lambda m: _cap_like("article ", m.group(1))),
    # legal references: "art. L. 121-1", "la loi n° 2024-123": the hyphen is not a range
    rule("abbreviation", r"(?<![\w.])([LRD])\.?\s?(\d+)-(\d+)(?![\d-])", r"\1 \2 tiret \3", gate='[LRD]\\.? ?\\d+-'),
    rule("abbreviation", r"(?<![\w.])([nN][°o]|numéro)\s?(\d+)-(\d+)(?![\d-])", r"numéro \2 tiret \3",
         gate='\\d-\\d'),
    rule("abbreviation", r"(?<![\w.])fig\.\s?(?=\d)", "figure "),
    rule("abbreviation", r"\bJ\s?-\s?(?=\d)", "J moins "),
    rule("abbreviation", r"\bJ\s?\+\s?(?=\d)", "J plus "),
    rule("abbreviation", rf"(?<![\w.])(?:[{UPPER}]\.){{2,}}(?![\w])", _dotted_acronym, gate='[A-Z]\\.[A-Z]\\.'),
    rule("abbreviation", r"(?<![\w.])v(?=\d)", "version "),
]


# --- dates and times -------------------------------------------------------------------------

def _date(day: int, month: int, year: str | None) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    d = "premier" if day == 1 else nf.cardinal(day)
    out = f"{d} {MONTHS[month - 1]}"
    if year:
        y = int(year)
        if len(year) == 2:
            y += 2000
        out += " " + nf.cardinal(y)
    return out


def _dmy(m: re.Match) -> str:
    return _date(int(m.group(1)), int(m.group(2)), m.group(3)) or m.group(0)


def _iso(m: re.Match) -> str:
    return _date(int(m.group(3)), int(m.group(2)), m.group(1)) or m.group(0)


_DATE_CUES = re.compile(r"(?:\b(?:le|du|au|dès le|depuis le|jusqu'au|et le|ce|avant le|après le|"
                        r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche))\s*$", re.IGNORECASE)


def _dm(m: re.Match) -> str:
    before = m.string[max(0, m.start() - 20):m.start()]
    if _DATE_CUES.search(before):
        return _date(int(m.group(1)), int(m.group(2)), None) or m.group(0)
    return m.group(0)


def _time(m: re.Match) -> str:
    h, mm = int(m.group(1)), m.group(2)
    if mm and (int(mm) > 59 or h > 29):
        return m.group(0)
    hours = nf.cardinal(h, feminine=True) + (" heures" if h >= 2 else " heure")
    if mm and int(mm):
        hours += " " + nf.cardinal(int(mm))
    return hours


def _duration(m: re.Match) -> str:
    h, mm = int(m.group(1)), int(m.group(2))
    out = nf.cardinal(h, feminine=True) + (" heures" if h >= 2 else " heure")
    if mm:
        out += f" {nf.cardinal(mm, feminine=True)} minute{'s' if mm >= 2 else ''}"
    return out + ("." if m.group(0).endswith(".") and re.match(r"\s*(?:$|\n|[A-ZÀ-Þ])",
                                                                  m.string[m.end():m.end() + 2]) else "")


def _clock(m: re.Match) -> str:
    before = m.string[max(0, m.start() - 10):m.start()].lower()
    if re.search(r"(format|ratio)\s*$", before):
        return m.group(0)
    h, mm = int(m.group(1)), int(m.group(2))
    if h > 23 or mm > 59:
        return m.group(0)
    return _time(m)


FRACTIONS = {(1, 2): "un demi", (1, 3): "un tiers", (2, 3): "deux tiers", (1, 4): "un quart",
             (3, 4): "trois quarts"}


def _fraction(m: re.Match) -> str:
    a, b = int(m.group(1)), int(m.group(2))
    space = m.group(3) or ""
    if (a, b) == (1, 2) and space:
        nxt = re.match(r"[^\W\d_]+", m.string[m.end():m.end() + 30])
        if nxt:  # 1/2 journée → une demi-journée
            return f"{'une' if nxt.group(0) in FEMININE else 'un'} demi-"
    if (a, b) in FRACTIONS:
        return FRACTIONS[(a, b)] + space
    return f"{nf.int_words(m.group(1))} sur {nf.int_words(m.group(2))}{space}"


def _decade(m: re.Match) -> str:
    y = m.group(2)
    if len(y) == 4 and y.startswith("19"):
        return f"{m.group(1)} {nf.cardinal(int(y[2:]))}"
    return f"{m.group(1)} {nf.cardinal(int(y))}"


DATES = [
    rule("date", r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])", _iso),
    rule("date", r"(?<![\d/.,])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/]|[.,]\d)", _dmy),
    rule("date", r"(?<![\d/.,])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d/]|[.,]\d)", _dmy),
    rule("date", r"(?<![\d/.,])(\d{1,2})/(\d{1,2})(?![\d/]|[.,]\d)", _dm),
    rule("fraction", r"(?<![\w/.,])(\d+)/(\d+)(?![\w/]|[.,]\d)( (?=[^\W\d_]))?", _fraction),
    rule("fraction", r"(?<![\w/.,])(\d+,\d+)\s?/\s?(\d+)(?![\w/]|[.,]\d)", r"\1 sur \2"),  # une note de 8,5/10
    rule("date", r"(?<![\w,.])(\d{1,2})\s(" + "|".join(_MONTH_ABBR) + r")\.?(?![\w])",
         lambda m: f"{m.group(1)} {_MONTH_ABBR[m.group(2)]}"),
    rule("date", rf"(?<![\w,.])1(?:er)?\s({MONTHS_RE})\b", r"premier \1", gate='1(?:er)? '),
    rule("date", r"\b([Aa]nnées)\s((?:19)?[1-9]0|20[0-9]0)(?![\d])", _decade, gate='nnées \\d'),
    rule("duration", r"(?<![\w,.:])(\d{1,2})\s?h\s?(\d{2})\s?min\b\.?", _duration),  # 2 h 05 min
    rule("time", r"(?<![\w,.:])(\d{1,2})\s?[hH]\s?(\d{2})(?![\d])", _time),
    rule("time", r"(?<![\w,.:])(\d{1,3})\s?h(?![\w])()", _time),
    rule("time", r"(?<![\w,.:])(\d{1,2}):(\d{2})(?![\d:])", _clock),
]


# --- ordinals and Roman numerals -------------------------------------------------------------

REGNAL = ("Louis|Henri|Charles|François|Philippe|Napoléon|Jean|Paul|Jean-Paul|Benoît|Pie|Léon|Grégoire|"
          "Clément|Innocent|Urbain|Sixte|Guillaume|Édouard|Edouard|Elizabeth|Élisabeth|Elisabeth|George|"
          "Georges|Richard|Jacques|Alexandre|Nicolas|Pierre|Frédéric|Ferdinand|Isabelle|Juan Carlos|Felipe|"
          "Alphonse|Gustave|Rainier|Albert|Léopold|Baudouin|Constantin|Ramsès|Mohammed|Hassan|Othon|"
          "Lothaire|Pépin|Childéric|Dagobert|Robert|Hugues|Amédée|Humbert|Victor-Emmanuel|Henry|Edward|"
          "James|William|Catherine|Marie|Anne|Sigismond|Rodolphe|Maximilien|Ivan|Frederick|Harald|Olaf|"
          "Christian|Haakon|Carl|Willem|Martin|Eugène|Boniface|Célestin|Adrien|Étienne|Sylvestre|Nicholas")
ROMAN_CONTEXT = ("Tome|tome|Volume|volume|[Aa]cte|[Cc]hapitre|[Pp]artie|[Ss]aison|[ÉéEe]pisode|"
                 "GTA|Rocky|Vatican|Star Wars")
ROMAN = r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"


def _ordinal(m: re.Match) -> str:
    n = int(_int(m.group(1)))
    suffix = m.group(2).lower()
    plural = bool(m.group(3))
    if suffix in ("er", "ᵉʳ"):
        return nf.ordinal(n, plural=plural)
    if suffix in ("re", "ère", "ʳᵉ"):
        return nf.ordinal(n, feminine=True, plural=plural)
    if suffix in ("nd", "nde") and n == 2:
        return ("seconde" if suffix == "nde" else "second") + ("s" if plural else "")
    return nf.ordinal(n, plural=plural)


def _roman_ordinal(m: re.Match) -> str:
    if m.start() and re.match(r"[\w-]", m.string[m.start() - 1]):
        return m.group(0)
    numeral = m.group(1)
    n = nf.roman_to_int(numeral)
    if n is None or (len(numeral) == 1 and numeral not in "IVX"):  # Ce, De, Le, Me are words
        return m.group(0)
    suffix = m.group(2).lower()
    feminine = suffix in ("re", "ère")
    if suffix in ("er", "re", "ère") and n != 1:
        return m.group(0)
    return nf.ordinal(n, feminine=feminine, plural=bool(m.group(3)))


_BEFORE_REGNAL = re.compile(rf"(?:^|[^\w-])({REGNAL})\s+$")
_BEFORE_CONTEXT = re.compile(rf"(?:^|[^\w-])({ROMAN_CONTEXT})\s+$")


def _roman(m: re.Match) -> str:
    """Louis XIV → Louis quatorze, François Ier → François premier, Épisode IV → Épisode quatre;
    only after a monarch's or pope's name or a word like 'tome' (never MIX, CV, DC, VIVID alone)."""
    numeral, suffix = m.group(1), (m.group(2) or "").lower()
    if m.start() and not m.string[m.start() - 1].isspace():
        return m.group(0)
    if len(numeral) == 1 and numeral not in "IVX":
        return m.group(0)
    n = nf.roman_to_int(numeral)
    if n is None:
        return m.group(0)
    before = m.string[max(0, m.start() - 40):m.start()]
    if _BEFORE_REGNAL.search(before):
        if n == 1:
            return "première" if suffix in ("re", "ère") else "premier"
        return m.group(0) if suffix else nf.cardinal(n)
    if not suffix and _BEFORE_CONTEXT.search(before):
        return nf.cardinal(n)
    return m.group(0)


ORDINALS = [
    rule("ordinal", r"(?<![\w,.])2(de|d)(s?)(?![\w])", lambda m: ("seconde" if m.group(1) == "de" else "second")
         + m.group(2)),  # en 2de (school year), le 2d tour
    rule("ordinal", rf"(?<![\w,.])({INT})(er|ère|re|nde|nd|ème|ième|eme|e|è)(s?)(?![\w])", _ordinal),
    rule("roman ordinal", r"([IVXLCDM]+)(er|ère|re|ème|e|è)(s?)(?![\w])", _roman_ordinal,
         gate=r"[IVXLCDM](?:e|er|re|ère|ème|è)s?\b"),
    rule("roman", r"([IVXLCDM]+)(er|re|ère)?(?![\w'])", _roman),
]


_DETERMINERS = re.compile(r"(?:^|[\s(])(un|une|le|la|les|des|du|ce|cet|cette|ces|son|sa|ses|leur|leurs|notre|nos|"
                          r"votre|vos|l'|d'|chaque)\s*([^\W\d_][\w-]*) $", re.IGNORECASE)


def _compare_after_noun(m: re.Match) -> str:
    """'un rendement < 5 %' → 'un rendement inférieur à', 'les offres > 100 €' → 'les offres
    supérieures à' (agreeing with the noun); elsewhere ('coûte < 5 €') the next rules say 'moins de'."""
    before = m.string[max(0, m.start() - 40):m.start()]
    d = _DETERMINERS.search(before)
    if not d:
        return m.group(0)
    det, noun = d.group(1).lower(), d.group(2)
    word = "supérieur" if m.group(0).startswith(">") else "inférieur"
    if is_feminine(noun):
        word += "e"
    if det in ("les", "des", "ces", "ses", "leurs", "nos", "vos") or (noun.endswith(("s", "x")) and det not in (
            "un", "une", "le", "la", "l'", "ce", "cet", "cette", "son", "sa", "chaque")):
        word += "s"
    return word + " à "


# --- ranges and signs ------------------------------------------------------------------------

RANGES = [
    rule("range", rf"{B}({DEC})\s?[-–—]\s?({DEC})(?![\w]|,\d|[-–—]\d|\.\d)", r"\1 à \2"),
]

SIGNS = [
    rule("sign", rf"{B}({INT})\+(?![\w+])", r"plus de \1"),  # 10 000+ utilisateurs
    rule("sign", r"\(\s?-\s(?=[^\W\d_])", "(moins ", gate='\\(\\s?-'),
    rule("sign", r"\(\s?\+\s(?=[^\W\d_])", "(plus ", gate='\\(\\s?\\+'),
    rule("sign", r"(?<![\w,.)\]])[-](?=\d)", "moins "),
    rule("sign", r"(?<![\w,.)\]+])\+\s?(?=\d)", "plus "),
    rule("sign", r"\b([Ee]nviron|[Qq]uelque|[Àà] peu près)\s+[~≈]\s?(?=\d)", r"\1 ", gate='[~≈]'),
    rule("sign", r"±\s?", "plus ou moins ", gate='±'),
    rule("sign", r"(?<![\w])[~≈]\s?(?=\d)", "environ "),
    rule("sign", r">=\s?(?=\d)|≥\s?(?=\d)", "au moins "),
    rule("sign", r"<=\s?(?=\d)|≤\s?(?=\d)", "au plus "),
    rule("sign", r"(?<=\d)\s?>\s?(?=\d)", " supérieur à "),
    rule("sign", r"(?<=\d)\s?<\s?(?=\d)", " inférieur à "),
    rule("sign", r"(?<=[^\W\d_] )[<>]\s?(?=\d)", _compare_after_noun, gate='[<>] ?\\d'),
    rule("sign", r"(?<![\w>])>\s?(?=\d)", "plus de "),
    rule("sign", r"(?<![\w<])<\s?(?=\d)", "moins de "),
    rule("sign", r"(?<=\d)\s?=\s?(?=[\d-]|moins )", " égale "),
    rule("sign", r"\s?=\s?", " soit ", gate='='),
]


# --- money ---------------------------------------------------------------------------------

CURRENCIES = {
    "€": ("euro", "euros", False, "centime", "centimes"),
    "EUR": ("euro", "euros", False, "centime", "centimes"),
    "euro": ("euro", "euros", False, "centime", "centimes"),
    "euros": ("euro", "euros", False, "centime", "centimes"),
    "$": ("dollar", "dollars", False, "cent", "cents"),
    "US$": ("dollar", "dollars", False, "cent", "cents"),
    "USD": ("dollar", "dollars", False, "cent", "cents"),
    "dollar": ("dollar", "dollars", False, "cent", "cents"),
    "dollars": ("dollar", "dollars", False, "cent", "cents"),
    "£": ("livre", "livres", True, "penny", "pence"),
    "GBP": ("livre", "livres", True, "penny", "pence"),
    "¥": ("yen", "yens", False, "", ""),
    "CHF": ("franc suisse", "francs suisses", False, "centime", "centimes"),
}
CUR_SUFFIX = r"€|US\$|\$|£|¥|EUR|USD|GBP|CHF|euros?|dollars?"
CUR_PREFIX = r"US\$|\$|€|£|¥"
SCALE = r"milliards?|millions?|mille|Mds|Md|Mrds?|mds?|M|mn|k|K|B|bn|Bn"
NUM_SCALE = r"milliards?|millions?|mille|Mds|Md|Mrds?|M|k|K"
_SCALE_WORD = {"milliard": "milliard", "milliards": "milliard", "Md": "milliard", "Mds": "milliard",
               "Mrd": "milliard", "Mrds": "milliard", "md": "milliard", "mds": "milliard", "B": "milliard",
               "bn": "milliard", "Bn": "milliard", "million": "million", "millions": "million",
               "M": "million", "mn": "million", "mille": "mille", "k": "mille", "K": "mille"}
PER = {"h": "heure", "j": "jour", "an": "an", "mois": "mois", "min": "minute", "mn": "minute",
       "mo": "mois", "sem": "semaine", "pers": "personne", "user": "utilisateur", "s": "seconde",
       "kWh": "kilowattheure", "km": "kilomètre", "kg": "kilo", "m2": "mètre carré", "m²": "mètre carré",
       "Go": "gigaoctet", "To": "téraoctet", "Mo": "mégaoctet", "t": "tonne"}
PER_RE = r"\s?/\s?([^\W\d_]+\d?)"


def _per(word: str | None) -> str:
    if not word:
        return ""
    return " par " + PER.get(word, word)


def scaled(int_part: str, frac: str | None, scale: str) -> tuple[str, bool]:
    """'38', None, 'Md' → ('trente-huit milliards', True); the flag says a 'de' must follow."""
    word = _SCALE_WORD[scale]
    if word == "mille":
        if not frac or len(frac) <= 3:  # 500 k → cinq cent mille, 1,5 k → mille cinq cents
            return nf.cardinal(int(_int(int_part)) * 1000 + int((frac or "0").ljust(3, "0"))), False
        return number(int_part, frac) + " mille", False
    plural = _value(int_part, frac) >= 2
    return f"{number(int_part, frac)} {word}{'s' if plural else ''}", True


def money(int_part: str, frac: str | None, scale: str | None, cur: str) -> str:
    one, many, fem, cent, cents = CURRENCIES[cur]
    if scale:
        head, de = scaled(int_part, frac, scale)
        return f"{head} {_de(many)}" if de else f"{head} {many}"
    value = int(_int(int_part) or "0")
    if frac is not None and len(frac) > 2:
        return f"{number(int_part, frac)} {many if _value(int_part, frac) >= 2 else one}"
    c = 0
    if frac:
        c = int(frac.ljust(2, "0"))
    if value == 0 and c and cent:
        return f"{nf.cardinal(c)} {cents if c > 1 else cent}"
    head = nf.cardinal(value, feminine=fem)
    unit = many if value >= 2 else one
    if head.endswith(("million", "millions", "milliard", "milliards")):
        out = f"{head} {_de(many)}"
    else:
        out = f"{head} {unit}"
    if c:
        if c < 10 and cent:
            out += f" et {nf.cardinal(c)} {cents if c > 1 else cent}"
        else:
            out += f" {nf.cardinal(c)}"
    return out


def _money_suffix(m: re.Match) -> str:
    int_part, frac = _split(m.group("num"))
    return money(int_part, frac, m.group("scale"), m.group("cur")) + _per(m.group("per"))


def _money_prefix(m: re.Match) -> str:
    int_part, frac = _split(m.group("num"))
    return money(int_part, frac, m.group("scale"), m.group("cur")) + _per(m.group("per"))


MONEY = [
    rule("money", rf"{B}(?P<num>{DECM})\s?(?:(?P<scale>{SCALE})\s?)?(?P<cur>{CUR_SUFFIX})(?![\w$€£])"
                  rf"(?:{PER_RE})?".replace("([^", "(?P<per>[^"), _money_suffix),
    rule("money", rf"(?<![\w$€£])(?P<cur>{CUR_PREFIX})\s?(?P<num>{DECM})(?:\s?(?P<scale>{SCALE}))?(?![\w])"
                  rf"(?:{PER_RE})?".replace("([^", "(?P<per>[^"), _money_prefix),
]


# --- percents, units, scales, multipliers ------------------------------------------------------

def _percent(m: re.Match) -> str:
    int_part, frac = _split(m.group(1))
    word = "pour mille" if m.group(2) == "‰" else "pour cent"
    return f"{number(int_part, frac)} {word}"


def _points(m: re.Match) -> str:
    int_part, frac = _split(m.group(1))
    out = f"{number(int_part, frac)} point{'s' if _value(int_part, frac) >= 2 else ''}"
    if m.group(0).endswith(".") and re.match(r"\s*(?:$|\n|[A-ZÀ-Þ])", m.string[m.end():m.end() + 2]):
        out += "."  # "une baisse de 0,3 pt." ends its sentence
    return out


PERCENTS = [
    rule("percent", rf"{B}({DECM})\s?(%|‰|pour ?cent\b)", _percent),
    rule("percent", rf"{B}({DEC})\s?pts?\b\.?", _points),
]

# unit → (singular, plural, feminine)
UNITS: dict[str, tuple[str, str, bool]] = {
    "ms": ("milliseconde", "millisecondes", True), "s": ("seconde", "secondes", True),
    "sec": ("seconde", "secondes", True), "min": ("minute", "minutes", True), "mn": ("minute", "minutes", True),
    "j": ("jour", "jours", False),
    "Ko": ("kilooctet", "kilooctets", False), "ko": ("kilooctet", "kilooctets", False),
    "Mo": ("mégaoctet", "mégaoctets", False), "Go": ("gigaoctet", "gigaoctets", False),
    "To": ("téraoctet", "téraoctets", False), "Po": ("pétaoctet", "pétaoctets", False),
    "KB": ("kilooctet", "kilooctets", False), "MB": ("mégaoctet", "mégaoctets", False),
    "GB": ("gigaoctet", "gigaoctets", False), "TB": ("téraoctet", "téraoctets", False),
    "Gb": ("gigabit", "gigabits", False), "Mb": ("mégabit", "mégabits", False),
    "bit/s": ("bit par seconde", "bits par seconde", False),
    "kbit/s": ("kilobit par seconde", "kilobits par seconde", False),
    "Mbit/s": ("mégabit par seconde", "mégabits par seconde", False),
    "Gbit/s": ("gigabit par seconde", "gigabits par seconde", False),
    "Mb/s": ("mégabit par seconde", "mégabits par seconde", False),
    "Gb/s": ("gigabit par seconde", "gigabits par seconde", False),
    "Mbps": ("mégabit par seconde", "mégabits par seconde", False),
    "Gbps": ("gigabit par seconde", "gigabits par seconde", False),
    "Mo/s": ("mégaoctet par seconde", "mégaoctets par seconde", False),
    "Go/s": ("gigaoctet par seconde", "gigaoctets par seconde", False),
    "W": ("watt", "watts", False), "kW": ("kilowatt", "kilowatts", False),
    "MW": ("mégawatt", "mégawatts", False), "GW": ("gigawatt", "gigawatts", False),
    "TW": ("térawatt", "térawatts", False),
    "Wh": ("wattheure", "wattheures", False), "kWh": ("kilowattheure", "kilowattheures", False),
    "MWh": ("mégawattheure", "mégawattheures", False), "GWh": ("gigawattheure", "gigawattheures", False),
    "TWh": ("térawattheure", "térawattheures", False),
    "Hz": ("hertz", "hertz", False), "kHz": ("kilohertz", "kilohertz", False),
    "MHz": ("mégahertz", "mégahertz", False), "GHz": ("gigahertz", "gigahertz", False),
    "m": ("mètre", "mètres", False), "km": ("kilomètre", "kilomètres", False),
    "cm": ("centimètre", "centimètres", False), "mm": ("millimètre", "millimètres", False),
    "nm": ("nanomètre", "nanomètres", False), "µm": ("micromètre", "micromètres", False),
    "m2": ("mètre carré", "mètres carrés", False), "km2": ("kilomètre carré", "kilomètres carrés", False),
    "m3": ("mètre cube", "mètres cubes", False),
    "km/h": ("kilomètre-heure", "kilomètres-heure", False),
    "kg": ("kilo", "kilos", False), "g": ("gramme", "grammes", False), "mg": ("milligramme", "milligrammes", False),
    "t": ("tonne", "tonnes", True),
    "l": ("litre", "litres", False), "L": ("litre", "litres", False), "ml": ("millilitre", "millilitres", False),
    "cl": ("centilitre", "centilitres", False),
    "°C": ("degré Celsius", "degrés Celsius", False), "° C": ("degré Celsius", "degrés Celsius", False),
    "°F": ("degré Fahrenheit", "degrés Fahrenheit", False), "°": ("degré", "degrés", False),
    "px": ("pixel", "pixels", False), "Mpx": ("mégapixel", "mégapixels", False),
    "MP": ("mégapixel", "mégapixels", False),
    "fps": ("image par seconde", "images par seconde", True),
    "ips": ("image par seconde", "images par seconde", True),
    "Tflops": ("téraflops", "téraflops", False), "TFLOPS": ("téraflops", "téraflops", False),
    "Go RAM": ("gigaoctet de RAM", "gigaoctets de RAM", False),
}
UNITS_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# units read on their own too (no number before): only unambiguous ones
BARE_UNITS = {"GW": "gigawatts", "MW": "mégawatts", "TW": "térawatts", "kW": "kilowatts",
              "kWh": "kilowattheures", "MWh": "mégawattheures", "GWh": "gigawattheures",
              "TWh": "térawattheures", "km/h": "kilomètres-heure", "Mbit/s": "mégabits par seconde",
              "Gbit/s": "gigabits par seconde", "GHz": "gigahertz", "MHz": "mégahertz"}


def _unit(m: re.Match) -> str:
    int_part, frac = _split(m.group(1))
    one, many, fem = UNITS[m.group(2)]
    value = _value(int_part, frac)
    spoken = number(int_part, frac, feminine=fem)
    if spoken.endswith(("million", "millions", "milliard", "milliards")):
        return f"{spoken} {_de(many)}"
    return f"{spoken} {many if value >= 2 else one}"


def _scale(m: re.Match) -> str:
    int_part, frac = _split(m.group(1))
    head, _ = scaled(int_part, frac, m.group(2))
    return head


def _resolution(m: re.Match) -> str:
    return f"{nf.cardinal(int(m.group(1)))} K"


UNIT_RULES = [
    rule("resolution", r"(?<![\w,.])([2-8]|16)\s?K(?![\w])", _resolution, gate='\\d ?K'),
    rule("unit", rf"{B}({DEC})\s?({UNITS_RE})(?![\w/²'])", _unit),
    rule("scale", rf"{B}({DEC})\s?({NUM_SCALE})(?![\w'])", _scale),
    rule("unit", r"(?<![\w/])(" + "|".join(re.escape(u) for u in sorted(BARE_UNITS, key=len, reverse=True))
         + r")(?![\w/])", lambda m: BARE_UNITS[m.group(1)], gate='[kMGT]W|Hz|/[sh]'),
    rule("dimensions", rf"{B}(\d+)\s?[x×]\s?(\d+)(?![\w])", r"\1 par \2"),
    rule("multiplier", rf"(multipli[ée]e?s? par|divis[ée]e?s? par) ({DEC})\s?[x×X](?![\w])", r"\1 \2"),
    rule("multiplier", rf"{B}({DEC})\s?[x×X](?![\w])", r"\1 fois"),
    rule("multiplier", r"(?<![\w])[x×]\s?(?=\d)", "fois "),
    rule("exponent", r"\^2\b", " au carré", gate='\\^'),
    rule("exponent", r"\^3\b", " au cube", gate='\\^'),
    rule("exponent", r"\^(?=\d)", " puissance "),
]


# --- letters and digits glued together, versions, plain numbers --------------------------------

GLUE = [
    rule("compound", rf"(?<![\w-])([{UPPER}]{{2,}})-(?={L})", r"\1 ", gate='[A-ZÀ-Þ]{2}-'),
    rule("compound", r"(?<![\w])(mi|Mi)-(?=\d)", r"\1-"),
    rule("compound", rf"(?<={L})(?<!\bmi)(?<!\bMi)-(?=\d)", " "),
    rule("compound", rf"(?<=\d)-(?={L})", " "),
    rule("compound", rf"(?<={L})(?=\d)|(?<=\d)(?={L})", " "),
]


def _version(m: re.Match) -> str:
    s = m.group(0)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", s):  # 1.000.000
        return nf.cardinal(int(s.replace(".", "")))
    parts = s.split(".")
    return " point ".join(nf.digits(p) if len(p) > 1 and p[0] == "0" else nf.cardinal(int(p)) for p in parts)


def _number(m: re.Match) -> str:
    return number(m.group(1), m.group(2), feminine=not m.group(2) and _feminine_follows(m))


NUMBERS = [
    rule("version", r"(?<![\w,.])\d+(?:\.\d+)+(?![\d])", _version),
    rule("number", rf"(?<![\w,.])({INT})(?:,(\d+))?(?![\d])", _number),
    rule("number", r"\d+", lambda m: nf.int_words(m.group(0))),
]


# --- symbols ---------------------------------------------------------------------------------

SYMBOLS = [
    rule("symbol", r"(?<=\w)\+\+(?!\w)", " plus plus", gate='\\+'),
    rule("symbol", r"\s*&\s*", " et ", gate='&'),
    rule("symbol", r"(?<=\w)\+(?=[\s,.!?;:)]|$)", " plus", gate='\\+'),
    rule("symbol", r"\s*\+\s*", " plus ", gate='\\+'),
    rule("symbol", r"\s+>\s+", " plus que ", gate='>'),
    rule("symbol", r"\s+<\s+", " moins que ", gate='<'),
    rule("symbol", r"\bet/ou\b", "et ou", gate='/'),
    rule("symbol", rf"(?<={L})/(?={L})", " ", gate='/'),
    rule("symbol", r"\s+/\s+", ", ", gate='/'),
    rule("symbol", r"\s*%", " pour cent", gate='%'),
    rule("symbol", r"\s*‰", " pour mille", gate='‰'),
    rule("symbol", r"(?<!\w)€(?!\w)", "euros"),
    rule("symbol", r"(?<!\w)\$(?!\w)", "dollars"),
    rule("symbol", r"(?<!\w)£(?!\w)", "livres"),
    rule("symbol", r"[€$£¥]", " "),
    rule("symbol", r"\s*°\s*", " degrés ", gate='°'),
    rule("symbol", r"§\s*", "paragraphe "),
    rule("symbol", r"\s*[×✕]\s*", " fois ", gate='[×✕]'),
    rule("symbol", r"\s*÷\s*", " divisé par ", gate='÷'),
    rule("symbol", r"∞", "l'infini"),
    rule("symbol", r"[~≈]\s*", "environ ", gate='[~≈]'),
    rule("symbol", r"(?<![\w])@(?![\w])", "à", gate='@'),
    rule("symbol", r"[#@]", " "),
    rule("symbol", r"(?<![\w])/|/(?![\w])", " ", gate='/'),
    rule("symbol", r"/", " "),
]


_TWO_CAPS = re.compile("[A-ZÀ-ÖØ-ÞŒ]{2}")


def acronym_rules(reader: AcronymReader) -> list[Rule]:
    return [
        Rule("ticker", TICKER, lambda m: drop_ticker(m, reader), gate=re.compile(r"\([A-Z$]|: ?\$?[A-Z]")),
        Rule("acronym", TOKEN, lambda m: reader.read_token(m.group(0)), gate=_TWO_CAPS),
    ]


def reader_for(letters: frozenset[str], words: frozenset[str]) -> AcronymReader:
    return AcronymReader(letters, words, COMMON_WORDS_FR)


# "45.000", "1.250.000": the dot as a thousands separator, as many French papers write it
# (a decimal is written with a comma; a version "2.100" is the price of that reading)
THOUSANDS = [
    rule("number", r"(?<![\w.,])(\d{1,3})((?:\.\d{3})+)(?![\d]|[.,]\d)",
         lambda m: m.group(1) + m.group(2).replace(".", " ")),
]


def rules_fr(reader: AcronymReader) -> list[Rule]:
    shout = [rule("capitals", SHOUT.pattern, lambda m: lower_shout(m, reader), gate='[A-ZÀ-Þ0-9][ \\t]+[A-ZÀ-Þ]{2}')]
    return digit_gated([long_number_rule(nf.DIGITS)] + shout + ABBREVIATIONS + DATES + THOUSANDS + ORDINALS + RANGES
                       + SIGNS + MONEY + PERCENTS
                       + UNIT_RULES
                       + GLUE + NUMBERS + SYMBOLS + acronym_rules(reader))
