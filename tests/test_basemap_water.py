"""Lakes and reservoirs on the offline basemap (gazetteer/derived/lakes.txt.gz, OpenStreetMap
data via npm @geo-maps/earth-lakes-1km, ODbL): chosen near the data, credited when drawn."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
from pathlib import Path

from shapely.geometry import Point, shape

from mapper.incidents.model import Incident, Location
from mapper.render.basemap import lakes_in
from mapper.render.data import LAKES_ATTRIBUTION
from mapper.render.records import build_map_data

ROOT = Path(__file__).resolve().parent.parent
KURCHATOV_RESERVOIR = Point(35.66, 51.69)  # the cooling pond of the Kursk nuclear plant


def test_lakes_near_the_data_are_clipped_and_simplified():
    box = (34.0, 50.5, 37.0, 52.5)
    feats = lakes_in(box)
    geoms = [shape(f["geometry"]) for f in feats]
    assert any(g.contains(KURCHATOV_RESERVOIR) for g in geoms)
    for g in geoms:  # clipped to the box
        w, s, e, n = g.bounds
        assert box[0] - 1e-9 <= w and e <= box[2] + 1e-9 and box[1] - 1e-9 <= s and n <= box[3] + 1e-9
    # a wider region keeps only lakes large enough for its detail: fewer, never more, per area
    wide = lakes_in((20.0, 40.0, 50.0, 60.0))
    near = [f for f in wide if shape(f["geometry"]).intersects(shape(
        {"type": "Polygon", "coordinates": [[[34, 50.5], [37, 50.5], [37, 52.5], [34, 52.5], [34, 50.5]]]}))]
    assert len(near) <= len(feats)
    assert lakes_in(None) == []


def test_map_credits_openstreetmap_only_when_lakes_are_drawn(small_gazetteer):
    inc = Incident(id="k-1", date=dt.date(2024, 3, 1), category="raid", summary="Near Kurchatov.",
                   place=Location(name="Kurchatov", lat=51.66, lon=35.65, geo_precision="settlement"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = build_map_data([inc], gazetteer=small_gazetteer)
        bare = build_map_data([inc], gazetteer=None)
    assert data["basemap"]["lakes"]["features"]
    assert LAKES_ATTRIBUTION in data["attribution"]
    assert "lakes" not in bare.get("basemap", {}) and LAKES_ATTRIBUTION not in bare["attribution"]


def test_lakes_file_is_the_one_recorded_in_sources():
    data = (ROOT / "gazetteer" / "derived" / "lakes.txt.gz").read_bytes()
    sources = (ROOT / "gazetteer" / "SOURCES.md").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in sources
    assert re.search(r"@geo-maps/earth-lakes-1km@0\.6\.0", sources)
