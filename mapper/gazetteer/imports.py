"""Readers for GeoNames dumps and for any GDAL vector file of administrative boundaries.

All readers stream (``allCountries.txt`` is 1.5 GB; ``alternateNamesV2.txt`` has ~17 M lines) and
yield the record dicts of ``docs/architecture.md``; ``mapper.gazetteer.importer.import_files``
writes them. A malformed line raises ``DataError`` rendered ``file:line: field: problem``.

GeoNames files (https://download.geonames.org/export/dump/, CC BY 4.0), as ``.txt`` or the
``.zip`` they are published in:

* country dump ``RU.txt`` / ``allCountries.txt``: 19 tab-separated columns (``GEONAMES_COLUMNS``)
  -> settlement records (feature class P) and optionally admin records (class A: ADM1/ADM2);
* ``alternateNamesV2.txt`` (10 columns; the older ``alternateNames.txt`` has 8) -> alternate-name
  records; links, codes and postcodes (``SKIP_LANGUAGES``) are dropped;
* ``admin1CodesASCII.txt``: ``RU.41<TAB>Kursk<TAB>Kursk<TAB>538555`` -> admin1 name records.

Boundaries: any file pyogrio/GDAL reads (GeoPackage, Shapefile, GeoJSON, FlatGeobuf; Natural
Earth, geoBoundaries, OCHA COD-AB, OSM extracts) -> area records with shapely geometry in WGS84.
"""
from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mapper.errors import DataError

GEONAMES_COLUMNS = ("geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
                    "feature class", "feature code", "country code", "cc2", "admin1 code",
                    "admin2 code", "admin3 code", "admin4 code", "population", "elevation", "dem",
                    "timezone", "modification date")
ALTERNATE_COLUMNS = ("alternateNameId", "geonameid", "isolanguage", "alternate name",
                     "isPreferredName", "isShortName", "isColloquial", "isHistoric", "from", "to")
# Pseudo-languages that are codes or links, not names a text would use.
SKIP_LANGUAGES = frozenset({"iata", "icao", "faac", "link", "post", "wkdt", "unlc", "abbr", "tcid",
                            "fr_1793"})
ADMIN_CODES = {"ADM1": "admin1", "ADM2": "admin2"}

# Field names tried, in order, when the caller names none (geoBoundaries, OCHA COD-AB, Natural
# Earth, OSM).
NAME_FIELDS = ("shapeName", "ADM2_EN", "ADM1_EN", "name_en", "NAME_EN", "name:en", "name", "NAME",
               "ADM2_REF", "ADM1_REF")
EXTRA_NAME_FIELDS = ("name", "NAME", "name_local", "name_alt", "alt_name", "name_ru", "name_uk",
                     "name:ru", "name:uk", "ADM1_UA", "ADM1_RU", "ADM2_UA", "ADM2_RU", "NAME_RU",
                     "NAME_UK", "gn_name")
CODE_FIELDS = ("shapeISO", "iso_3166_2", "ISO3166-2", "ISO3166_2", "ADM2_PCODE", "ADM1_PCODE",
               "ref", "shapeID", "adm1_code", "code")
COUNTRY_FIELDS = ("iso_a2", "ISO_A2", "ADM0_PCODE", "shapeGroup", "adm0_a3", "ISO", "iso")
_ISO_3166_2 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


# ---------------------------------------------------------------------------- line reading
def _open_binary(path: Path):
    """The text member of a GeoNames .zip (RU.zip -> RU.txt), or the file itself."""
    if path.suffix.lower() != ".zip":
        return open(path, "rb")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DataError("not a readable zip file; download it again", path=str(path)) from None
    members = [n for n in zf.namelist() if n.lower().endswith(".txt")
               and not n.lower().startswith("readme")]
    preferred = [n for n in members if Path(n).stem.lower() == path.stem.lower()]
    picks = preferred or members
    if not picks:
        raise DataError("zip holds no .txt data file (expected e.g. RU.txt)", path=str(path))
    return zf.open(picks[0])


def _lines(path: str | Path, expected: tuple[int, ...], what: str
           ) -> Iterator[tuple[int, list[str]]]:
    """(line number, columns) of each data line; blank and ``#`` comment lines are skipped."""
    p = Path(path)
    if not p.is_file():
        raise DataError("file not found", path=str(p))
    with _open_binary(p) as raw:
        for lineno, blob in enumerate(raw, 1):
            try:
                line = blob.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                raise DataError(f"not UTF-8 (byte {exc.start}); GeoNames files are UTF-8",
                                path=str(p), line=lineno) from None
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) not in expected:
                want = " or ".join(str(n) for n in expected)
                raise DataError(f"expected {want} tab-separated columns, found {len(cols)}; "
                                f"is this {what}?", path=str(p), line=lineno)
            yield lineno, cols


