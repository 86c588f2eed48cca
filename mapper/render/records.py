"""The map's records, built one incident at a time: what the blob needs of the whole table.

:class:`MapRecords` sees each incident once (:meth:`MapRecords.add`) and keeps only what the page
needs across all of them (categories, claimant and outlet counts, areas once per place, bounds,
days, regions, search forms, the first unmapped incidents); :meth:`MapRecords.finish` then gives
the blob without its records, and :meth:`MapRecords.record` the map record of any incident
(indices into the blob's tables). :func:`mapper.render.data.build_map_data` runs it over a list;
the vector-tile map (:mod:`mapper.render.tiles`) runs it over a stream, so a million incidents
never sit in memory as records.
"""
from __future__ import annotations

import datetime as dt
import gc
import heapq
import warnings
from collections.abc import Iterable
from typing import Any

from mapper.geo import rounded as _r
from mapper.incidents.model import AREA_PRECISIONS, Incident
from mapper.render.data import (
    _CYRILLIC,
    ATTRIBUTION,
    FORM_COUNTRIES,
    LABEL_LANGUAGES,
    LAKES_ATTRIBUTION,
    UNDATED,
    MapWarning,
    _bounds,
    _clean_links,
    _geometry,
    _place_info,
    _ranked,
    _search_forms,
    category_table,
    day_number,
    day_span,
    outlet_of,
    precision_of,
    record_of,
)
from mapper.render.regions import DISTRICT_KEY, REGION_KEY, attach_districts, attach_regions
from mapper.render.shapes import simplified_geojson

_MISSING = object()
UNMAPPED_SHOWN = 5  # unmapped incidents named in the warning


