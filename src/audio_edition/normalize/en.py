"""English rules (basic): numbers, money, percents, dates, times, ordinals, common units and
abbreviations, so an English newsletter is not read digit by digit. Capitals are left to the
voice (English voices spell GPU and AWS by themselves).
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

from .acronyms import _TICKER as TICKER
from .acronyms import drop_ticker
from .common import L, Words, long_number_rule
from .engine import Rule, digit_gated, rule

WORDS = Words(dot="dot", at="at", half="and a half", quarter="a quarter", three_quarters="three quarters",
              a_half="a half", tld_words=frozenset({"com", "org", "net", "info", "tech", "news", "dev", "app",
                                                     "blog", "shop", "store", "cloud", "site", "online",
                                                     "page", "art"}))

DAY_FIRST_REGIONS = frozenset({"gb", "uk", "ie", "au", "nz", "in", "za", "sg"})  # 3/10 = 3 October

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_MONTH_ABBR = {m[:3]: m for m in MONTHS} | {"Sept": "September"}
MONTHS_RE = "|".join(MONTHS) + "|" + "|".join(k for k in _MONTH_ABBR if k != "May")
DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

INT = r"(?:(?<!\d)\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
DEC = rf"{INT}(?:\.\d+)?"
B = r"(?<![\w,.])"


@lru_cache(maxsize=4096)
def cardinal(n: int) -> str:
    if n < 0:
        return "minus " + cardinal(-n)
    if n >= 10**15:
        return " ".join(DIGITS[int(c)] for c in str(n))
    return num2words(n, lang="en").replace(",", "")


@lru_cache(maxsize=1024)
def ordinal(n: int) -> str:
    return num2words(n, lang="en", to="ordinal").replace(",", "")


@lru_cache(maxsize=512)
def year(n: int) -> str:
    return num2words(n, lang="en", to="year").replace(",", "")


def number(s: str) -> str:
    int_part, _, frac = s.partition(".")
    int_part = int_part.replace(",", "")
    head = (" ".join(DIGITS[int(c)] for c in int_part) if len(int_part) > 1 and int_part[0] == "0"
            else cardinal(int(int_part)))
    if not frac:
        return head
    return head + " point " + " ".join(DIGITS[int(c)] for c in frac)


def _value(s: str) -> float:
    return float(s.replace(",", ""))


# --- abbreviations ---------------------------------------------------------------------------

_WEEKDAYS = {"Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
             "Thur": "Thursday", "Thurs": "Thursday", "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday"}
_WEEKDAY_RE = "Tues|Thurs|Thur|Mon|Tue|Wed|Thu|Fri|Sat|Sun"


def _digits(s: str, oh: bool = False) -> str:
    """A code read digit by digit, zero as 'oh' inside it: '2573' → 'two five seven three', '101' → 'one oh one'."""
    return " ".join("oh" if c == "0" and (oh or 0 < i) else DIGITS[int(c)] for i, c in enumerate(s))


def _saint_or_street(m: re.Match) -> str:
    """'St. Louis' → 'Saint Louis'; 'Main St.' and 'Fifth Ave.' → Street (after a capitalized name)."""
    before = m.string[max(0, m.start() - 30):m.start()]
    prev = re.search(r"([^\W\d_]+|\d+(?:st|nd|rd|th))\s+$", before)
    after = m.string[m.end():m.end() + 3]
    sentence_start = not before.strip() or re.search(r"[.!?:]\s*$", before)
    if prev and not sentence_start and (prev.group(1)[:1].isupper() or prev.group(1)[:1].isdigit()):
        return "Street" + ("." if re.match(r"\s*(?:$|\n|[A-Z])", after) else "")
    if re.match(r"\s+[A-Z]", after):
        return "Saint"
    return "Street" + ("." if re.match(r"\s*(?:$|\n)", after) else "")


ABBREVIATIONS = [
    rule("abbreviation", r"(?<![\w.])e\.g\.,?", "for example,"),
    rule("abbreviation", r"(?<![\w.])i\.e\.,?", "that is,"),
    rule("abbreviation", r"\betc\.(?=\s+[a-z]|,)", "et cetera"),
    rule("abbreviation", r"\b(Inc|Corp|Ltd|Co|Bros)\.(?=['’]s\b)", r"\1"),
    rule("abbreviation", r"\betc\b\.?", "et cetera."),
    rule("abbreviation", r"(?<![\w.])vs\.?(?=\s)", "versus"),
    rule("abbreviation", r"(?<![\w.])Dr\.?(?=\s+[A-Z])", "Doctor"),
    rule("abbreviation", r"(?<![\w.])Mr\.?(?=\s+(?:[A-Z]|and\b|&))", "Mister"),
    rule("abbreviation", r"(?<![\w.])Mrs\.?(?=\s+(?:[A-Z]|and\b|&))", "Missus"),
    rule("abbreviation", r"(?<![\w.])Ms\.?(?=\s+[A-Z])", "Miz"),
    rule("abbreviation", r"(?<![\w.])St\.(?=\s|$)", _saint_or_street, gate="St\\."),
    rule("abbreviation", r"(?<![\w.])St(?=\s+[A-Z][a-z])", "Saint", gate="St "),
    rule("abbreviation", r"(?<![\w.])Mt\.?(?=\s+[A-Z])", "Mount", gate="Mt"),
    rule("abbreviation", r"(?<![\w.])Ft\.?(?=\s+[A-Z])", "Fort", gate="Ft"),
    rule("abbreviation", r"(?<=[A-Za-z] )Ave\.", "Avenue", gate="Ave\\."),
    rule("abbreviation", r"(?<=[A-Za-z] )Blvd\.?", "Boulevard", gate="Blvd"),
    rule("abbreviation", r"(?<![\w.])(?:P\.\s?O\.|PO)\s+Box\s+(\d+)",
         lambda m: "P O Box " + _digits(m.group(1)), gate="Box"),
    rule("abbreviation", r"\b(Suite|Room|Flight|Gate|Platform|Apt\.?|Unit)\s+(\d{3,5})\b",
         lambda m: {"Apt": "Apartment", "Apt.": "Apartment"}.get(m.group(1), m.group(1)) + " " + _digits(m.group(2))),
    rule("abbreviation", r"\b(\d{3})\(([a-z])\)\((\d{1,2})\)",
         lambda m: f"{_digits(m.group(1))} {m.group(2)} {cardinal(int(m.group(3)))}", gate="\\("),  # 501(c)(3)
    rule("abbreviation", r"(?<![\w-])(?:\+?(1)[-. ])?\(?(\d{3})\)?[-. ](\d{3})[-. ](\d{4})(?![\w-])",
         lambda m: ", ".join(_digits(g, oh=True) for g in m.groups() if g), gate="\\d{3}[-. ]\\d{4}"),  # phones
    rule("abbreviation", r"\bWW(I{1,2})\b", lambda m: "World War " + ("One" if m.group(1) == "I" else "Two"),
         gate="WWI"),
    rule("abbreviation", rf"\b({_WEEKDAY_RE})\.?\s?[-–—]\s?({_WEEKDAY_RE})\b",
         lambda m: f"{_WEEKDAYS[m.group(1)]} to {_WEEKDAYS[m.group(2)]}"),
    rule("abbreviation", r"\b(?:[Aa]ges?|[Aa]ged)\s(\d{1,2})\+", lambda m: m.group(0)[:-1] + " and over",
         gate="\\+"),
    rule("abbreviation", r"(?<![\w.])(?:No\.|no\.|n°|#)\s?(?=\d)", "number "),
    rule("abbreviation", r"(?<![\w.])approx\.", "approximately"),
    rule("abbreviation", r"(?<![\w.])(?:[A-Z]\.){2,}(?![\w])",
         lambda m: " ".join(m.group(0).replace(".", ""))),
]


# --- dates and times -------------------------------------------------------------------------

def _month_day(m: re.Match) -> str:
    month = _MONTH_ABBR.get(m.group(1).rstrip("."), m.group(1))
    out = f"{month} {ordinal(int(m.group(2)))}"
    if m.group(3):
        out += f", {year(int(m.group(3)))}"
    return out


def _day_month(m: re.Match) -> str:
    month = _MONTH_ABBR.get(m.group(2).rstrip("."), m.group(2))
    out = f"the {ordinal(int(m.group(1)))} of {month}"
    if m.group(3):
        out += f" {year(int(m.group(3)))}"
    return out


def _slash_date(m: re.Match, day_first: bool = False) -> str:
    a, b, y = int(m.group(1)), int(m.group(2)), m.group(3)
    if day_first:
        day, month = (a, b) if b <= 12 else (b, a)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m.group(0)
        out = f"the {ordinal(day)} of {MONTHS[month - 1]}"
        if y:
            out += f" {year(int(y) + (2000 if len(y) == 2 else 0))}"
        return out
    month, day = (a, b) if a <= 12 else (b, a)  # US order unless impossible
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0)
    if not y:
        return f"{MONTHS[month - 1]} {ordinal(day)}"
    yy = int(y) + (2000 if len(y) == 2 else 0)
    return f"{MONTHS[month - 1]} {ordinal(day)}, {year(yy)}"


_DATE_CUE = re.compile(r"\b(?:on|by|until|till|from|since|before|after|through|due|dated|[Oo]n|[Bb]y|[Ff]rom|"
                       r"[Ss]ince|[Uu]ntil|Mon|Tue|Wed|Thu|Fri|Sat|Sun|Monday|Tuesday|Wednesday|Thursday|Friday|"
                       r"Saturday|Sunday)[,.]?\s$")


def _short_date(day_first: bool):
    """'on 3/10': a date (US order: March tenth; UK order: the third of October) after a date word."""
    def repl(m: re.Match) -> str:
        if not _DATE_CUE.search(m.string[max(0, m.start() - 12):m.start()]):
            return m.group(0)
        return _slash_date(m, day_first)
    return repl


FRACTIONS = {(1, 2): "one half", (1, 3): "one third", (2, 3): "two thirds", (1, 4): "one quarter",
             (3, 4): "three quarters"}


def _fraction(m: re.Match) -> str:
    a, b = int(m.group(1)), int(m.group(2))
    if (a, b) in FRACTIONS:
        return FRACTIONS[(a, b)]
    return f"{cardinal(a)} out of {cardinal(b)}"


ZONES = {"ET": "Eastern Time", "EST": "Eastern Time", "EDT": "Eastern Time", "PT": "Pacific Time",
         "PST": "Pacific Time", "PDT": "Pacific Time", "CT": "Central Time", "CST": "Central Time",
         "CDT": "Central Time", "MT": "Mountain Time", "MST": "Mountain Time", "MDT": "Mountain Time"}
ZONE_RE = "|".join(sorted(ZONES, key=len, reverse=True))
_AMPM = r"[aApP]\.?\s?[mM]\.?"
_TIME = rf"(\d{{1,2}})(?::(\d{{2}}))?\s?({_AMPM})?"


def _time_words(h: str, mm: str | None, ampm: str | None) -> str | None:
    hh, mi = int(h), int(mm or 0)
    if hh > 23 or mi > 59:
        return None
    out = cardinal(hh)
    if mi:
        out += " " + (f"oh {cardinal(mi)}" if mi < 10 else cardinal(mi))
    if ampm:
        out += " " + " ".join(re.sub(r"[.\s]", "", ampm).upper())
    return out


def _end_dot(m: re.Match) -> str:
    """The dot of 'p.m.' also ends the sentence when nothing or a capital follows (not a time zone)."""
    after = m.string[m.end():m.end() + 6]
    if m.group(0).endswith(".") and re.match(r"\s*(?:$|\n|[A-Z])", after) and not re.match(
            rf"\s(?:{ZONE_RE})\b", after):
        return "."
    return ""


def _time_range(m: re.Match) -> str:
    h1, m1, ap1, h2, m2, ap2, zone = m.groups()
    if not (m1 or ap1 or m2 or ap2):
        return m.group(0)
    a = _time_words(h1, m1, ap1)
    b = _time_words(h2, m2, ap2)
    if a is None or b is None:
        return m.group(0)
    out = f"{a} to {b}"
    if zone:
        out += " " + ZONES[zone]
    return out + (_end_dot(m) if not zone else "")


def _time_zone(m: re.Match) -> str:
    return m.group(1) + " " + ZONES[m.group(2)]


def _iso(m: re.Match) -> str:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m.group(0)
    return f"{MONTHS[mo - 1]} {ordinal(d)}, {year(y)}"


def _clock(m: re.Match) -> str:
    h, mm = int(m.group(1)), int(m.group(2) or 0)
    ampm = re.sub(r"[.\s]", "", m.group(3) or "").lower()
    if h > 23 or mm > 59:
        return m.group(0)
    out = cardinal(h)
    if mm:
        out += " " + (f"oh {cardinal(mm)}" if mm < 10 else cardinal(mm))
    elif not ampm and not re.match(r"\s(?:noon|midnight)\b", m.string[m.end():m.end() + 10]):
        out += " o'clock" if h <= 12 else " hundred"
    if ampm:
        out += " " + " ".join(ampm.upper())
    return out + (_end_dot(m) if ampm else "")


def _years(m: re.Match) -> str:
    return m.group(1) + " " + year(int(m.group(2)))


def _decade(m: re.Match) -> str:
    y = year(int(m.group(1)))
    return y[:-1] + "ies" if y.endswith("y") else y + "s"


def _decade_word(n: int) -> str:
    w = cardinal(n)
    return w[:-1] + "ies" if w.endswith("y") else w + "s"


def _month_days(m: re.Match) -> str:
    month = _MONTH_ABBR.get(m.group(1).rstrip("."), m.group(1))
    out = f"{month} {ordinal(int(m.group(2)))} to {ordinal(int(m.group(3)))}"
    return out + (f", {year(int(m.group(4)))}" if m.group(4) else "")


def date_rules(day_first: bool = False) -> list[Rule]:
    return [
        rule("date", r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])",
             lambda m: _slash_date(m, day_first)),
        rule("date", r"(?<![\w.])(\d{2})\.(\d{2})\.(\d{4}|\d{2})(?!\d|\.\d)",
             lambda m: _slash_date(m, day_first)),  # 06.27.24
        rule("date", r"(?<![\d/.,])(\d{1,2})/(\d{1,2})()(?![\d/]|[.,]\d)", _short_date(day_first)),
    ]


DATES = [
    rule("date", r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])", _iso),
    rule("date", rf"\b({MONTHS_RE})\.?\s(\d{{1,2}})(?:st|nd|rd|th)?\s?[-–]\s?(\d{{1,2}})(?:st|nd|rd|th)?"
                 rf"(?:,?\s(\d{{4}}))?(?![\d])", _month_days),  # June 4-5
    rule("date", rf"\b({MONTHS_RE})\.?\s(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s(\d{{4}}))?(?![\d])", _month_day),
    rule("date", rf"(?<![\w,.])(\d{{1,2}})(?:st|nd|rd|th)?\s({MONTHS_RE})\.?(?:,?\s(\d{{4}}))?(?![\d])",
         _day_month),
    rule("time", rf"(?<![\w,.:]){_TIME}\s?[-–—]\s?{_TIME}(?:\s({ZONE_RE})\b)?(?![\w:])", _time_range),
    rule("time", rf"(?<![\w,.:])(\d{{1,2}}):(\d{{2}})\s?({_AMPM})?(?![\w])", _clock),
    rule("ratio", r"(?<![\w,.:])1:1(?![\d:])", "one-on-one"),
    rule("ratio", r"(?<![\w,.:])(\d{1,2}):(\d)(?![\d:])", r"\1 to \2"),
    rule("time", rf"(?<![\w,.:])(\d{{1,2}})()\s?({_AMPM})(?![\w])", _clock),
    rule("time", rf"(\b[AP] M\.?)\s({ZONE_RE})\b", _time_zone),
    rule("decade", r"(?<![\w])['’]([1-9]0|00)s\b",
         lambda m: {"00": "two thousands"}.get(m.group(1)) or _decade_word(int(m.group(1)))),
    rule("year", r"(?<![\w,.])(1[1-9]\d0|20\d0)'?s\b", _decade),
    rule("year", r"(?<![\w,.])(19\d\d|20\d\d)[-–/](\d\d)(?![\d%])",
         lambda m: f"{year(int(m.group(1)))} to {cardinal(int(m.group(2)))}" if int(m.group(2)) > int(m.group(1)[2:])
         else m.group(0)),  # the 2024-25 season
    rule("year", r"(?<![\w,.])(1[2-9]\d\d|20\d\d)\s?[-–]\s?(1[2-9]\d\d|20\d\d)(?![\d])",
         lambda m: f"{year(int(m.group(1)))} to {year(int(m.group(2)))}"),
    rule("year", r"\b(in|since|by|from|of|until|till|year|early|late|mid|circa|around|before|after|"
                 r"In|Since|By|From|Until|Before|After|spring|summer|fall|autumn|winter|[A-Z][a-z]+ber|"
                 r"January|February|March|April|May|June|July|August)\s(1[1-9]\d\d|20\d\d)(?![\d%]|[,.]\d)", _years),
    rule("year", r"(?<=to )(1[2-9]\d\d|20\d\d)(?![\d%]|[,.]\d)", lambda m: year(int(m.group(1)))),
]


# --- ordinals, ranges, signs, money, percents, units -------------------------------------------

REGNAL = ("Elizabeth|Charles|George|Henry|Edward|William|Louis|James|Richard|Mary|Victoria|Anne|John Paul|"
          "Benedict|Pius|Leo|Francis|John|Paul|Gregory|Peter|Frederick|Philip|Felipe|Juan Carlos|Napoleon|"
          "Nicholas|Alexander|Catherine|Ivan|Harald|Olaf|Carl|Gustav|Willem|Albert|Rainier|Ramses|Mohammed")
ROMAN_CONTEXT = ("World War|Super Bowl|Chapter|Part|Volume|Vol\\.|Act|Episode|Rocky|Title|Phase|Stage|Type|"
                 "Book|Season|Star Wars|Final Fantasy|Grand Theft Auto|GTA|Civilization|Mark|Class|Tier|Level")
ROMAN = r"(?:M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"


def _roman_en(m: re.Match) -> str:
    from .numbers_fr import roman_to_int

    n = roman_to_int(m.group(2))
    if n is None:
        return m.group(0)
    if m.group(1) in REGNAL.split("|") or re.fullmatch(REGNAL, m.group(1)):
        return f"{m.group(1)} the {ordinal(n)}"
    if m.group(1) == "World War":
        return "World War " + cardinal(n).capitalize()
    return f"{m.group(1)} {cardinal(n)}"


ORDINALS = [
    rule("ordinal", r"(?<![\w,.])(\d+)(st|nd|rd|th)\b", lambda m: ordinal(int(m.group(1)))),
    rule("roman", rf"\b({REGNAL}|{ROMAN_CONTEXT})\s({ROMAN})(?![\w'’-])", _roman_en,
         gate=r"\s[IVXLCDM]+\b"),
]

RANGES = [
    rule("range", rf"{B}({DEC})\s?[-–—]\s?({DEC})\s?[x×](?![\w])", r"\1 to \2 times"),  # 23-100x
    rule("range", rf"{B}({DEC})\s?[-–—]\s?({DEC})(?![\w]|,\d|[-–—]\d|\.\d)", r"\1 to \2"),
]

SIGNS = [
    rule("sign", r"\b([Aa]bout|[Aa]round|[Rr]oughly|[Aa]pproximately)\s+[~≈]\s?(?=\d)", r"\1 ", gate="[~≈]"),
    rule("sign", rf"{B}({INT})\+(?![\w+])", r"more than \1"),  # 10,000+ users
    rule("sign", r"(?<![\w,.)\]])-(?=\d)", "minus "),
    rule("sign", r"(?<![\w,.)\]+])\+\s?(?=\d)", "plus "),
    rule("sign", r"(?<![\w])[~≈]\s?(?=\d)", "about "),
    rule("sign", r"(?<![\w>])>\s?(?=\d)", "more than "),
    rule("sign", r"(?<![\w<])<\s?(?=\d)", "less than "),
    rule("sign", r"\s?=\s?", " equals "),
]

CURRENCIES = {"$": ("dollar", "dollars", "cent", "cents"), "US$": ("dollar", "dollars", "cent", "cents"),
              "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
              "AU$": ("Australian dollar", "Australian dollars", "cent", "cents"),
              "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
              "CA$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
              "NZ$": ("New Zealand dollar", "New Zealand dollars", "cent", "cents"),
              "HK$": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
              "S$": ("Singapore dollar", "Singapore dollars", "cent", "cents"),
              "R$": ("real", "reais", "centavo", "centavos"),
              "₹": ("rupee", "rupees", "paisa", "paise"), "Rs": ("rupee", "rupees", "paisa", "paise"),
              "Rs.": ("rupee", "rupees", "paisa", "paise"), "INR": ("rupee", "rupees", "paisa", "paise"),
              "CHF": ("Swiss franc", "Swiss francs", "centime", "centimes"),
              "CAD": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
              "AUD": ("Australian dollar", "Australian dollars", "cent", "cents"),
              "JPY": ("yen", "yen", "", ""), "CNY": ("yuan", "yuan", "", ""),
              "USD": ("dollar", "dollars", "cent", "cents"), "€": ("euro", "euros", "cent", "cents"),
              "EUR": ("euro", "euros", "cent", "cents"), "£": ("pound", "pounds", "penny", "pence"),
              "GBP": ("pound", "pounds", "penny", "pence"), "¥": ("yen", "yen", "", "")}
SCALES = {"trillion": "trillion", "billion": "billion", "million": "million", "thousand": "thousand",
          "bn": "billion", "B": "billion", "b": "billion", "M": "million", "m": "million", "mn": "million",
          "k": "thousand", "K": "thousand", "T": "trillion", "tn": "trillion", "crore": "crore", "crores": "crore",
          "lakh": "lakh", "lakhs": "lakh", "Cr": "crore", "cr": "crore"}
SCALE_RE = "[Tt]rillion|[Bb]illion|[Mm]illion|[Tt]housand|crores?|lakhs?|Cr|cr|bn|tn|B|M|mn|k|K|T|b|m"
PREFIX_CUR = r"US\$|A\$|AU\$|C\$|CA\$|NZ\$|HK\$|S\$|R\$|Rs\.?|INR|USD|EUR|GBP|CHF|CAD|AUD|\$|€|£|¥|₹"
SUFFIX_CUR = r"USD|EUR|GBP|CAD|AUD|CHF|JPY|CNY|INR|€|\$|£"


def money(num: str, scale: str | None, cur: str) -> str:
    one, many, cent, cents = CURRENCIES[cur]
    if scale:
        return f"{number(num)} {SCALES.get(scale, scale.lower())} {many}"
    int_part, _, frac = num.partition(".")
    value = int(int_part.replace(",", "") or 0)
    c = int(frac.ljust(2, "0")[:2]) if frac and len(frac) <= 2 else 0
    if frac and len(frac) > 2:
        return f"{number(num)} {many}"
    if value == 0 and c and cent:
        return f"{cardinal(c)} {cents if c > 1 else cent}"
    out = f"{cardinal(value)} {many if value != 1 else one}"
    if c and cent:
        out += f" and {cardinal(c)} {cents if c > 1 else cent}"
    return out


def _per(m: re.Match) -> str:
    per = m.groupdict().get("per")
    return f" per {per}" if per else ""


def _attributive(m: re.Match) -> str:
    """"a $25,000 car", "a $125 million penalty", "a $1.50 coffee": singular unit before a noun."""
    one, many, cent, cents = CURRENCIES[m.group("cur")]
    spoken = money(m.group("num"), m.group("scale"), m.group("cur"))
    spoken = re.sub(rf" {many}\b", f" {one}", spoken)
    if cent:
        spoken = re.sub(rf" and (.+) (?:{cents}|{cent})$", r" \1", spoken)  # "one dollar fifty"
    return m.group("art") + spoken


_NOT_A_NOUN = r"(?:in|of|to|for|on|per|and|or|a|an|the|each|apiece|total|more|less|" + SCALE_RE + r")\b"


def _money_range(m: re.Match) -> str:
    """'$5-10', '$5–$10 million' → 'five to ten dollars', 'five to ten million dollars'."""
    many = CURRENCIES[m.group("cur")][1]
    scale = m.group("scale")
    head = f"{number(m.group('a'))} to {number(m.group('b'))}"
    if scale:
        return f"{head} {SCALES.get(scale, scale.lower())} {many}"
    return f"{head} {many}"


MONEY = [
    rule("money", rf"(?P<art>\b(?:[Aa]n?|[Tt]he) )(?P<cur>{PREFIX_CUR})\s?(?P<num>{DEC})(?:\s?(?P<scale>{SCALE_RE}))?"
                  rf"(?![\w])(?=\s[\"“]?(?!{_NOT_A_NOUN}){L}{L}+)",
         _attributive),
    rule("money", rf"(?<![\w$€£])(?P<cur>{PREFIX_CUR})\s?(?P<num>{DEC})(?:\s?(?P<scale>{SCALE_RE}))?(?![\w])"
                  rf"(?:\s?/\s?(?P<per>{L}+))?",
         lambda m: money(m.group("num"), m.group("scale"), m.group("cur")) + _per(m)),
    rule("money", rf"{B}(?P<num>{DEC})\s?(?:(?P<scale>{SCALE_RE})\s?)?(?P<cur>{SUFFIX_CUR})(?![\w])"
                  rf"(?:\s?/\s?(?P<per>{L}+))?",
         lambda m: money(m.group("num"), m.group("scale"), m.group("cur")) + _per(m)),
]

RANGED = [  # before the plain ranges: the unit goes after the second number
    rule("money", rf"(?<![\w$€£])(?P<cur>{PREFIX_CUR})\s?(?P<a>{DEC})\s?[-–—]\s?(?:{PREFIX_CUR})?\s?(?P<b>{DEC})"
                  rf"(?:\s?(?P<scale>{SCALE_RE}))?(?![\w.,]\d|\w)", _money_range),
    rule("percent", rf"{B}({DEC})\s?%?\s?[-–—]\s?({DEC})\s?%",
         lambda m: f"{number(m.group(1))} to {number(m.group(2))} percent"),
]

PERCENTS = [
    rule("percent", rf"{B}({DEC})\s?(%|percent\b|per cent\b)", lambda m: f"{number(m.group(1))} percent"),
]

UNITS = {"s": ("second", "seconds"), "sec": ("second", "seconds"), "ms": ("millisecond", "milliseconds"),
         "min": ("minute", "minutes"), "h": ("hour", "hours"), "hrs": ("hour", "hours"),
         "km": ("kilometer", "kilometers"), "m": ("meter", "meters"), "cm": ("centimeter", "centimeters"),
         "mm": ("millimeter", "millimeters"), "nm": ("nanometer", "nanometers"), "mi": ("mile", "miles"),
         "kg": ("kilogram", "kilograms"), "g": ("gram", "grams"), "lb": ("pound", "pounds"),
         "lbs": ("pound", "pounds"), "KB": ("kilobyte", "kilobytes"), "MB": ("megabyte", "megabytes"),
         "GB": ("gigabyte", "gigabytes"), "TB": ("terabyte", "terabytes"), "W": ("watt", "watts"),
         "kW": ("kilowatt", "kilowatts"), "MW": ("megawatt", "megawatts"), "GW": ("gigawatt", "gigawatts"),
         "kWh": ("kilowatt hour", "kilowatt hours"), "TWh": ("terawatt hour", "terawatt hours"),
         "GHz": ("gigahertz", "gigahertz"), "MHz": ("megahertz", "megahertz"),
         "km/h": ("kilometer per hour", "kilometers per hour"), "mph": ("mile per hour", "miles per hour"),
         "Mbps": ("megabit per second", "megabits per second"),
         "Mbit/s": ("megabit per second", "megabits per second"),
         "Gbps": ("gigabit per second", "gigabits per second"),
         "°C": ("degree Celsius", "degrees Celsius"), "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
         "°": ("degree", "degrees"), "fps": ("frame per second", "frames per second"),
         "px": ("pixel", "pixels"), "ft": ("foot", "feet"), "sq ft": ("square foot", "square feet"),
         "yd": ("yard", "yards"), "oz": ("ounce", "ounces"),
         "Gbit/s": ("gigabit per second", "gigabits per second"),
         "µm": ("micrometer", "micrometers"), "L": ("liter", "liters"), "ml": ("milliliter", "milliliters")}
UNITS_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))


def _unit(m: re.Match) -> str:
    one, many = UNITS[m.group(2)]
    return f"{number(m.group(1))} {one if _value(m.group(1)) == 1 else many}"


UNIT_RULES = [
    rule("resolution", r"(?<![\w,.])([2-8]|16)\s?K(?![\w])", lambda m: f"{cardinal(int(m.group(1)))} K"),
    rule("unit", rf"{B}({DEC})\s?({UNITS_RE})(?![\w/'])", _unit),
    rule("scale", rf"{B}({DEC})\s?(trillion|billion|million|thousand|bn|M|k|K)(?![\w'])",
         lambda m: f"{number(m.group(1))} {SCALES[m.group(2)]}"),
    rule("dimensions", rf"{B}(\d+)\s?[x×]\s?(\d+)(?![\w])", r"\1 by \2"),
    rule("multiplier", rf"{B}({DEC})\s?[x×](?![\w])", r"\1 times"),
    rule("multiplier", r"(?<![\w])[x×]\s?(?=\d)", "times "),
]

GLUE = [
    rule("compound", rf"(?<={L})-(?=\d)", " "),
    rule("compound", rf"(?<=\d)-(?={L})", " "),
    rule("compound", rf"(?<={L})(?=\d)|(?<=\d)(?={L})", " "),
]


def _version(m: re.Match) -> str:
    return " point ".join(cardinal(int(p)) for p in m.group(0).split("."))


NUMBERS = [
    # a bare four-digit number from 1800 to 2099 is a year in English prose ("the 2021 fiasco",
    # "2021 was a record"); counts of that size are written with a comma ("2,021 people")
    rule("year", r"(?<![\w,.$€£¥-])(18\d\d|19\d\d|20\d\d)(?![\d%]|[,.]\d|\s?(?:percent|per cent)\b)",
         lambda m: year(int(m.group(1)))),
    rule("version", r"(?<![\w,.])\d+(?:\.\d+){2,}(?![\d])", _version),
    rule("number", rf"(?<![\w,.])({DEC})(?![\d])", lambda m: number(m.group(1))),
    rule("number", r"\d+", lambda m: cardinal(int(m.group(0)))),
]

SYMBOLS = [
    rule("symbol", r"\s*&\s*", " and ", gate="&"),
    rule("symbol", r"(?<=\w)\+\+(?!\w)", " plus plus", gate="\\+"),
    rule("symbol", r"(?<=\w)\+(?=[\s,.!?;:)]|$)", " plus", gate="\\+"),
    rule("symbol", r"\s*\+\s*", " plus ", gate="\\+"),
    rule("symbol", r"\s+>\s+", " over ", gate=">"),
    rule("symbol", r"\s+<\s+", " under ", gate="<"),
    rule("symbol", r"\band/or\b", "and or", gate="/"),
    rule("symbol", r"(?<=[A-Z])/(?=[A-Z])", " "),  # CI/CD, TCP/IP
    rule("symbol", rf"(?<={L})/(?={L})", " or "),
    rule("symbol", r"\s+/\s+", ", ", gate="/"),
    rule("symbol", r"\s*%", " percent", gate="%"),
    rule("symbol", r"(?<!\w)€(?!\w)", "euros"),
    rule("symbol", r"(?<!\w)\$(?!\w)", "dollars"),
    rule("symbol", r"(?<!\w)£(?!\w)", "pounds"),
    rule("symbol", r"[€$£¥]", " "),
    rule("symbol", r"\s*°\s*", " degrees ", gate="°"),
    rule("symbol", r"\s*[×✕]\s*", " times ", gate="[×✕]"),
    rule("symbol", r"[~≈]\s*", "about ", gate="[~≈]"),
    rule("symbol", r"(?<![\w])@(?![\w])", "at"),
    rule("symbol", r"[#@/§]", " "),
]


FRACTION_RULES = [
    rule("fraction", r"(?<![\w/.,$€£])(\d{1,2})/(\d{1,3})(?![\w/]|[.,]\d)", _fraction),
]


TICKERS = [Rule("ticker", TICKER, drop_ticker, gate=re.compile(r"\([A-Z$]|: ?\$?[A-Z]"))]


def rules_en(day_first: bool = False) -> list[Rule]:
    """English rules; ``day_first``: dates like 3/10 are the third of October (en-GB and most
    of the world) rather than March tenth (en-US, the default)."""
    return digit_gated([long_number_rule(DIGITS)] + TICKERS + ABBREVIATIONS + date_rules(day_first) + DATES
                       + FRACTION_RULES + ORDINALS
                       + RANGED + RANGES + SIGNS + MONEY + PERCENTS + UNIT_RULES + GLUE
                       + NUMBERS + SYMBOLS)
