"""Template tags of printed documents: paragraphs set on the type grid when printing.

``{% para text %}`` prints one paragraph: on paper (the context has ``paper`` true) it is set on the
28-character grid by ``campaign.reports.typeset`` (every full line flush with the type area); on the
web page it is a plain ``<p>``. ``{% paras text %}`` does the same for text whose paragraphs are
separated by blank lines (the county's own text of a briefing).
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from campaign.reports import typeset

register = template.Library()


def _split(text):
    text = (text or "").replace("\r\n", "\n")
    blocks = [
        " ".join(line.strip() for line in block.split("\n") if line.strip()) for block in text.split("\n\n")
    ]
    return [b for b in blocks if b]


@register.simple_tag(takes_context=True)
def para(context, text, role="body", css_class="", indent=2):
    """One paragraph (``role``: body, kai, hei)."""
    text = str(text or "")
    if context.get("paper"):
        return typeset.paragraph(text, role=role, css_class=css_class, indent=indent)
    if css_class:
        return format_html('<p class="{}">{}</p>', css_class, text)
    return format_html("<p>{}</p>", text)


@register.simple_tag(takes_context=True)
def paras(context, text, role="body"):
    """Each blank-line separated paragraph of ``text`` (single line breaks join lines)."""
    blocks = _split(text)
    if context.get("paper"):
        return typeset.paragraphs(blocks, role=role)
    return format_html_join("", "<p>{}</p>", ((b,) for b in blocks))


@register.simple_tag(takes_context=True)
def runin(context, label, text, label_role="hei", text_role="kai"):
    """A run-in paragraph: ``label`` (e.g. 编者按：) then ``text`` on the same lines (the editor's note)."""
    if context.get("paper"):
        return typeset.paragraph_html([(str(label), label_role), (str(text), text_role)])
    return format_html(
        '<p class="runin"><span class="runin-label">{}</span><span class="runin-text">{}</span></p>',
        label,
        text,
    )


@register.simple_tag(takes_context=True)
def title(context, text, css_class="title"):
    """A document title: on paper in balanced lines broken at word boundaries; on the web an <h1>."""
    if context.get("paper"):
        return typeset.title_html(str(text), css_class=css_class)
    return format_html('<h1 class="{}">{}</h1>', css_class, text)


@register.simple_tag
def th_label(text, max_chars=4):
    """A table header on at most two lines, broken between words (never a stack of characters)."""
    lines = typeset.header_lines(str(text), max_chars=max_chars)
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))  # noqa: S308


@register.simple_tag(takes_context=True)
def signature(context, issuer, date):
    """The issuer centred over the date, the date four characters in from the right (GB/T 9704 §7.3.5)."""
    if context.get("paper"):
        return typeset.signature_html(str(issuer), str(date))
    return format_html('<div class="signature"><div>{}</div><div>{}</div></div>', issuer, date)


@register.simple_tag
def organ_mark(text):
    size = typeset.organ_mark_size(str(text))
    # The glyphs' ink starts about 0.085 em below the line box: the box goes that much higher so that
    # the ink's top edge is 35 mm below the top of the type area (GB/T 9704 §7.2.1).
    top = 35 - 0.085 * size / typeset.MM
    return format_html(
        '<div class="organ-mark" style="font-size:{}pt;line-height:{}pt;margin-top:{}mm">{}</div>',
        f"{size:.2f}",
        f"{size:.2f}",
        f"{top:.2f}",
        text,
    )
