"""The order of the trust stages, lowest first."""

from tracker.vocabulary import STAGES


def stage_rank(stage: str) -> int:
    """Return the stage's place in the order: card 0, acquaintance 1, trusted 2, collaborator 3."""
    try:
        return STAGES.index(stage)
    except ValueError:
        raise ValueError(f"unknown stage: {stage!r}") from None
