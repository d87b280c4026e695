"""Acronyms and capitals: spelled letter by letter ("AWS" → "A W S") or read as a word
("ONU" → "Onu").

How a voice is made to spell: the letters are written separated by spaces ("G P T").
Both edge neural voices and espeak-ng read a lone capital letter as its name, and a
spaced form survives a second normalization unchanged (a lone letter is never rewritten).
How a voice is made to read a word: it is written capitalized ("Nasa", "Gempix"), since
some voices spell any all-capital word.

Which one: the lexicon's ``[acronyms]`` lists decide first (``letters`` and ``words``);
otherwise words of 2 or 3 capitals are spelled (AWS, BLS, GPU, USA), and longer ones are
read as a word when they are pronounceable (a vowel, and consonant clusters French or
English allow: NASA, GAFAM, GEMPIX, UNESCO) and spelled otherwise (SNCF, HTML, RGPD).
Inside a mixed-case name, a run of two or more capitals is spelled the same way:
NordVPN → Nord V P N, OpenAI → Open A I, JPMorgan → J P Morgan, iOS → i O S.

A line SHOUTED IN CAPITALS (three capital words or more in a row) is lowered first, so
that its words are read, not spelled; known acronyms in it are kept.
"""

from __future__ import annotations

import re

VOWELS = set("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒ")

ONSETS = {
    "BL", "BR", "CH", "CL", "CR", "DR", "FL", "FR", "GL", "GN", "GR", "KL", "KR", "PH", "PL", "PR",
    "SC", "SK", "SL", "SM", "SN", "SP", "ST", "SW", "TH", "TR", "VR", "WR", "SCR", "SPR", "STR", "SH",
    "CHR", "PS", "TW", "DW", "QU",
}
CODAS = {
    "CK", "CT", "FT", "LD", "LF", "LK", "LM", "LP", "LS", "LT", "MP", "NC", "ND", "NG", "NK", "NS", "NT",
    "PS", "PT", "RC", "RD", "RF", "RG", "RK", "RL", "RM", "RN", "RP", "RS", "RT", "SC", "SK", "SP", "ST",
    "TS", "XT", "CH", "SH", "TH", "GH", "PH", "NCH", "RCH", "RTH", "NTS", "RST",
}

# short words in capitals that are words, not acronyms (they appear in shouted titles)
COMMON_WORDS_FR = frozenset("""
LE LA LES UN UNE DES DU DE ET OU EN AU AUX CE CES SON SA SES IL ILS ELLE ON NE PAS PLUS
NOS VOS MON TON MA TA QUI QUE QUOI EST SUR PAR POUR AVEC SANS DANS MAIS DONC CAR NI OUI NON
TOP NEW HOT BIG WOW FIN VOI ICI TOUT TOI MOI LUI EUX ELLES SONT ONT VA VAS FAIT MIS DIT VU ÇA
LEUR MES TES JE TU SE SI OÙ MOT VIE BON MAL VRAI NUL FLOP ANS AN DEUX UNS TRÈS BIEN LÀ DÉJÀ PEU
OUT HIT ART FOU FOUS BUT VIA ROI LOI DON SOS
THE AND FOR YOU ARE WAS NOT BUT ALL OUR OUT NOW HOW WHY WHO ITS
""".split())

_CAPS = "A-ZÀ-ÖØ-ÞŒ"
_ACCENTED = re.compile("[ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒ]")
_LOW = "a-zß-öø-ÿœ"


def spell(letters: str) -> str:
    return " ".join(letters)


def pronounceable(word: str) -> bool:
    """Could a French or English reader say this capital word as a word? (NASA yes, SNCF no)."""
    w = word.upper()
    if len(w) < 4 or not any(c in VOWELS for c in w):
        return False
    if re.search(r"(.)\1\1", w):  # IEEE, XXX
        return False
    clusters = re.findall(r"[^AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒ]+", w)
    if not clusters:
        return False  # vowels only: AIEA
    vowel_runs = re.findall(r"[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒ]+", w)
    if any(len(v) > 3 for v in vowel_runs):
        return False
    starts_with_consonant = w[0] not in VOWELS
    ends_with_consonant = w[-1] not in VOWELS
    for i, c in enumerate(clusters):
        first = i == 0 and starts_with_consonant
        last = i == len(clusters) - 1 and ends_with_consonant
        if first and last and len(clusters) == 1:
            return False
        if first:
            if len(c) > 1 and c not in ONSETS:
                return False
        elif last:
            if len(c) > 1 and c not in CODAS:
                return False
        elif len(c) > 3:
            return False
    return True


