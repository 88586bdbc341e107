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

# An "im" is a chat or internet-call address (its label names the service: Skype, LINE,
# sip…); a "related" entry names a person related to the contact (its label says how).
METHOD_KINDS = ("email", "phone", "address", "url", "im", "related")

REFERRAL_DIRECTIONS = ("given", "received", "introduction")

REFERRAL_STATUSES = ("introduced", "met", "engaged", "not_a_fit")