def _int(value: str, path: Path, line: int, field: str, *, empty_ok: bool = True) -> int | None:
    value = value.strip()
    if not value:
        if empty_ok:
            return None
        raise DataError("empty; expected an integer", path=str(path), line=line, field=field)
    try:
        return int(value)
    except ValueError:
        raise DataError(f"{value[:40]!r} is not an integer", path=str(path), line=line,
                        field=field) from None


def _coord(value: str, path: Path, line: int, field: str, limit: float) -> float:
    try:
        x = float(value)
    except ValueError:
        raise DataError(f"{value[:40]!r} is not a number", path=str(path), line=line,
                        field=field) from None
    if not math.isfinite(x) or not -limit <= x <= limit:
        raise DataError(f"{value} out of range [-{limit:g}, {limit:g}]", path=str(path),
                        line=line, field=field)
    return x


def _names(*values: str) -> list[str]:
    out, seen = [], set()
    for v in values:
        v = v.strip()
        if v and v not in seen:
            seen.add(v)
            out.append(v)
    return out


# ---------------------------------------------------------------------------- GeoNames dumps
def read_geonames(path: str | Path, *, feature_classes: Iterable[str] = ("P",),
                  countries: Iterable[str] | None = None, include_admin: bool = False
                  ) -> Iterator[dict]:
    """Settlement records (feature class P) from a GeoNames country dump or allCountries.txt.

    ``countries`` keeps only those ISO alpha-2 codes (useful with allCountries.txt).
    ``include_admin`` also yields ADM1/ADM2 features (class A) as area records without geometry
    (``kind`` "admin1"/"admin2", id "gn:<geonameid>").

    Record: {"id": "gn:483166", "kind": "settlement", "geonameid", "name", "names" (ASCII name and
    alternate names), "lat", "lon", "country_code", "admin1": None, "admin1_code": None,
    "gn_admin1": "RU.41", "gn_admin2": "RU.41.1234" or None, "population" (None if 0),
    "feature_class", "feature_code", "source"}. The importer resolves admin1/admin1_code from
    gn_admin1.
    """
    p = Path(path)
    classes = frozenset(feature_classes)
    keep = frozenset(c.upper() for c in countries) if countries else None
    source = f"GeoNames {p.name}"
    for lineno, c in _lines(p, (len(GEONAMES_COLUMNS),),
                            "a GeoNames dump (RU.txt, allCountries.txt)"):
        fclass, fcode, cc = c[6], c[7], c[8].strip().upper()
        kind = "settlement" if fclass in classes else None
        if kind is None and include_admin and fclass == "A" and fcode in ADMIN_CODES:
            kind = ADMIN_CODES[fcode]
        if kind is None or (keep is not None and cc not in keep):
            continue
        gid = _int(c[0], p, lineno, "geonameid", empty_ok=False)
        name = c[1].strip()
        if not name:
            raise DataError("empty name", path=str(p), line=lineno, field="name")
        lat = _coord(c[4], p, lineno, "latitude", 90.0)
        lon = _coord(c[5], p, lineno, "longitude", 180.0)
        pop = _int(c[14], p, lineno, "population")
        a1, a2 = c[10].strip(), c[11].strip()
        alternates = [n for n in c[3].split(",") if n]
        yield {"id": f"gn:{gid}", "kind": kind, "geonameid": gid, "name": name,
               "names": _names(c[2], *alternates), "lat": lat, "lon": lon,
               "country_code": cc or None, "admin1": None, "admin1_code": None,
               "gn_admin1": f"{cc}.{a1}" if cc and a1 else None,
               "gn_admin2": f"{cc}.{a1}.{a2}" if cc and a1 and a2 else None,
               "population": pop or None, "feature_class": fclass, "feature_code": fcode,
               "source": source}


def read_alternate_names(path: str | Path, *, geonameids: Iterable[int] | None = None,
                         languages: Iterable[str] | None = None,
                         skip_languages: Iterable[str] = SKIP_LANGUAGES) -> Iterator[dict]:
    """Alternate-name records from alternateNamesV2.txt (or the 8-column alternateNames.txt).

    Record: {"geonameid", "name", "lang" ("" when untagged), "preferred", "short", "colloquial",
    "historic" (bools), "from", "to"}. Codes, links and postcodes are dropped; ``geonameids``
    keeps only names of those places (pass the ids you hold: the full file is ~17 M lines),
    ``languages`` only those language tags ("" for untagged).
    """
    p = Path(path)
    ids = frozenset(int(i) for i in geonameids) if geonameids is not None else None
    langs = frozenset(languages) if languages is not None else None
    skip = frozenset(skip_languages)
    for lineno, c in _lines(p, (8, 10), "alternateNamesV2.txt"):
        lang = c[2].strip()
        if lang in skip or (langs is not None and lang not in langs):
            continue
        gid = _int(c[1], p, lineno, "geonameid", empty_ok=False)
        if ids is not None and gid not in ids:
            continue
        name = c[3].strip()
        if not name:
            raise DataError("empty alternate name", path=str(p), line=lineno,
                            field="alternate name")
        flags = [v.strip() for v in c[4:8]]
        for field, v in zip(ALTERNATE_COLUMNS[4:8], flags, strict=False):
            if v not in ("", "0", "1"):
                raise DataError(f"{v[:20]!r} is not 1 or empty", path=str(p), line=lineno,
                                field=field)
        yield {"geonameid": gid, "name": name, "lang": lang, "preferred": flags[0] == "1",
               "short": flags[1] == "1", "colloquial": flags[2] == "1",
               "historic": flags[3] == "1", "from": c[8].strip() if len(c) > 8 else "",
               "to": c[9].strip() if len(c) > 9 else ""}


