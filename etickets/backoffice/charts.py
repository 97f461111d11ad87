"""Sales over time as an SVG bar chart, drawn on the server (no chart script to load)."""

from dataclasses import dataclass

from .selectors import DaySales

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP = 56, 28, 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


def bar_chart(days: list[DaySales]) -> dict | None:
    """Positions of one bar per day for the revenue, with a few axis labels."""
    if not days:
        return None
    peak = max(day["revenue_cents"] for day in days) or 1
    plot_width, plot_height = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    step = plot_width / len(days)
    bar_width = min(step * 0.7, 48)
    every = max(1, len(days) // 8)
    bars = [
        Bar(
            x=LEFT + index * step + (step - bar_width) / 2,
            y=TOP + plot_height * (1 - day["revenue_cents"] / peak),
            width=bar_width,
            height=plot_height * day["revenue_cents"] / peak,
            label=day["day"].strftime("%d/%m") if index % every == 0 else "",
            value=day["revenue_cents"],
        )
        for index, day in enumerate(days)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "peak_cents": peak,
        "axis_y": TOP + plot_height,
        "left": LEFT,
        "top": TOP,
        "label_y": HEIGHT - 8,
    }
