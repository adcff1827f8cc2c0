#!/usr/bin/env python3
"""Builds Clearance's held-out evaluation sets (see eval/heldout/README.md).

Perturbation sets come from lists the shared sets do not use (the UN consolidated list, OFAC's consolidated
non-SDN list, and the 2024 SDN with the 2026 aliases, less the shared set's parties); multi-script negatives
and Latin-script negatives (the population the shared negatives-us set stands for) come from PyPI `faker`
locales. Every case carries `split`: `tune` or `report`, by a hash of its party (or
its row), so whoever changes the matcher tunes on one half and reports the other.

Deterministic for one faker version (pinned in requirements.txt) and one seed:

    python3 -m venv /tmp/heldout && /tmp/heldout/bin/pip install -r eval/heldout/requirements.txt
    /tmp/heldout/bin/python eval/heldout/generate.py --lists ../shared/data/lists --shared ../shared/eval
"""

import argparse
import csv
import hashlib
import json
import random
import re
import unicodedata
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

SEED = 20261202
POOL = 200
PER_CLASS_PER_PARTY = 2
MAX_PER_CLASS = 320

# Given names across languages: well-known equivalents, written for this generator from general knowledge
# (the matcher never reads this table; it learns its equivalents from the lists' own aliases).
EQUIVALENTS = [
    ["joseph", "yusuf", "yousef", "youssef", "iosif", "josef", "giuseppe", "jose", "yosef"],
    ["alexander", "aleksandr", "alexandre", "alejandro", "alessandro", "iskander", "iskandar", "oleksandr"],
    ["khalid", "khaled", "haled", "chaled", "halid", "khaleed"],
    ["muhammad", "mohammed", "mohamed", "mohammad", "muhammed", "mehmet", "mohamad", "muhamad", "mohamud"],
    ["ahmed", "ahmad", "ahmet", "akhmed", "ahmadou"],
    ["ibrahim", "abraham", "ebrahim", "avraham", "ibragim", "brahim"],
    ["ismail", "ishmael", "ismael", "esmail", "ismoil", "ismayil"],
    ["yaqub", "jacob", "yakub", "yakov", "jakob", "jacques", "yacoub"],
    ["musa", "moses", "moussa", "moshe", "moisei", "mousa"],
    ["sulayman", "solomon", "suleiman", "suleyman", "soliman", "sulaiman", "souleymane"],
    ["dawud", "david", "daoud", "dawood", "davud", "daud"],
    ["mikhail", "michael", "michel", "miguel", "mihail", "mikail", "mykhailo"],
    ["nikolai", "nicholas", "nikolay", "nicolas", "mykola", "nicola"],
    ["pyotr", "peter", "petr", "pedro", "pietro", "pierre", "petro"],
    ["ivan", "john", "juan", "giovanni", "jean", "johann", "ioannis", "yahya"],
    ["sergei", "sergey", "sergio", "serge", "serhiy"],
    ["dmitri", "dmitry", "dmitriy", "dimitri", "dimitrios", "dmytro"],
    ["andrei", "andrey", "andrew", "andres", "andreas", "andre", "andriy"],
    ["georgi", "george", "georgiy", "jorge", "giorgi", "yuri", "jurgen"],
    ["pavel", "paul", "pablo", "paolo", "paulo", "pavlo"],
    ["yevgeny", "eugene", "evgeny", "evgeniy", "eugenio", "yevhen"],
    ["husayn", "hussein", "hossein", "husain", "huseyn", "huseyin", "hussain"],
    ["hasan", "hassan", "hasson"],
    ["abdullah", "abdallah", "abdulla", "abdollah", "abdellah"],
    ["umar", "omar", "omer", "oumar"],
    ["uthman", "osman", "othman", "usman", "ousmane"],
    ["mustafa", "mostafa", "moustafa", "mustapha", "mostapha"],
    ["mahmud", "mahmoud", "mahmood", "makhmud", "mahamoud"],
    ["jamal", "gamal", "djamel", "jamaal", "jemal"],
    ["jafar", "jaafar", "djafar", "cafer", "jafer"],
    ["khalil", "halil", "khaleel", "khelil"],
    ["nasir", "nasser", "naser", "nassir", "nacer"],
    ["said", "saeed", "saiid", "sayid", "saeid"],
    ["yasin", "yassin", "yaseen", "yassine"],
    ["zakariya", "zakaria", "zachary", "zacharias", "zakariyya"],
    ["yunus", "jonah", "younes", "younis", "yunis", "younous"],
    ["ilyas", "elias", "elijah", "ilya", "ilias"],
    ["ayyub", "job", "ayub", "eyup", "ayoub"],
    ["maryam", "mary", "maria", "mariam", "miriam", "meryem"],
    ["fatima", "fatma", "fatemeh", "fatimah", "fatoumata"],
    ["aisha", "ayesha", "aysha", "ayse", "aicha"],
    ["abd al-rahman", "abdulrahman", "abdurrahman", "abdelrahman", "abdourahmane"],
    ["ali", "aly", "alee"],
    ["hamid", "hamed", "hameed", "hamit"],
    ["karim", "kareem", "kerim", "karym"],
    ["rashid", "rasheed", "rachid", "reshid"],
    ["salih", "saleh", "salah", "salih"],
    ["tariq", "tarek", "tarik", "tareq"],
]

