"""English rules (basic): numbers, money, percents, dates, times, ordinals, common units and
abbreviations, so an English newsletter is not read digit by digit. Capitals are left to the
voice (English voices spell GPU and AWS by themselves).
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

from .common import L, Words
from .engine import Rule, digit_gated, rule

WORDS = Words(dot="dot", at="at", half="and a half", quarter="a quarter", three_quarters="three quarters",
              a_half="a half", tld_words=frozenset({"com", "org", "net", "info", "tech", "news", "dev", "app",
                                                     "blog", "shop", "store", "cloud", "site", "online",
                                                     "page", "art"}))

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

ABBREVIATIONS = [
    rule("abbreviation", r"(?<![\w.])e\.g\.,?", "for example,"),
    rule("abbreviation", r"(?<![\w.])i\.e\.,?", "that is,"),
    rule("abbreviation", r"\betc\.(?=\s+[a-z]|,)", "et cetera"),
    rule("abbreviation", r"\b(Inc|Corp|Ltd|Co|Bros)\.(?=['’]s\b)", r"\1"),
    rule("abbreviation", r"\betc\b\.?", "et cetera."),
    rule("abbreviation", r"(?<![\w.])vs\.?(?=\s)", "versus"),
    rule("abbreviation", r"(?<![\w.])Dr\.?(?=\s+[A-Z])", "Doctor"),
    rule("abbreviation", r"(?<![\w.])Mr\.?(?=\s+[A-Z])", "Mister"),
    rule("abbreviation", r"(?<![\w.])Mrs\.?(?=\s+[A-Z])", "Missus"),
    rule("abbreviation", r"(?<![\w.])Ms\.?(?=\s+[A-Z])", "Miz"),
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


def _slash_date(m: re.Match) -> str:
    a, b, y = int(m.group(1)), int(m.group(2)), m.group(3)
    month, day = (a, b) if a <= 12 else (b, a)  # US order unless impossible
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0)
    yy = int(y) + (2000 if len(y) == 2 else 0)
    return f"{MONTHS[month - 1]} {ordinal(day)}, {year(yy)}"


def _iso(m: re.Match) -> str:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m.group(0)
    return f"{MONTHS[mo - 1]} {ordinal(d)}, {year(y)}"


def _clock(m: re.Match) -> str:
    h, mm, ampm = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower().replace(".", "")
    if h > 23 or mm > 59:
        return m.group(0)
    out = cardinal(h)
    if mm:
        out += " " + (f"oh {cardinal(mm)}" if mm < 10 else cardinal(mm))
    elif not ampm:
        out += " o'clock" if h <= 12 else " hundred"
    if ampm:
        out += " " + " ".join(ampm.upper())
    return out


def _years(m: re.Match) -> str:
    return m.group(1) + " " + year(int(m.group(2)))


def _decade(m: re.Match) -> str:
    y = year(int(m.group(1)))
    return y[:-1] + "ies" if y.endswith("y") else y + "s"


def _month_days(m: re.Match) -> str:
    month = _MONTH_ABBR.get(m.group(1).rstrip("."), m.group(1))
    out = f"{month} {ordinal(int(m.group(2)))} to {ordinal(int(m.group(3)))}"
    return out + (f", {year(int(m.group(4)))}" if m.group(4) else "")


DATES = [
    rule("date", r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])", _iso),
    rule("date", r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])", _slash_date),
    rule("date", r"(?<![\w.])(\d{2})\.(\d{2})\.(\d{4}|\d{2})(?![\d.]|\.\d)", _slash_date),  # 06.27.24
    rule("date", rf"\b({MONTHS_RE})\.?\s(\d{{1,2}})(?:st|nd|rd|th)?\s?[-–]\s?(\d{{1,2}})(?:st|nd|rd|th)?"
                 rf"(?:,?\s(\d{{4}}))?(?![\d])", _month_days),  # June 4-5
    rule("date", rf"\b({MONTHS_RE})\.?\s(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s(\d{{4}}))?(?![\d])", _month_day),
    rule("date", rf"(?<![\w,.])(\d{{1,2}})(?:st|nd|rd|th)?\s({MONTHS_RE})\.?(?:,?\s(\d{{4}}))?(?![\d])",
         _day_month),
    rule("time", r"(?<![\w,.:])(\d{1,2}):(\d{2})\s?([ap]\.?m\.?)?(?![\w])", _clock),
    rule("ratio", r"(?<![\w,.:])1:1(?![\d:])", "one-on-one"),
    rule("ratio", r"(?<![\w,.:])(\d{1,2}):(\d)(?![\d:])", r"\1 to \2"),
    rule("time", r"(?<![\w,.:])(\d{1,2})()\s?([ap]\.?m\.?)(?![\w])", _clock),
    rule("year", r"(?<![\w,.])(1[1-9]\d0|20\d0)'?s\b", _decade),
    rule("year", r"(?<![\w,.])(1[2-9]\d\d|20\d\d)\s?[-–]\s?(1[2-9]\d\d|20\d\d)(?![\d])",
         lambda m: f"{year(int(m.group(1)))} to {year(int(m.group(2)))}"),
    rule("year", r"\b(in|since|by|from|of|until|till|year|early|late|mid|circa|around|before|after|"
                 r"In|Since|By|From|Until|Before|After|spring|summer|fall|autumn|winter|[A-Z][a-z]+ber|"
                 r"January|February|March|April|May|June|July|August)\s(1[1-9]\d\d|20\d\d)(?![\d%]|[,.]\d)", _years),
    rule("year", r"(?<=to )(1[2-9]\d\d|20\d\d)(?![\d%]|[,.]\d)", lambda m: year(int(m.group(1)))),
]


# --- ordinals, ranges, signs, money, percents, units -------------------------------------------

ORDINALS = [
    rule("ordinal", r"(?<![\w,.])(\d+)(st|nd|rd|th)\b", lambda m: ordinal(int(m.group(1)))),
]

RANGES = [
    rule("range", rf"{B}({DEC})\s?[-–—]\s?({DEC})\s?[x×](?![\w])", r"\1 to \2 times"),  # 23-100x
    rule("range", rf"{B}({DEC})\s?[-–—]\s?({DEC})(?![\w]|,\d|[-–—]\d|\.\d)", r"\1 to \2"),
]

SIGNS = [
    rule("sign", rf"{B}({INT})\+(?![\w+])", r"more than \1"),  # 10,000+ users
    rule("sign", r"(?<![\w,.)\]])-(?=\d)", "minus "),
    rule("sign", r"(?<![\w,.)\]+])\+\s?(?=\d)", "plus "),
    rule("sign", r"(?<![\w])[~≈]\s?(?=\d)", "about "),
    rule("sign", r"(?<![\w>])>\s?(?=\d)", "more than "),
    rule("sign", r"(?<![\w<])<\s?(?=\d)", "less than "),
    rule("sign", r"\s?=\s?", " equals "),
]

CURRENCIES = {"$": ("dollar", "dollars", "cent", "cents"), "US$": ("dollar", "dollars", "cent", "cents"),
              "USD": ("dollar", "dollars", "cent", "cents"), "€": ("euro", "euros", "cent", "cents"),
              "EUR": ("euro", "euros", "cent", "cents"), "£": ("pound", "pounds", "penny", "pence"),
              "GBP": ("pound", "pounds", "penny", "pence"), "¥": ("yen", "yen", "", "")}
SCALES = {"trillion": "trillion", "billion": "billion", "million": "million", "thousand": "thousand",
          "bn": "billion", "B": "billion", "b": "billion", "M": "million", "m": "million", "mn": "million",
          "k": "thousand", "K": "thousand", "T": "trillion", "tn": "trillion"}
SCALE_RE = "[Tt]rillion|[Bb]illion|[Mm]illion|[Tt]housand|bn|tn|B|M|mn|k|K|T|b|m"


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


MONEY = [
    rule("money", rf"(?P<art>\b(?:[Aa]n?|[Tt]he) )(?P<cur>US\$|\$|€|£)\s?(?P<num>{DEC})(?:\s?(?P<scale>{SCALE_RE}))?"
                  rf"(?![\w])(?=\s[\"“]?(?!{_NOT_A_NOUN}){L}{L}+)",
         _attributive),
    rule("money", rf"(?<![\w$€£])(?P<cur>US\$|\$|€|£|¥)\s?(?P<num>{DEC})(?:\s?(?P<scale>{SCALE_RE}))?(?![\w])"
                  rf"(?:\s?/\s?(?P<per>{L}+))?",
         lambda m: money(m.group("num"), m.group("scale"), m.group("cur")) + _per(m)),
    rule("money", rf"{B}(?P<num>{DEC})\s?(?:(?P<scale>{SCALE_RE})\s?)?(?P<cur>USD|EUR|GBP|€|\$|£)(?![\w])"
                  rf"(?:\s?/\s?(?P<per>{L}+))?",
         lambda m: money(m.group("num"), m.group("scale"), m.group("cur")) + _per(m)),
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
         "px": ("pixel", "pixels")}
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
    rule("symbol", r"\s*&\s*", " and "),
    rule("symbol", r"(?<=\w)\+\+(?!\w)", " plus plus"),
    rule("symbol", r"(?<=\w)\+(?=[\s,.!?;:)]|$)", " plus"),
    rule("symbol", r"\s*\+\s*", " plus "),
    rule("symbol", r"\s+>\s+", " over "),
    rule("symbol", r"\s+<\s+", " under "),
    rule("symbol", r"(?<=[A-Z])/(?=[A-Z])", " "),  # CI/CD, TCP/IP
    rule("symbol", rf"(?<={L})/(?={L})", " or "),
    rule("symbol", r"\s+/\s+", ", "),
    rule("symbol", r"\s*%", " percent"),
    rule("symbol", r"(?<!\w)€(?!\w)", "euros"),
    rule("symbol", r"(?<!\w)\$(?!\w)", "dollars"),
    rule("symbol", r"(?<!\w)£(?!\w)", "pounds"),
    rule("symbol", r"[€$£¥]", " "),
    rule("symbol", r"\s*°\s*", " degrees "),
    rule("symbol", r"\s*[×✕]\s*", " times "),
    rule("symbol", r"[~≈]\s*", "about "),
    rule("symbol", r"(?<![\w])@(?![\w])", "at"),
    rule("symbol", r"[#@/§]", " "),
]


def rules_en() -> list[Rule]:
    return digit_gated(ABBREVIATIONS + DATES + ORDINALS + RANGES + SIGNS + MONEY + PERCENTS + UNIT_RULES + GLUE
                       + NUMBERS + SYMBOLS)
