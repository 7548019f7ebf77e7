"""Charts as SVG drawn on the server, in the CJK font, for the PDF and the web page alike.

Hand-written SVG keeps the dependency list short and lets WeasyPrint render
the text with the same embedded Noto fonts as the body.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = "Noto Sans CJK SC, sans-serif"
PALETTE = ["#9e9e9e", "#f0ad4e", "#5bc0de", "#0275d8", "#6f42c1", "#d9534f", "#5cb85c", "#343a40", "#795548"]


def _text(x, y, content, size=11, anchor="start", weight="normal", fill="#222"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" font-weight="{weight}" fill="{fill}">{escape(content)}</text>'
    )


def stacked_bars(rows, series, *, width=440, bar_height=16, gap=7, label_width=80):
    """Horizontal stacked bars: ``rows`` = [(label, {key: value})], ``series`` = [(key, label)]."""
    legend_rows = (len(series) + 3) // 4
    top = 8 + legend_rows * 18
    height = top + len(rows) * (bar_height + gap) + 8
    total_max = max([sum(values.values()) for _label, values in rows] + [1])
    scale = (width - label_width - 40) / total_max
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for i, (key, label) in enumerate(series):
        x = 4 + (i % 4) * (width / 4)
        y = 4 + (i // 4) * 18
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 2}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        parts.append(_text(x + 14, y + 11, label, size=10))
        del key
    for r, (label, values) in enumerate(rows):
        y = top + r * (bar_height + gap)
        parts.append(_text(label_width - 6, y + bar_height - 4, label, anchor="end"))
        x = label_width
        for i, (key, _series_label) in enumerate(series):
            value = values.get(key, 0)
            if not value:
                continue
            w = value * scale
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            )
            if w >= 14:
                parts.append(
                    _text(x + w / 2, y + bar_height - 4, str(value), size=9, anchor="middle", fill="#fff")
                )
            x += w
        parts.append(_text(x + 4, y + bar_height - 4, str(sum(values.values())), size=10))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def columns(values, *, width=440, height=180, color="#c00000"):
    """Vertical columns: ``values`` = [(label, number)]."""
    bottom = height - 24
    top = 16
    vmax = max([v for _label, v in values] + [1])
    step = (width - 20) / max(len(values), 1)
    bar = step * 0.55
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f'<line x1="10" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#444" stroke-width="1"/>',
    ]
    for i, (label, value) in enumerate(values):
        h = (bottom - top) * value / vmax
        x = 10 + i * step + (step - bar) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{color}"/>'
        )
        parts.append(_text(x + bar / 2, bottom - h - 3, str(value), size=10, anchor="middle"))
        parts.append(_text(x + bar / 2, bottom + 15, label, size=10, anchor="middle"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
