"""Rich text written on the site (news, minutes): a few tags of structure, nothing that runs."""

import nh3

from samen.agenda.text import plain_text

TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "h2", "h3", "blockquote"}
ATTRIBUTES = {"a": {"href"}}


def rich_text_clean(value: str) -> str:
    """Keep paragraphs, emphasis, lists and links (http, https, mailto); drop scripts, styles and the rest."""
    return nh3.clean(
        value or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text_clean(value: str) -> str:
    """Words only: any markup in a title or summary is dropped."""
    return plain_text(value)


def url_in_language(url: str, language: str) -> str:
    """A site path made in one language, for a reader of another: /nl/news/x/ becomes /en/news/x/.

    Notifications keep one url, made in whatever language the sender's request or the job ran in."""
    for prefix in ("/nl/", "/en/"):
        if url.startswith(prefix):
            return f"/{language}/{url[len(prefix) :]}"
    return url
