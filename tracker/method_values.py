"""Emails, phone numbers and postal codes as phones type them, in one normal form.

A Japanese phone keyboard easily gives full-width characters (０４２－３６１－１２３４,
ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ) and one of the many dashes for a hyphen (ー, ‐, ―, −). Every way
in (the forms, the card form, imports) stores the normal form: NFKC, every dash a hyphen,
spaces tidied. Pure functions, no Flask and no database.
"""

import re
import unicodedata

# Dashes people and input methods type for a hyphen; NFKC leaves most of them alone.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u30fc\ufe58\ufe63\uff0d\uff70"
_TO_HYPHEN = str.maketrans(dict.fromkeys(DASHES, "-"))
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]")
# A postal code at the start of an address or after its mark: 〒183-0022, 〒１８３ー００２２.
_POSTAL = re.compile(
    rf"(?:(?P<mark>[〒〶])\s*(?P<a>[0-9０-９]{{3}})\s*[-{DASHES}]?\s*(?P<b>[0-9０-９]{{4}})"
    rf"|^(?P<c>[0-9０-９]{{3}})\s*[-{DASHES}]\s*(?P<d>[0-9０-９]{{4}}))(?![0-9０-９])"
)
# The number a tel: link calls: an optional + and digits with their separators, leading.
_DIALLED = re.compile(r"^\+?[\d\-\s().]*\d")
# What a searched phone may hold besides its digits.
_PHONE_PUNCTUATION = re.compile(rf"[\s\-+().{DASHES}]")
SEARCHED_DIGITS = 3  # a shorter run of digits is found through the search key alone
# A search term that may be part of an email address: three ASCII characters or more.
EMAIL_TERM = re.compile(r"^[!-~]{3,}$")


def _fold(value: str) -> str:
    """NFKC (full-width letters and digits become ASCII), every dash a hyphen."""
    return unicodedata.normalize("NFKC", value).translate(_TO_HYPHEN)


def normal_phone(value: str) -> str:
    """A phone number with ASCII digits and hyphens: ０４２－３６１－１２３４ → 042-361-1234."""
    return _SPACES.sub(" ", _fold(value)).strip()


def normal_email(value: str) -> str:
    """An email address in ASCII where it was typed full-width, without spaces; the
    ideographic full stop an input method gives for a dot becomes one."""
    return _SPACES.sub("", _fold(value).replace("。", ".")).strip()


def normal_address(value: str) -> str:
    """The address with its postal code written 〒183-0022 (the rest as typed)."""
    value = value.strip()

    def code(match: re.Match[str]) -> str:
        first, last = (match["a"], match["b"]) if match["mark"] else (match["c"], match["d"])
        return ("〒" if match["mark"] else "") + _fold(f"{first}-{last}")

    return _POSTAL.sub(code, value)


def normal_value(kind: str, value: str) -> str:
    """A contact method's value in its normal form (other kinds only lose outer spaces)."""
    if kind == "phone":
        return normal_phone(value)
    if kind == "email":
        return normal_email(value)
    if kind == "address":
        return normal_address(value)
    return value.strip()


def tel_uri(value: str) -> str:
    """The tel: address that calls a phone number (its digits, with a leading + kept), or ""
    when the value holds no number."""
    dialled = _DIALLED.match(normal_phone(value))
    if not dialled:
        return ""
    number = dialled.group()
    digits = "".join(_DIGITS.findall(number))
    return "tel:" + ("+" if number.startswith("+") else "") + digits


def search_key(kind: str, value: str) -> str:
    """What the contact search looks in for a method: a phone's digits, an email address
    in lower case; nothing for the other kinds."""
    if kind == "phone":
        return phone_digits(value)
    if kind == "email":
        return normal_email(value).lower()
    return ""


def phone_digits(value: str) -> str:
    """Every digit of a phone number, in ASCII."""
    return "".join(_DIGITS.findall(_fold(value)))


def searched_digits(term: str) -> list[str]:
    """The digit runs to look for in phone numbers when a search term is one (3611234,
    042-361, +81 42): the digits, and the same number written the other way round Japan's
    country code (042… and 8142…). Empty when the term is not a piece of a phone number."""
    folded = _fold(term)
    digits = _PHONE_PUNCTUATION.sub("", folded)
    if len(digits) < SEARCHED_DIGITS or not (digits.isascii() and digits.isdigit()):
        return []
    if digits.startswith("0") and len(digits) > 1:
        return [digits, "81" + digits[1:]]
    if folded.lstrip().startswith("+81") and len(digits) > 2:
        return [digits, "0" + digits[2:]]
    return [digits]
