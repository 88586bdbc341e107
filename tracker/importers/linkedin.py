"""LinkedIn's Connections.csv: names, company, position, email, profile URL, connected on."""

from tracker.importers.records import Card
from tracker.importers.tabular import Reader, Row
from tracker.importers.values import add_method

_REQUIRED = frozenset({"first name", "last name", "connected on"})


def _matches(columns: frozenset[str]) -> bool:
    return columns >= _REQUIRED


def _read(row: Row) -> Card:
    card = Card(
        family_name=row.get("last name"),
        given_name=row.get("first name"),
        company=row.get("company"),
        title=row.get("position"),
    )
    add_method(card, "email", row.get("email address"))
    add_method(card, "url", row.get("url"), "LinkedIn")
    # Connecting is the nearest thing LinkedIn knows to a first meeting.
    card.first_met_on = row.date("connected on")
    return card


READER = Reader("linkedin", _matches, _read)
