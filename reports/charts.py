"""Bar charts drawn on the server as SVG: no JavaScript, with a data table beside each."""

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 220, 32


@dataclass
class Bar:
    label: str
    value: float | None  # None: hidden or no data
    x: float = 0
    y: float = 0
    height: float = 0
    width: float = 0


def bars(points: list[tuple[str, float | None]], *, maximum: float | None = None) -> list[Bar]:
    top = maximum or max((v for _, v in points if v is not None), default=0) or 1
    slot = (WIDTH - 2 * PAD) / max(len(points), 1)
    result = []
    for index, (label, value) in enumerate(points):
        height = 0 if value is None else (HEIGHT - 2 * PAD) * value / top
        result.append(
            Bar(
                label=label,
                value=value,
                x=PAD + index * slot + slot * 0.15,
                y=HEIGHT - PAD - height,
                height=height,
                width=slot * 0.7,
            )
        )
    return result
