"""Setting text on the official-document grid: 28 characters a line, every full line flush.

WeasyPrint justifies only at spaces, so Chinese text comes out ragged, and a ``2em`` indent at the
grid's negative letter-spacing leaves room for 25 characters on a paragraph's first line. So the
lines are broken here, as a Chinese typesetter breaks them, and WeasyPrint only draws them:

1. the text is cut into units that never break (a character, a run of Latin letters and digits,
   "——" and "……");
2. consecutive full-width punctuation is compressed (each mark before another loses its blank half,
   e.g. "一、“五星级”");
3. lines are filled on the grid (the type area's 156 mm = 28 cells of a 16 pt character; the indent is
   two cells) with the line-breaking rules (禁则): no line starts with a closing mark or ends with an
   opening one; a closing mark is pulled into the line by compressing marks or spacing (推入), else
   the last unit moves down (推出);
4. each full line gets the letter-spacing that puts its last character's right edge on the type
   area's right edge; the last line of a paragraph keeps the grid spacing.

Widths come from the font file of the face the role will print with (``fonts.face_for``), so the
result holds for FandolFang as for a county's 仿宋_GB2312.

Titles are broken into balanced lines at word boundaries (jieba), never inside a word, a number or
a quotation.
"""

import contextlib
import contextvars
import logging
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html import escape as _escape

from django.utils.html import escape
from django.utils.safestring import mark_safe

from campaign.reports import fonts

MM = 72 / 25.4
TYPE_WIDTH = 156 * MM  # pt
CELLS = 28
BODY_SIZE = 16.0  # 三号
CELL = TYPE_WIDTH / CELLS
ROLE_STACK = {"body": "fangsong", "kai": "kaiti", "hei": "heiti", "title": "xiaobiaosong", "song": "songti"}

CLOSING = set("，。、；：？！）》」』”’】〕〉｝］,.;:?!)]}%‰·")
OPENING = set("“‘（《「『【〔〈｛［([{")
FULL_PUNCT = CLOSING | OPENING | set("—…")
NO_START = CLOSING
NO_END = OPENING
_RUN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,%‰\-/:+_@#&'．％]*|——|……|\s+|.", re.S)
# How much letter-spacing may tighten (per gap, pt) to pull a closing mark into a line.
MAX_TIGHTEN = 0.35


@lru_cache(maxsize=16)
def _font_metrics(path, index):
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    upm = font["head"].unitsPerEm
    return font.getBestCmap(), font["hmtx"], upm


def _fallback_width(char):
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.5


@lru_cache(maxsize=8)
def _measurer(stack_key):
    face = fonts.face_for(stack_key)
    if face is None:
        return _fallback_width
    cmap, hmtx, upm = _font_metrics(face.path, face.index)
    cache = {}

    def width(char):
        try:
            return cache[char]
        except KeyError:
            glyph = cmap.get(ord(char))
            value = hmtx[glyph][0] / upm if glyph is not None else _fallback_width(char)
            cache[char] = value
            return value

    return width


def reset_metrics():
    """Forget measured faces (after the installed fonts changed, e.g. in tests)."""
    _measurer.cache_clear()
    _font_metrics.cache_clear()


@dataclass
class Unit:
    text: str
    role: str
    width: float  # pt, at the nominal advance
    squeeze: float = 0.0  # pt taken off the advance (compressed punctuation)
    space: bool = False

    @property
    def first(self):
        return self.text[0]

    @property
    def last(self):
        return self.text[-1]

    @property
    def chars(self):
        return len(self.text)


def _units(segments, size):
    units = []
    for text, role in segments:
        measure = _measurer(ROLE_STACK[role])
        for match in _RUN.finditer(text.replace("\n", " ")):
            piece = match.group(0)
            if piece.isspace():
                if units and not units[-1].space:
                    units.append(Unit(" ", role, measure(" ") * size, space=True))
                continue
            units.append(Unit(piece, role, sum(measure(c) for c in piece) * size))
    while units and units[-1].space:
        units.pop()
    while units and units[0].space:
        units.pop(0)
    # Compression of consecutive full-width marks: each one followed by another loses half an em.
    for a, b in zip(units, units[1:], strict=False):
        if (
            a.chars == 1
            and b.chars >= 1
            and a.text in FULL_PUNCT
            and b.first in FULL_PUNCT
            and a.text not in "—…"
            and a.width >= 0.9 * size
        ):
            a.squeeze = size / 2
    return units


