"""The forms (Flask-WTF). Every text field is cleaned of control characters and capped
at the length its column holds."""

import re
from collections.abc import Callable
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from flask_wtf.form import _Auto
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import AnyOf, EqualTo, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker import fields
from tracker.dates import parse_date
from tracker.fields import LONG_TEXT_LEN, NAME_LEN, ORG_LEN
from tracker.i18n import (
    EVENT_KIND_LABELS,
    INITIATOR_LABELS,
    LANGUAGE_NAMES,
    METHOD_KIND_LABELS,
    REFERRAL_DIRECTION_LABELS,
    REFERRAL_STATUS_LABELS,
    STAGE_LABELS,
    TOUCHPOINT_KIND_LABELS,
)
from tracker.method_values import (
    POSTAL_CODE,
    POSTAL_CODE_LEN,
    normal_email,
    normal_phone,
    normal_postal_code,
)
from tracker.models import CADENCE_LEN, EMAIL_LEN, LABEL_LEN, METHOD_LEN, SHORT_TEXT_LEN
from tracker.services.users import PASSWORD_MAX, PASSWORD_MIN
from tracker.text import storable
from tracker.web import db_int, today

TAGS_LEN = 1_000


def clean(value: Any) -> Any:
    """Strip surrounding space, NUL and other control characters, and lone surrogates."""
    if isinstance(value, str):
        return storable(value).strip()
    return value


def text_filter(function: Callable[[str], str]) -> Callable[[Any], Any]:
    """A form filter applying a text function to a field's text (and leaving None alone)."""
    return lambda value: function(value) if isinstance(value, str) else value


class Text(StringField):
    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        max: int,
        filters: Any = (),
        **kw: Any,
    ):
        super().__init__(
            label, [*(validators or []), Length(max=max)], filters=[clean, *filters], **kw
        )


class LongText(TextAreaField):
    def __init__(
        self, label: Any = None, validators: Any = None, *, max: int = LONG_TEXT_LEN, **kw: Any
    ):
        super().__init__(label, [*(validators or []), Length(max=max)], filters=[clean], **kw)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class LenientDateField(StringField):
    """A date typed as people type it: 2026-11-27, 2026/11/27, 27 Nov 2026, 2026年11月27日."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw = clean(valuelist[0]) if valuelist else ""
        self.data = None
        if self.raw:
            try:
                self.data = parse_date(self.raw, today=today())
            except ValueError as exc:
                raise ValueError(_l("Enter a date such as 2026-11-27.")) from exc

    def _value(self) -> str:
        raw = getattr(self, "raw", None)
        if raw:
            return str(raw)
        return self.data.isoformat() if self.data else ""

    def __call__(self, **kwargs: Any) -> Any:
        # A date picker where the value is one it can show (a picker sends ISO dates, which
        # the lenient parsing reads too); typed text it cannot show stays a text box, so
        # that "27 Nov" with its error message is not blanked out.
        value = self._value()
        kwargs.setdefault("type", "date" if not value or _ISO_DATE.match(value) else "text")
        return super().__call__(**kwargs)


@cache
def timezone_choices() -> list[SelectChoice]:
    names = sorted(name for name in available_timezones() if "/" in name or name == "UTC")
    return [SelectChoice(name) for name in names]


def optional_int(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    return db_int(value)


def choices(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class CheckboxesField(SelectMultipleField):
    """Several choices, shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BaseForm(FlaskForm):
    """A form that comes back filled in: from a draft kept for its user (the page was
    opened with ?draft=…, see tracker.drafts), or, when a sent form is shown again rather
    than saved (an expired CSRF token), from what was sent."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            kept = g.get("form_draft_fields")
            if formdata is _Auto and kept is not None and request.method == "GET":
                return MultiDict(kept)
            return super().wrap_formdata(form, formdata)

    def is_submitted(self) -> bool:
        return super().is_submitted() and not g.get("form_shown_again", False)

    @property
    def fresh(self) -> bool:
        """True when the form was just opened: a GET that brought nothing back, so the
        view fills in its defaults or the record being edited."""
        return request.method == "GET" and g.get("form_draft_fields") is None


TOKEN = re.compile(r"[A-Za-z0-9_-]{1,100}")


def token_only(value: Any) -> str:
    """A random token as the app hands them out, or "" for anything else (a form sent back
    with its hidden field tampered with is treated as one without it)."""
    return value if isinstance(value, str) and TOKEN.fullmatch(value) else ""


class OneTimeToken:
    """A form that saves once: it carries a one-time token (see tracker.views.once)."""

    form_token = HiddenField(filters=[token_only])


class ConfirmForm(BaseForm):
    """A POST button: only the CSRF token."""


class SetupForm(BaseForm):
    display_name = Text(_l("Your name"), max=NAME_LEN)
    email = Text(_l("Email address"), [InputRequired()], max=EMAIL_LEN)
    password = PasswordField(
        _l("Password"), [InputRequired(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX)]
    )
    confirm = PasswordField(
        _l("Password again"), [InputRequired(), EqualTo("password", _l("The passwords differ."))]
    )
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_NAMES))


class LoginForm(BaseForm):
    email = Text(_l("Email address"), [InputRequired()], max=EMAIL_LEN)
    password = PasswordField(_l("Password"), [InputRequired(), Length(max=PASSWORD_MAX)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class SecondStepForm(BaseForm):
    code = Text(
        _l("Code"),
        [InputRequired()],
        max=40,
        description=_l(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"},
    )


class IdentityForm(BaseForm):
    """A sensitive action asks again: the password (or, with two-step sign-in, a code)."""

    password = PasswordField(
        _l("Your password"),
        [InputRequired(_l("Enter your password to confirm.")), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


class TwoStepCodeForm(BaseForm):
    code = Text(
        _l("Code from the app"),
        [InputRequired()],
        max=20,
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    turn_on = SubmitField(_l("Turn on two-step sign-in"))


class DeleteAccountForm(IdentityForm):
    understood = BooleanField(
        _l("I understand: every contact, touchpoint, referral and event goes, for good."),
        [InputRequired(_l("Tick the box to confirm."))],
    )
    delete = SubmitField(_l("Delete my account and everything in it"))


class MethodForm(Form):
    kind = SelectField(_l("Kind"), choices=choices(METHOD_KIND_LABELS))
    label = Text(_l("Label"), max=LABEL_LEN, render_kw={"placeholder": _l("work, mobile…")})
    value = Text(_l("Value"), max=METHOD_LEN)


def _field(spec: fields.FieldSpec) -> Any:
    """The form field a contact field is edited with."""
    label = _l(spec.label)
    if spec.kind == "date":
        return LenientDateField(label)
    if spec.kind == "text":
        return LongText(label, max=spec.length)
    return Text(
        label, max=spec.length, render_kw=None if spec.autocomplete else {"autocomplete": "off"}
    )


def _add_fields(form: type, specs: tuple[fields.FieldSpec, ...]) -> None:
    """Give a form class a field for each of these contact fields (in their order, before
    the fields its subclasses declare)."""
    for spec in specs:
        setattr(form, spec.name, _field(spec))


def field_values(form: Any, specs: tuple[fields.FieldSpec, ...]) -> dict[str, Any]:
    """The contact fields' values a submitted form holds (an empty text as "")."""
    return {spec.name: form[spec.name].data or spec.empty for spec in specs}


