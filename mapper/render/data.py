"""The data blob behind the map: incidents, areas, overlays and basemap as one JSON document.

Everything the page shows comes from this blob; the client script turns it into DOM nodes with
``textContent``, so no field is ever pasted into markup or JavaScript source. The blob is built
deterministically (sorted, rounded) so a rerun gives byte-identical pages.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import warnings
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from mapper.geo import rounded as _r
from mapper.incidents.model import AREA_PRECISIONS, CATEGORIES, Incident  # noqa: F401 (re-exported)
from mapper.urls import safe_url

EPOCH = dt.date(1970, 1, 1)
UNDATED = (-1_000_000, 1_000_000)  # day numbers that overlap any time window
APPROX_DAYS = 7  # an "approximate" date without an end is taken as +/- a week

# Fixed colours for the documented categories, so a newsroom's maps agree with each other. The
# most reported kinds take the Okabe-Ito palette (told apart with every common colour-vision
# deficiency); the rest take Paul Tol's muted set. Every dot also gets a dark rim, so even the light
# colours stand 3:1 off the basemap. Other categories take EXTRA_COLORS in sorted order.
CATEGORY_COLORS: dict[str, str] = {
    "raid": "#D55E00", "shelling": "#E69F00", "air-strike": "#0072B2",
    "drone-strike": "#CC79A7", "capture": "#009E73", "clash": "#56B4E9",
    "explosion": "#F0E442", "destruction": "#882255", "sabotage": "#44AA99",
    "evacuation": "#332288", "casualties": "#000000", "statement": "#999933", "other": "#BBBBBB",
}
EXTRA_COLORS = ("#CC6677", "#117733", "#DDCC77", "#AA4499", "#88CCEE", "#6699CC", "#997700",
                "#EE99AA", "#994455", "#004488")

ATTRIBUTION = (
    'Places: <a href="https://www.geonames.org/" target="_blank" rel="noopener noreferrer">'
    "GeoNames</a> (CC BY 4.0)",
    'Boundaries: <a href="https://www.naturalearthdata.com/" target="_blank" '
    'rel="noopener noreferrer">Natural Earth</a>',
)
# the basemap's lakes come from OpenStreetMap (gazetteer/derived/lakes.txt.gz): credited when drawn
LAKES_ATTRIBUTION = ('Lakes: &copy; <a href="https://www.openstreetmap.org/copyright" '
                     'target="_blank" rel="noopener noreferrer">OpenStreetMap</a> contributors '
                     "(ODbL)")


class MapWarning(UserWarning):
    """Something in the data was dropped or approximated while drawing the map."""




def json_for_html(obj: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element: no ``</script>`` breakout,
    no HTML comment opener, no raw line separators.
    """
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False, check_circular=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def day_number(value: dt.date) -> int:
    """Days since 1970-01-01 (the client's day numbers)."""
    return (value - EPOCH).days


def day_span(inc: Incident) -> tuple[int, int]:
    """First and last day the incident may have happened, from its date, end and precision."""
    if inc.date is None:
        return UNDATED
    start = end = inc.date
    if inc.date_precision == "month":
        start = inc.date.replace(day=1)
        nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = nxt - dt.timedelta(days=1)
    elif inc.date_precision == "year":
        start, end = inc.date.replace(month=1, day=1), inc.date.replace(month=12, day=31)
    elif inc.date_precision == "approximate" and inc.date_end is None:
        # clamped: a week before 0001-01-07 or after 9999-12-25 is outside Python's dates
        start = inc.date - dt.timedelta(days=min(APPROX_DAYS, (inc.date - dt.date.min).days))
        end = inc.date + dt.timedelta(days=min(APPROX_DAYS, (dt.date.max - inc.date).days))
    if inc.date_end is not None and inc.date_end >= inc.date:
        end = max(end, inc.date_end)
    return day_number(start), day_number(end)


def precision_of(inc: Incident) -> str | None:
    """The geo precision, from the record or else from the gazetteer id or kind."""
    loc = inc.place
    if loc.geo_precision:
        return loc.geo_precision
    pid = loc.place_id or ""
    for prefix, prec in (("adm0:", "country"), ("adm1:", "admin1"), ("adm2:", "admin2"),
                         ("zone:", "zone"), ("gn:", "settlement")):
        if pid.startswith(prefix):
            return prec
    if loc.kind in ("settlement", "admin1", "admin2", "country", "zone"):
        return loc.kind
    return "exact" if loc.resolved else None


def category_table(categories: Iterable[str]) -> list[dict[str, str]]:
    """The legend's categories (documented ones in their order, then the rest sorted), each
    with its colour and description.
    """
    used = sorted(set(categories))
    known = [c for c in CATEGORIES if c in used]
    extra = sorted(c for c in used if c not in CATEGORIES)
    table = []
    for key in known + extra:
        color = CATEGORY_COLORS.get(key) or EXTRA_COLORS[extra.index(key) % len(EXTRA_COLORS)]
        table.append({"key": key, "label": key, "color": color, "desc": CATEGORIES.get(key, "")})
    return table