def _gaps(line):
    return sum(u.chars for u in line) - 1


def _natural(line, spacing):
    """Width from the line's left edge to its last character's right edge, at ``spacing`` per gap."""
    if not line:
        return 0.0
    advance = sum(u.width - u.squeeze for u in line[:-1]) + line[-1].width
    return advance + _gaps(line) * spacing


def _squeezable(line):
    """Marks of the line that could still give up half an em (推入), biggest first."""
    return [u for u in line[:-1] if u.chars == 1 and u.text in CLOSING and not u.squeeze]


def _fit(units, start, avail, grid_spacing):
    """The end index of the line that starts at ``start`` (greedy fill, then 禁则)."""
    end = start
    advance = 0.0  # advances of units[start:end], compressed marks taken in
    chars = 0
    while end < len(units):
        unit = units[end]
        if advance + unit.width + (chars + unit.chars - 1) * grid_spacing > avail + 0.3:
            break
        advance += unit.width - unit.squeeze
        chars += unit.chars
        end += 1
    if end == start:
        return start + 1  # a unit wider than the line: it gets a line of its own
    if end == len(units):
        return end

    def bad(e):
        return units[e].first in NO_START or units[e - 1].last in NO_END

    if not bad(end):
        return end
    if units[end].first in NO_START:
        # 推入: pull the closing mark(s) into this line, compressing marks, then tightening a little.
        pulled = end + 1
        while pulled < len(units) and units[pulled].first in NO_START and pulled - end < 2:
            pulled += 1
        line = units[start:pulled]
        deficit = _natural(line, grid_spacing) - avail
        room = sum(u.width / 2 for u in _squeezable(line)) + _gaps(line) * MAX_TIGHTEN
        if deficit <= room and (pulled == len(units) or not bad(pulled)):
            for unit in _squeezable(line):
                if deficit <= 0:
                    break
                unit.squeeze = unit.width / 2
                deficit -= unit.squeeze
            return pulled
    # 推出: move units down until the break is allowed.
    e = end
    while e - 1 > start and bad(e):
        e -= 1
    return e if not bad(e) else end


@dataclass
class Line:
    units: list
    spacing: float  # pt per gap
    full: bool


def set_lines(segments, *, size=BODY_SIZE, width=TYPE_WIDTH, indent_cells=2, cells=CELLS):
    """Break ``segments`` ([(text, role)]) into lines; each full line justified to ``width``."""
    units = _units(segments, size)
    grid_spacing = width / cells - size
    lines = []
    start = 0
    first = True
    while start < len(units):
        avail = width - (indent_cells * width / cells if first else 0)
        end = _fit(units, start, avail, grid_spacing)
        line = units[start:end]
        while line and line[-1].space:
            line.pop()
        full = end < len(units)
        spacing = grid_spacing
        if full and _gaps(line) > 0:
            spacing = (avail - _natural(line, 0)) / _gaps(line)
        lines.append(Line(line, spacing, full))
        start = end
        while start < len(units) and units[start].space:
            start += 1
        first = False
    return lines


def _spacing_class(value):
    """The class of a letter-spacing (hundredths of a point; see ``spacing_css``)."""
    hundredths = round(value * 100)
    return f"ls{'m' if hundredths < 0 else ''}{abs(hundredths)}"


# Letter-spacings a line may need, as classes: WeasyPrint matches a class far faster than it parses
# one style attribute per line. Hundredths of a point: at most 0.14 mm off over a 28-character line.
SPACING_RANGE = (-250, 400)


SPACING_PLACEHOLDER = "/*lc-spacing*/"
_used = contextvars.ContextVar("lc_spacing_used", default=None)


def spacing_css(used):
    """The rules of the letter-spacing classes a document used (only those: a stylesheet of hundreds of
    unused rules costs WeasyPrint more than it saves)."""
    return "\n".join(f".{_spacing_class(h / 100)}{{letter-spacing:{h / 100:.2f}pt}}" for h in sorted(used))


@contextlib.contextmanager
def collecting_spacings():
    """Collect the spacing classes used while rendering a document; yields the set."""
    used = set()
    token = _used.set(used)
    try:
        yield used
    finally:
        _used.reset(token)