class ContactFieldsForm(BaseForm):
    """The contact fields the full contact form edits (those marked editable)."""


class CardFieldsForm(BaseForm):
    """The contact fields the quick card form asks (those marked on_card)."""


_add_fields(ContactFieldsForm, fields.EDITABLE)
_add_fields(CardFieldsForm, fields.ON_CARD)


class ContactForm(ContactFieldsForm, OneTimeToken):
    methods = FieldList(
        FormField(MethodForm), label=_l("Contact details"), min_entries=2, max_entries=30
    )
    tags = Text(_l("Tags"), max=TAGS_LEN, description=_l("Separate tags with commas."))
    stage = SelectField(_l("Stage"), choices=choices(STAGE_LABELS), default="card")
    cadence = Text(
        _l("Keep in touch every"),
        max=CADENCE_LEN,
        description=_l(
            "Leave empty for the stage's rhythm. For example: 2w, monthly, every 3 months, 毎月."
        ),
    )
    origin_event = SelectField(_l("Met at (event)"), coerce=optional_int, validate_choice=True)
    introduced_by = RadioField(_l("Introduced by"), coerce=optional_int, validate_choice=True)
    introducer_query = Text(_l("Find the person who introduced them"), max=NAME_LEN)
    find_introducer = SubmitField(_l("Find"))
    save = SubmitField(_l("Save"))

    def validate_given_name(self, field: Any) -> None:
        if not (self.family_name.data or field.data):
            raise ValidationError(_l("Enter a family name or a given name."))