# Legal forms and generic company words, as a generator perturbs them.
GENERIC_WORDS = [
    "company", "co", "corporation", "corp", "trading", "holding", "holdings", "group", "international",
    "limited", "ltd", "llc", "industries", "industrial", "enterprises", "enterprise", "services",
    "shipping", "general", "investment", "investments", "import", "export", "establishment", "bank",
    "s.a.", "sa", "de", "c.v.", "inc", "gmbh", "fze", "jsc", "ojsc", "pjsc", "ooo", "sarl", "srl",
]

# Words of legal forms: a name cut down to these and generic words names nobody.
LEGAL_WORDS = {
    "open", "closed", "public", "joint", "stock", "company", "limited", "liability", "partnership",
    "obshchestvo", "ogranichennoi", "otvetstvennostyu", "aktsionernoe", "otkrytoe", "zakrytoe",
    "publichnoe", "sociedad", "anonima", "societe", "anonyme", "gesellschaft", "mit", "beschrankter",
    "haftung", "co.", "co.,", "ltd.", "ltd", "llc", "ooo", "oao", "zao", "pao", "ao", "jsc",
}

TITLES = ["Dr.", "Mr.", "Mrs.", "Eng.", "Sheikh", "Hajji", "Prof.", "Gen.", "Col.", "Jr.", "Sr.", "II"]

CYRILLIC_LOOKALIKES = {
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
    "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х",
    "y": "у", "i": "і", "j": "ј", "s": "ѕ",
}

# Latin to Russian Cyrillic, longest spelling first: how a Russian speaker writes a romanised name.
TO_CYRILLIC = [
    ("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"), ("yu", "ю"),
    ("ya", "я"), ("yo", "ё"), ("ou", "у"), ("ee", "и"), ("oo", "у"), ("a", "а"), ("b", "б"),
    ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "дж"),
    ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"),
    ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"), ("y", "й"), ("z", "з"),
]

