"""Plain text from sanitised HTML, for the `body_text` of a message that came only as HTML."""

import html
import re

import nh3

BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|tr|h[1-6]|blockquote|pre)>")
BLANK_LINES = re.compile(r"\n{3,}")


def text_from_html(markup: str) -> str:
    """Line breaks where blocks end, every tag dropped, entities decoded."""
    with_breaks = BLOCK_END.sub("\n", markup)
    stripped = nh3.clean(with_breaks, tags=set(), attributes={}, strip_comments=True)
    lines = (line.strip() for line in html.unescape(stripped).splitlines())
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
