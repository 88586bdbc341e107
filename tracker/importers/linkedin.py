"""LinkedIn's Connections.csv: names, company, position, email, profile URL, connected on."""

from tracker.importers.errors import N_
from tracker.importers.records import Card
from tracker.importers.tabular import Reader, Row
from tracker.importers.values import add_method

_REQUIRED = frozenset({"first name", "last name", "connected on"})
HIDDEN_PROFILE = N_("a LinkedIn member who hides their profile: the row holds only a date")


def _matches(columns: frozenset[str]) -> bool:
    return columns >= _REQUIRED


def _read(row: Row) -> Card | None:
    card = Card(
        family_name=row.get("last name"),
        given_name=row.get("first name"),
        company=row.get("company"),
        title=row.get("position"),
    )
    add_method(card, "email", row.get("email address"))
    add_method(card, "url", row.get("url"), "LinkedIn")
    if not (card.family_name or card.given_name or card.company or card.methods):
        # Since 2023 a member who hides their profile is a row of commas and a date.
        row.skip(HIDDEN_PROFILE)
        return None
    # Connecting is the nearest thing LinkedIn knows to a first meeting. Until 2019 the date
    # was written 1/8/18, 6:14 PM (month first); since, 08 Jan 2018.
    card.first_met_on = row.date("connected on", month_first=True)
    return card


READER = Reader("linkedin", _matches, _read)
