"""CSV exports of mail clients' address books: Microsoft Outlook and Mozilla Thunderbird.

Both have one column per detail ("Business Phone", "Work City"), so each reader is a table
of columns and the label the app gives them.
"""

from tracker.importers.records import Card
from tracker.importers.tabular import Reader, Row
from tracker.importers.values import add_method, join_address, parse_birthday

_OUTLOOK_PHONES = (
    ("business phone", "work"),
    ("business phone 2", "work"),
    ("company main phone", "main"),
    ("mobile phone", "mobile"),
    ("home phone", "home"),
    ("home phone 2", "home"),
    ("primary phone", ""),
    ("other phone", "other"),
    ("business fax", "fax"),
    ("home fax", "fax"),
    ("other fax", "fax"),
    ("pager", "pager"),
    ("car phone", "car"),
    ("assistant's phone", "assistant"),
    ("callback", "callback"),
    ("radio phone", "radio"),
    ("isdn", "isdn"),
    ("telex", "telex"),
    ("tty/tdd phone", "tty"),
)
_OUTLOOK_ADDRESSES = (("business", "work"), ("home", "home"), ("other", "other"))
_OUTLOOK_RELATED = (
    ("spouse", "spouse"),
    ("manager's name", "manager"),
    ("assistant's name", "assistant"),
    ("children", "child"),
    ("referred by", "referred by"),
)
# Outlook's own bookkeeping: how it shows the address, its flags, and the mail account types.
_OUTLOOK_IGNORED = frozenset(
    {
        *(f"e-mail{n} {what}" for n in ("", " 2", " 3") for what in ("type", "display name")),
        "sensitivity",
        "priority",
        "private",
        "initials",
        "gender",
    }
)


def _matches_outlook(columns: frozenset[str]) -> bool:
    return {"first name", "last name", "e-mail address"} <= columns and bool(
        {"business phone", "mobile phone", "job title", "company"} & columns
    )


def _outlook_address(row: Row, prefix: str) -> str:
    street = ", ".join(
        part for part in (row.get(f"{prefix} street{n}") for n in ("", " 2", " 3")) if part.strip()
    )
    return join_address(
        street,
        row.get(f"{prefix} city"),
        row.get(f"{prefix} state"),
        row.get(f"{prefix} postal code"),
        row.get(f"{prefix} country/region", f"{prefix} country"),
        po_box=row.get(f"{prefix} address po box"),
    )


def _read_outlook(row: Row) -> Card:
    card = Card(
        family_name=row.get("last name"),
        given_name=row.get("first name"),
        additional_name=row.get("middle name"),
        nickname=row.get("nickname"),
        company=row.get("company"),
        department=row.get("department"),
        title=row.get("job title"),
        notes=row.get("notes"),
        tags=[tag.strip() for tag in row.get("categories").split(";") if tag.strip()],
    )
    for key in ("e-mail address", "e-mail 2 address", "e-mail 3 address"):
        add_method(card, "email", row.get(key))
    for key, label in _OUTLOOK_PHONES:
        add_method(card, "phone", row.get(key), label)
    for prefix, label in _OUTLOOK_ADDRESSES:
        add_method(card, "address", _outlook_address(row, prefix), label)
    add_method(card, "url", row.get("web page"))
    for key, label in _OUTLOOK_RELATED:
        add_method(card, "related", row.get(key), label)
    # Outlook writes dates as its locale does (month first in English) and 0/0/00 for none.
    for key in ("birthday", "anniversary"):
        raw = row.get(key)
        found = parse_birthday(raw, month_first=True) if raw.strip("0/ ") else None
        setattr(card, key, found)
    return card


_THUNDERBIRD_PHONES = (
    ("work phone", "work"),
    ("home phone", "home"),
    ("mobile number", "mobile"),
    ("fax number", "fax"),
    ("pager number", "pager"),
)


def _matches_thunderbird(columns: frozenset[str]) -> bool:
    return {"first name", "last name", "display name", "primary email"} <= columns


def _thunderbird_address(row: Row, prefix: str) -> str:
    street = ", ".join(
        part for part in (row.get(f"{prefix} address"), row.get(f"{prefix} address 2")) if part
    )
    return join_address(
        street,
        row.get(f"{prefix} city"),
        row.get(f"{prefix} state"),
        row.get(f"{prefix} zipcode"),
        row.get(f"{prefix} country"),
    )


def _thunderbird_birthday(row: Row) -> str | None:
    year, month, day = row.get("birth year"), row.get("birth month"), row.get("birth day")
    if not (month.isdigit() and day.isdigit()):
        return None
    prefix = f"{int(year):04d}" if year.isdigit() and int(year) > 0 else "-"
    return parse_birthday(f"{prefix}-{int(month):02d}-{int(day):02d}")


def _read_thunderbird(row: Row) -> Card:
    family, given = row.name(("last name",), ("first name",), "display name")
    card = Card(
        family_name=family,
        given_name=given,
        nickname=row.get("nickname"),
        company=row.get("organization"),
        department=row.get("department"),
        title=row.get("job title"),
    )
    add_method(card, "email", row.get("primary email"))
    add_method(card, "email", row.get("secondary email"))
    for key, label in _THUNDERBIRD_PHONES:
        add_method(card, "phone", row.get(key), label)
    add_method(card, "address", _thunderbird_address(row, "work"), "work")
    add_method(card, "address", _thunderbird_address(row, "home"), "home")
    add_method(card, "url", row.get("web page 1"), "work")
    add_method(card, "url", row.get("web page 2"), "home")
    # Thunderbird's screen name was its AIM address.
    add_method(card, "im", row.get("screen name"), "AIM")
    card.birthday = _thunderbird_birthday(row)
    custom = [f"Custom {n}: {row.get(f'custom {n}')}" for n in range(1, 5)]
    notes = [row.get("notes"), *(line for line in custom if not line.endswith(": "))]
    card.notes = "\n".join(part for part in notes if part.strip())
    return card


OUTLOOK = Reader("outlook", _matches_outlook, _read_outlook, ignored=_OUTLOOK_IGNORED)
THUNDERBIRD = Reader("thunderbird", _matches_thunderbird, _read_thunderbird)
