"""Readings (よみ) of Japanese names: from printed furigana or romaji, else suggested.

Two sources suggest them, both offline and loaded once, when first needed:
- the name lists of ``japanese-personal-name-dataset`` (about 2,000 family names with
  their population, so the commonest reading comes first, and 9,000 given-name readings
  with every known kanji spelling), which also split a name printed without a space;
- UniDic (``unidic-lite``, through ``fugashi``), a dictionary that knows names as names:
  the given names' lists hold every reading a spelling has had (陽子: あきこ … ようこ) in no
  order of likelihood, and UniDic picks the usual one.
"""

import csv
import importlib.util
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jaconv

_KANA = re.compile(r"^[\u3041-\u309f\u30a0-\u30ffー・\s]+$")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z'\-]*$")
# Long vowels are often left out of romaji (Ito for いとう, Ohno for おおの).
_LONG_VOWELS = ((r"oh(?![aiueo])", "o"), ("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"))


@dataclass
class _Names:
    family: dict[str, list[str]] = field(default_factory=dict)  # kanji: readings, commonest first
    given: dict[str, list[str]] = field(default_factory=dict)
    longest_family: int = 0


def _dataset_dir() -> Path | None:
    spec = importlib.util.find_spec("japanese_personal_name_dataset")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "dataset"


