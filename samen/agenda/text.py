"""Text people type on the site: stored as plain text, whatever HTML they put in it."""

import html

import nh3


def plain_text(value: str) -> str:
    """Tags, scripts and styles removed by a real sanitiser; what remains is plain text for autoescaping."""
    cleaned = nh3.clean(value or "", tags=set(), attributes={}, strip_comments=True)
    # nh3 returns HTML with entities; the templates escape again, so store the plain characters.
    return html.unescape(cleaned).strip()
