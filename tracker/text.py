"""Names and the keys to find and sort them: pure functions, no Flask, no database.

- ``display_name`` puts a name in the order its script expects: 山田 太郎, Jane Smith.
- ``normalise`` folds text for search: NFKC (half-width ｶﾀｶﾅ and full-width ＡＢＣ become
  their usual forms), katakana to hiragana, case folded, spaces collapsed.
- ``search_key`` is stored on each contact: its names, readings (also in romaji), the
  fields the specification marks for search (company, department, title, expertise,
  notes) and its tags, normalised, one per line.
- ``query_terms`` turns what a person typed into terms, each with the spellings to try:
  a romaji term such as ``yamada`` also looks for ``やまだ``.
- ``sort_key`` orders a list as a Japanese address book does: names with a reading
  first in gojūon order, then Latin names A–Z by family name, then the rest by name.
- ``contact_keys`` builds both from anything that has a contact's fields (a contact, an
  imported card): the one builder the model and the imports share.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import jaconv

from tracker import fields

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_LATIN_WORD = re.compile(r"^[a-z'\-]+$")
_SPACES = re.compile(r"\s+")
# Small kana sort as their full-size forms; voiced marks only break ties (gojūon order).
_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
_VOICING_MARKS = {"\u3099", "\u309a"}


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def display_name(family: str, given: str) -> str:
    """The full name in the order its script expects."""
    family, given = family.strip(), given.strip()
    if has_cjk(family + given):
        return f"{family} {given}".strip()
    return f"{given} {family}".strip()


def display_reading(family_reading: str, given_reading: str) -> str:
    return f"{family_reading.strip()} {given_reading.strip()}".strip()


_UNSEARCHABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
# Characters no database should be asked to store: NUL (PostgreSQL refuses it) and the other
# controls but tab and line breaks, and lone surrogates (not UTF-8).
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def storable(text: str) -> str:
    """The text without control characters (tab and line breaks kept) or lone surrogates."""
    return _UNSTORABLE.sub("", text)


def normalise(text: str) -> str:
    """Fold text so that width, kana script, case and spacing do not matter (control
    characters and lone surrogates, which no database stores, are dropped)."""
    text = unicodedata.normalize("NFKC", _UNSEARCHABLE.sub(" ", text))
    text = jaconv.kata2hira(text).casefold()
    return _SPACES.sub(" ", text).strip()


def romaji(kana: str) -> str:
    """Hepburn romaji of a kana reading (other characters pass through)."""
    return str(jaconv.kana2alphabet(normalise(kana)))


@dataclass
class NameParts(fields.ContactFields):
    """What the keys are made of: a contact's fields and the names of its tags."""

    tags: tuple[str, ...] = ()


# The fields searched besides the names, which search_key spells several ways itself.
_SPELLED = ("family_name", "given_name", "family_reading", "given_reading")
_SEARCHED = tuple(spec.name for spec in fields.FIELDS if spec.search and spec.name not in _SPELLED)
SORT_KEY_LEN = 4 * fields.NAME_LEN + 10


def search_key(parts: NameParts) -> str:
    """The stored, normalised text a search query is matched against."""
    reading = display_reading(parts.family_reading, parts.given_reading)
    lines = [
        display_name(parts.family_name, parts.given_name),
        parts.family_name + parts.given_name,
        reading,
        parts.family_reading + parts.given_reading,
        romaji(reading) if reading else "",
        romaji(parts.company_reading) if parts.company_reading else "",
        *(getattr(parts, name) for name in _SEARCHED),
        *parts.tags,
    ]
    return "\n".join(normalise(line) for line in lines if line.strip())


def _kana_spelling(term: str) -> str | None:
    """The kana a romaji term spells, when it reads as romaji at all."""
    if not _LATIN_WORD.match(term):
        return None
    kana = str(jaconv.alphabet2kana(term))
    if re.search(r"[a-z]", kana) or kana.startswith("っ") or "っっ" in kana:
        return None
    return kana


def query_terms(query: str) -> list[tuple[str, ...]]:
    """Split a query into terms; each term lists the spellings that may match it."""
    terms: list[tuple[str, ...]] = []
    for term in normalise(query).split(" "):
        if not term:
            continue
        kana = _kana_spelling(term)
        terms.append((term, kana) if kana and kana != term else (term,))
    return terms


def _gojuon(kana: str) -> str:
    """A key that sorts hiragana in dictionary order: が with か, っ with つ, ties by voicing."""
    decomposed = unicodedata.normalize("NFD", kana)
    base = "".join(ch for ch in decomposed if ch not in _VOICING_MARKS).translate(_SMALL_KANA)
    return f"{base}\x01{kana}"


def sort_key(parts: NameParts) -> str:
    reading = normalise(parts.family_reading + " " + parts.given_reading)
    if reading:
        return "0" + _gojuon(reading)
    name = normalise(parts.family_name + " " + parts.given_name)
    if name and not has_cjk(name):
        return "1" + name
    # A company's own card (no person's name) sorts by the company's reading when it has one.
    company_reading = normalise(parts.company_reading)
    if not name and company_reading:
        return "0" + _gojuon(company_reading)
    return "2" + (name or normalise(parts.company))


class Keys(NamedTuple):
    search_key: str
    sort_key: str


def contact_keys(source: object, tags: Iterable[str]) -> Keys:
    """The search and sort keys of anything with a contact's fields, and its tags' names."""
    parts = NameParts(**fields.values(source), tags=tuple(tags))
    return Keys(search_key(parts), sort_key(parts)[:SORT_KEY_LEN])
