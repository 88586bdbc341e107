"""vCard 2.1, 3.0 and 4.0: several contacts per file, as phones and address books write them.

``tracker.importers.contentlines`` turns the text into cards of properties; here each
card's properties fill a ``Card``. What depends on several properties (readings from
whichever place the writer put them, ORG paired with its TITLE, the name from FN) is
settled once the whole card is read. A property the app has no place for is counted in
``ParseResult.not_kept``, so the preview can say what was left out.
"""

import base64
import binascii
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.images import image_format, image_type
from tracker.importers import values
from tracker.importers.contentlines import Block, Property, blocks, logical_lines, parse_property
from tracker.importers.errors import N_
from tracker.importers.records import Card, ParseResult, Problem

_BEGIN = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t\r]*$", re.IGNORECASE | re.MULTILINE)
_ESCAPE = re.compile(r"\\([\\,;:nN])")
_UNESCAPED = {"n": "\n", "N": "\n"}
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f\s・･]+")
_HALF_WIDTH_KANA = re.compile(r"[\uff61-\uff9f]+")
_TYPE_LABELS = {
    "fax": "fax",
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "pager": "pager",
    "work": "work",
    "home": "home",
    "main": "main",
    "other": "other",
}
# When a value has several types, the most telling one names it (WORK,FAX is a fax).
_LABEL_ORDER = ("fax", "mobile", "pager", "work", "home", "main", "other")
_METHOD_PROPERTIES = {"TEL": "phone", "EMAIL": "email", "ADR": "address", "URL": "url"}
# Instant messaging as the address books wrote it before IMPP, with the service's name.
_IM_PROPERTIES = {
    "X-AIM": "AIM",
    "X-ICQ": "ICQ",
    "X-JABBER": "Jabber",
    "X-MSN": "MSN",
    "X-YAHOO": "Yahoo",
    "X-SKYPE": "Skype",
    "X-SKYPE-USERNAME": "Skype",
    "X-GOOGLE-TALK": "Google Talk",
    "X-GTALK": "Google Talk",
    "X-QQ": "QQ",
    "X-GADUGADU": "Gadu-Gadu",
    "X-GROUPWISE": "GroupWise",
    "X-SIP": "SIP",
    "X-LINE": "LINE",
}
# A scheme that names no service (Apple's catch-all), so it is no label.
_NAME_SHOWN = 40  # a property's name as the preview shows it
_ANONYMOUS_SCHEMES = {"x-apple", "im", "x-im"}
_RELATED_PROPERTIES = {
    "X-EVOLUTION-SPOUSE": "spouse",
    "X-EVOLUTION-MANAGER": "manager",
    "X-EVOLUTION-ASSISTANT": "assistant",
    "X-KADDRESSBOOK-X-SPOUSESNAME": "spouse",
    "X-KADDRESSBOOK-X-MANAGERSNAME": "manager",
    "X-KADDRESSBOOK-X-ASSISTANTSNAME": "assistant",
    "X-MS-SPOUSE": "spouse",
    "X-MS-MANAGER": "manager",
    "X-MS-ASSISTANT": "assistant",
    "X-SPOUSE": "spouse",
    "X-MANAGER": "manager",
    "X-ASSISTANT": "assistant",
}
_ANNIVERSARIES = {
    "ANNIVERSARY",
    "X-ANNIVERSARY",
    "X-EVOLUTION-ANNIVERSARY",
    "X-MS-ANNIVERSARY",
    "X-KADDRESSBOOK-X-ANNIVERSARY",
}
_ANNIVERSARY_LABELS = {"anniversary", "記念日"}
# Android's X-ANDROID-CUSTOM rows that hold a relation, by the type number Android uses.
_ANDROID_RELATIONS = {
    "1": "assistant",
    "2": "brother",
    "3": "child",
    "4": "domestic partner",
    "5": "father",
    "6": "friend",
    "7": "manager",
    "8": "mother",
    "9": "parent",
    "10": "partner",
    "11": "referred by",
    "12": "relative",
    "13": "sister",
    "14": "spouse",
}
# What a writer records about the file or the record itself, nothing about the person.
_BOOKKEEPING = {
    "VERSION",
    "PRODID",
    "REV",
    "UID",
    "X-ABUID",
    "CLIENTPIDMAP",
    "KIND",
    "SOURCE",
    "NAME",
    "PROFILE",
    "MAILER",
    "CLASS",
    "X-CLASS",
    "X-ABSHOWAS",
    "X-ABLABEL",
    "X-ABADR",
    "X-EVOLUTION-FILE-AS",
    "X-MOZILLA-HTML",
    "X-MOZILLA-PROPERTY",
    "X-ETAG",
    "X-ID",
    "X-PHONETIC-MIDDLE-NAME",
}