def outlet_of(source: Any) -> str | None:
    """The outlet name, or the link's host when the record names no outlet."""
    if source.outlet:
        return source.outlet
    url = safe_url(source.url)
    if url:
        host = urlsplit(url).hostname or ""
        return host[4:] if host.startswith("www.") else host or None
    return None


def _ranked(counts: dict[str, int]) -> list[str]:
    return sorted(counts, key=lambda k: (-counts[k], k))


def _source_rec(s: Any) -> dict[str, Any]:
    # attribute by attribute: twice as fast as walking the fields, and this runs per source
    d: dict[str, Any] = {}
    if s.outlet:
        d["outlet"] = s.outlet
    if s.title:
        d["title"] = s.title
    if s.url:
        d["url"] = s.url
    if s.author:
        d["author"] = s.author
    if s.published:
        d["published"] = s.published.isoformat()
    if s.quote:
        d["quote"] = s.quote
    if s.archive_url:
        d["archive_url"] = s.archive_url
    return d


def _claim_rec(c: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"by": c.by, "stance": c.stance}
    if c.statement:
        d["statement"] = c.statement
    if c.figures:
        d["figures"] = dict(c.figures)
    if c.quote:
        d["quote"] = c.quote
    if c.source_url:
        d["url"] = c.source_url  # the client's name for it
    return d


def record_of(inc: Incident) -> dict[str, Any]:
    """The parts of ``Incident.to_dict()`` the popup shows, built directly: ``dataclasses.asdict``
    costs ~0.6 ms an incident, the bulk of writing a 10,000-incident map.
    """
    rec: dict[str, Any] = {}
    if inc.date is not None:
        rec["date"] = inc.date.isoformat()
    if inc.date_end is not None:
        rec["date_end"] = inc.date_end.isoformat()
    if inc.summary:
        rec["summary"] = inc.summary
    ver = inc.verification
    rec["verification"] = {"status": ver.status or "unverified"}
    if ver.by:
        rec["verification"]["by"] = list(ver.by)
    if ver.note:
        rec["verification"]["note"] = ver.note
    if inc.sources:
        rec["sources"] = [_source_rec(s) for s in inc.sources]
    if inc.claims:
        rec["claims"] = [_claim_rec(c) for c in inc.claims]
    if inc.tags:
        rec["tags"] = list(inc.tags)
    if inc.confidence is not None:
        rec["confidence"] = inc.confidence
    if inc.is_draft:
        rec["status"] = "draft"  # the client marks it "Draft — not reviewed"
    if inc.evidence:
        rec["evidence"] = inc.evidence
    return rec


def _clean_links(ident: str, record: dict[str, Any]) -> None:
    """Drop every link that is not plain http(s), with a warning naming incident and field."""
    for i, src in enumerate(record.get("sources") or []):
        for key in ("url", "archive_url"):
            if key in src and safe_url(src[key]) is None:
                warnings.warn(f"incident {ident}: sources[{i}].{key}: dropped link {src[key]!r} "
                              "(only http(s) links are kept)", MapWarning, stacklevel=4)
                del src[key]
    for i, claim in enumerate(record.get("claims") or []):
        if "url" in claim and safe_url(claim["url"]) is None:
            warnings.warn(f"incident {ident}: claims[{i}].source_url: dropped link "
                          f"{claim['url']!r} (only http(s) links are kept)", MapWarning,
                          stacklevel=5)
            del claim["url"]


def _place_info(gazetteer: Any, place_id: str | None) -> Any:
    if gazetteer is None or not place_id:
        return None
    return gazetteer.get(place_id)  # None for an unknown id


# Countries whose places the gazetteer keeps case forms of (mapper.gazetteer.inflect)
FORM_COUNTRIES = frozenset({"RU", "UA", "BY"})
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _search_forms(gazetteer: Any, place_id: str) -> list[str]:
    reader = getattr(gazetteer, "search_forms", None)
    return reader(place_id) if reader is not None else []


def _geometry(gazetteer: Any, place_id: str) -> Any:
    if gazetteer is None:
        return None
    geom = gazetteer.geometry(place_id)  # None for an unknown id
    if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    return geom


LABEL_LANGUAGES = ("both", "en", "local")


def _bounds(records: list[dict[str, Any]], geoms: list[Any]) -> list[float] | None:
    xs, ys = [], []
    for r in records:
        if "lat" in r:
            xs.append(r["lon"])
            ys.append(r["lat"])
    for g in geoms:
        w, s, e, n = g.bounds
        xs += [w, e]
        ys += [s, n]
    if not xs:
        return None
    b = [min(xs), min(ys), max(xs), max(ys)]
    if not all(math.isfinite(v) for v in b):
        return None
    return [_r(v, 4) for v in b]
