"""Small inline SVG charts, drawn from plain numbers (no script, no styles)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sparkline:
    points: str  # the polyline's "x,y x,y …"
    width: int
    height: int
    last_x: float
    last_y: float


def sparkline(values: list[float], width: int = 160, height: int = 36, pad: int = 3) -> Sparkline:
    """A line through the values, scaled to the box (a flat line when all are equal)."""
    top = max(values, default=0) or 1.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    coords = [
        (round(pad + i * step, 1), round(height - pad - (value / top) * (height - 2 * pad), 1))
        for i, value in enumerate(values)
    ]
    last_x, last_y = coords[-1] if coords else (pad, height - pad)
    return Sparkline(" ".join(f"{x},{y}" for x, y in coords), width, height, last_x, last_y)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int


def paired_bars(pairs: list[tuple[int, int]], *, width: int, height: int) -> list[tuple[Bar, Bar]]:
    """Two bars per slot (say, given and received per month), scaled to the tallest."""
    top = max((value for pair in pairs for value in pair), default=0) or 1
    slot = width / max(len(pairs), 1)
    bar_width = round(slot * 0.4, 1)

    def bar(x: float, value: int) -> Bar:
        tall = round(value / top * height, 1)
        return Bar(
            x=round(x, 1), y=round(height - tall, 1), width=bar_width, height=tall, value=value
        )

    return [
        (bar(i * slot + slot * 0.1, first), bar(i * slot + slot * 0.5, second))
        for i, (first, second) in enumerate(pairs)
    ]
