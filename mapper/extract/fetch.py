"""Articles named by URL in a path list, fetched only when asked (``mapper extract --fetch``).

mapper reads no network at run time by default: a URL in a ``.list`` file is an error naming
the line and the flag, unless ``--fetch`` is given. Then each worker fetches its articles itself
(plain ``http``/``https`` only, a timeout, the article size limit), and the URL becomes the
article's name and its ``url``.

>>> is_url("https://example.org/a.html"), is_url("news/a.html"), is_url("file:///etc/passwd")
(True, False, False)
"""
from __future__ import annotations

from typing import Any

from mapper.errors import DataError

#: seconds before a fetch gives up
TIMEOUT_S = 30


def is_url(entry: str) -> bool:
    """Whether a path-list entry is a URL mapper can fetch (http or https)."""
    return entry.lower().startswith(("http://", "https://"))


def fetch_document(url: str) -> Any:
    """The article at ``url`` as a :class:`~mapper.extract.text.Document` (HTML: its main
    text, as for a saved .html file). Any failure is a one-line :class:`DataError` for this
    article; over the article size limit (``--max-article-mb``) likewise.
    """
    import urllib.error
    import urllib.request

    from mapper.extract.text import document_from_text, html_main_text
    from mapper.guards import limit_mb

    limit = int(limit_mb("article") * 1e6)
    request = urllib.request.Request(url, headers={"User-Agent": "mapper (article fetch)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            final = response.geturl()
            if not is_url(final):
                raise DataError(f"redirected to {final!r}; only http(s) is fetched", path=url)
            data = response.read(limit + 1)
            kind = response.headers.get_content_type()
            charset = response.headers.get_content_charset() or "utf-8"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DataError(f"could not fetch ({reason}); download it and list the file instead",
                        path=url) from None
    if len(data) > limit:
        raise DataError(f"over the {limit / 1e6:,.0f} MB article limit; raise it with "
                        "`mapper --max-article-mb N`", path=url)
    try:
        text = data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise DataError(f"not valid {charset} text", path=url) from None
    meta = {"url": url}
    if kind in ("text/html", "application/xhtml+xml") or url.lower().endswith((".html", ".htm")):
        body, found = html_main_text(text)
        doc = document_from_text(body, name=url, fmt="txt", meta={**found, **meta})
        doc.fmt = "html"
        return doc
    return document_from_text(text, name=url, fmt="txt", meta=meta)