@dataclass
class _Context:
    """What a card's properties say that is only settled once all of them are read."""

    record: int
    labels: dict[str, str] = field(default_factory=dict)
    version: str = ""
    full_name: str = ""
    named: bool = False
    readings: dict[str, tuple[str, str]] = field(default_factory=dict)  # by source
    company_readings: list[str] = field(default_factory=list)
    orgs: list[Property] = field(default_factory=list)
    titles: list[Property] = field(default_factory=list)
    nicknames: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    labels_of_addresses: list[Property] = field(default_factory=list)
    not_kept: Counter[str] = field(default_factory=Counter)
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, prop: Property, message: str, **params: object) -> None:
        self.warnings.append(Problem(self.record, prop.line, message, dict(params)))

    def group_label(self, prop: Property) -> str:
        return self.labels.get(prop.group, "") if prop.group else ""


def looks_like_vcard(text: str) -> bool:
    """True when a line of the text is BEGIN:VCARD."""
    return bool(_BEGIN.search(text))


# -- values --------------------------------------------------------------------------------


def unescape(value: str) -> str:
    r"""A text value with \n, \, \; \: and \\ undone; other backslashes are kept as written."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda match: _UNESCAPED.get(match[1], match[1]), value)


def split_escaped(value: str, separator: str) -> list[str]:
    """Split on separators that no backslash escapes, then unescape each part."""
    if "\\" not in value:
        return value.split(separator)
    return [unescape(part) for part in _split_raw(value, separator)]


def _split_raw(value: str, separator: str) -> list[str]:
    """Split on separators that no backslash escapes, the escapes left in place."""
    parts, current, index = [], [], 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            current.append(value[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _raw_component(value: str, index: int) -> str:
    """One ;-separated component of a structured value, its escapes left in place."""
    parts = _split_raw(value, ";") if "\\" in value else value.split(";")
    return parts[index] if index < len(parts) else ""


def _components(value: str, count: int) -> list[str]:
    parts = split_escaped(value, ";")
    return parts + [""] * (count - len(parts))


def reading(value: str) -> str:
    """A reading as the app keeps it: half-width katakana made full-width, one line."""
    return _HALF_WIDTH_KANA.sub(
        lambda run: unicodedata.normalize("NFKC", run[0]), values.clean(value)
    )


def _is_kana(value: str) -> bool:
    return bool(value.strip()) and bool(_KANA.fullmatch(value.strip()))


def _base64(text: str) -> bytes | None:
    compact = "".join(text.split())
    compact += "=" * (-len(compact) % 4)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None


def _photo_bytes(prop: Property) -> bytes | str | None:
    """The photo's bytes; "link" for a photo given only by its address; None if unreadable."""
    value = prop.value.strip()
    if value[:5].lower() == "data:":
        header, _, payload = value.partition(",")
        return _base64(payload) if ";base64" in header.lower() else None
    if any(enc.upper() in ("B", "BASE64") for enc in prop.params.get("ENCODING", ())):
        return _base64(value)
    if prop.param("VALUE").lower() == "uri" or "://" in value[:12]:
        return "link"
    # vCard 3.0 writers (Thunderbird among them) leave out ENCODING=b: the bytes say it.
    data = _base64(value)
    return data if data and image_format(data) else None


# -- properties into a card ----------------------------------------------------------------


