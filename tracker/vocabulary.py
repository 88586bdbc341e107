"""The product's fixed vocabulary: stages, kinds of touchpoint, event and contact method.

Pure data, shared by the models, the forms and the relationship rules.
"""

STAGES = ("card", "acquaintance", "trusted", "collaborator")

TOUCHPOINT_KINDS = (
    "card_exchange",
    "meeting",
    "meal",
    "call",
    "message",
    "event",
    "worked_together",
    "consulted_me",
    "consulted_them",
    "note",
)
# A note is private: it is not contact and warms nothing.
REAL_TOUCHPOINT_KINDS = tuple(kind for kind in TOUCHPOINT_KINDS if kind != "note")

INITIATORS = ("me", "them")

EVENT_KINDS = ("networking", "seminar", "community", "client", "introduction", "other")

METHOD_KINDS = ("email", "phone", "address", "url")

REFERRAL_DIRECTIONS = ("given", "received", "introduction")

REFERRAL_STATUSES = ("introduced", "met", "engaged", "not_a_fit")
