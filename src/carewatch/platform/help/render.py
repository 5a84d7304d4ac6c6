"""An article's Markdown as HTML, with any HTML in the file escaped, never passed through.

markdown-it-py (CommonMark) with raw HTML off; its link check refuses javascript: and
similar addresses. Headings of passages get their anchors as ids.
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt

from carewatch.platform.help.articles import Article, Passage

MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def markdown(text: str) -> str:
    return MARKDOWN.render(text)


def passage_html(passage: Passage) -> str:
    body = markdown(passage.text)
    if not passage.anchor:
        return body
    return f'<h2 id="{escape(passage.anchor)}">{escape(passage.heading)}</h2>\n{body}'


def article_html(article: Article) -> str:
    return "\n".join(passage_html(p) for p in article.passages)
