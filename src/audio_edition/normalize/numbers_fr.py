"""French number words: cardinals, decimals, ordinals, Roman numerals.

num2words gives the base cardinals (traditional spelling: "vingt et un", "quatre-vingts",
"deux cents", "quatre-vingt mille"); this module fixes what it gets wrong or reads badly:

- ordinals: num2words says "quatre-vingtsième", "deux centsième", "un millionième";
  here: "quatre-vingtième", "deux centième", "millionième";
- decimals: num2words reads "2,99" as "deux virgule neuf neuf"; a presenter says
  "deux virgule quatre-vingt-dix-neuf" (leading zeros are read: "0,05" → "zéro virgule zéro cinq");
- 10^12 and more: "mille milliards" rather than "un billion", which listeners mishear;
- feminine: "une", "vingt et une" before a feminine noun (heure, personne, fois...).

Numbers of more than 15 digits are read digit by digit (they are codes, not amounts).
"""

from __future__ import annotations

from functools import lru_cache

from num2words import num2words

DIGITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def digits(s: str) -> str:
    """'007' → 'zéro zéro sept'."""
    return " ".join(DIGITS[int(c)] for c in s if c.isdigit())


@lru_cache(maxsize=8192)
def cardinal(n: int, feminine: bool = False) -> str:
    if n < 0:
        return "moins " + cardinal(-n, feminine)
    if n >= 10**15:
        return digits(str(n))
    if n >= 10**12:
        hi, lo = divmod(n, 10**9)
        head = cardinal(hi) + " milliards"
        return head + (" " + cardinal(lo, feminine) if lo else "")
    s = num2words(n, lang="fr")
    if feminine and s.endswith("un") and (s == "un" or s.endswith((" un", "-un"))):
        s = s + "e"
    return s


def int_words(s: str, feminine: bool = False) -> str:
    """A written integer (digits only) → words; leading zeros are read digit by digit."""
    if len(s) > 1 and s[0] == "0":
        return digits(s)
    return cardinal(int(s), feminine)


def fraction_words(frac: str) -> str:
    """The part after the decimal comma: '9' → 'neuf', '99' → 'quatre-vingt-dix-neuf',
    '05' → 'zéro cinq', '14159' → digit by digit."""
    if not frac:
        return ""
    stripped = frac.lstrip("0")
    zeros = len(frac) - len(stripped)
    if not stripped:
        return " ".join(["zéro"] * len(frac))
    if len(stripped) > 3:
        return digits(frac)
    head = " ".join(["zéro"] * zeros)
    return (head + " " if head else "") + cardinal(int(stripped))


def decimal_words(int_part: str, frac: str | None, feminine: bool = False) -> str:
    """'3', '5' → 'trois virgule cinq'. Without a fraction, the integer (feminine if asked)."""
    if not frac:
        return int_words(int_part, feminine)
    return int_words(int_part) + " virgule " + fraction_words(frac)


def _ordinal_last(word: str) -> str:
    if word == "un":
        return "unième"
    if word == "cinq":
        return "cinquième"
    if word == "neuf":
        return "neuvième"
    if word.endswith("e"):
        return word[:-1] + "ième"
    return word + "ième"


@lru_cache(maxsize=2048)
def ordinal(n: int, feminine: bool = False, plural: bool = False) -> str:
    """1 → premier/première, 2 → deuxième, 80 → quatre-vingtième, 200 → deux centième,
    21 → vingt et unième, 1000000 → millionième."""
    if n == 1:
        s = "première" if feminine else "premier"
    elif n == 0:
        s = "zéroième"
    else:
        words = cardinal(n).split(" ")
        if words[0] == "un" and len(words) == 2 and words[1] in ("million", "milliard"):
            words = words[1:]
        last = words[-1]
        for plural_form in ("vingts", "cents", "millions", "milliards"):
            if last.endswith(plural_form):
                last = last[:-1]
        pieces = last.split("-")
        pieces[-1] = _ordinal_last(pieces[-1])
        words[-1] = "-".join(pieces)
        s = " ".join(words)
    return s + "s" if plural else s


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(s: str) -> int | None:
    """Strict Roman numeral (canonical form only: 'XIV' yes, 'IIII' or 'VX' no) → int."""
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    prev = 0
    for c in reversed(s):
        v = _ROMAN[c]
        if v < prev:
            total -= v
        else:
            total += v
            prev = v
    return total if 0 < total < 4000 and int_to_roman(total) == s else None


def int_to_roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)