PHONETIC = [("ph", "f"), ("f", "ph"), ("ck", "k"), ("c", "k"), ("k", "c"), ("s", "z"), ("z", "s"),
            ("ie", "y"), ("y", "ie"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("w", "v"), ("v", "w"),
            ("q", "k"), ("x", "ks"), ("ch", "tch"), ("dj", "j"), ("j", "dj")]

TRANSLIT = [("ou", "u"), ("u", "ou"), ("ya", "ia"), ("ia", "ya"), ("iy", "i"), ("ii", "i"), ("kh", "h"),
            ("kh", "ch"), ("q", "k"), ("q", "g"), ("dzh", "j"), ("zh", "j"), ("j", "dj"), ("yu", "iu"),
            ("e", "a"), ("a", "e"), ("ei", "ey"), ("ey", "ei"), ("aa", "a"), ("sh", "ch"), ("w", "ou"),
            ("i", "ee"), ("u", "oo"), ("dh", "z"), ("th", "s"), ("gh", "g")]

OCR = [("m", "rn"), ("l", "1"), ("o", "0"), ("s", "5"), ("i", "l"), ("B", "8"), ("O", "0"), ("S", "5"),
       ("I", "1"), ("rn", "m"), ("h", "b"), ("e", "c")]

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060"]

VOWELS = set("aeiouAEIOU")

NEGATIVE_LOCALES = [
    # (faker locale, ISO country of nationality): native scripts first, a few Latin ones after. Locales
    # whose names faker writes in English (ar_EG, ar_JO, ar_AE, ar_BH, am_ET, sr_BA) are left out.
    ("ar_SA", "SA"), ("ar_PS", "PS"), ("ar_DZ", "DZ"), ("ar_AA", "EG"), ("fa_IR", "IR"), ("hi_IN", "IN"),
    ("ne_NP", "NP"), ("bn_BD", "BD"), ("ta_IN", "IN"), ("mr_IN", "IN"), ("gu_IN", "IN"), ("th_TH", "TH"),
    ("zh_CN", "CN"), ("zh_TW", "TW"), ("ja_JP", "JP"), ("ko_KR", "KR"), ("he_IL", "IL"), ("ru_RU", "RU"),
    ("uk_UA", "UA"), ("bg_BG", "BG"), ("el_GR", "GR"), ("ka_GE", "GE"), ("hy_AM", "AM"), ("si_LK", "LK"),
    ("or_IN", "IN"), ("mk_MK", "MK"), ("fr_DZ", "DZ"),
    ("tr_TR", "TR"), ("az_AZ", "AZ"), ("uz_UZ", "UZ"), ("vi_VN", "VN"), ("id_ID", "ID"), ("es_MX", "MX"),
]
NEGATIVES = 50_000

LATIN_LOCALES = [
    # (faker locale, ISO country of nationality): a fintech's customers in the US, Europe, the Americas and
    # Australia; en_US three times over, so 23 entries of 21 locales, taken in turn.
    ("en_US", "US"), ("en_US", "US"), ("en_US", "US"), ("en_GB", "GB"), ("en_CA", "CA"), ("en_AU", "AU"),
    ("en_IE", "IE"), ("de_DE", "DE"), ("fr_FR", "FR"), ("es_ES", "ES"), ("it_IT", "IT"), ("nl_NL", "NL"),
    ("no_NO", "NO"), ("sv_SE", "SE"), ("da_DK", "DK"), ("pl_PL", "PL"), ("pt_BR", "BR"), ("pt_PT", "PT"),
    ("cs_CZ", "CZ"), ("fi_FI", "FI"), ("hu_HU", "HU"), ("ro_RO", "RO"), ("es_CO", "CO"),
]
LATIN_NEGATIVES = 40_000
# Its own seed, so adding this set left every earlier set as it was.
LATIN_SEED = SEED + 1


def half(key):
    """`tune` or `report`, fixed by a hash of `key`."""
    return "tune" if hashlib.sha256(key.encode()).digest()[0] % 2 == 0 else "report"


def null(value):
    value = (value or "").strip()
    return "" if value == "-0-" else value


def read_ofac(prim, alts):
    parties = {}
    with open(prim, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) < 3 or not row[0].strip().isdigit():
                continue
            kind = null(row[2]) or "organization"
            parties[row[0].strip()] = {"id": row[0].strip(), "kind": kind, "names": [null(row[1])]}
    for path in alts:
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) >= 4 and row[0].strip() in parties and null(row[3]):
                    parties[row[0].strip()]["names"].append(null(row[3]))
    return list(parties.values())


