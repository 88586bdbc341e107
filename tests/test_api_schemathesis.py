"""Schemathesis against the live OpenAPI document: every operation, valid and invalid data.

The app is served for real (waitress) with a few contacts, touchpoints, referrals and
events in it; schemathesis reads /api/v1/openapi.json, generates requests from it, and
checks that no response is a server error or strays from the document (status codes,
content types, headers, bodies), that requests without the token are refused, and that
data the document forbids is refused.
"""

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import TODAY
from tests.live import LiveServer
from tracker.db import write_transaction
from tracker.models import User
from tracker.services.contacts import ContactData, MethodData, create_contact
from tracker.services.events import EventData, create_event
from tracker.services.referrals import ReferralData, create_referral
from tracker.services.tokens import create_token
from tracker.services.touchpoints import TouchpointData, create_touchpoint

SCHEMATHESIS = Path(sys.executable).with_name("st")
# Enough to reach every branch of the schemas, few enough for CI (about a minute).
EXAMPLES = 30
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "ignored_auth",
        "unsupported_method",
    )
)


@pytest.mark.slow  # about a minute: it starts first under xdist
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    app: Flask, user: User, make_user: object, tmp_path: Path
) -> None:
    with write_transaction(app) as session:
        _token, secret = create_token(session, user.id, "schemathesis")
        event = create_event(session, user.id, EventData(name="朝会", held_on=date(2026, 11, 1)))
        people = [
            create_contact(
                session,
                user.id,
                ContactData(
                    family_name=family,
                    given_name="太郎",
                    company="商事",
                    origin_event_id=event.id,
                    methods=[MethodData("phone", "090-0000-000" + str(n))],
                    tags=["顧問先"],
                ),
                TODAY,
            )
            for n, family in enumerate(("山田", "佐藤", "鈴木"))
        ]
        create_touchpoint(
            session,
            user.id,
            TouchpointData(
                occurred_on=date(2026, 11, 2), kind="meal", contact_ids=[c.id for c in people]
            ),
            TODAY,
        )
        create_referral(
            session,
            user.id,
            ReferralData(
                referred_on=date(2026, 11, 3),
                direction="given",
                contact_id=people[0].id,
                subject="顧問先の社長",
            ),
            TODAY,
        )
    with LiveServer(app) as server:
        done = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"{server.url}/api/v1/openapi.json",
                "--header",
                f"Authorization: Bearer {secret}",
                "--checks",
                CHECKS,
                "--max-examples",
                str(EXAMPLES),
                "--seed",
                "16",
                "--workers",
                "1",
                "--generation-allow-x00",
                "true",
                "--report-dir",
                str(tmp_path / "reports"),
            ],
            capture_output=True,
            text=True,
            timeout=900,
            # schemathesis keeps a cache in its working folder: keep it out of the project.
            cwd=tmp_path,
        )
    assert done.returncode == 0, done.stdout[-20_000:] + done.stderr[-5_000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", done.stdout)
    tested = re.search(r"Tested: (\d+)", done.stdout)
    assert selected and tested, done.stdout
    # Every operation of the document was tried.
    assert selected[1] == selected[2] == tested[1], done.stdout
