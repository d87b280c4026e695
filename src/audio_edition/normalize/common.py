"""Rules every language shares: Unicode clean-up, emoji and decorative symbols, URLs,
e-mail addresses, @handles and #hashtags, and the final punctuation and spacing tidy-up.

Only the spoken words differ per language ("point"/"dot", "arobase"/"at"); they come in
a small ``Words`` record.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .engine import Rule, rule

# letters only (any script), as regex classes
L = r"[^\W\d_]"
NOT_L = r"[\W\d_]"
UPPER = "A-ZÀ-ÖØ-ÞŒ"


@dataclass(frozen=True)
class Words:
    dot: str  # "point"
    at: str  # "arobase"
    half: str  # "et demi"
    quarter: str  # "un quart"
    three_quarters: str  # "trois quarts"
    a_half: str  # "un demi"
    tld_words: frozenset  # TLDs read as a word (com, org, net...); the others are spelled


NEUTRAL = Words(dot="", at="", half="", quarter="", three_quarters="", a_half="", tld_words=frozenset())


# --- before anything: characters NFKC would turn into something misleading -------------

def _vulgar(words: Words):
    def repl(m: re.Match) -> str:
        if not words.half:
            return m.group(0)
        lead, sym = m.group(1), m.group(2)
        if sym == "½":
            return f"{lead} {words.half}" if lead else f" {words.a_half} "
        if sym == "¼":
            return f"{lead} {words.half.split()[0]} {words.quarter}" if lead else f" {words.quarter} "
        return f"{lead} {words.half.split()[0]} {words.three_quarters}" if lead else f" {words.three_quarters} "
    return repl


_PRE_MAP = str.maketrans({
    "©": None, "®": None, "™": None,
    "’": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'",
    "№": "n°",
    "\u2212": "-",  # minus sign
    "\u2010": "-", "\u2011": "-",  # hyphens
    "\u00ad": None,  # soft hyphen
    "\u200b": None, "\u2060": None, "\ufeff": None, "\u200c": None, "\u034f": None,  # zero-width
    "\u200e": None, "\u200f": None, "\u180e": None, "\u2061": None, "\u2062": None, "\u2063": None,
    "\u2064": None, "\u202a": None, "\u202b": None, "\u202c": None, "\u202d": None, "\u202e": None,
    "\u2066": None, "\u2067": None, "\u2068": None, "\u2069": None,  # invisible marks (e-mail padding)
    "⁄": "/",
})


def unicode_rules(words: Words) -> list[Rule]:
    return [
        # bad input first: terminal escapes, control characters, unpaired surrogates (no voice reads them,
        # and no engine can even encode a lone surrogate)
        rule("control", r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[@-_]?", "", gate="\x1b"),
        rule("control", r"[\x00-\x08\x0e-\x1f\x7f-\x9f]+", "", gate="[\x00-\x08\x0e-\x1f\x7f-\x9f]"),
        rule("control", r"[\x0b\x0c]", " ", gate="[\x0b\x0c]"),
        rule("control", r"[\x85\u2028\u2029]", "\n", gate="[\x85\u2028\u2029]"),
        rule("control", "[\ud800-\udfff]+", "", gate="[\ud800-\udfff]"),
        rule("fraction", r"(\d?)\s?([½¼¾])", _vulgar(words), gate='[½¼¾]'),
        rule("exponent", r"(?<=\d)²", "^2", gate='²'),
        rule("exponent", r"(?<=\d)³", "^3", gate='³'),
        rule("ordinal", r"(?<=[nN])º", "°", quiet=True, gate='º'),
        # a footnote mark ("written.¹", "wha¹t") is not read; "m²" after a unit stays
        rule("footnote mark", r"(?<=[^\W\d_])[¹⁴⁵⁶⁷⁸⁹⁰]+|(?<=[^\W\d_])[²³]+(?=[^\W\d_])|"
                              r"(?<=[.,;:!?)\]»”’\"'])[¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", gate='[¹²³⁴⁵⁶⁷⁸⁹⁰]'),
    ]


def spacing_rules() -> list[Rule]:
    """Long runs of blanks shrink first, so no later rule scans the same run again and again."""
    return [
        rule("spaces", r"[ \t]{3,}", " ", quiet=True, gate=r"[ \t]{3}"),
        rule("spaces", r"\n[ \t\n]*\n", "\n\n", quiet=True, gate=r"\n[ \t]*\n[ \t]*\n"),
    ]


def nfkc(text: str) -> str:
    """NFKC (no-break and narrow spaces → space, ᵉʳ → er, ﬁ → fi, … → ...) + apostrophes."""
    if text.isascii():
        return text
    text = text.translate(_PRE_MAP)
    if unicodedata.is_normalized("NFKC", text):
        return text
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_PRE_MAP)


_CLUSTER = re.compile(r"[^\x00-\x7f]|.(?=[\u0300-\u036f])", re.DOTALL)
_COMBINING_TAIL = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*")


def nfkc_tracked(text: str, record, tracker) -> str:
    """``nfkc``, each changed character (with its combining marks) handed to the span map."""
    from .spans import replace_all

    if text.isascii():
        return text
    target = nfkc(text)
    if target == text:
        return text
    edits: list[tuple[int, int, str]] = []
    pieces: list[str] = []
    pos = 0
    for m in _CLUSTER.finditer(text):
        if m.start() < pos:
            continue
        tail = _COMBINING_TAIL.match(text, m.end())
        assert tail is not None  # the pattern is all-optional (``*``): it always matches
        end = tail.end()
        cluster = text[m.start():end]
        out = nfkc(cluster) if not cluster.isascii() else cluster
        pieces.append(text[pos:m.start()])
        pieces.append(out)
        if out != cluster:
            edits.append((m.start(), end, out))
        pos = end
    pieces.append(text[pos:])
    if "".join(pieces) != target:  # a rare sequence normalized as a whole: one rewrite
        return replace_all(text, target, tracker)
    tracker.apply(text, edits)
    return target


# --- numbers too long to be amounts ------------------------------------------------------

LONG_NUMBER = r"(?<![\d])(?:\d{16,}|\d{1,3}(?:[ ,.]\d{3}){5,})(?![\d])"  # 16 digits or more: a code


def long_number_rule(digit_names: tuple[str, ...]) -> Rule:
    """A number of 16 digits or more is read digit by digit, before any rule turns it into an int
    (Python refuses int() on more than 4300 digits, and no listener wants 'un quintillion')."""
    def repl(m: re.Match) -> str:
        return " ".join(digit_names[ord(c) - 48] for c in m.group(0) if "0" <= c <= "9")
    return rule("number", LONG_NUMBER, repl, gate=r"\d{3}[ ,.]\d{3}[ ,.]\d{3}|\d{16}")


# --- emoji and decoration --------------------------------------------------------------

EMOJI_CLASS = (
    "\U0001F000-\U0001FAFF"  # pictographs, emoticons, transport, flags, symbols
    "\u2600-\u27BF"  # misc symbols, dingbats (✓ ✔ ✨ ❤ ➡)
    "\u2B00-\u2BFF"  # arrows and stars (⭐ ⬆)
    "\u2300-\u23FF"  # technical (⌚ ⏰ ⏩)
    "\u25A0-\u25FF"  # geometric shapes (▶ ■ ●)
    "\uFE0E\uFE0F\u200D\u20E3"  # variation selectors, joiner, keycap
    "\U000E0020-\U000E007F"  # tag characters (flags of regions)
    "\u3030\u303D\u3297\u3299"
    "\u2022\u2023\u2043\u2219\u00B7\u25E6"  # bullets
    "\u00A9\u00AE\u2122"  # © ® ™
)

ARROWS = "\u2190-\u21FF\u27F5-\u27FF"


def decoration_rules() -> list[Rule]:
    return [
        # 1️⃣, #️⃣: the keycap carries its digit, which must go with it
        rule("emoji", r"[0-9#*]\ufe0f?\u20e3", " ", gate='⃣'),
        # inclusive writing: chercheur·euse·s → chercheurs (before the bullet rule eats the dot)
        rule("inclusive", rf"({L}+)[·•]({L}{{1,6}})(?:[·•](s))?(?!{L})", _inclusive, gate='[·•]'),
        rule("inclusive", rf"({L}{{3,}})\.(e|fe|ne|le|te|se|ve|euse|rice|trice|ère)\.(s)(?!{L})", _inclusive,
             gate=r"\.s\b"),
        rule("emoji", f"[{EMOJI_CLASS}]+", " "),
        # bullets and arrows used as bullets at the start of a line
        rule("bullet", rf"(?m)^[ \t]*(?:[-*>+–—]|[{ARROWS}]|=>|->)+[ \t]+", ""),
        # the same marks after a sentence, inside a paragraph: "c'est par ici. > Prenez...", "photos. + Is..."
        rule("bullet", r"(?<=[.!?:;])[ \t]+[>+›][ \t]+(?=[A-ZÀ-ÖØ-Þ\"«“])", " ", gate='[.!?:;][ \t]+[>+›]'),
        rule("arrow", rf"\s*(?:[{ARROWS}]|=>|-+>)\s*", ", ", gate='[←-⇿⟵-⟿>]'),
        # horizontal rules and decorative lines
        rule("decoration", r"(?m)^[ \t]*([-_=*~#.·•])\1{2,}[ \t]*$", "", gate='([-_=*~#.·•])\\1\\1'),
    ]


_INCLUSIVE_SUFFIXES = {"e", "es", "euse", "euses", "rice", "rices", "trice", "trices", "ice", "ices",
                       "ère", "ères", "ne", "nes", "te", "tes", "le", "les", "ve", "ves", "se", "ses",
                       "fe", "fes", "x", "s"}


def _inclusive(m: re.Match) -> str:
    """Inclusive writing is read in its short (masculine) form: 'expert·es' → 'experts'."""
    base, suffix, plural = m.group(1), m.group(2), m.group(3)
    if suffix.lower() not in _INCLUSIVE_SUFFIXES:
        return f"{base} {suffix}" + (f" {plural}" if plural else "")
    if plural or suffix.endswith("s"):
        return base if base.endswith(("s", "x")) else base + "s"
    return base


# --- URLs, e-mail, handles, hashtags ---------------------------------------------------

TLDS = ("com|fr|org|net|io|ai|co|eu|dev|app|gg|tv|me|ly|be|ch|ca|info|xyz|tech|news|uk|de|gov|edu|"
        "us|es|it|nl|so|to|sh|cc|am|fm|biz|art|blog|shop|store|cloud|site|online|page|quebec|lu|re")


def _spell(s: str) -> str:
    return " ".join(s.upper())


def host_words(host: str, words: Words) -> str:
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    labels = [p for p in host.split(".") if p]
    if not words.dot:  # a language without rules: the voice reads the bare site name itself
        return ".".join(labels)
    if not labels:
        return ""
    tld = labels[-1]
    spoken = [lab.replace("-", " ").replace("_", " ") for lab in labels[:-1]]
    spoken.append(tld if tld in words.tld_words else _spell(tld))
    return f" {words.dot} ".join(spoken)


SHORTENERS = ("bit\\.ly|youtu\\.be|t\\.co|goo\\.gl|tinyurl\\.com|ow\\.ly|buff\\.ly|lnkd\\.in|dlvr\\.it|is\\.gd|"
              "rebrand\\.ly|cutt\\.ly|shorturl\\.at|tiny\\.cc|amzn\\.to|amzn\\.eu|apple\\.co|spoti\\.fi|wp\\.me|"
              "fb\\.me|trib\\.al|bl\\.ink|rb\\.gy|t\\.ly|qr\\.io|lin\\.ee|forms\\.gle|g\\.co|git\\.io|"
              "msft\\.it|aka\\.ms|substack\\.com/redirect|link\\.mail\\.beehiiv\\.com|mailchi\\.mp|eepurl\\.com")
SHORTENER_GATE = "(?i)" + SHORTENERS.replace("\\.", ".")


def web_rules(words: Words) -> list[Rule]:
    def url(m: re.Match) -> str:
        return host_words(m.group("host"), words)

    def email(m: re.Match) -> str:
        if not words.dot:
            return m.group(0)
        local = m.group("local").replace(".", f" {words.dot} ").replace("_", " ").replace("-", " ")
        local = local.replace("+", " plus ")
        return f"{local} {words.at} {host_words(m.group('host'), words)}"

    def handle(m: re.Match) -> str:
        return m.group(1).replace("_", " ")

    def hashtag(m: re.Match) -> str:
        tag = m.group(1).replace("_", " ")
        return re.sub(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ][a-zà-ÿ])", " ", tag)

    host = r"(?P<host>(?:[\w-]+\.)+[a-zA-Z]{2,12})"
    trail = r"(?<![.,;:!?)\]'\"»])"
    return [
        # a short link says nothing to a listener: dropped, with its scheme
        rule("short link", rf"(?i)(?<![\w.@/-])(?:https?://)?(?:www\.)?(?:{SHORTENERS})/[^\s<>\"«»()]*{trail}", " ",
             gate=SHORTENER_GATE),
        rule("e-mail", rf"(?<![\w.+-])(?P<local>[\w.+-]+)@{host}(?![\w@])", email, gate='@'),
        rule("url", rf"(?i)\b(?:https?://|ftp://|www\.)(?:[^\s/@]+@)?{host}(?::\d+)?(?:[/?#][^\s<>\"«»]*)?{trail}",
             url, gate='(?i)https?:|ftp:|www\\.'),
        rule("url", rf"(?i)(?<![\w@./-])(?P<host>(?:[a-z0-9][a-z0-9-]*\.)+(?:{TLDS}))(?![\w-])"
                    rf"(?:/[^\s<>\"«»]*{trail})?", url, gate='[a-zA-Z0-9]\\.[a-zA-Z]'),
        rule("handle", r"(?<![\w@.])@(\w{2,30})\b", handle, gate='@'),
        rule("hashtag", rf"(?<![\w#&])#({L}\w*)", hashtag, gate='#'),
    ]


# --- the final tidy-up -----------------------------------------------------------------

def tidy_rules() -> list[Rule]:
    return [
        # quotes and guillemets: the voice needs none of them
        rule("quotes", r"(?<=\w')\s*[«“„\"‘]\s*", "", gate="'"),  # d'“intelligence” → d'intelligence
        rule("quotes", r"[«»‹›“”„‟\"]|(?<!\w)'|'(?!\w)|‘|‚", " "),
        # brackets and leftover markup characters
        rule("symbols", r"\s*\|\s*", ", ", gate='\\|'),
        rule("symbols", r"[\[\]{}<>\\^*_`]", " "),
        # a dash between spaces (or at a line end) is a pause
        rule("dash", r"(?m)[ \t]+[-–—]+[ \t]*$", "", gate='[-–—][ \\t]*$|[-–—][ \\t]*\\n'),
        rule("dash", r"(?m)[ \t]+[-–—]+(?=[ \t])|(?<=\w)[–—]+(?=\w)|^[ \t]*[–—]+", ", ", gate=' [-–—]|[–—]'),
        rule("dash", r"[–—]", " ", quiet=True, gate='[–—]'),
        rule("spaces", r"[ \t\f\v\r]+", " ", quiet=True),
        rule("spaces", r"(?m)^ +| +$", "", quiet=True),
        rule("spaces", r"\n{2,}", "\n", quiet=True),
        # punctuation left hanging by removals: ', ,' '( ,' ', .' ': ,'
        rule("punctuation", r"\(\s*[,;]\s*", "(", quiet=True, gate='\\('),
        rule("punctuation", r"\(\s*\)", " ", quiet=True, gate='\\('),
        rule("punctuation", r"\s*,(?:\s*,)+", ",", quiet=True, gate=',\\s*,'),
        rule("punctuation", r"\s*,\s*(?=[.!?;:)])", "", quiet=True, gate=',\\s*[.!?;:)]'),
        rule("punctuation", r"(?<=[:;(])\s*,", "", quiet=True, gate='[:;(]\\s*,'),
        rule("punctuation", r"(?<=[.!?]),(?= [A-ZÀ-Þ])", "", quiet=True, gate='[.!?], '),  # "Sunday. — Dan."
        rule("punctuation", r"(?m)^[ ,;]+", "", quiet=True, gate='(?m)^[ ,;]'),
        rule("punctuation", r" +(?=[,.](?!\.))", "", quiet=True, gate=' [,.]'),
        rule("spaces", r" {2,}", " ", quiet=True),
        rule("spaces", r"(?m)^ +| +$", "", quiet=True),
        rule("spaces", r"\n{2,}", "\n", quiet=True),
    ]
