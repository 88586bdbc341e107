"""The tables, as typed SQLAlchemy 2 models. Every row belongs to one user."""

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    event,
)
from sqlalchemy import text as text_clause
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tracker import method_values, text
from tracker.db import Base
from tracker.fields import BIRTHDAY_LEN, NAME_LEN, ORG_LEN
from tracker.fields import LONG_TEXT_LEN as LONG_TEXT_LEN  # re-exported: others import it here


def utcnow() -> datetime:
    return datetime.now(UTC)


# Ids that leave the database (in addresses, backups and the trash) are never reused:
# AUTOINCREMENT on SQLite (which would otherwise hand out a deleted highest id again) and an
# identity column on PostgreSQL. So an id in an old link, or in a trash entry, can never
# come to name another account's row.
NEVER_REUSED = {"sqlite_autoincrement": True}


def id_column() -> Mapped[int]:
    return mapped_column(Identity(), primary_key=True)


# Column sizes, shared by the forms so that a form never accepts what the table cannot hold
# (a contact's own fields have theirs in tracker.fields).
SHORT_TEXT_LEN = 300
EMAIL_LEN = 254
METHOD_LEN = 500
LABEL_LEN = 60
TAG_LEN = 60
CADENCE_LEN = 40
# A card's file name and UID in the phone address book (phones use UUIDs, about 40).
SYNC_NAME_LEN = 255


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_LEN), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    language: Mapped[str | None] = mapped_column(String(5))
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Tokyo")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The secret in the address of the user's calendar feed; None when there is no feed.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Two-step sign-in (tracker.services.two_step): the app's secret once confirmed, the
    # one being set up, and the time step of the last code used (a code works once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_pending: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The morning mail goes out after this hour (0–23) of the user's own day; None: off.
    digest_hour: Mapped[int | None] = mapped_column(Integer)

    # Flask-Login's user protocol, spelled out so that the models import nothing of Flask.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


contact_tags = Table(
    "contact_tags",
    Base.metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)