def read_admin1_codes(path: str | Path) -> Iterator[dict]:
    """Records of admin1CodesASCII.txt: {"gn_admin1": "RU.41", "name", "names", "geonameid",
    "country_code"}; the importer joins them to admin1 areas on ``gn_admin1``.
    """
    p = Path(path)
    for lineno, c in _lines(p, (4,), "admin1CodesASCII.txt"):
        code = c[0].strip()
        if not re.fullmatch(r"[A-Z]{2}\.[0-9A-Z]+", code):
            raise DataError(f"{code[:20]!r} is not a code like RU.41", path=str(p), line=lineno,
                            field="code")
        name = c[1].strip()
        if not name:
            raise DataError("empty name", path=str(p), line=lineno, field="name")
        yield {"gn_admin1": code, "name": name, "names": _names(name, c[2]),
               "geonameid": _int(c[3], p, lineno, "geonameid"), "country_code": code[:2]}


# ---------------------------------------------------------------------------- boundaries
def _field_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def _slug(text: str) -> str:
    from mapper.gazetteer.normalize import normalize

    return normalize(text).replace(" ", "-") or "x"


def _cell(row: Any, field: str) -> str:
    value = row.get(field)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _iso3_to_iso2() -> dict[str, str]:
    from mapper.gazetteer.areas import load_features

    return {f["properties"]["iso_a3"]: f["properties"]["country_code"]
            for f in load_features("countries.geojson.gz") if f["properties"].get("iso_a3")}


def _gn_admin1_of(iso_code: str) -> str | None:
    global _GN_BY_ISO
    if _GN_BY_ISO is None:
        from mapper.gazetteer.areas import load_features

        _GN_BY_ISO = {f["properties"]["iso_3166_2"]: f["properties"]["gn_admin1"]
                      for f in load_features("admin1.geojson.gz")
                      if f["properties"].get("iso_3166_2")}
    return _GN_BY_ISO.get(iso_code)


_GN_BY_ISO: dict[str, str | None] | None = None


class _Admin1Locator:
    """Embedded admin1 area of a point (for admin2 files that do not name their admin1)."""

    def __init__(self) -> None:
        self._tree: Any = None

    def __call__(self, geom) -> dict | None:
        import shapely

        if self._tree is None:
            from mapper.gazetteer.areas import iter_admin1

            self._recs = list(iter_admin1())
            self._tree = shapely.STRtree([r["geometry"] for r in self._recs])
        pt = geom.representative_point()
        hits = self._tree.query(pt, predicate="intersects")
        return self._recs[int(min(hits))] if len(hits) else None


