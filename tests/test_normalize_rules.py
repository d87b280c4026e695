"""One or a few tests per French (and English) rule: what the listener would hear."""

from __future__ import annotations

import pytest

from audio_edition.normalize import explain, normalize
from audio_edition.normalize import numbers_fr as nf
from audio_edition.normalize.acronyms import AcronymReader, pronounceable


def fr(text: str) -> str:
    return normalize(text, "fr")


# --- number words: where num2words is corrected ------------------------------------------

@pytest.mark.parametrize("n, want", [
    (1, "premier"), (2, "deuxième"), (5, "cinquième"), (9, "neuvième"), (21, "vingt et unième"),
    (80, "quatre-vingtième"),  # num2words: quatre-vingtsième
    (200, "deux centième"),  # num2words: deux centsième
    (1000, "millième"), (1_000_000, "millionième"),  # num2words: un millionième
    (2_000_000, "deux millionième"),  # num2words: deux millionsième
])
def test_ordinals_fix_num2words(n, want):
    assert nf.ordinal(n) == want


def test_feminine_ordinal_and_plural():
    assert nf.ordinal(1, feminine=True) == "première"
    assert nf.ordinal(1, plural=True) == "premiers"


def test_decimals_read_the_fraction_as_a_number_not_digit_by_digit():
    assert nf.decimal_words("2", "99") == "deux virgule quatre-vingt-dix-neuf"  # num2words: neuf neuf
    assert nf.decimal_words("0", "05") == "zéro virgule zéro cinq"
    assert nf.decimal_words("3", "14159") == "trois virgule un quatre un cinq neuf"


def test_cardinal_agreement_and_feminine():
    assert nf.cardinal(80) == "quatre-vingts"
    assert nf.cardinal(80_000) == "quatre-vingt mille"
    assert nf.cardinal(300) == "trois cents"
    assert nf.cardinal(250) == "deux cent cinquante"
    assert nf.cardinal(21, feminine=True) == "vingt et une"
    assert nf.cardinal(11, feminine=True) == "onze"
    assert nf.cardinal(5 * 10**12) == "cinq mille milliards"  # not "cinq billions"
    assert nf.cardinal(10**16) == "un zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro"


def test_roman_numerals_are_strict():
    assert nf.roman_to_int("XIV") == 14
    assert nf.roman_to_int("XXI") == 21
    assert nf.roman_to_int("IIII") is None
    assert nf.roman_to_int("VIVID") is None
    assert nf.roman_to_int("LCD") is None


# --- cardinals -----------------------------------------------------------------------------

@pytest.mark.parametrize("written, spoken", [
    ("70 000", "soixante-dix mille"),
    ("70\u00a0000", "soixante-dix mille"),  # no-break space
    ("70\u202f000", "soixante-dix mille"),  # narrow no-break space
    ("1 250", "mille deux cent cinquante"),
    ("3,5", "trois virgule cinq"),
    ("-12", "moins douze"),
    ("en 2025 200 personnes", "en deux mille vingt-cinq deux cents personnes"),
])
def test_cardinals(written, spoken):
    assert fr(written) == spoken


def test_a_feminine_noun_gets_une():
    assert fr("1 heure et 21 minutes") == "une heure et vingt et une minutes"
    assert fr("1 jour et 21 jours") == "un jour et vingt et un jours"


def test_million_stays_singular_below_two():
    assert fr("1,5 million") == "un virgule cinq million"
    assert fr("2,5 millions") == "deux virgule cinq millions"


# --- money ---------------------------------------------------------------------------------

@pytest.mark.parametrize("written, spoken", [
    ("2,99€/mois", "deux euros quatre-vingt-dix-neuf par mois"),
    ("38 milliards $", "trente-huit milliards de dollars"),
    ("$38 milliards", "trente-huit milliards de dollars"),
    ("5 000 Md$", "cinq mille milliards de dollars"),
    ("3 Md€", "trois milliards d'euros"),
    ("12 M€", "douze millions d'euros"),
    ("60 k€", "soixante mille euros"),
    ("1,50 €", "un euro cinquante"),
    ("1,05 €", "un euro et cinq centimes"),
    ("0,50 €", "cinquante centimes"),
    ("200 $", "deux cents dollars"),
    ("£3,50", "trois livres cinquante"),
    ("1 000 000 €", "un million d'euros"),
])
def test_money(written, spoken):
    assert fr(written) == spoken