def _spacing_attr(value):
    hundredths = round(value * 100)
    low, high = SPACING_RANGE
    used = _used.get()
    if used is not None and low <= hundredths <= high:
        used.add(hundredths)
        return f'class="{_spacing_class(value)}"'
    return f'style="letter-spacing:{value:.3f}pt"'


def _line_html(line, role_classes, base_role, base_spacing=None):
    parts = []
    current_role = base_role
    for unit in line.units:
        if unit.role != current_role:
            if current_role != base_role:
                parts.append("</span>")
            if unit.role != base_role:
                parts.append(f'<span class="{role_classes[unit.role]}">')
            current_role = unit.role
        text = _escape(unit.text, quote=False)
        if unit.squeeze and unit is not line.units[-1]:
            parts.append(f"<span {_spacing_attr(line.spacing - unit.squeeze)}>{text}</span>")
        else:
            parts.append(text)
    if current_role != base_role:
        parts.append("</span>")
    if base_spacing is not None and round(line.spacing * 100) == base_spacing:
        return "".join(parts)  # the paragraph's own spacing: no element of its own
    return f"<span {_spacing_attr(line.spacing)}>{''.join(parts)}</span>"


ROLE_CLASSES = {"body": "f-fang", "kai": "f-kai", "hei": "f-hei", "title": "f-title", "song": "f-song"}


def paragraph_html(segments, *, css_class="", indent=2, size=BODY_SIZE):
    """A ``<p>`` of pre-broken lines (PDF only: it may carry style attributes, never sent to a browser)."""
    lines = set_lines(segments, size=size, indent_cells=indent)
    if not lines:
        return mark_safe("")  # noqa: S308 - nothing
    base_role = segments[-1][1]
    # Most lines share one spacing (28 ideographs, and every last line, round to the grid's): the
    # paragraph carries it, and only the other lines get an element. Lines are separated by newlines
    # kept by ``white-space: pre``: far cheaper for WeasyPrint than an element per line.
    counts = Counter(round(line.spacing * 100) for line in lines)
    base_spacing = counts.most_common(1)[0][0]
    low, high = SPACING_RANGE
    if not low <= base_spacing <= high:
        base_spacing = None
    body = "\n".join(_line_html(line, ROLE_CLASSES, base_role, base_spacing) for line in lines)
    spacing_class = _spacing_attr(base_spacing / 100)[7:-1] if base_spacing is not None else ""
    classes = " ".join(
        c for c in ("grid", ROLE_CLASSES[base_role], f"in{indent}", spacing_class, css_class) if c
    )
    return mark_safe(f'<p class="{classes}">{body}</p>')  # noqa: S308 - every text went through escape()


def paragraph(text, *, role="body", css_class="", indent=2):
    return paragraph_html([(text, role)], css_class=css_class, indent=indent)


_FIRST_LEVEL = re.compile(r"^[一二三四五六七八九十]+、")
_SECOND_LEVEL = re.compile(r"^（[一二三四五六七八九十]+）")


def _segments(block, role):
    """The county's text: "一、…" is a 黑体 heading line, "（一）…。" a 楷体 heading run in with its text."""
    if role == "body" and _FIRST_LEVEL.match(block) and len(block) <= 40 and "。" not in block[:-1]:
        return [(block, "hei")]
    if role == "body" and _SECOND_LEVEL.match(block):
        end = block.find("。")
        if 0 < end < 40:
            head, rest = block[: end + 1], block[end + 1 :]
            return [(head, "kai"), (rest, "body")] if rest else [(head, "kai")]
    return [(block, role)]


def paragraphs(blocks, *, role="body"):
    return mark_safe(  # noqa: S308 - escaped
        "".join(paragraph_html(_segments(b, role)) for b in blocks)
    )


# --- titles -------------------------------------------------------------------------------------

_jieba = None


def _words(text):
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    return list(_jieba.cut(text, HMM=False))


def _protected(text):
    """Character positions inside which no title may break: quotations, numbers, 〔…〕 and (…)."""
    spans = []
    for pattern in (r"“[^”]*”", r"《[^》]*》", r"〔[^〕]*〕", r"（[^）]*）", r"[0-9A-Za-z.]+"):
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    return spans