touchpoint_contacts = Table(
    "touchpoint_contacts",
    Base.metadata,
    Column("touchpoint_id", ForeignKey("touchpoints.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    # A contact's touchpoints are found from the index alone, without reading the link rows.
    Index("ix_touchpoint_contacts_contact_id_touchpoint_id", "contact_id", "touchpoint_id"),
)


class Event(Base):
    """A place where people are met: an event, a community, a client, an introduction."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_user_id_held_on", "user_id", "held_on"), NEVER_REUSED)

    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(ORG_LEN))
    kind: Mapped[str] = mapped_column(String(20), default="networking")
    held_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(ORG_LEN), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The events of one series (a monthly 朝会, a yearly 交流会) count together as one place;
    # "" for an event of its own.
    series: Mapped[str] = mapped_column(String(ORG_LEN), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("user_id", "name"), NEVER_REUSED)

    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(TAG_LEN))
    # A cadence phrase ("monthly") for every contact with this tag; used by the engine.
    cadence: Mapped[str | None] = mapped_column(String(CADENCE_LEN))
    # Set on the tag an import gives its contacts, so they can be reviewed or removed together.
    imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Contact(Base):
    """A person. Its own fields (names, work, notes…) are those of tracker.fields, written
    out so that they are typed; tests/test_fields.py checks that the two agree."""

    __tablename__ = "contacts"
    __table_args__ = (
        # The lists show active contacts (archived_at IS NULL): with archived_at in the index
        # their page and their count are read from the index alone.
        Index("ix_contacts_user_id_sort_key", "user_id", "archived_at", "sort_key"),
        Index("ix_contacts_user_id_last_touch_on", "user_id", "archived_at", "last_touch_on"),
        Index("ix_contacts_user_id_follow_up_on", "user_id", "follow_up_on"),
        # Covers the dashboard: its cold list is ordered, and its counts made, from the
        # index alone, without reading the wide rows.
        Index(
            "ix_contacts_user_id_next_due_on",
            "user_id",
            "archived_at",
            "next_due_on",
            "snoozed_until",
            "last_touch_on",
            "cooling_on",
            "dormant_after",
            "stage",
            "sort_key",
            "first_touch_on",  # which flagged cards have faded (met on one day only)
            "first_met_on",
        ),
        Index("ix_contacts_user_id_strength_level", "user_id", "archived_at", "strength_level"),
        # Covers the review: who is a candidate, unsupported or one way is decided on the
        # stored evidence and exchanges alone, strongest first, without reading wide rows.
        Index(
            "ix_contacts_user_id_review",
            "user_id",
            "stage",  # before archived_at: the dashboard's counts keep to their own index
            "archived_at",
            "evidence_stage",
            "strength_level",
            "last_gave_on",
            "last_received_on",
            "second_gave_on",
            "second_received_on",
            "sort_key",
        ),
        # Cover the places report: the user's contacts counted per event and per introducer,
        # with how far they came and their referrals, from the index alone.
        Index(
            "ix_contacts_user_id_origin_event_id",
            "user_id",
            "origin_event_id",
            "stage",
            "referrals_given",
            "referrals_received",
        ),
        Index(
            "ix_contacts_user_id_introduced_by_id",
            "user_id",
            "introduced_by_id",
            "stage",
            "referrals_given",
            "referrals_received",
        ),
        NEVER_REUSED,
    )

    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    family_name: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    given_name: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    family_reading: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    given_reading: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    additional_name: Mapped[str] = mapped_column(String(NAME_LEN), default="", server_default="")
    nickname: Mapped[str] = mapped_column(String(NAME_LEN), default="", server_default="")
    company: Mapped[str] = mapped_column(String(ORG_LEN), default="")
    company_reading: Mapped[str] = mapped_column(String(ORG_LEN), default="", server_default="")
    department: Mapped[str] = mapped_column(String(ORG_LEN), default="")
    title: Mapped[str] = mapped_column(String(ORG_LEN), default="")
    expertise: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    first_met_on: Mapped[date | None] = mapped_column(Date)
    birthday: Mapped[str | None] = mapped_column(String(BIRTHDAY_LEN))  # YYYY-MM-DD, or --MM-DD
    anniversary: Mapped[str | None] = mapped_column(String(BIRTHDAY_LEN))  # as birthday
    origin_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    introduced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    origin_note: Mapped[str] = mapped_column(String(ORG_LEN), default="")
    stage: Mapped[str] = mapped_column(String(20), default="card")
    cadence: Mapped[str | None] = mapped_column(String(CADENCE_LEN))
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Derived from the touchpoints, referrals, stage, cadence and tags, kept exact by
    # tracker.services.derived in the same transaction as every change to them.
    last_touch_on: Mapped[date | None] = mapped_column(Date)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    cooling_on: Mapped[date | None] = mapped_column(Date)
    next_due_on: Mapped[date | None] = mapped_column(Date)
    dormant_after: Mapped[date | None] = mapped_column(Date)
    evidence_stage: Mapped[str] = mapped_column(String(20), default="card", server_default="card")
    # log2 of Σ weight · 2^(days since 2000-01-01 / 180): the bond strength without its
    # fading, which every contact shares; see tracker.relationships.strength.
    strength_level: Mapped[float | None] = mapped_column(Float)
    # The evidence's counts (tracker.relationships.evidence), so that lists show and filter by
    # it without counting the history; real_touches is None until the first derivation.
    first_touch_on: Mapped[date | None] = mapped_column(Date)
    real_touches: Mapped[int | None] = mapped_column(Integer)
    touch_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    worked_together: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    consulted_me: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    consulted_them: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    referrals_given: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    referrals_received: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The days of the two latest exchanges each way (referrals, consultations), for the
    # one-way rule and a collaborator's 12 months (tracker.relationships.reciprocity).
    last_gave_on: Mapped[date | None] = mapped_column(Date)
    second_gave_on: Mapped[date | None] = mapped_column(Date)
    last_received_on: Mapped[date | None] = mapped_column(Date)
    second_received_on: Mapped[date | None] = mapped_column(Date)
    # Every exchange, newest first ("2026-11-02c 2026-05-01g"): the few contacts a page shows
    # are counted from it without reading their history (reciprocity.exchange_log).
    exchanges: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Derived from the names (tracker.text), kept by a before-flush hook.
    search_key: Mapped[str] = mapped_column(Text, default="")
    sort_key: Mapped[str] = mapped_column(String(text.SORT_KEY_LEN), default="")

    methods: Mapped[list["ContactMethod"]] = relationship(
        back_populates="contact",
        order_by="ContactMethod.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    tags: Mapped[list[Tag]] = relationship(secondary=contact_tags, order_by=Tag.name)
    origin_event: Mapped[Event | None] = relationship()
    introduced_by: Mapped["Contact | None"] = relationship(remote_side=[id])

    @property
    def name(self) -> str:
        return self.name_of(self.family_name, self.given_name, self.company)

    @staticmethod
    def name_of(family_name: str, given_name: str, company: str) -> str:
        """The name a contact is shown by, from its columns (the company when nameless)."""
        return text.display_name(family_name, given_name) or company

    @property
    def reading(self) -> str:
        return text.display_reading(self.family_reading, self.given_reading)

    def refresh_keys(self) -> None:
        # An import batch's tag says where a contact came from, not who they are.
        tags = (tag.name for tag in self.tags if tag.imported_at is None)
        self.search_key, self.sort_key = text.contact_keys(self, tags)


class CardImage(Base):
    """The picture of a contact's business card (JPEG, PNG or WebP, checked by its bytes)."""

    __tablename__ = "card_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), unique=True
    )
    content_type: Mapped[str] = mapped_column(String(20))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def _method_search_key(context: Any) -> str:
    """A method's search key from the kind and value it is inserted with (an ORM or a bulk
    insert alike)."""
    row = context.get_current_parameters()
    return method_values.search_key(row["kind"], row["value"])


class ContactMethod(Base):
    """An email address, phone number, postal address or web address, with its label."""

    __tablename__ = "contact_methods"
    # The contact search reads the keys from this index alone, without the rows.
    __table_args__ = (
        Index("ix_contact_methods_search_key_contact_id", "search_key", "contact_id"),
        NEVER_REUSED,
    )

    id: Mapped[int] = id_column()
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(LABEL_LEN), default="")
    value: Mapped[str] = mapped_column(String(METHOD_LEN))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # What the contact search looks in: a phone's digits, an email in lower case.
    search_key: Mapped[str] = mapped_column(
        String(METHOD_LEN), default=_method_search_key, server_default=""
    )

    contact: Mapped[Contact] = relationship(back_populates="methods")


