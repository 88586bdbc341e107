"""The morning mail on a schedule: ``flask digest-schedule`` and ``flask send-digests``
against a real SMTP server. Once a day, after the user's hour in their own time zone; never
twice, even when two runs overlap (two processes on one database: SQLite, and PostgreSQL
under ``make test-postgres``)."""

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import stored
from tests.mail.support import Inbox, smtp_server
from tracker.db import write_transaction
from tracker.models import DigestMail, User
from tracker.services.digest_mails import MAX_ATTEMPTS

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_URL = "https://crm.example.jp"
# 07:00 in Tokyo on 27 November is 22:00 UTC on the 26th.
BEFORE_SEVEN = "2026-11-27T06:59+09:00"
AT_SEVEN = "2026-11-26T22:00Z"


@pytest.fixture
def app_config(smtp_port):
    return {
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "MAIL_FROM": "crm@example.jp",
        "PUBLIC_URL": PUBLIC_URL,
    }


def hour_of(app, user):
    with write_transaction(app) as session:
        return stored(session, User, user.id).digest_hour


def claims(app, user=None):
    with write_transaction(app) as session:
        query = select(DigestMail).order_by(DigestMail.user_id, DigestMail.day)
        if user is not None:
            query = query.where(DigestMail.user_id == user.id)
        return [(row.day, row.status, row.attempts, row.error) for row in session.scalars(query)]


def run(runner, now, *, exit_code=0):
    result = runner.invoke(args=["send-digests", "--now", now])
    assert result.exit_code == exit_code, result.output
    return result


def recipients(inbox):
    return [to for _, tos, _ in inbox.received for to in tos]


def test_digest_schedule_turns_the_mail_on_and_off(runner, app, user):
    result = runner.invoke(args=["digest-schedule", "--user", user.email, "--hour", "7"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"The morning mail goes to {user.email} each day after 07:00, Asia/Tokyo time.\n"
    )
    assert hour_of(app, user) == 7
    result = runner.invoke(args=["digest-schedule", "--user", user.email, "--off"])
    assert result.output == f"The morning mail to {user.email} is off.\n"
    assert hour_of(app, user) is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--hour", "24"], "24 is not in the range 0<=x<=23"),
        (["--hour", "-1"], "-1 is not in the range 0<=x<=23"),
        (["--hour", "seven"], "'seven' is not a valid integer"),
        ([], "Give either --hour H (0–23) or --off."),
        (["--hour", "7", "--off"], "Give either --hour H (0–23) or --off."),
    ],
)
def test_digest_schedule_refuses_bad_input(runner, app, user, args, says):
    result = runner.invoke(args=["digest-schedule", "--user", user.email, *args])
    assert result.exit_code == 2 and says in result.output
    assert hour_of(app, user) is None


def test_digest_schedule_names_an_unknown_account_and_missing_settings(runner, app, user):
    result = runner.invoke(args=["digest-schedule", "--user", "nobody@example.jp", "--hour", "7"])
    assert result.exit_code == 1 and "No account with the email address" in result.output
    app.config["SMTP_URL"] = None
    result = runner.invoke(args=["digest-schedule", "--user", user.email, "--hour", "6"])
    assert result.exit_code == 0
    assert "Mail is not set up yet: send-digests needs SMTP_URL, MAIL_FROM and PUBLIC_URL." in (
        result.stderr
    )


def test_once_a_day_after_the_users_hour_in_their_own_time_zone(runner, app, make_user, inbox):
    tokyo = make_user(time_zone="Asia/Tokyo", digest_hour=7)
    new_york = make_user(time_zone="America/New_York", digest_hour=18)
    make_user(time_zone="Asia/Tokyo")  # not opted in: never mailed

    # 06:59 on the 27th in Tokyo, 16:59 on the 26th in New York: nobody's hour yet.
    assert run(runner, BEFORE_SEVEN).output == ""
    assert inbox.received == []

    result = run(runner, AT_SEVEN)
    assert result.output == f"Sent the morning mail of 2026-11-27 to {tokyo.email}.\n"
    assert recipients(inbox) == [tokyo.email]
    assert run(runner, "2026-11-26T22:15Z").output == ""  # never twice
    assert run(runner, "2026-11-26T22:59Z").output == ""

    result = run(runner, "2026-11-26T18:00-05:00")  # 18:00 in New York, 08:00 in Tokyo
    assert result.output == f"Sent the morning mail of 2026-11-26 to {new_york.email}.\n"
    for later in ("2026-11-27T23:59+09:00", "2026-11-28T00:00+09:00", "2026-11-28T06:59+09:00"):
        assert run(runner, later).output == ""
    assert recipients(inbox) == [tokyo.email, new_york.email]

    run(runner, "2026-11-28T07:05+09:00")  # the next morning in Tokyo
    assert recipients(inbox) == [tokyo.email, new_york.email, tokyo.email]
    assert [(day, status) for day, status, _, _ in claims(app)] == [
        (date(2026, 11, 27), "sent"),
        (date(2026, 11, 28), "sent"),
        (date(2026, 11, 26), "sent"),
    ]
    # Each mail is the digest of its user's own day.
    subjects = [mail["Subject"].split(":")[0] for mail in inbox.messages()]
    assert subjects == ["Jinmyaku 27 Nov", "Jinmyaku 26 Nov", "Jinmyaku 28 Nov"]


