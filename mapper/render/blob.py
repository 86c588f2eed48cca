"""How the data blob sits in the page: plain JSON for most maps, deflated and split for big ones.

A map whose JSON is over ``RAW_JSON_MAX`` (some 2,500 incidents) carries it as two deflated,
base64-encoded ``<script>`` elements: the *core* (everything the first frame needs: the layers,
the basemap and per incident its id, category, day numbers, place, claimant and outlet indexes)
and the *records* (each incident's full card: summary, claims, sources, quotes). The page draws
from the core and inflates the records right after, in the background, so a 100,000-incident
page is ready without parsing 150 MB of popup text first. Smaller maps keep one plain JSON
element, readable in any browser and by eye. Both encodings are deterministic.
"""
from __future__ import annotations

import base64
import html
import re
import zlib
from typing import Any

from mapper.render.data import json_for_html

RAW_JSON_MAX = 4_000_000

# what the first frame needs from each incident (see js/app.js, filters.js, points.js, list.js)
CORE_KEYS = ("id", "cat", "d0", "d1", "dp", "date", "lat", "lon", "area", "a1", "cl", "out",
             "approx", "status", "confidence")

def deflate_base64(text: str) -> str:
    """``text`` (UTF-8) as raw deflate (level 6, deterministic) in base64."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return base64.b64encode(packer.compress(text.encode("utf-8")) + packer.flush()).decode()


def _core(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    incidents = []
    for rec in data.get("incidents", []):
        core = {k: rec[k] for k in CORE_KEYS if k in rec}
        place = rec.get("place") or {}
        core["place"] = {k: place[k] for k in ("id", "name") if k in place}
        incidents.append(core)
    out["incidents"] = incidents
    out["split"] = True
    return out


def encode(data: dict[str, Any], data_json: str) -> tuple[str, str] | None:
    """The deflated (core, records) of a big map, None for one that stays plain JSON.

    ``write_map`` encodes once for both of its pages.
    """
    if len(data_json) <= RAW_JSON_MAX:
        return None
    return (deflate_base64(json_for_html(_core(data))),
            deflate_base64(json_for_html(data.get("incidents", []))))


def blob_html(data_json: str, parts: tuple[str, str] | None, element_id: str) -> str:
    """The ``<script>`` element(s) that carry the data in the page.

    Parameters
    ----------
    data_json
        The data encoded by :func:`mapper.render.data.json_for_html`.
    parts
        :func:`encode`'s result for the same data.
    element_id
        The id ``mapperInit`` reads; the records element is ``<id>_records``.
    """
    eid = html.escape(element_id, quote=True)
    if parts is None:
        return f'<script type="application/json" id="{eid}">{data_json}</script>'
    core, records = parts
    return (f'<script type="application/octet-stream" data-encoding="deflate-base64" '
            f'data-records="{eid}_records" id="{eid}">{core}</script>\n'
            f'<script type="application/octet-stream" data-encoding="deflate-base64" '
            f'id="{eid}_records">{records}</script>')


_RECORDS = re.compile(r'\n?<script type="application/octet-stream" data-encoding="deflate-base64" '
                      r'id="[^"]*_records">[A-Za-z0-9+/=]*</script>')


def move_records_last(page: str) -> str:
    """The page with a big map's records element moved after the script that starts the map.

    The browser then runs the map before it reads the records' megabytes; the page reads them
    once the document is parsed. (A notebook's ``_repr_html_`` keeps them in place: slower to
    start, same result.)
    """
    found = _RECORDS.search(page)
    end = page.rfind("</html>")
    if found is None or end < found.end():
        return page
    return (page[:found.start()] + page[found.end():end] + found.group(0).lstrip("\n") + "\n"
            + page[end:])
