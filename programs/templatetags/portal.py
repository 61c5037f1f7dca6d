"""Template filters for the public pages."""

import json
import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# URLs in the handbook text are ASCII; the full-width bracket or 。 after one ends it.
_URL_RE = re.compile(r"https?://[!-~]+")
_TRAILING = ".,;:)]}>'\""
# "（１）概要", "１．加入手続き": a short numbered line that introduces what follows.
_HEADING_RE = re.compile(r"^(?:（[0-9０-９]{1,2}）|[0-9０-９]{1,2}[．.])\s*(?P<title>[^。]{1,24})$")
_BULLETS = ("・", "･")


def linkify(text: str) -> str:
    """Escape text and turn the http(s) URLs in it into links."""
    parts, last = [], 0
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html('<a href="{}">{}</a>', url, url))
        last = end
    parts.append(escape(text[last:]))
    return "".join(parts)


@register.filter
def handbook_text(value):
    """The handbook's plain text as HTML: 「・」 lines become a list, short numbered lines
    (（１）概要) become subheadings, everything else a paragraph; URLs are linked."""
    html, bullets = [], []

    def flush():
        if bullets:
            items = "".join(f"<li>{linkify(b)}</li>" for b in bullets)
            html.append(f'<ul class="bullets">{items}</ul>')
            bullets.clear()

    lines = [line.strip() for line in (value or "").splitlines()]
    for index, line in enumerate(lines):
        if not line:
            flush()
            continue
        if line.startswith(_BULLETS):
            bullets.append(line[1:].strip())
            continue
        flush()
        following = next((n for n in lines[index + 1 :] if n), "")
        if _HEADING_RE.match(line) and following and not _HEADING_RE.match(following):
            html.append(f'<h3 class="prose__heading">{linkify(line)}</h3>')
        else:
            html.append(f"<p>{linkify(line)}</p>")
    flush()
    return mark_safe("\n".join(html))


@register.filter
def is_web_url(value):
    """Only http(s) addresses become links: never javascript:, data: or the like."""
    return bool(re.match(r"https?://", str(value or ""), re.IGNORECASE))


# The two numbers of a 中小企業活性化協議会 serve different national programs.
PHONE_LABELS = {
    "全": "（全）中小企業活性化全国本部事業",
    "経": "（経）経営改善計画策定支援事業",
}


@register.filter
def phone_label(label):
    return PHONE_LABELS.get(label, label)


_LD_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(value):
    """A JSON-LD block (schema.org): a data block, never executed; <, > and & escaped so the
    text cannot close the element."""
    if not value:
        return ""
    data = json.dumps(value, ensure_ascii=False).translate(_LD_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{data}</script>')


@register.simple_tag(takes_context=True)
def breadcrumb_ld(context, current, parent_label="", parent_url="", label2="", url2=""):
    """The breadcrumbs as a schema.org BreadcrumbList."""
    request = context["request"]
    items = [("ホーム", "/")]
    if parent_url:
        items.append((str(parent_label), str(parent_url)))
    if url2:
        items.append((str(label2), str(url2)))
    items.append((str(current), request.path))
    data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": i,
                "name": name,
                "item": request.build_absolute_uri(url),
            }
            for i, (name, url) in enumerate(items, 1)
        ],
    }
    return ld_json(data)
