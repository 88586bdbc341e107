"""Eight (名刺アプリ) CSV exports: one row per business card, in cp932 with Japanese headers."""

import re
from functools import lru_cache

from tracker.importers.records import Card
from tracker.importers.tabular import Reader, Row
from tracker.importers.values import add_method, join_address, split_full_name

_REQUIRED = frozenset({"姓", "名"})
_ANY_OF = frozenset({"会社名", "名刺交換日", "携帯電話", "tel会社"})
# Column keys are NFKC-folded and case-folded; brackets and spaces are dropped before this test.
_READING_WORDS = ("読み", "よみ", "ヨミ", "フリガナ", "ふりがな", "カナ", "かな")
_FAMILY_READING = {f"姓{word}" for word in _READING_WORDS} | {"フリガナ姓", "セイ", "せい"}
_GIVEN_READING = {f"名{word}" for word in _READING_WORDS} | {"フリガナ名", "メイ", "めい"}
_FULL_READING = {f"氏名{word}" for word in _READING_WORDS} | {*_READING_WORDS, "よみがな"}
_PUNCTUATION = re.compile(r"[\s()\[\]（）「」【】・:]")
_PHONES = (("tel会社", "work"), ("tel部門", "部門"), ("tel直通", "直通"), ("fax", "fax"))


def _matches(columns: frozenset[str]) -> bool:
    return columns >= _REQUIRED and bool(_ANY_OF & columns)


@lru_cache(maxsize=16)
def _reading_columns(columns: tuple[str, ...]) -> tuple[str, str, str]:
    """The keys of the family, given and full reading columns, "" for those the file lacks."""
    found = {"family": "", "given": "", "full": ""}
    for key in columns:
        bare = _PUNCTUATION.sub("", key)
        for kind, names in (
            ("family", _FAMILY_READING),
            ("given", _GIVEN_READING),
            ("full", _FULL_READING),
        ):
            if bare in names and not found[kind]:
                found[kind] = key
    return found["family"], found["given"], found["full"]


def _readings(row: Row) -> tuple[str, str]:
    family_key, given_key, full_key = _reading_columns(row.columns)
    family, given = row.get(family_key), row.get(given_key)
    if not (family or given) and full_key:
        family, given = split_full_name(row.get(full_key))
    return family, given


def _read(row: Row) -> Card:
    family_reading, given_reading = _readings(row)
    card = Card(
        family_name=row.get("姓"),
        given_name=row.get("名"),
        family_reading=family_reading,
        given_reading=given_reading,
        company=row.get("会社名"),
        department=row.get("部署名"),
        title=row.get("役職"),
    )
    # Eight holds business cards, so their unlabelled details are work details.
    add_method(card, "email", row.get("e-mail", "email", "メールアドレス"), "work")
    for key, label in _PHONES:
        add_method(card, "phone", row.get(key), label)
    add_method(card, "phone", row.get("携帯電話"), "mobile")
    address = row.get("住所")
    if address:
        add_method(card, "address", join_address(address, postal_code=row.get("郵便番号")), "work")
    add_method(card, "url", row.get("url"), "work")
    card.first_met_on = row.date("名刺交換日")
    return card


READER = Reader("eight", _matches, _read)