def title_lines(text, *, role="title", size=22.0, width=TYPE_WIDTH):
    """Break a title into the fewest lines that fit, balanced, at word boundaries only."""
    text = text.strip()
    measure = _measurer(ROLE_STACK[role])
    widths = [measure(c) * size for c in text]
    total = sum(widths)
    if total <= width or len(text) < 4:
        return [text]
    boundaries, at = set(), 0
    for word in _words(text):
        at += len(word)
        boundaries.add(at)
    boundaries.discard(len(text))
    for a, b in _protected(text):
        boundaries -= set(range(a + 1, b))
    boundaries = {b for b in boundaries if text[b] not in NO_START and text[b - 1] not in NO_END and b > 0}
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    cuts = sorted(boundaries)
    lines_needed = max(2, math.ceil(total / width))
    for count in range(lines_needed, lines_needed + 3):
        best = _balanced(cuts, prefix, len(text), count, width)
        if best is not None:
            edges = [0, *best, len(text)]
            return [text[a:b] for a, b in zip(edges, edges[1:], strict=False)]
    # No break fits at a word boundary: fall back to breaking by width.
    lines, start = [], 0
    for i in range(1, len(text) + 1):
        if prefix[i] - prefix[start] > width:
            lines.append(text[start : i - 1])
            start = i - 1
    lines.append(text[start:])
    return lines


def _balanced(cuts, prefix, n, count, width):
    """``count - 1`` cuts minimising the longest line (then the spread), every line within ``width``."""
    best, best_key = None, None

    def widths_of(edges):
        return [prefix[b] - prefix[a] for a, b in zip(edges, edges[1:], strict=False)]

    def search(chosen, start_index):
        nonlocal best, best_key
        if len(chosen) == count - 1:
            w = widths_of([0, *chosen, n])
            if max(w) <= width + 0.01:
                key = (round(max(w), 1), round(max(w) - min(w), 1))
                if best_key is None or key < best_key:
                    best, best_key = list(chosen), key
            return
        last = chosen[-1] if chosen else 0
        for i in range(start_index, len(cuts)):
            if prefix[cuts[i]] - prefix[last] > width + 0.01:
                break
            search([*chosen, cuts[i]], i + 1)

    search([], 0)
    return best


def title_html(text, *, css_class="title", role="title", size=22.0):
    lines = title_lines(text, role=role, size=size)
    body = "<br>".join(escape(line) for line in lines)
    return mark_safe(f'<div class="{css_class}">{body}</div>')  # noqa: S308 - escaped


def header_lines(text, *, max_chars=4):
    """A table header label in one line, or two balanced lines split between words."""
    text = text.strip()
    if len(text) <= max_chars:
        return [text]
    at, cuts = 0, []
    for word in _words(text):
        at += len(word)
        cuts.append(at)
    cuts = [c for c in cuts[:-1] if text[c] not in NO_START and text[c - 1] not in NO_END]
    if not cuts:
        return [text]
    best = min(cuts, key=lambda c: (max(c, len(text) - c), abs(len(text) - 2 * c)))
    return [text[:best], text[best:]]


def text_width(text, *, role="body", size=BODY_SIZE, spacing=0.0):
    measure = _measurer(ROLE_STACK[role])
    return sum(measure(c) for c in text) * size + spacing * max(len(text) - 1, 0)


def signature_html(issuer, date, *, right_cells=4):
    """署名 and 成文日期: the date ends ``right_cells`` characters in from the right, the issuer centred.

    The right margins are computed from the face's widths, so the centring holds for any name.
    """
    date_w = text_width(date)
    by_w = text_width(issuer)
    date_right = right_cells * CELL
    centre_from_right = date_right + date_w / 2
    by_right = max(0.0, centre_from_right - by_w / 2)
    return mark_safe(  # noqa: S308 - escaped
        '<div class="signature">'
        f'<div class="by" style="margin-right:{by_right:.2f}pt">{escape(issuer)}</div>'
        f'<div class="on" style="margin-right:{date_right:.2f}pt">{escape(date)}</div></div>'
    )


def organ_mark_size(text, *, largest=46.0, spacing=2.0):
    """The organ mark's size: as large as ``largest`` pt, never wider than the type area."""
    measure = _measurer(ROLE_STACK["title"])
    em = sum(measure(c) for c in text) or 1
    return min(largest, (TYPE_WIDTH - 8 - spacing * (len(text) - 1)) / em)