def read_un(path):
    root = ET.parse(path).getroot()
    parties = []
    for node, kind in [("INDIVIDUALS/INDIVIDUAL", "individual"), ("ENTITIES/ENTITY", "organization")]:
        for record in root.findall(node):
            parts = [(record.findtext(tag) or "").strip()
                     for tag in ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]]
            primary = " ".join(p for p in parts if p)
            if not primary:
                continue
            original = (record.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
            names = [primary] + ([original] if original else [])
            aliases = [(a.findtext("ALIAS_NAME") or "").strip()
                       for a in record.findall("INDIVIDUAL_ALIAS") + record.findall("ENTITY_ALIAS")]
            names += [a for a in aliases if a]
            parties.append({"id": (record.findtext("DATAID") or "").strip(), "kind": kind, "names": names,
                            "original": original})
    return parties


def latin_tokens(name):
    return re.findall(r"[A-Za-z][A-Za-z'\-]*", name)


def is_latin(name):
    return all(ord(c) < 0x250 for c in name)


def split_ofac(name):
    """`LAST, Given Names` as (surname part, given part); (name, "") when there is no comma."""
    if "," in name:
        last, given = name.split(",", 1)
        return last.strip(), given.strip()
    return name.strip(), ""


def edit_token(name, rng, change):
    """Applies `change` to one token of at least four letters; None when none fits or nothing changed."""
    words = name.split(" ")
    spots = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 4]
    if not spots:
        return None
    i = rng.choice(spots)
    changed = change(words[i])
    if not changed or changed == words[i]:
        return None
    words[i] = changed
    return " ".join(words)


def letters_at(word):
    return [i for i, c in enumerate(word) if c.isalpha()]


def typo(word, rng):
    spots = letters_at(word)[1:]
    if not spots:
        return None
    i = rng.choice(spots)
    action = rng.choice(["sub", "ins", "del"])
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    letter = letter.upper() if word[i].isupper() else letter
    if action == "sub":
        return word[:i] + letter + word[i + 1:]
    if action == "ins":
        return word[:i] + letter + word[i:]
    return word[:i] + word[i + 1:]


