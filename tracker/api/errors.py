"""The API's errors: JSON bodies, in the shape the OpenAPI document gives them."""

from http import HTTPStatus
from typing import Any

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

API_PATH = "/api/"


def json_error(code: int, message: str = "", errors: Any = None) -> Response:
    """A JSON error response: ``{"code", "status", "message", "errors"}``."""
    payload: dict[str, Any] = {"code": code, "status": HTTPStatus(code).phrase}
    if message:
        payload["message"] = message
    if errors is not None:
        payload["errors"] = errors
    response = jsonify(payload)
    response.status_code = code
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="Jinmyaku"'
    return response


def from_exception(error: HTTPException) -> Response:
    """An HTTP error raised anywhere under /api/ (webargs puts validation errors in data)."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = data.get("errors", data.get("messages"))
    message = data.get("message")
    if not message and code == 400 and errors is not None:
        message = "The request is not valid JSON, or its values failed validation: see errors."
    elif not message and code != 500:
        message = error.description
    response = json_error(code, str(message or ""), errors)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