class Touchpoint(Base):
    """One moment of contact (or a private note) with one or more contacts."""

    __tablename__ = "touchpoints"
    __table_args__ = (
        Index("ix_touchpoints_user_id_occurred_on", "user_id", "occurred_on"),
        # The review counts consultations over two years by kind: a tenth of the touchpoints.
        Index("ix_touchpoints_user_id_kind_occurred_on", "user_id", "kind", "occurred_on"),
        NEVER_REUSED,
    )

    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    occurred_on: Mapped[date] = mapped_column(Date)
    occurred_at: Mapped[time | None] = mapped_column(Time)
    kind: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(SHORT_TEXT_LEN), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    initiated_by: Mapped[str | None] = mapped_column(String(10))
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    contacts: Mapped[list[Contact]] = relationship(secondary=touchpoint_contacts)
    event: Mapped[Event | None] = relationship()


class Referral(Base):
    """A referral: given to a contact, received from one, or an introduction of two."""

    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_user_id_referred_on", "user_id", "referred_on"),
        NEVER_REUSED,
    )

    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    referred_on: Mapped[date] = mapped_column(Date)
    direction: Mapped[str] = mapped_column(String(20))
    # given: the contact I referred someone to; received: the contact who referred someone
    # to me; introduction: the first of the two contacts I introduced to each other.
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    # introduction only: the second contact.
    other_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    # Who was referred: free text, or one of the user's contacts.
    subject: Mapped[str] = mapped_column(String(ORG_LEN), default="")
    subject_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="introduced")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    contact: Mapped[Contact] = relationship(foreign_keys=[contact_id])
    other_contact: Mapped[Contact | None] = relationship(foreign_keys=[other_contact_id])
    subject_contact: Mapped[Contact | None] = relationship(foreign_keys=[subject_contact_id])

    def partners(self) -> list[tuple[int, str]]:
        """(contact id, direction as the rules count it) for each contact this touches."""
        if self.direction == "introduction":
            ids = [self.contact_id, self.other_contact_id]
            return [(contact_id, "given") for contact_id in ids if contact_id is not None]
        return [(self.contact_id, self.direction)]


@event.listens_for(Session, "before_flush")
def _refresh_contact_keys(session: Session, _context: object, _instances: object) -> None:
    """Keep every contact's search and sort keys in step with its names."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Contact):
            obj.refresh_keys()


class ImportDraft(Base):
    """An uploaded file from its preview to its import: the import job's row.

    The process that runs the import writes here its status, its progress (done of total
    records), its error and a heartbeat, so that every process shows the same progress and
    a running import whose heartbeat stopped is known to be interrupted (tracker.jobs).
    """

    __tablename__ = "import_drafts"
    __table_args__ = (
        # At most one import runs at a time in an account, whichever process starts it.
        Index(
            "uq_import_drafts_user_id_running",
            "user_id",
            unique=True,
            sqlite_where=text_clause("status = 'running'"),
            postgresql_where=text_clause("status = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(ORG_LEN), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # previewed, running, done or failed
    status: Mapped[str] = mapped_column(String(20), default="previewed")
    summary: Mapped[str] = mapped_column(Text, default="")  # the preview's JSON, then the import's
    # The batch tag of the import (set when the import starts).
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id", ondelete="SET NULL"))
    policy: Mapped[str] = mapped_column(String(10), default="merge")  # for likely duplicates
    done_count: Mapped[int] = mapped_column(Integer, default=0)
    total_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")  # why it failed, for the user
    # The run that owns a running import: its writes check it, so a run that was given up
    # for dead can never write after its rows were removed.
    runner: Mapped[str] = mapped_column(String(32), default="")
    new_tag_ids: Mapped[str] = mapped_column(Text, default="")  # JSON: the tags it created
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


# The contacts a running import has made so far, so that they can be removed whole if it does
# not finish (emptied when it is done).
import_job_contacts = Table(
    "import_job_contacts",
    Base.metadata,
    Column("draft_id", ForeignKey("import_drafts.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "contact_id",
        ForeignKey("contacts.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class UserSession(Base):
    """One signed-in browser. The cookie holds a random token; only its hash is kept here,
    so a stolen database does not sign anyone in. Revoking the row ends the session."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")


