"""Messages meant for the user, marked where they are written and translated where shown.

Pure code, shared by the layers that must not know of Flask (services, importers, the field
specification): ``N_`` marks a message for the catalogue (``make messages`` extracts it),
and ``UserError`` carries one with its parameters up to the view or command that shows it.
"""

import json
from typing import Any

# The security log's detail column holds this many characters (models.SHORT_TEXT_LEN).
LOG_DETAIL_LEN = 300


def N_(message: str) -> str:
    """Mark a message for translation without translating it here."""
    return message


class UserError(ValueError):
    """An error whose ``message % params`` is shown to the user, once translated."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def log_detail(message: str, **params: Any) -> str:
    """A security log detail to translate when it is shown (mark the message with N_),
    stored as JSON. A date goes as ISO under the name ``date``, and a code of the vocabulary
    under ``direction``, ``kind`` or ``stage``: the log words them in the reader's language
    (tracker.i18n.format_log_detail). It always fits the log's column whole: the longest text
    value is shortened, with an ellipsis, until it does (a cut JSON could not be read back)."""
    params = dict(params)
    while True:
        found = json.dumps({"message": message, "params": params}, ensure_ascii=False)
        excess = len(found) - LOG_DETAIL_LEN
        texts = [(len(v), k) for k, v in params.items() if isinstance(v, str) and v]
        if excess <= 0 or not texts:
            return found[:LOG_DETAIL_LEN]
        length, key = max(texts)
        params[key] = params[key][: max(0, length - excess - 1)] + "…"