def _method_label(prop: Property, context: _Context) -> str:
    if label := context.group_label(prop):
        return label
    found = {_TYPE_LABELS[kind] for kind in prop.types() if kind in _TYPE_LABELS}
    for label in _LABEL_ORDER:
        if label in found:
            return label
    custom = [kind[2:] for kind in prop.types() if kind.startswith("x-") and len(kind) > 2]
    return custom[0] if custom else ""


def _method_value(prop: Property, kind: str, context: _Context) -> str:
    if kind == "address":
        po_box, extended, street, locality, region, code, country = _components(prop.value, 7)[:7]
        return values.join_address(street, locality, region, code, country, extended, po_box)
    value = unescape(prop.value)
    tel_uri = prop.param("VALUE").lower() == "uri" or context.version == "4.0"
    if kind == "phone" and tel_uri and value[:4].lower() == "tel:":
        value = value[4:]
    if kind == "email" and value[:7].lower() == "mailto:":
        value = value[7:]
    return value


def _on_method(card: Card, prop: Property, context: _Context) -> None:
    kind = _METHOD_PROPERTIES[prop.name]
    values.add_method(card, kind, _method_value(prop, kind, context), _method_label(prop, context))


def _on_impp(card: Card, prop: Property, context: _Context) -> None:
    """An IMPP URI (sip:…, xmpp:…): the service names the label, the address is the value."""
    scheme, colon, address = unescape(prop.value).strip().partition(":")
    if not colon:
        scheme, address = "", scheme
    service = prop.param("X-SERVICE-TYPE") or context.group_label(prop)
    if not service and scheme.lower() not in _ANONYMOUS_SCHEMES:
        service = scheme.lower()
    values.add_method(card, "im", address, service)


def _on_im(card: Card, prop: Property, context: _Context) -> None:
    values.add_method(card, "im", unescape(prop.value), _IM_PROPERTIES[prop.name])


def _on_social(card: Card, prop: Property, context: _Context) -> None:
    """A social profile: a web address labelled with the network (twitter, linkedin…)."""
    network = context.group_label(prop) or next(iter(prop.types()), "")
    values.add_method(card, "url", unescape(prop.value), network)


def _on_related(card: Card, prop: Property, context: _Context) -> None:
    value = unescape(prop.value).strip()
    if prop.name == "RELATED" and value.lower().startswith("urn:"):
        # A reference to another card by its id: a name cannot be had from it.
        context.not_kept["RELATED"] += 1
        return
    label = _RELATED_PROPERTIES.get(prop.name, "")
    label = label or context.group_label(prop) or next(iter(prop.types()), "")
    values.add_method(card, "related", value, label)


def _on_name(card: Card, prop: Property, context: _Context) -> None:
    if context.named:
        return
    context.named = True
    family, given, _additional, prefix, suffix = _components(prop.value, 5)[:5]
    card.family_name, card.given_name = family, given
    # Several additional names are a comma-separated list (N:Doe;John;Richter,James;;).
    card.additional_name = " ".join(
        part.strip() for part in split_escaped(_raw_component(prop.value, 2), ",") if part.strip()
    )
    for part, key in ((prefix, "N (prefix)"), (suffix, "N (suffix)")):
        if part.strip():
            context.not_kept[key] += 1
    sort_as = prop.param("SORT-AS")
    if sort_as:
        # One value per component, comma-separated; some writers use a semicolon instead.
        parts = sort_as.split(",") if "," in sort_as else sort_as.split(";")
        parts += ["", ""]
        context.readings["sort_as"] = (parts[0].strip(), parts[1].strip())


def _on_sound(card: Card, prop: Property, context: _Context) -> None:
    """Japanese carriers' SOUND;X-IRMC-N holds the name's reading; any other SOUND is audio."""
    if "x-irmc-n" in prop.types() or "X-IRMC-N" in prop.params:
        family, given = _components(prop.value, 2)[:2]
        context.readings.setdefault("irmc", (family, given))
    else:
        context.not_kept["SOUND"] += 1


def _on_org(card: Card, prop: Property, context: _Context) -> None:
    context.orgs.append(prop)
    if sort_as := prop.param("SORT-AS"):
        context.company_readings.append(sort_as.split(",")[0])