class CardForm(CardFieldsForm, OneTimeToken):
    """The quick card exchange: a photo of the card to read, the contact's fields in the
    order a card shows them, where and when, and what was said."""

    photo = FileField(
        _l("Photograph the card"),
        render_kw={"accept": "image/*", "capture": "environment"},
    )
    back = FileField(
        _l("The back (optional)"),
        render_kw={"accept": "image/*", "capture": "environment"},
    )
    read = SubmitField(_l("Read the card"))
    email = Text(
        _l("Email"),
        max=EMAIL_LEN,
        filters=[text_filter(normal_email)],
        render_kw={"type": "email", "inputmode": "email", "autocomplete": "off"},
    )
    phone = Text(
        _l("Phone"),
        max=METHOD_LEN,
        filters=[text_filter(normal_phone)],
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    mobile = Text(
        _l("Mobile"),
        max=METHOD_LEN,
        filters=[text_filter(normal_phone)],
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    postal_code = Text(
        _l("Postal code"),
        max=POSTAL_CODE_LEN,
        filters=[text_filter(normal_postal_code)],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "placeholder": "123-4567"},
    )
    address = Text(_l("Address"), max=METHOD_LEN, render_kw={"autocomplete": "off"})
    url = Text(
        _l("Web"),
        max=METHOD_LEN,
        render_kw={"type": "url", "inputmode": "url", "autocomplete": "off"},
    )
    event = SelectField(_l("Event"), coerce=optional_int, validate_choice=True)
    new_event = Text(_l("Or a new event"), max=ORG_LEN)
    met_on = LenientDateField(_l("Date"), [InputRequired()])
    talked_about = Text(_l("What we talked about"), max=SHORT_TEXT_LEN)
    follow_up_on = LenientDateField(_l("Follow up on"))
    # The draft holding the card's photos (between reading and saving), and the likely
    # duplicate the page already named while typing.
    draft = HiddenField(filters=[token_only])
    seen_duplicate = HiddenField(filters=[clean])
    save = SubmitField(_l("Save"))
    save_another = SubmitField(_l("Save and next card"))
    # A separate contact after all, once a likely duplicate was named.
    save_new = SubmitField(_l("Save as a new contact"))

    def validate_given_name(self, field: Any) -> None:
        if not (self.family_name.data or field.data):
            raise ValidationError(_l("Enter a family name or a given name."))

    def validate_email(self, field: Any) -> None:
        if field.data and not re.match(r"^[^@\s]+@[^@\s]+$", field.data):
            raise ValidationError(_l("Enter an email address such as name@example.jp."))

    def validate_postal_code(self, field: Any) -> None:
        if field.data and not POSTAL_CODE.match(field.data):
            raise ValidationError(_l("Enter a postal code such as 183-0022."))


class TouchpointForm(BaseForm, OneTimeToken):
    contacts = CheckboxesField(_l("With"), coerce=db_int, validate_choice=True)
    contacts_query = Text(_l("Add a person"), max=NAME_LEN)
    find_contacts = SubmitField(_l("Find"))
    kind = SelectField(_l("Kind"), choices=choices(TOUCHPOINT_KIND_LABELS), default="meeting")
    occurred_on = LenientDateField(_l("Date"), [InputRequired()])
    occurred_at = TimeField(_l("Time"), [Optional()])
    summary = Text(_l("Summary"), max=SHORT_TEXT_LEN)
    notes = LongText(_l("Notes"))
    initiated_by = RadioField(
        _l("Who reached out"),
        choices=[SelectChoice("", _l("Not noted")), *choices(INITIATOR_LABELS)],
        default="",
    )
    follow_up_on = LenientDateField(_l("Follow up on"))
    event = SelectField(_l("Event"), coerce=optional_int, validate_choice=True)
    save = SubmitField(_l("Save"))

    def validate_contacts(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one person."))


class EventForm(BaseForm, OneTimeToken):
    name = Text(_l("Name"), [InputRequired()], max=ORG_LEN)
    kind = SelectField(_l("Kind"), choices=choices(EVENT_KIND_LABELS), default="networking")
    held_on = LenientDateField(_l("Date"))
    place = Text(_l("Place"), max=ORG_LEN)
    series = Text(
        _l("Series"),
        max=ORG_LEN,
        description=_l(
            "Events of one series (a monthly breakfast meeting, a yearly mixer) count as one "
            "place. Leave it empty for an event of its own."
        ),
        render_kw={"list": "series-names", "autocomplete": "off"},
    )
    notes = LongText(_l("Notes"))
    save = SubmitField(_l("Save"))


class SettingsForm(BaseForm):
    display_name = Text(_l("Your name"), max=NAME_LEN)
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("", _l("As my browser asks")), *choices(LANGUAGE_NAMES)],
    )
    time_zone = SelectField(_l("Time zone"), choices=timezone_choices)
    save = SubmitField(_l("Save"))


class DigestForm(BaseForm):
    """The morning mail: on or off, and the hour of the user's day it goes out after."""

    enabled = BooleanField(_l("Mail me the morning digest"))
    hour = SelectField(
        _l("Send it after"),
        choices=[SelectChoice(hour, f"{hour:02d}:00") for hour in range(24)],
        coerce=int,
        default=7,
    )
    save = SubmitField(_l("Save"))


