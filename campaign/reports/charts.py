"""Charts as SVG drawn on the server, for the PDF and the web page alike, made for black-and-white printers.

- Ten series get ten fills that stay apart in grey: six greys at least 15 % of luma apart and four
  hatchings (``FILLS``); no two series print alike.
- Value labels are dark and at least 9 pt; on a segment they sit on a small white plate, so they
  read on black as on white.
- Sizes are in points (1 SVG unit = 1 pt in the PDF), the width that of the type area.
- A tall chart is cut into slices (legend, then groups of rows), each at most a quarter of the type
  area high: the PDF lets them flow over a page break like table rows, so a chart never leaves more
  than a quarter of a page empty above it. On the web page the slices simply stack.
- ``Chart.total`` is the sum drawn, for the caption and for tests against the text.
"""

import itertools

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "Noto Sans CJK SC, sans-serif"
WIDTH = 442.0  # the type area, pt
INK = "#000"
# (kind, value): grey fills from white to black with at least 15 % luma between neighbours, and
# hatchings (diagonal, cross, horizontal, dots) in between.
FILLS = [
    ("grey", "#ffffff"),
    ("grey", "#d0d0d0"),
    ("hatch", "diagonal"),
    ("grey", "#a0a0a0"),
    ("hatch", "cross"),
    ("grey", "#6e6e6e"),
    ("hatch", "horizontal"),
    ("grey", "#3a3a3a"),
    ("hatch", "dots"),
    ("grey", "#000000"),
]
_PATTERNS = {
    "diagonal": '<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="#000" stroke-width="0.9"/>',
    "cross": '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#000" stroke-width="0.7"/>',
    "horizontal": '<path d="M0,1.5 L6,1.5 M0,4.5 L6,4.5" stroke="#000" stroke-width="0.9"/>',
    "dots": '<circle cx="1.5" cy="1.5" r="0.9" fill="#000"/><circle cx="4.5" cy="4.5" r="0.9" fill="#000"/>',
}
QUARTER_PAGE = 225 * 72 / 25.4 / 4  # pt


_ids = itertools.count(1)


def _defs(prefix):
    patterns = "".join(
        f'<pattern id="{prefix}-{name}" patternUnits="userSpaceOnUse" width="6" height="6">'
        f'<rect width="6" height="6" fill="#fff"/>{body}</pattern>'
        for name, body in _PATTERNS.items()
    )
    return f"<defs>{patterns}</defs>"


def fill(i, prefix):
    kind, value = FILLS[i % len(FILLS)]
    return value if kind == "grey" else f"url(#{prefix}-{value})"


def _text(x, y, content, size=9, anchor="start", weight="normal", fill=INK):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" font-weight="{weight}" fill="{fill}">{escape(content)}</text>'
    )


def _svg(height, body, label, prefix=None):
    defs = _defs(prefix) if prefix else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0f}pt" height="{height:.1f}pt" '
        f'viewBox="0 0 {WIDTH:.0f} {height:.1f}" role="img" aria-label="{escape(label)}">'
        f"{defs}{body}</svg>"
    )


class Chart(SafeString):
    """The SVG of a chart (its slices one after the other), with its slices and totals."""

    slices: list
    total: int
    totals: dict

    def __new__(cls, slices, *, total, totals=None):
        chart = super().__new__(cls, "".join(slices))
        chart.slices = [mark_safe(s) for s in slices]  # noqa: S308 - built from escaped text
        chart.total = total
        chart.totals = totals or {}
        return chart


def stacked_bars(rows, series, *, label="", bar=12.0, gap=6.0, label_width=66.0):
    """Horizontal stacked bars: ``rows`` = [(label, {key: value})], ``series`` = [(key, label)]."""
    per_row = bar + gap
    rows_per_slice = max(1, int((QUARTER_PAGE - 8) // per_row))
    total_max = max([sum(values.values()) for _label, values in rows] + [1])
    scale = (WIDTH - label_width - 34) / total_max
    # Legend: five a row.
    legend = []
    columns = 5
    # Pattern ids unique in the page (several charts and slices share one HTML document).
    prefix = f"lc{next(_ids)}"
    for i, (_key, name) in enumerate(series):
        x = 4 + (i % columns) * (WIDTH / columns)
        y = 4 + (i // columns) * 16
        legend.append(
            f'<rect x="{x:.1f}" y="{y + 1}" width="16" height="10" fill="{fill(i, prefix + "a")}" '
            f'stroke="#000" stroke-width="0.6"/>'
        )
        legend.append(_text(x + 20, y + 10, name))
    legend_height = 8 + ((len(series) + columns - 1) // columns) * 16
    slices = [_svg(legend_height, "".join(legend), label, f"{prefix}a")]
    totals = {}
    for start in range(0, len(rows), rows_per_slice):
        chunk = rows[start : start + rows_per_slice]
        sid = f"{prefix}s{start}"
        parts = []
        for r, (name, values) in enumerate(chunk):
            y = 3 + r * per_row
            parts.append(_text(label_width - 5, y + bar - 2.5, name, anchor="end"))
            x = label_width
            labels = []
            for i, (key, _series_label) in enumerate(series):
                value = values.get(key, 0)
                if not value:
                    continue
                w = value * scale
                parts.append(
                    f'<rect x="{x:.2f}" y="{y:.1f}" width="{w:.2f}" height="{bar}" fill="{fill(i, sid)}" '
                    f'stroke="#000" stroke-width="0.5"/>'
                )
                text = str(value)
                plate = 5.2 * len(text) + 3
                if w >= plate + 2:
                    labels.append(
                        f'<rect x="{x + w / 2 - plate / 2:.2f}" y="{y + 1.5:.1f}" width="{plate:.1f}" '
                        f'height="{bar - 3}" fill="#fff"/>'
                    )
                    labels.append(_text(x + w / 2, y + bar - 2.8, text, anchor="middle"))
                x += w
            total = sum(values.values())
            totals[name] = total
            parts.extend(labels)
            parts.append(_text(x + 4, y + bar - 2.5, str(total), weight="bold"))
        height = 6 + len(chunk) * per_row
        slices.append(_svg(height, "".join(parts), label, sid))
    return Chart(slices, total=sum(totals.values()), totals=totals)


def columns(values, *, label="", height=120.0):
    """Vertical columns: ``values`` = [(label, number)]; at most a quarter of the type area high."""
    bottom = height - 18
    top = 14
    vmax = max([v for _label, v in values] + [1])
    step = (WIDTH - 40) / max(len(values), 1)
    width = min(step * 0.5, 48)
    parts = [
        f'<line x1="20" y1="{bottom}" x2="{WIDTH - 20}" y2="{bottom}" stroke="#000" stroke-width="0.8"/>'
    ]
    for i, (name, value) in enumerate(values):
        h = (bottom - top) * value / vmax
        x = 20 + i * step + (step - width) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{width:.1f}" height="{h:.1f}" fill="#6e6e6e" '
            f'stroke="#000" stroke-width="0.5"/>'
        )
        parts.append(
            _text(x + width / 2, bottom - h - 3, str(value), size=10, anchor="middle", weight="bold")
        )
        parts.append(_text(x + width / 2, bottom + 13, name, size=10, anchor="middle"))
    total = sum(v for _label, v in values)
    return Chart([_svg(height, "".join(parts), label)], total=total, totals=dict(values))
