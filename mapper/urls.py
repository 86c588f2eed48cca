"""The one URL policy: only plain http(s) links with a host, for validation, exports and the map.

The map's script gets the same rule through the data blob (``url_schemes``), so a link the
validator accepts is the link the page shows, and nothing else is ever made clickable.

>>> safe_url(" https://example.org/a ")
'https://example.org/a'
>>> safe_url("javascript:alert(1)") is None
True
>>> url_problem("ftp://example.org/x")
"ftp: URLs are not allowed ('ftp://example.org/x'); use an http(s) link"
"""
from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import urlsplit

URL_SCHEMES = ("http", "https")
"""The only schemes mapper accepts in a link."""

_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][!-~\u00a0-\U0010ffff]*)?",
                        re.IGNORECASE)
_BAD_URL_CHAR = re.compile(r"[\s\x00-\x1f\x7f]")


def _quoted(url: str, limit: int = 60) -> str:
    """The URL quoted for a message, cut so a 10 MB cell never floods the terminal."""
    text = url.replace("\n", " ")
    if len(text) > limit:
        text = text[:limit] + f"... ({len(text):,} characters)"
    return repr(text)


@functools.lru_cache(maxsize=1024)  # a claim's source_url is usually its source's url
def url_problem(url: str) -> str | None:
    """Why ``url`` is not an acceptable http(s) link (a message with the fix), or None."""
    if _PLAIN_URL.fullmatch(url) and not _BAD_URL_CHAR.search(url):
        return None  # the common case: a plain http(s) link with a host
    if _BAD_URL_CHAR.search(url.strip()):
        return f"{_quoted(url)} contains spaces or control characters; encode them (%20)"
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        return f"{_quoted(url)} is not a valid URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES:
        if scheme:
            return f"{scheme}: URLs are not allowed ({_quoted(url)}); use an http(s) link"
        return f"{_quoted(url)} is not a URL; write it with https://"
    if not parts.netloc or not parts.hostname:
        return f"{_quoted(url)} has no host; write it as https://host/path"
    return None


def safe_url(url: Any) -> str | None:
    """The URL without surrounding whitespace if :func:`url_problem` finds nothing, else None."""
    if not url or not isinstance(url, str):
        return None
    text = url.strip()
    return text if url_problem(text) is None else None
