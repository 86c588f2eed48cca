"""The data blob behind the map: incidents, areas, overlays and basemap as one JSON document.

Everything the page shows comes from this blob; the client script turns it into DOM nodes with
``textContent``, so no field is ever pasted into markup or JavaScript source. The blob is built
deterministically (sorted, rounded) so a rerun gives byte-identical pages.
"""
from __future__ import annotations

import datetime as dt
import gc
import json
import math
import re
import warnings
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from mapper.geo import rounded as _r
from mapper.incidents.model import AREA_PRECISIONS, CATEGORIES, Incident
from mapper.render.regions import DISTRICT_KEY, REGION_KEY, attach_districts, attach_regions
from mapper.render.shapes import simplified_geojson
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


def _category_table(incidents: list[Incident]) -> list[dict[str, str]]:
    used = sorted({inc.category or "other" for inc in incidents})
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


def _clean_links(inc: Incident, record: dict[str, Any]) -> None:
    """Drop every link that is not plain http(s), with a warning naming incident and field."""
    for i, src in enumerate(record.get("sources") or []):
        for key in ("url", "archive_url"):
            if key in src and safe_url(src[key]) is None:
                warnings.warn(f"incident {inc.id}: sources[{i}].{key}: dropped link {src[key]!r} "
                              "(only http(s) links are kept)", MapWarning, stacklevel=4)
                del src[key]
    for i, claim in enumerate(record.get("claims") or []):
        if "url" in claim and safe_url(claim["url"]) is None:
            warnings.warn(f"incident {inc.id}: claims[{i}].source_url: dropped link "
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


def build_map_data(incidents: Iterable[Incident], *, gazetteer: Any = None,
                   title: str | None = None, label_language: str = "both") -> dict[str, Any]:
    """The JSON-able document the page draws. Warns (``MapWarning``) about dropped links and
    incidents that have no place to draw.

    ``label_language``: the basemap's place names in English with the local-script name under
    it where the gazetteer has one ("both": "Rylsk" / "Рыльск"), English only ("en") or the
    local name instead ("local"); readers can switch in the page.
    """
    if label_language not in LABEL_LANGUAGES:
        raise ValueError(f"label_language {label_language!r}: use one of "
                         f"{', '.join(LABEL_LANGUAGES)}")
    # Building ~10 small dicts per incident makes CPython's cyclic GC rescan the growing heap
    # again and again (a 100,000-incident map spent most of its time there); nothing built
    # here is cyclic, so collection can wait until the end.
    enabled = gc.isenabled()
    gc.disable()
    try:
        data = _build_map_data(incidents, gazetteer=gazetteer, title=title)
        if data["basemap"].get("labels") and label_language != "both":
            data["basemap"]["labelLanguage"] = label_language
        return data
    finally:
        if enabled:
            gc.enable()


def _build_map_data(incidents: Iterable[Incident], *, gazetteer: Any, title: str | None
                    ) -> dict[str, Any]:
    spans = {id(i): day_span(i) for i in incidents} if isinstance(incidents, list) else None
    incs = list(incidents)
    if spans is None:
        spans = {id(i): day_span(i) for i in incs}
    incs.sort(key=lambda i: (spans[id(i)][0], i.id))
    cats = _category_table(incs)
    cat_index = {c["key"]: n for n, c in enumerate(cats)}

    claim_counts: dict[str, int] = {}
    outlet_counts: dict[str, int] = {}
    outlets_of: dict[int, list[str]] = {}
    for inc in incs:
        for by in dict.fromkeys(c.by for c in inc.claims if c.by):
            claim_counts[by] = claim_counts.get(by, 0) + 1
        names = list(dict.fromkeys(filter(None, (outlet_of(s) for s in inc.sources))))
        outlets_of[id(inc)] = names
        for out_name in names:
            outlet_counts[out_name] = outlet_counts.get(out_name, 0) + 1
    claimants, outlets = _ranked(claim_counts), _ranked(outlet_counts)
    claim_index = {c: n for n, c in enumerate(claimants)}
    outlet_index = {c: n for n, c in enumerate(outlets)}

    area_geoms: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    unmapped: list[str] = []
    admin1_ids: set[str] = set()
    countries: set[str] = set()
    zone_pairs: set[str] = set()
    loose_points: set[tuple[float, float]] = set()
    forms: dict[str, str] = {}
    for inc in incs:
        loc = inc.place
        prec = precision_of(inc)
        info = _place_info(gazetteer, loc.place_id)
        lat, lon = loc.lat, loc.lon
        if (lat is None or lon is None) and info is not None:
            lat, lon = info.lat, info.lon
        d0, d1 = spans[id(inc)]
        out: dict[str, Any] = {
            "id": inc.id, "cat": cat_index[inc.category or "other"], "d0": d0, "d1": d1,
            "dp": inc.date_precision,
        }
        out.update(record_of(inc))
        _clean_links(inc, out)
        country = loc.country_code or (info.country_code if info is not None else None)
        admin1 = loc.admin1 or (info.admin1 if info is not None else None)
        place = {"name": loc.name, "precision": prec, "resolution": loc.resolution,
                 "admin1": admin1, "country": country, "id": loc.place_id}
        if info is not None and info.name != loc.name and _CYRILLIC.search(loc.name or ""):
            place["en"] = info.name  # "Шебекине" as written, "Shebekino" from the gazetteer
        if loc.place_id and loc.place_id not in forms and country in FORM_COUNTRIES:
            forms[loc.place_id] = " ".join(_search_forms(gazetteer, loc.place_id))
        out["place"] = {k: v for k, v in place.items() if v not in (None, "")}
        cl = sorted({claim_index[c.by] for c in inc.claims if c.by})
        ol = sorted(outlet_index[o] for o in outlets_of[id(inc)])
        if cl:
            out["cl"] = cl
        if ol:
            out["out"] = ol
        if country:
            countries.add(country)
        code = (info.admin1_code if info is not None else None)
        if loc.place_id and loc.place_id.startswith("adm2:"):
            out[DISTRICT_KEY] = loc.place_id
        if loc.place_id and loc.place_id.startswith("adm1:"):
            out[REGION_KEY] = loc.place_id
        elif code and prec not in ("country", "zone"):
            out[REGION_KEY] = f"adm1:{code}"
        if code:
            admin1_ids.add(f"adm1:{code}")
        elif lat is not None and lon is not None and prec not in AREA_PRECISIONS:
            loose_points.add((_r(lon, 2), _r(lat, 2)))  # admin1 found by containment below
        if loc.place_id and loc.place_id.startswith("adm1:"):
            admin1_ids.add(loc.place_id)
        if loc.place_id and loc.place_id.startswith("zone:border:"):
            zone_pairs.add(loc.place_id.split(":")[2])
        drawn = False
        if prec in AREA_PRECISIONS and loc.place_id:
            if loc.place_id not in area_geoms:
                area_geoms[loc.place_id] = _geometry(gazetteer, loc.place_id)
            if area_geoms[loc.place_id] is not None:
                out["area"] = loc.place_id  # replaced by an index below
                drawn = True
        if not drawn and lat is not None and lon is not None:
            out["lat"], out["lon"] = _r(lat), _r(lon)
            if prec in AREA_PRECISIONS:
                out["approx"] = True  # an area we have no outline for: say so in the popup
            drawn = True
        if not drawn:
            unmapped.append(f"{inc.id} ({loc.name!r})")
        records.append(out)
    if unmapped:
        more = f" and {len(unmapped) - 5} more" if len(unmapped) > 5 else ""
        warnings.warn(f"{len(unmapped)} incident(s) have no coordinates or area and are listed "
                      f"but not drawn: {', '.join(unmapped[:5])}{more}; resolve their places "
                      "with the gazetteer (mapper validate) or add lat/lon", MapWarning,
                      stacklevel=3)

    # areas, largest first so the smaller ones are drawn on top and win clicks
    used_areas = sorted((pid for pid, g in area_geoms.items() if g is not None),
                        key=lambda pid: (-area_geoms[pid].area, pid))
    area_index = {pid: n for n, pid in enumerate(used_areas)}
    areas = []
    for pid in used_areas:
        geom = area_geoms[pid]
        info = _place_info(gazetteer, pid)
        label = geom.representative_point()
        areas.append({"id": pid, "name": info.name if info is not None else pid,
                      "geom": simplified_geojson(geom),
                      "lat": _r(info.lat if info is not None else label.y),
                      "lon": _r(info.lon if info is not None else label.x)})
    for rec in records:
        if "area" in rec:
            rec["area"] = area_index[rec["area"]]

    bounds = _bounds(records, [area_geoms[p] for p in used_areas])
    from mapper.render.basemap import basemap, overlays

    verified = sum(1 for i in incs if i.verification.status == "confirmed")
    drafts = sum(1 for i in incs if i.is_draft)
    notes = []
    if incs and verified == 0:
        notes.append("Claims not independently verified.")
    elif verified < len(incs):
        notes.append(f"Claims not independently verified, except {verified} of {len(incs)} "
                     "marked confirmed.")
    if drafts:
        notes.append(f"{drafts} draft{'s' if drafts > 1 else ''} from extraction, not reviewed.")
    days = [d for r in records for d in (r["d0"], r["d1"]) if UNDATED[0] < d < UNDATED[1]]
    base = basemap(gazetteer, bounds)
    regions = attach_regions(records, base.get("admin1", {}).get("features", []), gazetteer)
    districts = attach_districts(records, gazetteer, bounds)
    data: dict[str, Any] = {
        "v": 1,
        "title": title or "",
        "note": " ".join(notes),
        "categories": cats,
        "claimants": claimants,
        "outlets": outlets,
        "incidents": records,
        "areas": areas,
        "days": [min(days), max(days)] if days else [day_number(dt.date.today())] * 2,
        "bounds": bounds,
        "unmapped": len(unmapped),
        "overlays": overlays(gazetteer, sorted(admin1_ids), sorted(zone_pairs), sorted(countries),
                             sorted(loose_points), bounds),
        "basemap": base,
        "regions": regions,
        "districts": districts,
        "attribution": list(ATTRIBUTION) + ([LAKES_ATTRIBUTION] if base.get("lakes") else []),
    }
    if any(forms.values()):
        # place id -> case forms and spellings the search box also finds it by ("Белгорода")
        data["forms"] = {k: v for k, v in sorted(forms.items()) if v}
    return data


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
