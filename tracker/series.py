"""The series an event belongs to, suggested from its name: pure functions, no Flask.

A recurring event is named after its series plus a date or a number ("倫理法人会 モーニング
セミナー 第312回 2026/11/05", "Tokyo Mixer #12 (Nov 5, 2026)"). The suggestion is the name
with the dates, weekdays, ordinals and other numbers taken out, and the brackets and
separators left empty by that tidied away. Digits may be full-width (２０２６) or kanji in an
ordinal (第三回); the rest of the name is kept as written.
"""

import re

_DIGIT = r"[0-9０-９]"
_NUMBER = rf"{_DIGIT}+"
_KANJI_NUMBER = r"[一二三四五六七八九十百千〇]+"
_SEP = r"\s*[/／.．\-－‐ー年月]\s*"  # between the parts of a date (ー: a long dash typed as one)
_ERA = rf"(?:令和|平成|昭和|[RHSrhs]\.?)\s*(?:元|{_NUMBER})"
_MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"  # English month names
)
_WEEKDAY = (
    r"[（(]\s*(?:[月火水木金土日](?:曜日?)?|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?)\s*[）)]"
)

# Tried in this order: longer forms first, so that a date is taken out whole.
_REMOVED = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"(?:{_ERA}|{_NUMBER}){_SEP}{_NUMBER}{_SEP}{_NUMBER}\s*日?",  # 2026/11/05, 令和8年11月5日
        rf"{_MONTHS}\s*{_NUMBER}(?:st|nd|rd|th)?,?(?:\s*{_NUMBER})?",  # Nov 5, 2026
        rf"{_NUMBER}\s*{_MONTHS}(?:\s*{_NUMBER})?",  # 5 Nov 2026
        rf"{_NUMBER}\s*月\s*{_NUMBER}\s*日",  # 11月5日
        # 2026年, 2026年11月, 2026年度
        rf"(?:{_ERA}|{_NUMBER})\s*年\s*(?:度|{_NUMBER}\s*月(?:度)?)?",
        rf"{_NUMBER}\s*月\s*(?:度)?",  # 11月
        rf"{_NUMBER}\s*[/／]\s*{_NUMBER}",  # 11/5
        _WEEKDAY,
        rf"第\s*(?:{_NUMBER}|{_KANJI_NUMBER})\s*[回期弾部号会]?",  # 第312回, 第三回
        rf"{_NUMBER}\s*(?:回目?|期生?|弾|号)",  # 312回, 5期
        rf"(?:#|No\.?|Vol\.?|vol\.?)\s*{_NUMBER}",  # #12, No.3, vol.2
        rf"{_NUMBER}(?:st|nd|rd|th)\b",  # 12th
        # Any number left, unless it is part of a Latin word (Web3, 3M).
        rf"(?<![A-Za-zＡ-Ｚａ-ｚ]){_NUMBER}(?![A-Za-zＡ-Ｚａ-ｚ])",
    )
]
_EMPTY_BRACKETS = re.compile(r"[（(\[【「『]\s*[)）\]】」』]")
_EDGE_SEPARATORS = re.compile(r"^[\s\-－‐–—・|｜/／:：,，、]+|[\s\-－‐–—・|｜/／:：,，、]+$")
_INNER_SEPARATORS = re.compile(r"\s+[\-－‐–—・|｜/／:：]+(?=\s|$)")
_SPACES = re.compile(r"[ \t\u3000]+")


def suggest_series(name: str) -> str:
    """Return the event's name without its dates and numbers ("" when nothing is left)."""
    text = name
    for pattern in _REMOVED:
        text = pattern.sub(" ", text)
    previous = None
    while previous != text:  # brackets emptied by one pass may empty the ones around them
        previous = text
        text = _EMPTY_BRACKETS.sub(" ", text)
        text = _INNER_SEPARATORS.sub(" ", text)
        text = _EDGE_SEPARATORS.sub("", _SPACES.sub(" ", text))
    return text.strip()