class RecoveryCode(Base):
    """A one-time code that signs in instead of the authenticator app (only its hash)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    """A try of a password or a code, kept for the throttle (never with what was typed).
    It is written as a failure before the check runs and marked a success after."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_LEN))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    success: Mapped[bool] = mapped_column(default=False)


class SecurityEvent(Base):
    """What happened to an account: logins, failed logins, password changes, exports,
    imports, deletions and restores. Shown to its user in the settings."""

    __tablename__ = "security_events"
    __table_args__ = (Index("ix_security_events_user_id_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(String(SHORT_TEXT_LEN), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")


class TrashEntry(Base):
    """A deleted contact or touchpoint, kept whole for 30 days so it can be restored."""

    __tablename__ = "trash_entries"
    __table_args__ = (Index("ix_trash_entries_user_id_deleted_at", "user_id", "deleted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # contact or touchpoint
    object_id: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(SHORT_TEXT_LEN), default="")
    deleted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    payload: Mapped[str] = mapped_column(Text)  # JSON: the object and everything attached


class DigestMail(Base):
    """One day's morning mail to one user: claimed before it is sent, so that two runs of
    ``flask send-digests`` never both send it (the unique key decides which run sends)."""

    __tablename__ = "digest_mails"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # the user's own date the mail is for
    # sending (claimed), sent, failed (not accepted: tried again), unknown (maybe accepted)
    status: Mapped[str] = mapped_column(String(10), default="sending")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str] = mapped_column(String(SHORT_TEXT_LEN), default="")


class ApiToken(Base):
    """A secret that lets a program (the JSON API, a phone's address book) act for a user.
    Only its hash is kept: the token itself is shown once, when it is made."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SyncedCard(Base):
    """The card a phone last uploaded for a contact: where it lives in the address book, its
    UID, the text as sent, and the properties the app has no field for (sent back as they
    came, so a phone's edit the app cannot show is kept)."""

    __tablename__ = "synced_cards"
    __table_args__ = (UniqueConstraint("user_id", "href"), Index("ix_synced_cards_uid", "uid"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), unique=True
    )
    href: Mapped[str] = mapped_column(String(SYNC_NAME_LEN))
    uid: Mapped[str] = mapped_column(String(SYNC_NAME_LEN))
    raw: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


# A form draft's token and a spent form token: 32 random bytes, URL-safe (43 characters).
FORM_TOKEN_LEN = 64
FORM_PATH_LEN = 300


class FormDraft(Base):
    """What a form held before it could be saved: a business card's photos between reading
    them and confirming the contact, or a form sent after its session had ended, kept for
    its user to find filled in after signing in again. Drafts go after a week."""

    __tablename__ = "form_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The secret in the form's address (?draft=…) that brings the draft back.
    token: Mapped[str] = mapped_column(String(FORM_TOKEN_LEN), unique=True)
    path: Mapped[str] = mapped_column(String(FORM_PATH_LEN))  # the form's page
    # "photo" (a card read from its photos) or "kept" (a form sent after its session ended).
    reason: Mapped[str] = mapped_column(String(10))
    # The form's fields as JSON: a list of [name, value] pairs, in the order sent.
    fields: Mapped[str] = mapped_column(Text, default="[]")
    # What the card reader found (JSON), so a second reading replaces only what it filled.
    read: Mapped[str] = mapped_column(Text, default="{}")
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    photo_type: Mapped[str | None] = mapped_column(String(20))
    back: Mapped[bytes | None] = mapped_column(LargeBinary)
    back_type: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class FormSubmission(Base):
    """A form's one-time token, spent when the form saved: a resend, a double tap or a
    second request racing the first finds it (the unique token lets only one insert win)
    and is sent where the first one went instead of saving again."""

    __tablename__ = "form_submissions"
    __table_args__ = (Index("ix_form_submissions_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(FORM_TOKEN_LEN), unique=True)
    target: Mapped[str] = mapped_column(String(FORM_PATH_LEN), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
