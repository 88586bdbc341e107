"""A card's fields from its text lines: by pattern, then by vocabulary and layout.

Patterns find what has a fixed shape (emails, web addresses, phone numbers and their
labels, 〒 postal codes and the address after them). The rest is told apart by words
(株式会社, 部, 課長, 税理士, Co., Ltd., Manager) and by layout: the person's name is the
largest text left over, its furigana or romaji is the kana or Latin line next to it.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.cardreader import readings, vocabulary
from tracker.cardreader.ocr import TextLine
from tracker.cardreader.result import CardFields, add_unique

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"(?:https?://[^\s,;、]+|www\.[^\s,;、]+|"
    r"(?<![@\w.])[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:com|net|org|jp|co\.jp|or\.jp|ne\.jp|"
    r"biz|info|io|co|law|tax|design|studio|tokyo)(?:/[^\s,;、]*)?(?![\w@.]))",
    re.IGNORECASE,
)
# A phone number: an optional +country code, then digits in groups (10 to 15 in all).
_PHONE = re.compile(r"(?:\+\s?\d{1,3}[\s\-.]?)?\(?\d{1,5}\)?(?:[\s\-.()]{0,2}\d{1,5}){1,4}")
_POSTAL = re.compile(r"〒?\s?(?<![\d\-+])(\d{3})\s?[-ー‐−–]\s?(\d{4})(?![\d\-])")
_LABEL = re.compile(r"([A-Za-z\u3040-\u30ff\u4e00-\u9fff.\-]+)[\s.:：/]*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff々〆ヶ]")
_CJK_NAME = re.compile(r"^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff々〆ヶ・\s]{2,14}$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'\-.]*(?:\s+[A-Z][A-Za-z'\-.]*){1,3}$")
_KATAKANA = "\u30a1-\u30fa\u30fc"
# Kanji that PP-OCR reads for look-alike katakana inside katakana words (ヒカリエ as ヒカリ工).
_LOOKALIKES = str.maketrans(
    {
        "工": "エ",
        "力": "カ",
        "口": "ロ",
        "二": "ニ",
        "夕": "タ",
        "卜": "ト",
        "八": "ハ",
        "一": "ー",
        "ㇵ": "ハ",
    }
)
_DEPARTMENT_THEN = re.compile(
    r"(?:(?<=\bdepartment)|(?<=\bdept\.)|(?<=\bdivision)|(?<=\bteam)|(?<=\bsection))\s+(?=\S)",
    re.IGNORECASE,
)
_BUILDING = re.compile(r"(ビル|タワー|館|棟|階|F\b|号室|号|Bldg|Building|Tower|Floor|\d+F)", re.I)


@dataclass
class Row:
    """Text lines that sit side by side on the card, read as one line."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    parts: list[TextLine] = field(default_factory=list)
    used: bool = False

    @property
    def height(self) -> float:
        """The text's height (of its tallest part)."""
        return self.size

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def clean(text: str) -> str:
    """OCR text in the forms a card prints: NFKC, look-alikes inside katakana words put right."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"^[亍丁干于](?=\s?\d{3}\s?-)", "〒", text)
    text = re.sub(r"(?<=\s)[亍丁干](?=\s?\d{3}\s?-)", "〒", text)
    # A long-vowel mark follows kana, never a kanji: after one it is 一 (第一ビル).
    text = re.sub(r"(?<=[\u3400-\u9fff])ー", "一", text)
    return re.sub(
        rf"(?<=[{_KATAKANA}])[工力口二夕卜八一]+|(?<![\u3400-\u9fff])[工力口二夕卜八一]+(?=[{_KATAKANA}]{{2}})",
        lambda match: match[0].translate(_LOOKALIKES),
        text,
    )


def rows_of(lines: Iterable[TextLine]) -> list[Row]:
    """Join the lines that share a baseline and sit close together, top to bottom."""
    rows: list[Row] = []
    for line in sorted(lines, key=lambda line: line.x0):
        text = clean(line.text)
        for row in rows:
            overlap = min(row.y1, line.y1) - max(row.y0, line.y0)
            similar = 0.6 < line.height / max(row.height, 1) < 1.6
            gap = line.x0 - row.x1
            if overlap > 0.6 * min(row.height, line.height) and similar and gap < 2.5 * row.height:
                joiner = " " if gap > 0.25 * row.height or not (_CJK.search(text)) else ""
                row.text = f"{row.text}{joiner}{text}"
                row.x1 = max(row.x1, line.x1)
                row.y0, row.y1 = min(row.y0, line.y0), max(row.y1, line.y1)
                row.size = max(row.size, line.height)
                row.parts.append(line)
                break
        else:
            rows.append(Row(text, line.x0, line.y0, line.x1, line.y1, line.height, [line]))
    return sorted(rows, key=lambda row: (row.cy, row.x0))


def read_fields(lines: list[TextLine]) -> CardFields:
    """The fields of one side of a card from its OCR lines."""
    rows = rows_of(lines)
    fields = CardFields(source="ocr" if rows else "none")
    for row in rows:
        _contacts(row, fields)
    _address(rows, fields)
    _company_and_roles(rows, fields)
    _name(rows, fields)
    return fields


# -- patterns -------------------------------------------------------------------------------


def _label_before(text: str) -> str:
    found = _LABEL.search(text)
    return found[1].strip(".-").casefold() if found else ""


def _contacts(row: Row, fields: CardFields) -> None:
    """Emails, web addresses and phone numbers in a row (a fax number is no phone)."""
    text = re.sub(r"\s*@\s*", "@", row.text)
    rest = text
    for match in _EMAIL.finditer(text):
        add_unique(fields.emails, match[0].strip(".").lower())
        rest = rest.replace(match[0], " ")
        row.used = True
    for match in _URL.finditer(rest):
        url = match[0].rstrip(".,)")
        if "@" in url:
            continue
        add_unique(fields.urls, url)
        rest = rest.replace(match[0], " ")
        row.used = True
    postal = _POSTAL.search(rest)
    if postal:
        # An address line: its postal code and house numbers make no phone number.
        rest = rest[: postal.start()] + " " + rest[postal.end() :]
        if not re.search(r"(?i)\b(tel|phone|fax)\b|電話|携帯", rest):
            return
    start = 0
    for match in _PHONE.finditer(rest):
        digits = re.sub(r"\D", "", match[0])
        label = _label_before(rest[start : match.start()])
        start = match.end()
        if not 10 <= len(digits) <= 15:
            continue
        row.used = True
        if label in vocabulary.FAX_LABELS or label.endswith("fax"):
            continue
        add_unique(fields.phones, _tidy_phone(match[0]))


def _tidy_phone(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip(" .-"))
    return re.sub(r"\s*-\s*", "-", text)


def _address(rows: list[Row], fields: CardFields) -> None:
    """The postal address: after a 〒 code, or a line naming a prefecture, or (in English)
    a line with a postcode or street words; a building line right below joins it."""
    for index, row in enumerate(rows):
        if row.used:
            continue
        text = row.text
        postal = _POSTAL.search(text)
        japanese = _CJK.search(text) is not None
        if postal and (text.lstrip().startswith("〒") or japanese):
            code = f"〒{postal[1]}-{postal[2]}"
            before = text[: postal.start()].strip()
            # 〒 misread as T, テ or 干 leaves a letter before the code; a label too.
            before = "" if len(before) <= 2 else before
            rest = (before + " " + text[postal.end() :]).strip(" ,")
            rest = re.sub(r"^(住所|所在地|Address)[:：\s]*", "", rest)
            pieces = [rest] if rest else []
            follow = index + 1
            if not rest and follow < len(rows) and not rows[follow].used:
                pieces.append(rows[follow].text)
                rows[follow].used = True
                follow += 1
            pieces += _building_lines(rows, follow, row)
            row.used = True
            fields.address = " ".join([code, *pieces]).strip()
            return
        if (
            japanese
            and any(pref in text for pref in vocabulary.PREFECTURES)
            and re.search(r"[市区町村郡]", text)
        ):
            row.used = True
            fields.address = " ".join([text, *_building_lines(rows, index + 1, row)])
            return
        if not japanese and _english_address(text):
            row.used = True
            pieces = [text.strip(" ,")]
            above = rows[index - 1] if index else None
            if above and not above.used and above.text.rstrip().endswith(","):
                # The street, broken off before the district and city.
                above.used = True
                pieces.insert(0, above.text.strip(" ,"))
            for below in rows[index + 1 : index + 3]:
                if below.used or not _english_address(below.text):
                    break
                below.used = True
                pieces.append(below.text.strip(" ,"))
            fields.address = ", ".join(pieces)
            return


def _english_address(text: str) -> bool:
    lowered = f" {text.casefold()} "
    if "@" in text or "http" in lowered:
        return False
    if any(word in lowered for word in vocabulary.ADDRESS_WORDS_EN):
        return bool(re.search(r"\d", text)) or "japan" in lowered
    return bool(_POSTAL.search(text)) or bool(re.search(r"\b[A-Z]{2}\s\d{5}\b", text))


def _building_lines(rows: list[Row], start: int, above: Row) -> list[str]:
    """The lines right below an address that continue it (a building and floor)."""
    pieces = []
    for below in rows[start : start + 1]:
        close = below.y0 - above.y1 < 1.2 * above.height
        if below.used or not close or not _BUILDING.search(below.text):
            continue
        if _PHONE.search(below.text) and len(re.sub(r"\D", "", below.text)) >= 10:
            continue
        below.used = True
        pieces.append(below.text.strip())
    return pieces


# -- words ----------------------------------------------------------------------------------


def _is_company(text: str) -> bool:
    if _CJK.search(text):
        return any(word in text for word in vocabulary.COMPANY_WORDS_JA)
    lowered = f" {text.casefold()} "
    return any(
        re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered)
        for word in vocabulary.COMPANY_WORDS_EN
    )


def _title_of(token: str) -> str | None:
    """The title a word (or words) is, when it is one (営業部部長 is a department and one)."""
    if _CJK.search(token):
        matches = [title for title in vocabulary.TITLES_JA if token.endswith(title)]
        if not matches:
            return None
        prefix = token[: -len(max(matches, key=len))]
        return None if prefix and _is_department(prefix) else token
    lowered = token.casefold().strip(" ,")
    for title in vocabulary.TITLES_EN:
        if re.search(rf"(?<![a-z]){re.escape(title)}(?![a-z])", lowered):
            return token.strip(" ,")
    return None


def _is_department(token: str) -> bool:
    if _CJK.search(token):
        return token.endswith(vocabulary.DEPARTMENT_ENDINGS_JA)
    lowered = token.casefold()
    return any(
        re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered)
        for word in vocabulary.DEPARTMENT_WORDS_EN
    )


def _company_and_roles(rows: list[Row], fields: CardFields) -> None:
    """The company line, then departments and titles (in one line or in several)."""
    for row in sorted((row for row in rows if not row.used), key=lambda row: -row.height):
        if _is_company(row.text) and not fields.company:
            fields.company = _company_text(row.text)
            row.used = True
    departments: list[str] = []
    titles: list[str] = []
    for row in rows:
        if row.used:
            continue
        found_departments, found_titles = _roles(row.text)
        if found_departments or found_titles:
            row.used = True
            departments += found_departments
            titles += found_titles
    joiner = " " if _CJK.search("".join(departments + titles)) else ", "
    fields.department = joiner.join(departments)
    fields.title = joiner.join(titles)


def _company_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _roles(text: str) -> tuple[list[str], list[str]]:
    """Split a line into departments and titles; both empty when it is neither."""
    if _CJK.search(text):
        tokens = text.split()
    else:
        tokens = []
        for token in re.split(r",|/|\|", text):
            # "Marketing Department Senior Manager": the department ends at its own word.
            tokens += [part.strip() for part in _DEPARTMENT_THEN.split(token) if part.strip()]
    departments, titles = [], []
    for token in tokens:
        title = _title_of(token)
        if title:
            titles.append(title)
        elif _is_department(token):
            departments.append(token)
        elif _CJK.search(token) and _embedded_title(token):
            department, title = _embedded_title(token)  # type: ignore[misc]
            departments.append(department)
            titles.append(title)
        else:
            return [], []
    return departments, titles


def _embedded_title(token: str) -> tuple[str, str] | None:
    """営業部部長 read as one word: the department, then the title."""
    for title in sorted(vocabulary.TITLES_JA, key=len, reverse=True):
        if token.endswith(title) and _is_department(token[: -len(title)]):
            return token[: -len(title)], title
    return None


# -- the name -------------------------------------------------------------------------------


def _name(rows: list[Row], fields: CardFields) -> None:
    """The largest remaining text that reads as a name, and its furigana or romaji."""
    candidates = [row for row in rows if not row.used and _looks_like_name(row.text)]
    if not candidates:
        return
    name = max(candidates, key=lambda row: row.height)
    name.used = True
    text = re.sub(r"\s+", " ", name.text).strip()
    if _CJK.search(text):
        family, given = readings.split_name(_name_text(name))
        fields.family_name, fields.given_name = family, given
        _readings(rows, name, fields)
    else:
        fields.family_name, fields.given_name = _latin_name(text)


def _looks_like_name(text: str) -> bool:
    text = text.strip()
    if _CJK.search(text):
        compact = text.replace(" ", "")
        return (
            bool(_CJK_NAME.match(text)) and 2 <= len(compact) <= 8 and not readings.is_kana(compact)
        )
    return bool(_LATIN_NAME.match(text)) and not _is_company(text)


def _name_text(row: Row) -> str:
    """A CJK name, with a space where the card left a gap between family and given name."""
    if len(row.parts) >= 2:
        ordered = sorted(row.parts, key=lambda line: line.x0)
        return " ".join(clean(line.text).replace(" ", "") for line in ordered)
    return re.sub(r"\s+", " ", row.text).strip()


def _latin_name(text: str) -> tuple[str, str]:
    """(family, given) of a Latin name: YAMADA Taro puts the family first, else Taro Yamada."""
    words = text.split()
    if words[0].isupper() and len(words[0]) > 1 and not all(word.isupper() for word in words):
        return words[0].title(), " ".join(words[1:])
    return words[-1], " ".join(words[:-1])


def _readings(rows: list[Row], name: Row, fields: CardFields) -> None:
    """Readings from the kana or romaji line next to the name, else suggested."""
    nearby = sorted(
        (row for row in rows if not row.used and row is not name),
        key=lambda row: abs(row.cy - name.cy),
    )
    for row in nearby[:3]:
        distance = min(abs(row.y1 - name.y0), abs(row.y0 - name.y1))
        if distance > 1.5 * name.height:
            continue
        text = row.text.strip()
        if readings.is_kana(text) and row.height < name.height:
            row.used = True
            fields.family_reading, fields.given_reading = readings.split_reading(
                text, fields.family_name, fields.given_name
            )
            return
        if not _CJK.search(text):
            found = readings.readings_from_romaji(fields.family_name, fields.given_name, text)
            if found and all(found):
                row.used = True
                fields.family_reading, fields.given_reading = found
                return
    suggest(fields)


def suggest(fields: CardFields) -> None:
    """Fill the readings the card does not print with likely ones."""
    family, given = readings.suggest(fields.family_name, fields.given_name)
    if family or given:
        fields.family_reading, fields.given_reading = family, given
        fields.readings_suggested = True