def _on_title(card: Card, prop: Property, context: _Context) -> None:
    context.titles.append(prop)


def _date(card: Card, prop: Property, context: _Context) -> str | None:
    raw = unescape(prop.value).strip()
    omitted = prop.param("X-APPLE-OMIT-YEAR")
    # Apple writes a date without a year as 1604-11-27 and says so in this parameter.
    if omitted and raw.startswith(omitted) and len(omitted) == 4:
        raw = "--" + raw[4:].lstrip("-")
    found = values.parse_birthday(raw)
    if found is None and raw:
        if prop.name == "BDAY":
            message = N_("birthday %(value)s is not a valid date")
        else:
            message = N_("anniversary %(value)s is not a valid date")
        context.warn(prop, message, value=values.quoted(raw))
    return found


def _on_birthday(card: Card, prop: Property, context: _Context) -> None:
    found = _date(card, prop, context)
    if found and card.birthday and found != card.birthday:
        context.not_kept["BDAY"] += 1
    card.birthday = card.birthday or found


def _on_anniversary(card: Card, prop: Property, context: _Context) -> None:
    found = _date(card, prop, context)
    if found and card.anniversary and found != card.anniversary:
        context.not_kept[prop.name] += 1
    card.anniversary = card.anniversary or found


def _on_apple_date(card: Card, prop: Property, context: _Context) -> None:
    """Apple's other dates (item1.X-ABDATE): the anniversary is kept, others are counted."""
    if context.group_label(prop).casefold() in _ANNIVERSARY_LABELS:
        _on_anniversary(card, prop, context)
    else:
        context.not_kept["X-ABDATE"] += 1


def _on_photo(card: Card, prop: Property, context: _Context) -> None:
    if card.photo is not None:
        context.not_kept["PHOTO"] += 1
        return
    data = _photo_bytes(prop)
    if data == "link":
        # The importer fetches nothing from the network, so a photo's address is all there is.
        context.not_kept["PHOTO (link)"] += 1
        return
    if not isinstance(data, bytes) or not data:
        context.warn(prop, N_("the photo could not be decoded and was left out"))
        return
    kind = image_type(data)
    if kind is None:
        context.warn(prop, N_("the photo is not a JPEG, PNG or WebP image and was left out"))
        return
    card.photo, card.photo_type = data, kind


def _on_first_met(card: Card, prop: Property, context: _Context) -> None:
    card.first_met_on = values.parse_day(unescape(prop.value))


def _on_text(card: Card, prop: Property, context: _Context) -> None:
    """Properties whose value is one text: kept aside until all of the card is read."""
    value = unescape(prop.value)
    if prop.name == "FN":
        context.full_name = context.full_name or value
    elif prop.name == "NOTE":
        context.notes.append(value)
    elif prop.name == "SORT-STRING":
        if _is_kana(value):
            parts = value.split()
            context.readings["sort_string"] = (
                (parts[0], " ".join(parts[1:])) if len(parts) > 1 else (value.strip(), "")
            )
    elif prop.name == "VERSION":
        context.version = value.strip()
    elif prop.name == "X-PHONETIC-LAST-NAME":
        context.readings["phonetic"] = (value, context.readings.get("phonetic", ("", ""))[1])
    elif prop.name == "X-PHONETIC-FIRST-NAME":
        context.readings["phonetic"] = (context.readings.get("phonetic", ("", ""))[0], value)
    elif prop.name in ("X-PHONETIC-ORG", "X-PHONETIC-COMPANY"):
        context.company_readings.insert(0, value)
    elif prop.name == "NICKNAME":
        context.nicknames += split_escaped(prop.value, ",")
    elif prop.name == "LABEL":
        context.labels_of_addresses.append(prop)
    elif prop.name.startswith("X-CUSTOM"):
        # Thunderbird's four custom fields hold whatever its user typed: notes will do.
        context.notes.append(f"{prop.name.removeprefix('X-').title()}: {value}")


def _on_categories(card: Card, prop: Property, context: _Context) -> None:
    card.tags.extend(split_escaped(prop.value, ","))