# --- percents and signs ------------------------------------------------------------------------

@pytest.mark.parametrize("written, spoken", [
    ("-74%", "moins soixante-quatorze pour cent"),
    ("+17,9 %", "plus dix-sept virgule neuf pour cent"),
    ("~44 %", "environ quarante-quatre pour cent"),
    ("100 % IA", "cent pour cent I A"),
    ("×24", "fois vingt-quatre"),
    ("3 mois offerts = 80 €", "trois mois offerts soit quatre-vingts euros"),
    ("2 + 2 = 4", "deux plus deux égale quatre"),
    ("Tom & Jerry", "Tom et Jerry"),
    ("l'IA > cloud", "l'I A plus que cloud"),
])
def test_percents_and_signs(written, spoken):
    assert fr(written) == spoken


# --- ordinals and Roman numerals -----------------------------------------------------------------

@pytest.mark.parametrize("written, spoken", [
    ("le 1er", "le premier"), ("la 1re", "la première"), ("le 2e", "le deuxième"),
    ("la 3ème", "la troisième"), ("le n°1", "le numéro un"), ("le XXIe siècle", "le vingt et unième siècle"),
    ("Louis XIV", "Louis quatorze"), ("Napoléon III", "Napoléon trois"), ("François Ier", "François premier"),
])
def test_ordinals_and_roman_numerals(written, spoken):
    assert fr(written) == spoken


@pytest.mark.parametrize("word", ["MIX", "CV", "DC", "LCD", "VIVID", "CIVIL", "Ce", "De", "Le", "Me"])
def test_words_that_only_look_roman_are_not_numbers(word):
    spoken = fr(f"le mot {word} ici").lower()
    for number_word in ("mille", "cent", "cinq", "six", "dix", "quatre", "deux", "un ", "ième"):
        assert number_word not in spoken.replace("ici", "")


# --- dates and times ---------------------------------------------------------------------------

@pytest.mark.parametrize("written, spoken", [
    ("3 novembre 2025", "trois novembre deux mille vingt-cinq"),
    ("25/12/2025", "vingt-cinq décembre deux mille vingt-cinq"),
    ("le 1/5", "le premier mai"),
    ("mi-novembre", "mi-novembre"),
    ("14h30", "quatorze heures trente"),
    ("9 h", "neuf heures"),
    ("1h", "une heure"),
    ("en 2022", "en deux mille vingt-deux"),
    ("les années 1990", "les années quatre-vingt-dix"),
    ("22-25 ans", "vingt-deux à vingt-cinq ans"),
    ("2024-2025", "deux mille vingt-quatre à deux mille vingt-cinq"),
    ("20–30 s", "vingt à trente secondes"),
])
def test_dates_and_times(written, spoken):
    assert fr(written) == spoken


def test_a_ratio_after_format_is_not_a_time():
    assert fr("format 16:10") != "format seize heures dix"


# --- units -----------------------------------------------------------------------------------

@pytest.mark.parametrize("written, spoken", [
    ("4K", "quatre K"), ("2K", "deux K"), ("130 km/h", "cent trente kilomètres-heure"),
    ("5 °C", "cinq degrés Celsius"), ("10 Go", "dix gigaoctets"), ("1 Go", "un gigaoctet"),
    ("3 GW", "trois gigawatts"), ("100 Mbit/s", "cent mégabits par seconde"), ("15 s", "quinze secondes"),
    ("100K abonnés", "cent mille abonnés"),
])
def test_units(written, spoken):
    assert fr(written) == spoken


# --- abbreviations ---------------------------------------------------------------------------

@pytest.mark.parametrize("written, spoken", [
    ("M. Dupont", "Monsieur Dupont"), ("Mme Martin", "Madame Martin"), ("Dr Durand", "Docteur Durand"),
    ("des fruits, etc.", "des fruits, et cetera."), ("cf. annexe", "voir annexe"),
    ("p. ex. un tableur", "par exemple un tableur"), ("env. 30 minutes", "environ trente minutes"),
])
def test_abbreviations(written, spoken):
    assert fr(written) == spoken