class TokenForm(IdentityForm):
    """A token reaches every contact, as the password does: it is made after the password."""

    name = Text(_l("What will use it"), [InputRequired()], max=NAME_LEN)
    create = SubmitField(_l("Make a token"))


class QuickTouchForm(BaseForm):
    """Log a touchpoint dated today in one step, from a dashboard row."""

    kind = SelectField(
        _l("Kind"),
        choices=[
            choice
            for choice in choices(TOUCHPOINT_KIND_LABELS)
            if choice.value not in ("card_exchange", "note")
        ],
        default="message",
    )
    log = SubmitField(_l("Log"))


class SnoozeForm(BaseForm):
    """Keep a contact off the cold list for a week, a month, or until a date."""

    period = StringField(validators=[AnyOf(["1w", "1m", "date", "end"])])
    until = LenientDateField(_l("Snooze until"))

    def validate_until(self, field: Any) -> None:
        if self.period.data == "date" and field.data is None:
            raise ValidationError(_l("Enter a date such as 2026-11-27."))


class StageForm(BaseForm):
    """Set a contact's stage in one step (a promotion)."""

    stage = SelectField(_l("Stage"), choices=choices(STAGE_LABELS))


class TagCadenceForm(BaseForm):
    cadence = Text(_l("Cadence"), max=CADENCE_LEN)
    save = SubmitField(_l("Save"))


class ReferralForm(BaseForm, OneTimeToken):
    referred_on = LenientDateField(_l("Date"), [InputRequired()])
    direction = RadioField(
        _l("Direction"), choices=choices(REFERRAL_DIRECTION_LABELS), default="given"
    )
    contact = RadioField(_l("Contact"), coerce=optional_int, validate_choice=True)
    contact_query = Text(_l("Find the contact"), max=NAME_LEN)
    find_contact = SubmitField(_l("Find"))
    other_contact = RadioField(
        _l("Introduced to (introductions only)"), coerce=optional_int, validate_choice=True
    )
    other_query = Text(_l("Find the second contact"), max=NAME_LEN)
    find_other = SubmitField(_l("Find"))
    subject = Text(
        _l("Who was referred"),
        max=ORG_LEN,
        description=_l("A client's name, a company, or a short description."),
    )
    subject_contact = RadioField(
        _l("Or one of your contacts was referred"), coerce=optional_int, validate_choice=True
    )
    subject_query = Text(_l("Find the person referred"), max=NAME_LEN)
    find_subject = SubmitField(_l("Find"))
    status = SelectField(
        _l("Status"), choices=choices(REFERRAL_STATUS_LABELS), default="introduced"
    )
    notes = LongText(_l("Notes"))
    save = SubmitField(_l("Save"))

    @property
    def finding(self) -> bool:
        return bool(self.find_contact.data or self.find_other.data or self.find_subject.data)


class ImportForm(BaseForm):
    file = FileField(
        _l("Contacts file"),
        [FileRequired(_l("Choose a file to import."))],
        description=_l(
            "A vCard (.vcf) from a phone or address book, or a CSV from LinkedIn, "
            "Google Contacts or Eight."
        ),
        render_kw={"accept": ".vcf,.vcard,.csv,.txt,text/vcard,text/csv"},
    )
    upload = SubmitField(_l("Preview the import"))


class ImportConfirmForm(BaseForm):
    duplicates = RadioField(
        _l("Likely duplicates"),
        choices=[
            SelectChoice("merge", _l("Merge into the existing contact (adds what is new)")),
            SelectChoice("skip", _l("Skip them")),
            SelectChoice("new", _l("Add them as new contacts")),
        ],
        default="merge",
    )
    confirm = SubmitField(_l("Import"))


class ExportForm(IdentityForm):
    format = RadioField(
        _l("Format"),
        choices=[
            SelectChoice("vcf", _l("vCard 4.0 (.vcf): for phones and address books")),
            SelectChoice("vcf3", _l("vCard 3.0 (.vcf): for older phones and iPhone")),
            SelectChoice("csv", _l("CSV (.csv): one row per contact, for spreadsheets")),
            SelectChoice("json", _l("JSON backup (.json): the whole account, to restore later")),
        ],
        default="vcf",
    )
    download = SubmitField(_l("Download"))


class CardImageForm(BaseForm):
    image = FileField(
        _l("Photo of the card"),
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"},
    )
    save = SubmitField(_l("Save the picture"))
    remove = SubmitField(_l("Remove the picture"))


class PasswordForm(BaseForm):
    current = PasswordField(_l("Current password"), [InputRequired(), Length(max=PASSWORD_MAX)])
    new = PasswordField(
        _l("New password"), [InputRequired(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX)]
    )
    confirm = PasswordField(
        _l("New password again"), [InputRequired(), EqualTo("new", _l("The passwords differ."))]
    )
    change = SubmitField(_l("Change the password"))
