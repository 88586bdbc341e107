"""`flask seed`: fill an account with a generated dataset."""

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.dates import today_in
from tracker.db import write_transaction
from tracker.seeding.generator import TIERS, TOUCHPOINTS_PER_CONTACT, SeedPlan
from tracker.seeding.rows import SeedCounts, seed_user
from tracker.services.users import find_by_email


def plan_for(
    tier: str | None, contacts: int | None, touchpoints: int | None, seed: int
) -> SeedPlan:
    """The plan the options describe: a tier's sizes, or --contacts at the tier's ratio."""
    if tier is None and contacts is None:
        raise click.UsageError("Give --tier or --contacts.")
    if tier is not None:
        base = TIERS[tier]
        ratio = base.touchpoints / base.contacts
    else:
        base, ratio = SeedPlan(contacts or 0, 0), float(TOUCHPOINTS_PER_CONTACT)
    count = contacts if contacts is not None else base.contacts
    if touchpoints is None:
        touchpoints = round(count * ratio)
    return SeedPlan(contacts=count, touchpoints=touchpoints, seed=seed)


def _describe(counts: SeedCounts) -> str:
    """One line on what was seeded."""
    return (
        f"{counts.contacts} contacts, {counts.touchpoints} touchpoints "
        f"({counts.touchpoint_links} links), {counts.referrals} referrals, "
        f"{counts.events} events, {counts.tags} tags in {counts.seconds:.1f} s"
    )


@click.command("seed")
@click.option("--user", "email", required=True, help="The account to fill (it must exist).")
@click.option("--tier", type=click.Choice(list(TIERS)), help="solo, heavy or firm.")
@click.option("--contacts", type=click.IntRange(min=1), help="How many contacts.")
@click.option("--touchpoints", type=click.IntRange(min=0), help="How many touchpoints.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@with_appcontext
def seed_command(
    email: str, tier: str | None, contacts: int | None, touchpoints: int | None, seed: int
) -> None:
    """Fill an account with a realistic, reproducible dataset (for demos and benchmarks)."""
    plan = plan_for(tier, contacts, touchpoints, seed)
    with write_transaction() as session:
        user = find_by_email(session, email)
        if user is None:
            raise click.ClickException(f"No account with the email address {email}.")
        today = today_in(user.time_zone, current_app.config.get("TODAY"))
        counts = seed_user(session, user.id, plan, today)
    click.echo(f"Seeded {user.email} (seed {seed}, today {today}): {_describe(counts)}.")