def test_m_dot_is_an_initial_inside_a_name():
    assert "Monsieur" not in fr("Il a vu Charles M. Smith hier.")


# --- acronyms, brands, model names ---------------------------------------------------------------

@pytest.mark.parametrize("written, spoken", [
    ("AWS", "A W S"), ("BLS", "B L S"), ("GPU", "G P U"), ("SNCF", "S N C F"),
    ("ONU", "Onu"), ("OTAN", "Otan"),
    ("GPT-5", "G P T cinq"), ("GPT-4o", "G P T quatre o"), ("MAI-Image-1", "M A I Image un"),
    ("DALL-E 3", "Dall-E trois"), ("iPhone 17", "iPhone dix-sept"), ("S&P 500", "S and P cinq cents"),
    ("NordVPN", "Nord V P N"), ("les GPUs", "les G P U"),
])
def test_acronyms_and_model_names(written, spoken):
    assert fr(written) == spoken


def test_acronym_heuristic_reads_pronounceable_capitals_as_a_word():
    assert pronounceable("NASA") and pronounceable("GEMPIX") and pronounceable("UNESCO")
    assert not pronounceable("SNCF") and not pronounceable("HTML") and not pronounceable("AWS")
    reader = AcronymReader(frozenset(), frozenset(), frozenset())
    assert reader.read_token("GEMPIX") == "Gempix"
    assert reader.read_token("HDMI") == "H D M I"
    assert reader.read_token("JPMorgan") == "J P Morgan"
    assert reader.read_token("BioNTech") == "BioNTech"


def test_a_shouted_line_is_read_not_spelled_but_keeps_its_acronyms():
    assert fr("L'IA N'EST PAS LE PROBLÈME") == "l'IA n'est pas le problème".replace("IA", "I A")


# --- web, emoji, quotes ----------------------------------------------------------------------------

def test_a_full_url_is_read_as_its_site_never_letter_by_letter():
    spoken = fr("Lire https://www.lemonde.fr/pixels/article/2025/11/03/openai_123.html ici")
    assert spoken == "Lire lemonde point F R ici"


def test_email_handle_hashtag():
    assert fr("contact@mammam.fr") == "contact arobase mammam point F R"
    assert fr("selon @sama") == "selon sama"
    assert fr("#IA") == "I A"


def test_emoji_and_decoration_are_dropped():
    assert fr("👉 Top 1️⃣ ❤️ 📉 ✅ fin") == "Top fin"


def test_quotes_dashes_and_elisions_are_harmless():
    assert fr("« Bonjour » — dit-il — “ok” l’IA") == "Bonjour, dit-il, ok l'I A"


# --- English -----------------------------------------------------------------------------------

@pytest.mark.parametrize("written, spoken", [
    ("$38 billion", "thirty-eight billion dollars"),
    ("$2.99", "two dollars and ninety-nine cents"),
    ("17.9%", "seventeen point nine percent"),
    ("November 3, 2025", "November third, twenty twenty-five"),
    ("in 1990", "in nineteen ninety"),
    ("70,000 users", "seventy thousand users"),
    ("the 21st", "the twenty-first"),
])
def test_english_basics(written, spoken):
    assert normalize(written, "en") == spoken


def test_unknown_language_keeps_its_numbers_for_the_voice():
    assert normalize("Tengo 3 gatos 👉 en https://www.example.es/x", "es") == "Tengo 3 gatos en example.es"


# --- explain ---------------------------------------------------------------------------------

def test_explain_lists_each_rewrite_with_its_rule():
    rewrites = explain("Basique : 2,99€/mois (-74%)")
    by_rule = {(r.rule, r.written): r.spoken for r in rewrites}
    assert by_rule[("money", "2,99€/mois")] == "deux euros quatre-vingt-dix-neuf par mois"
    assert by_rule[("percent", "74%")] == "soixante-quatorze pour cent"
    assert any(r.rule == "sign" for r in rewrites)


def test_explain_is_empty_when_nothing_changes():
    assert explain("Bonjour à tous.") == []
