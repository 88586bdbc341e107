"""Eight (名刺アプリ) CSV exports: one row per business card, with Japanese headers.

Eight has written two layouts: separate 姓 and 名 columns, and (as its users download it
today) a few lines of notes above a header with one 氏名 column and 氏名（よみ）. The day
cards were exchanged (名刺交換日) is the first meeting, and the import logs a card exchange
on it.
"""

import re
from functools import lru_cache

from tracker.importers.records import Card
from tracker.importers.tabular import Reader, Row
from tracker.importers.values import add_method, join_address

_NAMES = (frozenset({"姓", "名"}), frozenset({"氏名"}))
_ANY_OF = frozenset({"会社名", "名刺交換日", "携帯電話", "tel会社"})
# Column keys are NFKC-folded and case-folded; brackets and spaces are dropped before this test.
_READING_WORDS = ("読み", "よみ", "ヨミ", "フリガナ", "ふりがな", "カナ", "かな")
_FAMILY_READING = {f"姓{word}" for word in _READING_WORDS} | {"フリガナ姓", "セイ", "せい"}
_GIVEN_READING = {f"名{word}" for word in _READING_WORDS} | {"フリガナ名", "メイ", "めい"}
_FULL_READING = {f"氏名{word}" for word in _READING_WORDS} | {*_READING_WORDS, "よみがな"}
_COMPANY_READING = {f"会社名{word}" for word in _READING_WORDS} | {"フリガナ会社名"}
_PUNCTUATION = re.compile(r"[\s()\[\]（）「」【】・:]")
_PHONES = (("tel会社", "work"), ("tel部門", "部門"), ("tel直通", "直通"), ("fax", "fax"))
# Eight's own flags: whether the person is on Eight, whether the card is being re-read.
_IGNORED = frozenset({"eightでつながっている人", "再データ化中の名刺", "'?'を含んだデータ"})


def _matches(columns: frozenset[str]) -> bool:
    return any(columns >= names for names in _NAMES) and bool(_ANY_OF & columns)


@lru_cache(maxsize=16)
def _reading_columns(columns: tuple[str, ...]) -> dict[str, str]:
    """The keys of the reading columns the file has, by kind (family, given, full, company)."""
    found: dict[str, str] = {}
    for key in columns:
        bare = _PUNCTUATION.sub("", key)
        for kind, names in (
            ("family", _FAMILY_READING),
            ("given", _GIVEN_READING),
            ("full", _FULL_READING),
            ("company", _COMPANY_READING),
        ):
            if bare in names:
                found.setdefault(kind, key)
    return found


def _names(row: Row) -> tuple[str, str, str, str]:
    """Family and given name and their readings, from whichever layout the file has."""
    columns = _reading_columns(row.columns)
    # 氏名 is one cell: a space (full- or half-width) parts family from given name;
    # without one the split is not the file's to tell, so the name stays whole.
    family, given = row.name(("姓",), ("名",), "氏名")
    family_reading, given_reading = row.name(
        (columns.get("family", ""),), (columns.get("given", ""),), columns.get("full", "")
    )
    return family, given, family_reading, given_reading


def _read(row: Row) -> Card:
    family, given, family_reading, given_reading = _names(row)
    card = Card(
        family_name=family,
        given_name=given,
        family_reading=family_reading,
        given_reading=given_reading,
        company=row.get("会社名"),
        company_reading=row.get(_reading_columns(row.columns).get("company", "")),
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
    else:
        row.get("郵便番号")  # a postal code alone is no address
    add_method(card, "url", row.get("url"), "work")
    card.first_met_on = row.date("名刺交換日")
    return card


READER = Reader("eight", _matches, _read, ignored=_IGNORED, card_exchanges=True)