class MapRecords:
    """Everything the blob needs across the incidents, gathered one incident at a time."""

    def __init__(self, gazetteer: Any = None) -> None:
        self.gazetteer = gazetteer
        self.count = 0
        self.categories: set[str] = set()
        self.claim_counts: dict[str, int] = {}
        self.outlet_counts: dict[str, int] = {}
        self.area_geoms: dict[str, Any] = {}
        self.admin1_ids: set[str] = set()
        self.countries: set[str] = set()
        self.zone_pairs: set[str] = set()
        self.loose_points: set[tuple[float, float]] = set()
        self.forms: dict[str, str] = {}
        self.unmapped = 0
        self.first_unmapped: list[tuple[int, str, str]] = []  # max-heap by (-d0, -id) trick
        self.verified = self.drafts = 0
        self.day_min: int | None = None
        self.day_max: int | None = None
        self.box: list[float] | None = None  # points drawn: min lon, min lat, max lon, max lat
        self._info: dict[str, Any] = {}
        self.tables: dict[str, Any] | None = None

    # ------------------------------------------------------------------------ first pass
    def info(self, place_id: str | None) -> Any:
        """The gazetteer's place for ``place_id`` (cached per place), or None."""
        if not place_id:
            return None
        hit = self._info.get(place_id, _MISSING)
        if hit is _MISSING:
            hit = self._info[place_id] = _place_info(self.gazetteer, place_id)
        return hit

    def add(self, inc: Incident) -> dict[str, Any]:
        """Count one incident in; returns its :meth:`draft` (``d0`` and ``id`` are the page's
        order, ``lat``/``lon`` its point when it is drawn as one).
        """
        pre = self.draft(inc)
        self.count += 1
        self.categories.add(inc.category or "other")
        for by in pre["cl"]:
            self.claim_counts[by] = self.claim_counts.get(by, 0) + 1
        for name in pre["out"]:
            self.outlet_counts[name] = self.outlet_counts.get(name, 0) + 1
        if inc.verification.status == "confirmed":
            self.verified += 1
        if inc.is_draft:
            self.drafts += 1
        for d in (pre["d0"], pre["d1"]):
            if UNDATED[0] < d < UNDATED[1]:
                self.day_min = d if self.day_min is None else min(self.day_min, d)
                self.day_max = d if self.day_max is None else max(self.day_max, d)
        loc = inc.place
        info = self.info(loc.place_id)
        country = pre["place"].get("country")
        if loc.place_id and loc.place_id not in self.forms and country in FORM_COUNTRIES:
            self.forms[loc.place_id] = " ".join(_search_forms(self.gazetteer, loc.place_id))
        if country:
            self.countries.add(country)
        code = info.admin1_code if info is not None else None
        prec = pre["place"].get("precision")
        if code:
            self.admin1_ids.add(f"adm1:{code}")
        elif pre["_lat"] is not None and pre["_lon"] is not None and prec not in AREA_PRECISIONS:
            self.loose_points.add((_r(pre["_lon"], 2), _r(pre["_lat"], 2)))
        if loc.place_id and loc.place_id.startswith("adm1:"):
            self.admin1_ids.add(loc.place_id)
        if loc.place_id and loc.place_id.startswith("zone:border:"):
            self.zone_pairs.add(loc.place_id.split(":")[2])
        if "lat" in pre:
            lon, lat = pre["lon"], pre["lat"]
            if self.box is None:
                self.box = [lon, lat, lon, lat]
            else:
                box = self.box
                box[0], box[1] = min(box[0], lon), min(box[1], lat)
                box[2], box[3] = max(box[2], lon), max(box[3], lat)
        elif "area" not in pre:
            self.unmapped += 1
            item = (-pre["d0"], _Desc(inc.id), f"{inc.id} ({loc.name!r})")
            if len(self.first_unmapped) < UNMAPPED_SHOWN:
                heapq.heappush(self.first_unmapped, item)
            else:
                heapq.heappushpop(self.first_unmapped, item)
        return pre

    def draft(self, inc: Incident) -> dict[str, Any]:
        """The incident's record with names where the page has indices (``cat``, ``cl``,
        ``out``, ``area``) and links not yet checked; no side effect but the caches.
        """
        loc = inc.place
        prec = precision_of(inc)
        info = self.info(loc.place_id)
        lat, lon = loc.lat, loc.lon
        if (lat is None or lon is None) and info is not None:
            lat, lon = info.lat, info.lon
        d0, d1 = day_span(inc)
        out: dict[str, Any] = {"id": inc.id, "cat": inc.category or "other", "d0": d0, "d1": d1,
                               "dp": inc.date_precision}
        out.update(record_of(inc))
        country = loc.country_code or (info.country_code if info is not None else None)
        admin1 = loc.admin1 or (info.admin1 if info is not None else None)
        place = {"name": loc.name, "precision": prec, "resolution": loc.resolution,
                 "admin1": admin1, "country": country, "id": loc.place_id}
        if info is not None and info.name != loc.name and _CYRILLIC.search(loc.name or ""):
            place["en"] = info.name  # "Шебекине" as written, "Shebekino" from the gazetteer
        out["place"] = {k: v for k, v in place.items() if v not in (None, "")}
        out["cl"] = list(dict.fromkeys(c.by for c in inc.claims if c.by))
        out["out"] = list(dict.fromkeys(filter(None, (outlet_of(s) for s in inc.sources))))
        code = info.admin1_code if info is not None else None
        if loc.place_id and loc.place_id.startswith("adm2:"):
            out[DISTRICT_KEY] = loc.place_id
        if loc.place_id and loc.place_id.startswith("adm1:"):
            out[REGION_KEY] = loc.place_id
        elif code and prec not in ("country", "zone"):
            out[REGION_KEY] = f"adm1:{code}"
        out["_lat"], out["_lon"] = lat, lon
        drawn = False
        if prec in AREA_PRECISIONS and loc.place_id:
            if loc.place_id not in self.area_geoms:
                self.area_geoms[loc.place_id] = _geometry(self.gazetteer, loc.place_id)
            if self.area_geoms[loc.place_id] is not None:
                out["area"] = loc.place_id
                drawn = True
        if not drawn and lat is not None and lon is not None:
            out["lat"], out["lon"] = _r(lat), _r(lon)
            if prec in AREA_PRECISIONS:
                out["approx"] = True  # an area we have no outline for: say so in the popup
        return out

    # ----------------------------------------------------------------------- the tables
    def finish(self, title: str | None = None, label_language: str = "both") -> dict[str, Any]:
        """The blob without its records (``incidents`` empty) nor ``districts`` (which depend
        on every record: :func:`mapper.render.regions.attach_districts`).
        """
        gazetteer = self.gazetteer
        cats = category_table(self.categories)
        claimants, outlets = _ranked(self.claim_counts), _ranked(self.outlet_counts)
        # areas, largest first so the smaller ones are drawn on top and win clicks
        geoms = self.area_geoms
        used = sorted((pid for pid, g in geoms.items() if g is not None),
                      key=lambda pid: (-geoms[pid].area, pid))
        areas = []
        for pid in used:
            geom = geoms[pid]
            info = self.info(pid)
            label = geom.representative_point()
            areas.append({"id": pid, "name": info.name if info is not None else pid,
                          "geom": simplified_geojson(geom),
                          "lat": _r(info.lat if info is not None else label.y),
                          "lon": _r(info.lon if info is not None else label.x)})
        points = [] if self.box is None else [{"lon": self.box[0], "lat": self.box[1]},
                                              {"lon": self.box[2], "lat": self.box[3]}]
        bounds = _bounds(points, [geoms[p] for p in used])
        from mapper.render.basemap import basemap, overlays

        notes = []
        if self.count and self.verified == 0:
            notes.append("Claims not independently verified.")
        elif self.verified < self.count:
            notes.append(f"Claims not independently verified, except {self.verified} of "
                         f"{self.count} marked confirmed.")
        if self.drafts:
            notes.append(f"{self.drafts} draft{'s' if self.drafts > 1 else ''} from extraction, "
                         "not reviewed.")
        base = basemap(gazetteer, bounds)
        features = base.get("admin1", {}).get("features", [])
        data: dict[str, Any] = {
            "v": 1,
            "title": title or "",
            "note": " ".join(notes),
            "categories": cats,
            "claimants": claimants,
            "outlets": outlets,
            "incidents": [],
            "areas": areas,
            "days": ([self.day_min, self.day_max] if self.day_min is not None
                     else [day_number(dt.date.today())] * 2),
            "bounds": bounds,
            "unmapped": self.unmapped,
            "overlays": overlays(gazetteer, sorted(self.admin1_ids), sorted(self.zone_pairs),
                                 sorted(self.countries), sorted(self.loose_points), bounds),
            "basemap": base,
            "regions": attach_regions([], features, gazetteer),
            "attribution": list(ATTRIBUTION) + ([LAKES_ATTRIBUTION] if base.get("lakes") else []),
        }
        if base.get("labels") and label_language != "both":
            base["labelLanguage"] = label_language
        if any(self.forms.values()):
            # place id -> case forms and spellings the search box also finds it by ("Белгорода")
            data["forms"] = {k: v for k, v in sorted(self.forms.items()) if v}
        self.tables = {"cat": {c["key"]: n for n, c in enumerate(cats)},
                       "cl": {c: n for n, c in enumerate(claimants)},
                       "out": {c: n for n, c in enumerate(outlets)},
                       "area": {pid: n for n, pid in enumerate(used)},
                       "features": features}
        return data

    def record(self, pre: dict[str, Any]) -> dict[str, Any]:
        """The map record of a :meth:`draft` (after :meth:`finish`): indices in, links checked
        (a warning names each link dropped). Its region (``a1``) comes from :meth:`regions`.
        """
        assert self.tables is not None, "finish() first"
        tables = self.tables
        pre["cat"] = tables["cat"][pre["cat"]]
        cl = sorted({tables["cl"][c] for c in pre.pop("cl")})
        ol = sorted(tables["out"][o] for o in pre.pop("out"))
        if cl:
            pre["cl"] = cl
        if ol:
            pre["out"] = ol
        if "area" in pre:
            pre["area"] = tables["area"][pre["area"]]
        del pre["_lat"], pre["_lon"]
        _clean_links(pre["id"], pre)
        return pre

    def regions(self, records: list[dict[str, Any]]) -> None:
        """Set each record's region index (``a1``; the containment test runs per batch)."""
        assert self.tables is not None, "finish() first"
        attach_regions(records, self.tables["features"], self.gazetteer)

    def warn_unmapped(self) -> None:
        """One warning naming the first incidents (in page order) that have no place to draw."""
        if not self.unmapped:
            return
        shown = [label for _, _, label in sorted(self.first_unmapped, reverse=True)]
        more = (f" and {self.unmapped - UNMAPPED_SHOWN} more"
                if self.unmapped > UNMAPPED_SHOWN else "")
        warnings.warn(f"{self.unmapped} incident(s) have no coordinates or area and are listed "
                      f"but not drawn: {', '.join(shown)}{more}; resolve their places "
                      "with the gazetteer (mapper validate) or add lat/lon", MapWarning,
                      stacklevel=3)


