"""Measuring printed PDFs with PyMuPDF: fonts, line ends, rules, the organ mark, the page number.

Positions are in mm from the page's top-left corner. The type area is GB/T 9704's: 156 × 225 mm,
37 mm from the top, 28 mm from the binding edge (left on odd pages, right on even ones).
Ink is measured on a raster of the page (what a ruler on the paper measures), text boxes on the
PDF's own glyph boxes.
"""

from dataclasses import dataclass

import pymupdf

MM = 72 / 25.4
TOP = 37.0
BOTTOM = TOP + 225.0
WIDTH = 156.0


def mm(points):
    return points / MM


def type_left(page_number):
    """Left edge of the type area (mm) on page ``page_number`` (1-based)."""
    return 28.0 if page_number % 2 == 1 else 26.0


def open_pdf(path):
    return pymupdf.open(str(path))


def fonts(path, size=None):
    """{font name: characters} of the text (at ``size`` pt, if given)."""
    out = {}
    for page in open_pdf(path):
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if span["text"].strip() and (size is None or abs(span["size"] - size) < 0.2):
                        out[span["font"]] = out.get(span["font"], 0) + len(span["text"].strip())
    return out


@dataclass
class Line:
    page: int
    x0: float  # mm
    x1: float  # mm, right edge of the last glyph's box
    y: float  # mm, baseline
    size: float
    text: str


def lines(path, size=16.0):
    """Text lines at ``size`` pt, in reading order, page by page."""
    out = []
    for number, page in enumerate(open_pdf(path), 1):
        found = []
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                chars = [c for s in line["spans"] if abs(s["size"] - size) < 0.2 for c in s["chars"]]
                chars = [c for c in chars if c["c"].strip()]
                if not chars:
                    continue
                found.append(
                    Line(
                        number,
                        mm(chars[0]["bbox"][0]),
                        mm(max(c["bbox"][2] for c in chars)),
                        mm(chars[0]["origin"][1]),
                        size,
                        "".join(c["c"] for c in chars),
                    )
                )
        out.extend(sorted(found, key=lambda ln: (round(ln.y, 1), ln.x0)))
    return out


def full_lines(path, size=16.0, pitch=28.95):
    """Lines of a paragraph that another line of the same paragraph follows: the next line at ``size``
    starts at the type area's left edge (no indent) one line pitch lower, or at the top of the next page.
    Returns [(line, gap to the right edge in mm)]."""
    found = lines(path, size)
    out = []
    for line, nxt in zip(found, found[1:], strict=False):
        right = type_left(line.page) + WIDTH
        starts_left = abs(nxt.x0 - type_left(nxt.page)) < 0.3
        same_page_next = nxt.page == line.page and abs((nxt.y - line.y) - mm(pitch)) < 0.5
        next_page_top = nxt.page == line.page + 1 and nxt.y < TOP + 12
        # A body line starts at the left edge or two characters in (a paragraph's first line).
        at_grid = min(
            abs(line.x0 - type_left(line.page)), abs(line.x0 - type_left(line.page) - 2 * WIDTH / 28)
        )
        if starts_left and at_grid < 0.3 and (same_page_next or next_page_top):
            out.append((line, right - line.x1))
    return out


def _raster(page, clip, zoom=8):
    pix = page.get_pixmap(clip=clip, matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    return pix, zoom


def ink_rows(page, clip_mm, predicate, zoom=8):
    """The y (mm) of each raster row in ``clip_mm`` (x0, y0, x1, y1) with a pixel ``predicate`` accepts."""
    clip = pymupdf.Rect(*(v * MM for v in clip_mm))
    pix, zoom = _raster(page, clip, zoom)
    rows = []
    samples, n, width = pix.samples, pix.n, pix.width
    for y in range(pix.height):
        row = samples[y * pix.stride : y * pix.stride + width * n]
        for x in range(0, width * n, n):
            if predicate(row[x], row[x + 1], row[x + 2]):
                rows.append(clip_mm[1] + y / zoom / MM)
                break
    return rows


def is_dark(r, g, b):
    return r + g + b < 240


def is_red(r, g, b):
    return r > 150 and g < 110 and b < 110


def red_top(path, page=1):
    """Top (mm from the page top) of the first red ink on the page: the organ mark of a 红头文件."""
    doc = open_pdf(path)
    rows = ink_rows(doc[page - 1], (0, 0, 210, 150), is_red, zoom=6)
    return rows[0] if rows else None


def red_rules(path, page=1, min_length=100):
    """Red horizontal rules on a page: [(y mm, length mm)]."""
    return [r for r in rules(path, page, min_length=min_length, predicate=is_red)]


def page_number_dash(path, page):
    """The vertical centre (mm) of the left 一字线 of the page number "— N —", measured in ink."""
    doc = open_pdf(path)
    p = doc[page - 1]
    for block in p.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for char in span["chars"]:
                    if char["c"] == "—" and mm(char["bbox"][1]) > BOTTOM:
                        x0, y0, x1, y1 = (mm(v) for v in char["bbox"])
                        rows = ink_rows(p, (x0 + 0.5, y0 - 2, x1 - 0.5, y1 + 2), is_dark, zoom=12)
                        return (rows[0] + rows[-1]) / 2 if rows else None
    return None


def rules(path, page, *, min_length=50, predicate=is_dark, zoom=4):
    """Horizontal rules on a page, found in ink: [(y mm, length mm)], one entry per rule."""
    doc = open_pdf(path)
    p = doc[page - 1]
    pix, zoom = _raster(p, p.rect, zoom)
    samples, n, width = pix.samples, pix.n, pix.width
    found = []
    for y in range(pix.height):
        row = samples[y * pix.stride : y * pix.stride + width * n]
        best = run = 0
        for x in range(0, width * n, n):
            if predicate(row[x], row[x + 1], row[x + 2]):
                run += 1
                best = max(best, run)
            else:
                run = 0
        length = best / zoom / MM
        if length >= min_length:
            found.append((y / zoom / MM, length))
    merged = []
    for y, length in found:
        if merged and y - merged[-1][2] < 0.6:
            merged[-1] = (merged[-1][0], max(merged[-1][1], length), y)
        else:
            merged.append((y, length, y))
    return [(round(y, 2), round(length, 2)) for y, length, _end in merged]


def content_bottom(path, page):
    """The lowest ink (mm) inside the type area of a page (what an empty page foot leaves)."""
    doc = open_pdf(path)
    rows = ink_rows(doc[page - 1], (20, TOP, 190, BOTTOM), is_dark, zoom=2)
    return rows[-1] if rows else TOP


def text(path):
    return "".join(page.get_text() for page in open_pdf(path))


def page_text(path, page):
    return open_pdf(path)[page - 1].get_text()


def page_count(path):
    return len(open_pdf(path))


def number_to_red_line(path, page=1):
    """(bottom of the 发文字号's ink, top of the red line) in mm, between the organ mark and the title."""
    doc = open_pdf(path)
    red = red_rules(path, page)
    if not red:
        return None
    line_y = red[0][0]
    rows = ink_rows(doc[page - 1], (30, line_y - 15, 180, line_y - 0.2), is_dark, zoom=8)
    red_rows = ink_rows(doc[page - 1], (30, line_y - 1, 180, line_y + 2), is_red, zoom=8)
    return (rows[-1] if rows else None), (red_rows[0] if red_rows else line_y)
