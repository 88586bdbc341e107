"""The JSON API under /api/v1/, with its OpenAPI 3 document at /api/v1/openapi.json.

flask-smorest makes the document from the same marshmallow schemas that validate the
requests and shape the responses (tracker.api.schemas). It fits the app factory as it is:
its Api is initialised on the app like the other extensions, and only the API's own
blueprint is a smorest one; the pages keep their plain Flask blueprints and HTML errors.
"""

from typing import Any

from flask import Flask
from flask_smorest import Api


class JinmyakuApi(Api):
    """flask-smorest's Api, minus its app-wide JSON error handler: the pages keep their
    HTML error pages, and tracker.web answers errors under /api/ in JSON."""

    def _register_error_handlers(self) -> None:
        return None


api = JinmyakuApi(
    spec_kwargs={
        "info": {
            "description": "Every request carries `Authorization: Bearer TOKEN`; make a token "
            "in Settings or with `flask create-token`."
        },
        "security": [{"bearer": []}],
    }
)


def init_app(app: Flask) -> None:
    # Late imports: tracker.web answers the API's errors with tracker.api.errors.
    from tracker.api.views import bp
    from tracker.web import MAX_ID, IdConverter

    def id_schema(_converter: Any) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}

    app.config.setdefault("API_TITLE", "Jinmyaku")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api.init_app(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.register_converter(IdConverter, id_schema)
    api.register_blueprint(bp)