def _on_android_custom(card: Card, prop: Property, context: _Context) -> None:
    """Android's own rows: nickname, relation and anniversary are kept, others counted."""
    kind, *data = _components(prop.value, 4)
    kind = kind.rpartition("/")[2].lower()
    if kind == "nickname" and data[0].strip():
        context.nicknames.append(data[0])
    elif kind == "relation" and data[0].strip():
        label = data[2] if data[1] == "0" else _ANDROID_RELATIONS.get(data[1], "")
        values.add_method(card, "related", data[0], label)
    elif kind == "contact_event" and data[1] == "1" and values.parse_birthday(data[0]):
        card.anniversary = card.anniversary or values.parse_birthday(data[0])
    else:
        context.not_kept["X-ANDROID-CUSTOM"] += 1


def _on_legacy_messaging(card: Card, prop: Property, context: _Context) -> None:
    """KDE's old X-messaging/xmpp-All lines: the service is in the property's name."""
    service = prop.name.partition("/")[2].rpartition("-")[0].lower()
    values.add_method(card, "im", unescape(prop.value), service)


_Handler = Callable[[Card, Property, _Context], None]
_HANDLERS: dict[str, _Handler] = {
    "N": _on_name,
    "FN": _on_text,
    "NOTE": _on_text,
    "SORT-STRING": _on_text,
    "VERSION": _on_text,
    "X-PHONETIC-FIRST-NAME": _on_text,
    "X-PHONETIC-LAST-NAME": _on_text,
    "X-PHONETIC-ORG": _on_text,
    "X-PHONETIC-COMPANY": _on_text,
    "NICKNAME": _on_text,
    "LABEL": _on_text,
    "SOUND": _on_sound,
    "ORG": _on_org,
    "TITLE": _on_title,
    "TEL": _on_method,
    "EMAIL": _on_method,
    "ADR": _on_method,
    "URL": _on_method,
    "IMPP": _on_impp,
    **dict.fromkeys(_IM_PROPERTIES, _on_im),
    "X-SOCIALPROFILE": _on_social,
    "RELATED": _on_related,
    "X-ABRELATEDNAMES": _on_related,
    **dict.fromkeys(_RELATED_PROPERTIES, _on_related),
    "CATEGORIES": _on_categories,
    "BDAY": _on_birthday,
    **dict.fromkeys(_ANNIVERSARIES, _on_anniversary),
    "X-ABDATE": _on_apple_date,
    "PHOTO": _on_photo,
    "X-ANDROID-CUSTOM": _on_android_custom,
    "X-JINMYAKU-FIRST-MET-ON": _on_first_met,
    **dict.fromkeys(("X-CUSTOM1", "X-CUSTOM2", "X-CUSTOM3", "X-CUSTOM4"), _on_text),
}


def _handler(name: str) -> _Handler | None:
    if name in _HANDLERS:
        return _HANDLERS[name]
    if name.startswith("X-MESSAGING/"):
        return _on_legacy_messaging
    return None


def _apple_labels(props: list[Property]) -> dict[str, str]:
    """Labels Apple gives grouped values (item1.X-ABLabel:会社), by group."""
    labels = {}
    for prop in props:
        if prop.name == "X-ABLABEL" and prop.group:
            text = unescape(prop.value).strip()
            apple = _APPLE_LABEL.fullmatch(text)
            labels[prop.group] = values.label_for(apple[1]) if apple else values.clean(text)
    return labels


# -- settling what depends on several properties -------------------------------------------


_Pair = tuple[Property | None, Property | None]


def _pairs(orgs: list[Property], titles: list[Property]) -> list[_Pair]:
    """ORG and TITLE paired as the card pairs them: by group, else in order; preferred first."""
    by_group = {title.group: title for title in titles if title.group}
    paired: list[_Pair] = []
    used: set[int] = set()
    loose: list[Property] = []
    for org in orgs:
        title = by_group.get(org.group) if org.group else None
        if title is not None and id(title) not in used:
            used.add(id(title))
            paired.append((org, title))
        else:
            loose.append(org)
    others = [title for title in titles if id(title) not in used]
    for index in range(max(len(loose), len(others))):
        paired.append(
            (
                loose[index] if index < len(loose) else None,
                others[index] if index < len(others) else None,
            )
        )
    return sorted(paired, key=lambda pair: min(p.preference() for p in pair if p is not None))