def read_boundaries(path: str | Path, *, kind: str = "admin1", country: str | None = None,
                    name_field: str | Iterable[str] | None = None,
                    code_field: str | None = None, layer: str | int | None = None,
                    source: str | None = None) -> Iterator[dict]:
    """Area records from a vector file of boundaries (anything GDAL reads), in WGS84.

    ``name_field``: the display-name field, or a comma list whose first entry is the display name
    and the rest aliases (default: first present of ``NAME_FIELDS``; other present fields of
    ``EXTRA_NAME_FIELDS`` become aliases). ``code_field``: unique code (default: first present of
    ``CODE_FIELDS`` with a value, ISO 3166-2 preferred). ``kind``: "admin1" or "admin2".
    ``country``: ISO alpha-2 when the file has no usable country field (it also filters: features
    of other countries are skipped).

    Ids: admin1 with an ISO 3166-2 code -> "adm1:UA-59" (replaces the embedded area);
    otherwise "adm1:<source>:<code>" / "adm2:<source>:<code>", source = file stem.
    admin2 records get the admin1 they lie in (name, ISO code, GeoNames key) from the embedded
    admin1 polygons unless the file names it (``ADM1_EN``).
    """
    import pyogrio
    import shapely

    p = Path(path)
    if kind not in ("admin1", "admin2"):
        raise DataError(f"kind {kind!r} unknown; use admin1 or admin2", path=str(p))
    if not p.exists():
        raise DataError("file not found", path=str(p))
    try:
        gdf = pyogrio.read_dataframe(p, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError,
            ValueError) as exc:  # GDAL's message names the problem
        raise DataError(f"GDAL cannot read it ({str(exc).splitlines()[0][:200]}); give a "
                        f"GeoPackage, Shapefile, GeoJSON or other vector file", path=str(p)
                        ) from None
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    fields = [c for c in gdf.columns if c != "geometry"]
    names_wanted = _field_list(name_field)
    for f in names_wanted + ([code_field] if code_field else []):
        if f not in fields:
            raise DataError(f"no field {f!r}; fields are: {', '.join(fields[:40])}",
                            path=str(p), field=f)
    name_fields = names_wanted or [next((f for f in NAME_FIELDS if f in fields), "")]
    if not name_fields[0]:
        raise DataError(f"no name field found (tried {', '.join(NAME_FIELDS)}); pick one with "
                        f"--name-field from: {', '.join(fields[:40])}", path=str(p))
    if not names_wanted:
        name_fields += [f for f in EXTRA_NAME_FIELDS if f in fields and f not in name_fields]
    code_fs = [code_field] if code_field else [f for f in CODE_FIELDS if f in fields]
    country_f = next((f for f in COUNTRY_FIELDS if f in fields), None)
    iso3 = _iso3_to_iso2() if country_f in ("shapeGroup", "adm0_a3", "ISO", "iso") else {}
    want_cc = country.upper() if country else None
    src_slug = _slug(p.stem)
    src = source or f"boundaries {p.name}"
    locate = _Admin1Locator() if kind == "admin2" else None
    seen: dict[str, int] = {}
    for i, row in enumerate(gdf.to_dict("records")):
        where = f"feature {i + 1}"
        display = _cell(row, name_fields[0])
        if not display:
            raise DataError(f"{where}: empty name; choose another --name-field", path=str(p),
                            field=name_fields[0])
        geom = row.get("geometry")
        if geom is None or geom.is_empty:
            raise DataError(f"{where} ({display}): no geometry", path=str(p))
        geom = shapely.make_valid(geom)
        parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        if not parts:
            raise DataError(f"{where} ({display}): {geom.geom_type} is not a polygon; give "
                            f"boundary polygons", path=str(p))
        geom = shapely.union_all(parts) if len(parts) > 1 else parts[0]
        # first non-empty code; an ISO 3166-2 value wins (geoBoundaries' shapeISO is often empty)
        values = [v for v in (_cell(row, f) for f in code_fs) if v]
        code = next((v for v in values if _ISO_3166_2.match(v)), values[0] if values else "")
        cc = ""
        if _ISO_3166_2.match(code):
            cc = code[:2]
        elif country_f:
            raw = _cell(row, country_f).upper()
            cc = raw if re.fullmatch(r"[A-Z]{2}", raw) else iso3.get(raw, "")
        cc = cc or (want_cc or "")
        if want_cc and cc and cc != want_cc:
            continue
        if kind == "admin1" and _ISO_3166_2.match(code):
            pid = f"adm1:{code}"
        else:
            pid = f"{'adm1' if kind == 'admin1' else 'adm2'}:{src_slug}:{code or _slug(display)}"
        if pid in seen:  # duplicate code or name: keep both, deterministically
            seen[pid] += 1
            pid = f"{pid}~{seen[pid]}"
        else:
            seen[pid] = 1
        names = _names(display, *(_cell(row, f) for f in name_fields[1:]))
        names = _names(*(n for v in names for n in v.split("|")))
        admin1, admin1_code, gn_admin1 = None, None, None
        if kind == "admin1":
            admin1, admin1_code = display, code if _ISO_3166_2.match(code) else None
            # keep the GeoNames key of the embedded area this one replaces (settlements join on it)
            gn_admin1 = _gn_admin1_of(admin1_code) if admin1_code else None
        else:
            admin1 = _cell(row, "ADM1_EN") or None
            hit = locate(geom) if locate else None
            if hit is not None:
                admin1 = admin1 or hit["name"]
                admin1_code, gn_admin1 = hit["admin1_code"], hit["gn_admin1"]
                cc = cc or hit["country_code"] or ""
        pt = geom.representative_point()
        yield {"id": pid, "kind": kind, "name": display, "names": names,
               "country_code": cc or None, "admin1": admin1, "admin1_code": admin1_code,
               "gn_admin1": gn_admin1,
               "lat": round(pt.y, 6), "lon": round(pt.x, 6), "population": None,
               "geometry": geom, "source": src}