@cache
def _names() -> _Names:
    """The name lists, or empty ones when the package is not installed."""
    names = _Names()
    folder = _dataset_dir()
    if folder is None:
        return names
    with (folder / "last_name_org.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle) if len(row) >= 3]
    rows.sort(key=lambda row: -int(row[1]) if row[1].isdigit() else 0)
    for row in rows:
        names.family.setdefault(row[0], []).append(row[2])
    names.longest_family = max((len(kanji) for kanji in names.family), default=0)
    # The curated lists of popular names first: their readings are the likelier ones.
    for name in ("man_opti", "woman_opti", "man_org", "woman_org"):
        path = folder / f"first_name_{name}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                if len(row) < 3:
                    continue
                for kanji in row[2:]:
                    readings = names.given.setdefault(kanji, [])
                    if row[0] not in readings:
                        readings.append(row[0])
    return names


def hiragana(text: str) -> str:
    """Kana as the app keeps readings: hiragana, half-width forms made whole, no spaces."""
    return "".join(str(jaconv.kata2hira(unicodedata.normalize("NFKC", text))).split())


def is_kana(text: str) -> bool:
    return bool(_KANA.match(text)) and any(not char.isspace() for char in text)


def split_name(name: str) -> tuple[str, str]:
    """A Japanese full name as (family, given): at its space, else after a known family name."""
    parts = name.split()
    if len(parts) >= 2:
        return parts[0], "".join(parts[1:])
    name = parts[0] if parts else ""
    family = _names().family
    for length in range(min(len(name) - 1, _names().longest_family), 0, -1):
        if name[:length] in family:
            return name[:length], name[length:]
    # Most family names are two characters: the best guess for an unknown one.
    cut = 2 if len(name) >= 3 else 1
    return name[:cut], name[cut:]


def suggest(family: str, given: str) -> tuple[str, str]:
    """Likely readings of a family and a given name ("" where none is known)."""
    return (
        _suggest_one(family, _names().family, family=True),
        _suggest_one(given, _names().given, family=False),
    )


def _suggest_one(name: str, readings: dict[str, list[str]], *, family: bool) -> str:
    if not name:
        return ""
    if is_kana(name):
        return hiragana(name)
    found = readings.get(name)
    if family and found:
        return found[0]
    return dictionary_reading(name) or (found[0] if found else "")


_TAGGER_LOCK = threading.Lock()


@cache
def _tagger() -> Any:
    """UniDic's tagger, or None when fugashi or unidic-lite is not installed."""
    try:
        import fugashi

        return fugashi.Tagger()
    except (ImportError, RuntimeError):
        return None


def dictionary_reading(word: str) -> str:
    """UniDic's reading of a word in hiragana, or "" when it does not know every part."""
    tagger = _tagger()
    if tagger is None:
        return ""
    with _TAGGER_LOCK:
        kana = [str(getattr(token.feature, "kana", None) or "*") for token in tagger(word)]
    if not kana or "*" in kana:
        return ""
    return hiragana("".join(kana))


def candidates(name: str, *, family: bool) -> list[str]:
    """Every reading the lists know for a family or given name."""
    if is_kana(name):
        return [hiragana(name)]
    known = list((_names().family if family else _names().given).get(name, ()))
    usual = dictionary_reading(name) if name else ""
    if usual and (not family or not known):
        # UniDic's reading first: for given names, the lists' order says nothing.
        known = [usual, *(reading for reading in known if reading != usual)]
    return known


def loose_romaji(text: str) -> str:
    """Romaji with long vowels folded, so that Ito, Itou and Itoh compare equal."""
    text = text.casefold()
    if not text.isascii():
        text = str(jaconv.kana2alphabet(hiragana(text)))
    text = text.replace("-", "").replace("'", "")
    for pattern, short in _LONG_VOWELS:
        text = re.sub(pattern, short, text)
    return text


def kana_of_romaji(word: str) -> str:
    """Hiragana for a romaji word, or "" when it does not read as Japanese."""
    word = word.casefold().replace("-", "")
    word = re.sub(r"^oh(?![aiueo])", "oo", word)  # Ohno: おおの
    word = re.sub(r"oh(?![aiueo])", "ou", word)  # Itoh: いとう
    converted = str(jaconv.alphabet2kana(word))
    return converted if is_kana(converted) else ""


def readings_from_romaji(family: str, given: str, latin: str) -> tuple[str, str] | None:
    """The readings a romaji line gives a Japanese name (Taro Yamada, YAMADA Taro), or None."""
    words = [word for word in latin.replace(",", " ").split() if _LATIN_WORD.match(word)]
    if len(words) != 2 or len(words) != len(latin.replace(",", " ").split()):
        return None
    first, second = words
    family_known = candidates(family, family=True)
    given_known = candidates(given, family=False)
    # Which word is the family name: the one a known reading matches, else the one in
    # capitals (YAMADA Taro), else Western order (Taro Yamada).
    order = None
    for candidate in family_known:
        if loose_romaji(candidate) == loose_romaji(first):
            order = (first, second)
        elif loose_romaji(candidate) == loose_romaji(second):
            order = (second, first)
        if order:
            break
    if order is None:
        if first.isupper() and not second.isupper():
            order = (first, second)
        elif second.isupper() and not first.isupper():
            order = (second, first)
        else:
            order = (second, first)
    return (
        _reading_of(order[0], family_known),
        _reading_of(order[1], given_known),
    )


def _reading_of(word: str, known: list[str]) -> str:
    """The known reading the romaji spells, else the romaji's own kana."""
    for candidate in known:
        if loose_romaji(candidate) == loose_romaji(word):
            return candidate
    return kana_of_romaji(word)


def _unvoiced(kana: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", kana) if c not in "\u3099\u309a")


def _known(reading: str, name: str, *, family: bool) -> str:
    """A printed reading, put right when it misses only a voicing mark (かすや for かずや)."""
    known = candidates(name, family=family)
    if reading in known:
        return reading
    close = [c for c in known if _unvoiced(c) == _unvoiced(reading)]
    return close[0] if len(close) == 1 else reading


def split_reading(reading: str, family: str, given: str) -> tuple[str, str]:
    """Furigana cut between the family and given name (and checked against the name lists)."""
    family_reading, given_reading = _split_reading(reading, family, given)
    return (
        _known(family_reading, family, family=True),
        _known(given_reading, given, family=False),
    )


def _split_reading(reading: str, family: str, given: str) -> tuple[str, str]:
    parts = reading.split()
    if len(parts) >= 2:
        return hiragana(parts[0]), hiragana("".join(parts[1:]))
    whole = hiragana(reading)
    for candidate in candidates(family, family=True):
        if whole.startswith(candidate) and len(whole) > len(candidate):
            return candidate, whole[len(candidate) :]
    for candidate in candidates(given, family=False):
        if whole.endswith(candidate) and len(whole) > len(candidate):
            return whole[: -len(candidate)], candidate
    # No list knows either name: cut in proportion to the characters of each.
    share = len(family) / max(1, len(family) + len(given))
    cut = max(1, min(len(whole) - 1, round(len(whole) * share)))
    return whole[:cut], whole[cut:]