def transpose(word, rng):
    spots = [i for i in letters_at(word)[1:-1] if word[i + 1].isalpha() and word[i] != word[i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def double_collapse(word, rng):
    doubled = [i for i in range(len(word) - 1) if word[i].isalpha() and word[i] == word[i + 1]]
    if doubled:
        i = rng.choice(doubled)
        return word[:i] + word[i + 1:]
    spots = letters_at(word)[1:]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + word[i] + word[i:]


def substitute(word, rng, table, preserve_case=True):
    options = [(a, b) for a, b in table if a in word.lower()]
    if not options:
        return None
    a, b = rng.choice(options)
    lower = word.lower()
    at = [m.start() for m in re.finditer(re.escape(a), lower)]
    i = rng.choice(at)
    replacement = b.upper() if preserve_case and word[i:i + len(a)].isupper() else b
    return word[:i] + replacement + word[i + len(a):]


def ocr(word, rng):
    options = [(a, b) for a, b in OCR if a in word[1:]]
    if not options:
        return None
    a, b = rng.choice(options)
    at = [m.start() + 1 for m in re.finditer(re.escape(a), word[1:])]
    i = rng.choice(at)
    return word[:i] + b + word[i + len(a):]


def drop_vowels(word):
    kept = word[0] + "".join(c for c in word[1:] if c not in VOWELS)
    return kept if sum(c.isalpha() for c in kept) >= 2 else word


def person_order(name, rng):
    last, given = split_ofac(name)
    if given:
        return f"{given} {last}"
    words = name.split()
    if len(words) < 2:
        return None
    rotated = words[1:] + words[:1] if rng.random() < 0.5 else words[-1:] + words[:-1]
    return " ".join(rotated)


def initials(name, rng):
    last, given = split_ofac(name)
    if given:
        parts = given.split()
        k = rng.randrange(len(parts))
        parts[k] = parts[k][0] + "."
        return f"{last}, {' '.join(parts)}"
    words = name.split()
    if len(words) < 3:
        return None
    k = rng.randrange(len(words) - 1)
    words[k] = words[k][0] + "."
    return " ".join(words)


def token_drop(name, rng):
    last, given = split_ofac(name)
    words = (given + " " + last).split() if given else name.split()
    if len(words) < 3:
        return None
    k = rng.randrange(1, len(words) - 1)
    del words[k]
    return " ".join(words)


def particle(name, rng):
    if re.search(r"\b(AL|Al|al|EL|El|el|BIN|bin|ABU|Abu|ABD|Abd)-", name):
        return re.sub(r"\b(AL|Al|al|EL|El|el|BIN|bin|ABU|Abu|ABD|Abd)-", rng.choice([r"\1 ", r"\1"]), name, count=1)
    if re.search(r"\b(AL|Al|al|EL|El) ", name):
        return re.sub(r"\b(AL|Al|al|EL|El) ", r"\1-", name, count=1)
    return None


def punctuation(name, rng):
    if "-" in name or "'" in name:
        return name.replace("-", rng.choice([" ", ""])).replace("'", "")
    if "," in name:
        return name.replace(",", "")
    return None


def truncate(name, rng):
    words = name.split()
    last = words[-1]
    if len(last) < 6:
        return None
    cut = rng.randrange(3, len(last) - 1)
    return " ".join(words[:-1] + [last[:cut]])


def field_width(name, rng):
    """Cuts the name at 20 or 35 characters, mid-word, as a payment or core-banking field stores it, when
    a whole word that names the party is left before the cut."""
    for width in rng.sample([20, 35], 2):
        if len(name) > width + 2 and name[width - 1].isalpha() and name[width].isalpha():
            kept = name[:width].replace(",", " ").replace("-", " ").split()[:-1]
            if any(len(w) >= 3 and w.lower().strip(".,'()") not in GENERIC_WORDS
                   and w.lower().strip(".,'()") not in LEGAL_WORDS for w in kept):
                return name[:width]
    return None


def equivalent(name, rng):
    words = name.replace(",", " , ").split()
    spots = []
    for i, w in enumerate(words):
        for group in EQUIVALENTS:
            if w.lower() in group and " " not in w:
                spots.append((i, group))
    if not spots:
        return None
    i, group = rng.choice(spots)
    other = rng.choice([g for g in group if g != words[i].lower() and " " not in g])
    words[i] = other.upper() if words[i].isupper() else other.capitalize()
    return " ".join(words).replace(" , ", ", ")


def generic_word(name, rng):
    words = name.split()
    spots = [i for i, w in enumerate(words) if w.lower().strip(",.") in GENERIC_WORDS and len(w.strip(",.")) >= 2]
    if not spots:
        return None
    i = rng.choice(spots)
    w = words[i]
    style = rng.choice(["last_lower", "first_lower", "swap_letter", "dots", "k_for_c"])
    if style == "last_lower":
        w = w[:-1] + w[-1].lower() if w[-1].isalpha() else w
    elif style == "first_lower":
        w = w[0].lower() + w[1:]
    elif style == "swap_letter" and len(w) >= 4:
        w = w[:-1] + ("i" if w[-1].lower() == "y" else "y")
    elif style == "dots":
        w = w.replace(".", ". .", 1) if "." in w else w + ".."
    elif style == "k_for_c" and "C" in w.upper():
        k = w.upper().index("C")
        w = w[:k] + "K" + w[k + 1:]
    words[i] = w
    changed = " ".join(words)
    return changed if changed != name else None


def to_cyrillic(name):
    out = []
    text = name.lower()
    i = 0
    while i < len(text):
        for latin, cyr in TO_CYRILLIC:
            if text.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(" " if text[i] in " ,-" else "")
            i += 1
    return re.sub(r" +", " ", "".join(out)).strip().title()


def positives(party, rng):
    """(class, query) pairs for one party."""
    primary = party["names"][0]
    latin_names = [n for n in party["names"] if is_latin(n) and latin_tokens(n)]
    if not latin_names:
        return []
    person = party["kind"] == "individual"
    out = []

    def add(cls, query):
        if query and query.strip() and query != primary:
            out.append((cls, query))

    def each(cls, make, names=None):
        pool = names or latin_names
        for _ in range(PER_CLASS_PER_PARTY):
            add(cls, make(rng.choice(pool)))

    each("typo", lambda n: edit_token(n, rng, lambda w: typo(w, rng)))
    each("transpose", lambda n: edit_token(n, rng, lambda w: transpose(w, rng)))
    each("double_collapse", lambda n: edit_token(n, rng, lambda w: double_collapse(w, rng)))
    each("ocr", lambda n: edit_token(n, rng, lambda w: ocr(w, rng)))
    each("phonetic", lambda n: edit_token(n, rng, lambda w: substitute(w, rng, PHONETIC)))
    each("translit", lambda n: edit_token(n, rng, lambda w: substitute(w, rng, TRANSLIT)))
    each("homoglyph", lambda n: "".join(CYRILLIC_LOOKALIKES.get(c, c) if rng.random() < 0.5 else c for c in n))
    each("invisible_char", lambda n: edit_token(n, rng, lambda w: w[:len(w) // 2] + rng.choice(INVISIBLE) + w[len(w) // 2:]))
    each("title_affix", lambda n: f"{rng.choice(TITLES)} {n}" if rng.random() < 0.5 else f"{n} {rng.choice(TITLES)}")
    each("punctuation", lambda n: punctuation(n, rng))
    each("truncate", lambda n: truncate(n, rng))
    each("field_width", lambda n: field_width(n, rng))
    if person:
        each("name_order", lambda n: person_order(n, rng))
        each("initials", lambda n: initials(n, rng))
        each("token_drop", lambda n: token_drop(n, rng))
        each("particle", lambda n: particle(n, rng))
        each("vowel_drop", lambda n: " ".join(drop_vowels(w) for w in n.split()))
        each("equivalent", lambda n: equivalent(n, rng))
        each("script", lambda n: to_cyrillic(n))
        if party.get("original"):
            words = party["original"].split()
            add("original_script", " ".join(words[1:] + words[:1]) if len(words) >= 2 else party["original"])
    else:
        each("generic_word", lambda n: generic_word(n, rng))
        each("company_vowel_drop", lambda n: " ".join(drop_vowels(w) for w in n.split()))
        each("token_drop", lambda n: token_drop(n, rng))
    return out


def surname_and_given(name):
    last, given = split_ofac(name)
    if given:
        return last.split(), given.split()
    words = name.split()
    return words[-1:], words[:-1]


COMMON_GIVEN = ["Mohammad", "Muhammad", "Ali", "Ahmad", "Hassan", "Hussein", "Abdullah", "Mohamed",
                "Omar", "Ibrahim", "Mahmoud", "Khalid", "Abdul", "Said", "Sergey", "Vladimir"]


def negatives(party, others, outsiders, surnames, rng):
    """Near misses of `party`: built from other pool parties' given names, from surnames of people who are
    not listed, and from the distinctive words of companies outside the pool, so that none names a party
    of the pool."""
    primary = party["names"][0]
    if not is_latin(primary):
        return []
    out = []
    other = rng.choice(others)
    if party["kind"] == "individual" and other["kind"] == "individual" and is_latin(other["names"][0]):
        last, given = surname_and_given(primary)
        other_last, other_given = surname_and_given(other["names"][0])
        if given and other_given and other_given[0].lower() not in (g.lower() for g in given):
            out.append(("cross_pair", f"{last[0]} {other_given[0]}"))
        if len(last + given) >= 2:
            words = given + last
            k = rng.randrange(len(words))
            words[k] = rng.choice(surnames)
            out.append(("token_swap", " ".join(words)))
        if last and len(last[0]) >= 5:
            # Every letter after the first third replaced: another name, not a typo of this one.
            word = last[0]
            cut = max(1, len(word) // 3)
            tail = "".join(rng.choice("aeioulmnrstkbdg".replace(c.lower(), "")) for c in word[cut:])
            out.append(("edit_beyond", " ".join([word[:cut] + tail.upper()] + given)))
        common = [g for g in given if g.lower() in (c.lower() for c in COMMON_GIVEN)]
        if common:
            out.append(("common_word", f"{common[0]} {rng.choice(surnames)}"))
    elif party["kind"] != "individual":
        words = primary.split()
        generic = [w for w in words if w.lower().strip(",.") in GENERIC_WORDS]
        distinctive = [w for w in words if w not in generic]
        outsider = rng.choice(outsiders)
        if generic and distinctive:
            other_words = [w for w in outsider["names"][0].split() if w.lower().strip(",.") not in GENERIC_WORDS]
            if other_words:
                out.append(("company_swap", " ".join(other_words[:2] + generic)))
    return out


def perturbation_set(label, parties, exclude, rng, surnames, source):
    parties = [p for p in parties if p["id"] not in exclude and any(is_latin(n) for n in p["names"])]
    people = [p for p in parties if p["kind"] == "individual"]
    others = [p for p in parties if p["kind"] != "individual" and p["kind"] not in ("vessel", "aircraft")]
    pool = rng.sample(people, min(len(people), POOL * 2 // 3))
    pool += rng.sample(others, min(len(others), POOL - len(pool)))
    outsiders = [p for p in others if p not in pool and is_latin(p["names"][0])]
    cases = []
    for party in pool:
        split = half(f"{label}:{party['id']}")
        for cls, query in positives(party, rng):
            cases.append({"query": query, "expected_entity_id": party["id"], "perturbation": cls,
                          "family": "positive", "source_name": party["names"][0], "split": split,
                          "kind": party["kind"]})
        for cls, query in negatives(party, [p for p in pool if p is not party], outsiders, surnames, rng):
            cases.append({"query": query, "expected_entity_id": None, "perturbation": cls,
                          "family": "negative", "source_name": party["names"][0], "split": split,
                          "kind": party["kind"]})
    by_class = {}
    for case in cases:
        by_class.setdefault(case["perturbation"], []).append(case)
    kept = []
    for cls in sorted(by_class):
        group = by_class[cls]
        kept += rng.sample(group, min(len(group), MAX_PER_CLASS))
    rng.shuffle(kept)
    return {
        "manifest": {
            "name": label, "list_source": source, "seed": SEED, "entity_count": len(pool),
            "case_count": len(kept), "positive_count": sum(c["expected_entity_id"] is not None for c in kept),
            "negative_count": sum(c["expected_entity_id"] is None for c in kept),
            "generator": "eval/heldout/generate.py",
        },
        "candidates": {p["id"]: p["names"] for p in pool},
        "kinds": {p["id"]: p["kind"] for p in pool},
        "cases": kept,
    }


def fold(name):
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return frozenset(re.findall(r"\w+", text))


def seeded_fakers(locales, rng):
    """A faker per (locale, country), each seeded from `rng` in turn."""
    from faker import Faker

    fakers = []
    for locale, country in locales:
        fake = Faker(locale)
        fake.seed_instance(rng.randrange(1 << 30))
        fakers.append((locale, country, fake))
    return fakers


def multiscript_negatives(listed, rng):
    fakers = seeded_fakers(NEGATIVE_LOCALES, rng)
    listed_names = {fold(n) for p in listed for n in p["names"]}
    rows = []
    seen = set()
    while len(rows) < NEGATIVES:
        locale, country, fake = fakers[len(rows) % len(fakers)]
        name = fake.name()
        tokens = fold(name)
        if not tokens or tokens in listed_names or name in seen:
            continue
        seen.add(name)
        born = fake.date_of_birth(minimum_age=18, maximum_age=90)
        # Rows take the locales in turn, and there is an odd number of locales, so each locale's names
        # alternate between the halves.
        rows.append({"full_name": name, "locale": locale, "date_of_birth": born.isoformat(),
                     "nationality": country, "split": "tune" if len(rows) % 2 == 0 else "report"})
    return rows


def latin_negatives(listed):
    """People of Latin-script populations, as the shared negatives-us set is, for tuning what that set
    reports: each locale's names alternate between the halves."""
    rng = random.Random(LATIN_SEED)
    fakers = seeded_fakers(LATIN_LOCALES, rng)
    listed_names = {fold(n) for p in listed for n in p["names"]}
    rows = []
    seen = set()
    turn = 0
    kept = [0] * len(fakers)
    while len(rows) < LATIN_NEGATIVES:
        # The entries in turn, and each entry's names alternate between the halves.
        entry = turn % len(fakers)
        locale, country, fake = fakers[entry]
        turn += 1
        name = f"{fake.first_name()} {fake.last_name()}"
        tokens = fold(name)
        # Names the matcher reads alike (accents, word order) are one name, in one half only; a comma
        # (`Werl-Arnsberg, van`) would be read as surname first.
        if not tokens or "," in name or tokens in listed_names or tokens in seen:
            continue
        seen.add(tokens)
        # Fixed dates rather than ages, so the set does not move with the day it is made.
        born = fake.date_between_dates(date(1936, 1, 1), date(2007, 12, 31))
        split = "tune" if kept[entry] % 2 == 0 else "report"
        kept[entry] += 1
        rows.append({"full_name": name, "locale": locale, "date_of_birth": born.isoformat(),
                     "nationality": country, "split": split})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lists", type=Path, required=True)
    parser.add_argument("--shared", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    parser.add_argument("--only", choices=["perturbations", "multiscript", "latin"], action="append",
                        help="write only these sets (repeatable); all by default")
    args = parser.parse_args()
    wanted = set(args.only or ["perturbations", "multiscript", "latin"])
    rng = random.Random(SEED)

    shared = json.loads((args.shared / "perturbations-sdn-2022-01-31.json").read_text())
    shared_ids = set(shared["candidates"])
    with open(args.shared / "negatives-us.csv", newline="", encoding="utf-8") as f:
        surnames = sorted({row["last_name"] for row in csv.DictReader(f)})

    un = read_un(args.lists / "un-consolidated-2026-02-27" / "UN_consolidated.xml")
    cons_dir = args.lists / "ofac-consolidated-2025-12-19"
    cons = read_ofac(cons_dir / "cons_prim.csv", [cons_dir / "cons_alt.csv"])
    sdn = read_ofac(args.lists / "ofac-sdn-2024-05-03" / "sdn.csv",
                    [args.lists / "ofac-alt-add-2026-06-02" / "alt.csv"])
    sets = [
        ("perturbations-un-2026-02-27", un, set(), "UN Security Council consolidated list 2026-02-27"),
        ("perturbations-cons-2025-12-19", cons, set(), "OFAC consolidated (non-SDN) list 2025-12-19"),
        ("perturbations-sdn-2024-05-03", sdn, shared_ids,
         "OFAC SDN 2024-05-03 with the 2026-06-02 aliases, less the shared set's parties"),
    ]
    for label, parties, exclude, source in sets:
        # Made even when not written: the multi-script negatives draw from the same generator after them.
        data = perturbation_set(label, parties, exclude, rng, surnames, source)
        if "perturbations" not in wanted:
            continue
        (args.out / f"{label}.json").write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n")
        print(label, data["manifest"]["positive_count"], "positives", data["manifest"]["negative_count"], "negatives")

    negative_sets = [
        ("multiscript", lambda: multiscript_negatives(un + cons + sdn, rng)),
        ("latin", lambda: latin_negatives(un + cons + sdn)),
    ]
    for name, make in negative_sets:
        if name not in wanted:
            continue
        rows = make()
        with open(args.out / f"negatives-{name}.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        print(f"negatives-{name}", len(rows))


if __name__ == "__main__":
    main()
