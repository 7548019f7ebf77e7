"""Template tags of printed documents: paragraphs set on the type grid when printing.

``{% para text %}`` prints one paragraph: on paper (the context has ``paper`` true) it is set on the
28-character grid by ``campaign.reports.typeset`` (every full line flush with the type area); on the
web page it is a plain ``<p>``. ``{% paras text %}`` does the same for text whose paragraphs are
separated by blank lines (the county's own text of a briefing).
"""

from django import template
from django.utils.html import format_html, format_html_join

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
