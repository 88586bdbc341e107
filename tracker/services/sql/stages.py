"""The SQL form of tracker.relationships.stages: the order of the trust stages."""

from typing import Any

from sqlalchemy import Integer, case
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Contact
from tracker.vocabulary import STAGES

RANKS = {stage: rank for rank, stage in enumerate(STAGES)}


def stage_rank_of(column: ColumnElement[str] | Any) -> ColumnElement[int]:
    """card 0 … collaborator 3, as tracker.relationships.stage_rank."""
    return case(RANKS, value=column, else_=0).cast(Integer)


def stage_rank() -> ColumnElement[int]:
    """The rank of the stage the user set."""
    return stage_rank_of(Contact.stage)