def build_map_data(incidents: Iterable[Incident], *, gazetteer: Any = None,
                   title: str | None = None, label_language: str = "both") -> dict[str, Any]:
    """The JSON-able document the page draws. Warns (``MapWarning``) about dropped links and
    incidents that have no place to draw.

    ``label_language``: the basemap's place names in English with the local-script name under
    it where the gazetteer has one ("both": "Rylsk" / "Рыльск"), English only ("en") or the
    local name instead ("local"); readers can switch in the page.
    """
    check_label_language(label_language)
    # Building ~10 small dicts per incident makes CPython's cyclic GC rescan the growing heap
    # again and again (a 100,000-incident map spent most of its time there); nothing built
    # here is cyclic, so collection can wait until the end.
    enabled = gc.isenabled()
    gc.disable()
    try:
        builder = MapRecords(gazetteer)
        keyed = []
        for inc in incidents:
            pre = builder.add(inc)
            keyed.append(((pre["d0"], inc.id), inc))
        keyed.sort(key=lambda pair: pair[0])
        data = builder.finish(title, label_language)
        records = [builder.record(builder.draft(inc)) for _, inc in keyed]
        builder.warn_unmapped()
        builder.regions(records)
        data["districts"] = attach_districts(records, gazetteer, data["bounds"])
        data["incidents"] = records
        return data
    finally:
        if enabled:
            gc.enable()


def check_label_language(label_language: str) -> None:
    """A ValueError unless ``label_language`` is one of :data:`LABEL_LANGUAGES`."""
    if label_language not in LABEL_LANGUAGES:
        raise ValueError(f"label_language {label_language!r}: use one of "
                         f"{', '.join(LABEL_LANGUAGES)}")


class _Desc(str):
    """A string that sorts backwards (the heap keeps the first unmapped in page order)."""

    __slots__ = ()

    def __lt__(self, other: str) -> bool:
        return str.__gt__(self, other)

    def __gt__(self, other: str) -> bool:
        return str.__lt__(self, other)