def _settle_work(card: Card, context: _Context) -> None:
    pairs = _pairs(context.orgs, context.titles)
    if pairs:
        org, title = pairs[0]
        if org is not None:
            parts = split_escaped(org.value, ";")
            card.company = parts[0]
            card.department = " ".join(part.strip() for part in parts[1:] if part.strip())
        if title is not None:
            card.title = unescape(title.value)
    for org, title in pairs[1:]:
        # A second company (or a title of one) has no place: counted, never mixed in.
        for prop in (org, title):
            if prop is not None and prop.value.strip():
                context.not_kept[prop.name] += 1
    company_reading = next((r for r in context.company_readings if r.strip()), "")
    if values.clean(company_reading) != values.clean(card.company):
        card.company_reading = reading(company_reading)


def _settle_readings(card: Card, context: _Context) -> None:
    """Readings from the most explicit place: X-PHONETIC-*, SOUND, SORT-AS, then SORT-STRING."""
    names = (values.clean(card.family_name), values.clean(card.given_name))
    for index in (0, 1):
        for source in ("phonetic", "irmc", "sort_as", "sort_string"):
            found = reading(context.readings.get(source, ("", ""))[index])
            # A sort key that only repeats the name (Smith,John) is no reading.
            if found and not (source.startswith("sort") and found == names[index]):
                if index == 0:
                    card.family_reading = found
                else:
                    card.given_reading = found
                break


def _settle(card: Card, context: _Context) -> None:
    """Fill what depends on several properties: readings, work, the name from FN, the notes."""
    _settle_work(card, context)
    _settle_readings(card, context)
    card.nickname = ", ".join(values.unique(context.nicknames))
    full_name = values.clean(context.full_name)
    named = card.family_name.strip() or card.given_name.strip()
    # Apple writes the company as FN for a company's card, and a card with only a nickname
    # shows it as FN: neither is a person's name.
    if not named and full_name and full_name not in (values.clean(card.company), card.nickname):
        card.family_name, card.given_name = values.split_full_name(full_name)
    card.notes = "\n".join(context.notes)
    # An address label repeats an ADR; alone, it is the only address the card has.
    if not any(method.kind == "address" for method in card.methods):
        for prop in context.labels_of_addresses:
            values.add_method(card, "address", unescape(prop.value), _method_label(prop, context))
    elif context.labels_of_addresses:
        context.not_kept["LABEL"] += len(context.labels_of_addresses)


def _card(block: Block, encoding: str) -> tuple[Card, _Context]:
    props = [prop for line in block.lines if (prop := parse_property(line, encoding))]
    context = _Context(block.record, labels=_apple_labels(props))
    card = Card(record=block.record, line=block.line)
    for prop in props:
        handler = _handler(prop.name)
        if handler:
            handler(card, prop, context)
        elif prop.name not in _BOOKKEEPING and prop.value.strip():
            context.not_kept[prop.name[:_NAME_SHOWN]] += 1
    _settle(card, context)
    return card, context


def _read_block(block: Block, encoding: str, result: ParseResult) -> None:
    if not block.closed:
        message = N_("the record is cut off: it has no END:VCARD")
        result.errors.append(Problem(block.record, block.line, message))
        return
    try:
        card, context = _card(block, encoding)
    except Exception:  # one odd card must not cost the user the whole preview
        message = N_("the record could not be read")
        result.errors.append(Problem(block.record, block.line, message))
        return
    result.warnings.extend(context.warnings)
    problem = values.finish(card)
    if problem:
        result.errors.append(problem)
    else:
        result.cards.append(card)
        result.not_kept.update(context.not_kept)


def parse_vcards(text: str, encoding: str) -> ParseResult:
    """Every card in a vCard text; a card that cannot be read becomes an error."""
    result = ParseResult("vcard", encoding, [], [], [])
    for block in blocks(logical_lines(text)):
        _read_block(block, encoding, result)
    return result