class AcronymReader:
    """Decides and writes the reading of capital words, given the lexicon's lists."""

    def __init__(self, letters: frozenset[str], words: frozenset[str], common: frozenset[str]) -> None:
        self.letters = letters
        self.words = words
        self.common = common

    def word_form(self, w: str) -> str:
        return w[0] + w[1:].lower()

    def read_caps(self, w: str) -> str:
        """An all-capital word of 2 letters or more."""
        if w in self.letters:
            return spell(w)
        if w in self.words:
            return self.word_form(w)
        if w in self.common or _ACCENTED.search(w):
            return w.lower()  # ÉTÉ, DÉJÀ, FRANÇAIS: French words, never initialisms
        if pronounceable(w):
            return self.word_form(w)
        return spell(w)

    def read_run(self, run: str) -> str:
        """A run of capitals inside a mixed-case name (the VPN of NordVPN)."""
        if run in self.words:
            return self.word_form(run)
        return spell(run)

    def read_token(self, token: str) -> str:
        """A letters-only token holding at least two capitals in a row."""
        core, plural = token, ""
        if len(core) > 2 and core.endswith("s") and core[:-1].isupper():
            core, plural = core[:-1], "s"  # GPUs, LLMs: a spelled plural drops its s
        if core.isupper():
            caps = self.read_caps(core)
            return caps + plural if " " not in caps else caps
        out: list[str] = []
        prev_caps = False
        for piece in _PIECES.findall(core):
            is_caps = len(piece) >= 2 and piece.isupper()
            if out and (is_caps or prev_caps):
                out.append(" ")
            out.append(self.read_run(piece) if is_caps else piece)
            prev_caps = is_caps
        return "".join(out) + plural


_PIECES = re.compile(rf"[{_CAPS}]{{2,}}(?=[{_CAPS}][{_LOW}])|[{_CAPS}]{{2,}}(?![{_LOW}])|"
                     rf"[{_CAPS}]?[^{_CAPS}]+|[{_CAPS}]")
TOKEN = re.compile(rf"(?<![^\W\d_])[^\W\d_]*[{_CAPS}]{{2}}[^\W\d_]*")


SHOUT = re.compile(
    rf"(?<![\w'])(?:[{_CAPS}][{_CAPS}'’-]*(?:[ \t]+|(?=[\s,:;!?.]|$))|\d+(?:[,.]\d+)?[ \t]+(?=[{_CAPS}]))"
    rf"(?:[{_CAPS}][{_CAPS}'’-]*(?:[ \t]+|(?=[\s,:;!?.]|$))|\d+(?:[,.]\d+)?[ \t]+(?=[{_CAPS}])){{2,}}"
)
_ELISION = re.compile(rf"^((?:QU|[{_CAPS}])['’])(.+)$")


def lower_shout(m: re.Match, reader: AcronymReader) -> str:
    """Lower a run of capital words when it reads as a sentence (it holds a common word),
    keeping the acronyms in it: 'L'IA N'EST PAS LE PROBLÈME' → "l'IA n'est pas le problème"."""
    words = m.group(0).split()
    bare = [re.sub(r"^(?:QU|[A-Z])['’]", "", w) for w in words if not w[:1].isdigit()]
    if sum(len(w) >= 2 for w in bare) < 3 or not any(w in reader.common for w in bare):
        return m.group(0)

    def lower_word(w: str) -> str:
        if len(w) < 2 or w in reader.words or w in reader.letters:
            return w
        if _ACCENTED.search(w):
            return w.lower()
        if len(w) <= 4 and w not in reader.common and " " in reader.read_caps(w):
            return w  # GPT, SNCF, AWS: an acronym inside the shout stays one
        return w.lower()

    def token(t: re.Match) -> str:
        w = t.group(0)
        e = _ELISION.match(w)
        if e:
            return e.group(1).lower() + lower_word(e.group(2))
        return lower_word(w)

    return re.sub(rf"[{_CAPS}][{_CAPS}'’-]*", token, m.group(0))


_TICKER = re.compile(r"(?<=[^\W\d_])\s\((?:(?:NASDAQ|Nasdaq|NYSE|EPA|Euronext|LSE|TSX|ASX)\s?:\s?)?"
                     r"\$?([A-Z]{1,5}(?:\.[A-Z]{1,2})?)\)")
_EXCHANGE_TICKER = re.compile(r"\s?\((?:NASDAQ|Nasdaq|NYSE|EPA|Euronext|LSE|TSX|ASX)\s?:\s?\$?[A-Z]{1,5}"
                              r"(?:\.[A-Z]{1,2})?\)")


def drop_ticker(m: re.Match, reader: AcronymReader | None = None) -> str:
    """'Nvidia (NVDA)', 'LVMH (EPA: MC)': a stock ticker after a company's name is not read
    (a listener gains nothing from N V D A); an acronym after its expansion ('la santé (OMS)') stays."""
    whole = m.group(0)
    if _EXCHANGE_TICKER.fullmatch(whole):
        return ""
    token = m.group(1)
    before = m.string[max(0, m.start() - 40):m.start()]
    last = re.search(r"([^\W\d_][\w&.-]*)$", before)
    if not last or not last.group(1)[:1].isupper():
        return whole
    if token.casefold() == last.group(1).casefold():
        return ""  # 'Meta (META)'
    if reader is not None and (token in reader.letters or token in reader.words):
        return whole
    words = re.findall(r"[^\W\d_]+", before)
    capitalized = [w for w in words if w[:1].isupper()]
    for pool in (words, capitalized):
        if token == "".join(w[0] for w in pool[-len(token):]).upper():
            return whole  # the initials of the words before: an acronym after its expansion
    return ""