def test_a_user_who_moves_west_is_not_mailed_twice_for_one_morning(runner, app, make_user, inbox):
    user = make_user(time_zone="Asia/Tokyo", digest_hour=7)
    run(runner, AT_SEVEN)  # the 27th, in Tokyo
    with write_transaction(app) as session:
        stored(session, User, user.id).time_zone = "America/Los_Angeles"
    run(runner, "2026-11-27T07:30-08:00")  # the 27th again, now in Los Angeles
    assert recipients(inbox) == [user.email]


def test_a_refused_mail_is_tried_again_on_the_next_runs_and_then_given_up(
    runner, app, make_user, inbox
):
    user = make_user(digest_hour=7)
    inbox.refuse_rcpt = "451 4.3.0 Try again later"
    result = run(runner, AT_SEVEN, exit_code=1)
    assert f"Not sent to {user.email}: The mail server at 127.0.0.1:" in result.stderr
    assert "That was try 1; the next run tries again." in result.stderr
    assert result.output.splitlines()[-1] == "Error: 1 morning mail was not sent."
    ((day, status, attempts, error),) = claims(app, user)
    assert (day, status, attempts) == (date(2026, 11, 27), "failed", 1)
    assert "451 4.3.0 Try again later" in error

    inbox.refuse_rcpt = ""
    run(runner, "2026-11-26T22:15Z")
    assert recipients(inbox) == [user.email]
    assert claims(app, user) == [(date(2026, 11, 27), "sent", 2, "")]
    run(runner, "2026-11-26T22:30Z")
    assert recipients(inbox) == [user.email]

    other = make_user(digest_hour=7)
    inbox.refuse_rcpt = "451 4.3.0 Try again later"
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result = run(runner, f"2026-11-26T23:{attempt:02d}Z", exit_code=1)
        if attempt == MAX_ATTEMPTS:
            assert f"That was try {attempt}, the last for today." in result.stderr
    assert run(runner, "2026-11-26T23:30Z").output == ""  # given up on for today
    assert claims(app, other)[0][1:3] == ("failed", MAX_ATTEMPTS)
    inbox.refuse_rcpt = ""
    run(runner, "2026-11-27T22:00Z")  # the next morning it goes again
    assert recipients(inbox) == [user.email, user.email, other.email]


def test_a_mail_that_may_have_arrived_is_never_sent_again(runner, app, make_user, inbox):
    user = make_user(digest_hour=7)
    inbox.drop_at_data = True
    result = run(runner, AT_SEVEN, exit_code=1)
    assert "it may have been accepted. It is not tried again, so as never to send it twice." in (
        result.stderr
    )
    inbox.drop_at_data = False
    run(runner, "2026-11-26T22:15Z")
    assert inbox.received == []
    assert claims(app, user)[0][1:3] == ("unknown", 1)


def test_nothing_due_needs_no_mail_settings_and_a_due_mail_names_them(runner, app, make_user):
    app.config["SMTP_URL"] = None
    make_user(digest_hour=7)
    assert run(runner, BEFORE_SEVEN).output == ""
    result = run(runner, AT_SEVEN, exit_code=1)
    assert result.output == (
        "Error: Mail is not set up: set SMTP_URL (see the README, The morning mail).\n"
    )
    assert claims(app) == []  # nothing was claimed, so nothing is lost


def test_now_must_say_its_offset(runner):
    for value in ("2026-11-27T07:00", "tomorrow"):
        result = runner.invoke(args=["send-digests", "--now", value])
        assert result.exit_code == 2 and "with its offset" in result.output


SEND = """
import sys
from tracker import create_app
app = create_app()
runner = app.test_cli_runner()
result = runner.invoke(args=["send-digests", "--now", sys.argv[1]])
sys.stdout.write(result.output)
sys.exit(result.exit_code)
"""


@pytest.mark.slow
def test_two_overlapping_runs_send_each_mail_once(app, database_url, make_user, tmp_path):
    """Two processes run send-digests at the same moment against one database. The SMTP
    server holds the first mail until a second connection arrives, so the runs are
    certainly sending at the same time; each mail must still go out exactly once. Some
    users start with a refused first try, so both runs also race to retry them."""
    users = [make_user(digest_hour=6 + n % 2) for n in range(12)]
    with write_transaction(app) as session:
        for user in users[::3]:
            session.add(
                DigestMail(
                    user_id=user.id,
                    day=date(2026, 11, 27),
                    status="failed",
                    attempts=1,
                    claimed_at=datetime(2026, 11, 26, 21, 45, tzinfo=UTC),
                    error="451 try again",
                )
            )
    inbox = Inbox(hold_first=True)
    with smtp_server(inbox) as port:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database_url}"
            if isinstance(database_url, Path)
            else database_url,
            "SECRET_KEY": "overlap-test",
            "SMTP_URL": f"smtp://127.0.0.1:{port}",
            "MAIL_FROM": "crm@example.jp",
            "PUBLIC_URL": PUBLIC_URL,
        }
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", SEND, AT_SEVEN],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [process.communicate(timeout=180) for process in runs]
    for process, (out, err) in zip(runs, outputs, strict=True):
        assert process.returncode == 0, (out, err)
    assert inbox.overlapped, "the two runs never had a mail in flight at the same time"
    counts = Counter(recipients(inbox))
    assert counts == Counter({user.email: 1 for user in users})
    sent_by = [out.count("Sent the morning mail") for out, _ in outputs]
    assert sum(sent_by) == len(users) and min(sent_by) >= 1, sent_by
    assert {status for _, status, _, _ in claims(app)} == {"sent"}
    assert len(claims(app)) == len(users)
