"""Border lines and border zones computed from the real Natural Earth area data."""
from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Point

from mapper.gazetteer import areas

from mapper.gazetteer import zones
from mapper.geo import haversine_km
from mapper.errors import UsageError
from mapper.gazetteer.normalize import normalize

TYOTKINO = (51.281, 34.294)    # Kursk Oblast, ~2 km from the border
SHEBEKINO = (50.40, 36.89)     # Belgorod Oblast, ~7 km
KURSK = (51.73, 36.19)         # ~95 km
SUMY = (50.91, 34.80)          # Ukraine, ~28.6 km


@pytest.fixture(scope="module")
def data():
    return areas.country_geometries(), list(areas.iter_admin1())


@pytest.fixture(scope="module")
def zone30(data) -> dict[str, dict]:
    countries, admin1 = data
    return {z["id"]: z for z in zones.iter_border_zones(countries, admin1)}


def inside(zone: dict, latlon: tuple[float, float]) -> bool:
    return zone["geometry"].contains(Point(latlon[1], latlon[0]))


def test_border_line_is_the_long_shared_edge():
    line = zones.border_line("UA", "RU")
    assert line.geom_type in ("LineString", "MultiLineString")
    assert line is zones.border_line("RU", "UA")  # order does not matter
    coords = shapely.get_coordinates(line)
    assert len(coords) > 300  # full resolution, not the simplified outline
    # ~1,500 km long by the haversine sum of its segments
    length = sum(haversine_km(a[1], a[0], b[1], b[0]) for a, b in zip(coords, coords[1:]))
    assert 1400 < length < 1700


def test_zone_ids_names_and_shape(zone30):
    assert {"zone:border:RU-UA:RU", "zone:border:RU-UA:UA", "zone:border:RU-UA:RU-BEL",
            "zone:border:RU-UA:RU-KRS", "zone:border:RU-UA:RU-BRY", "zone:border:RU-UA:UA-59",
            "zone:border:RU-UA:UA-63"} <= zone30.keys()
    assert not any(k.endswith(("UA-43", "UA-40", "RU-MOW")) for k in zone30)
    bel = zone30["zone:border:RU-UA:RU-BEL"]
    assert bel["kind"] == "zone" and bel["country_code"] == "RU"
    assert (bel["admin1"], bel["admin1_code"], bel["gn_admin1"]) == ("Belgorod Oblast", "RU-BEL",
                                                                     "RU.09")
    keys = {normalize(n) for n in bel["names"]}
    assert {normalize("border areas of Belgorod Oblast"), normalize("Belgorod border area")} <= keys
    ru = zone30["zone:border:RU-UA:RU"]
    ru_keys = {normalize(n) for n in ru["names"]}
    assert {normalize(x) for x in ("Russia–Ukraine border zone", "border zone", "the border zone",
                                   "border regions")} <= ru_keys
    for z in zone30.values():
        assert z["geometry"].is_valid and z["geometry"].geom_type in ("Polygon", "MultiPolygon")
        assert z["geometry"].contains(Point(z["lon"], z["lat"]))
        assert z["width_km"] == 30.0 and z["border"] == "RU-UA"


def test_membership_at_30_km(zone30):
    ru, ua = zone30["zone:border:RU-UA:RU"], zone30["zone:border:RU-UA:UA"]
    assert inside(ru, TYOTKINO) and inside(zone30["zone:border:RU-UA:RU-KRS"], TYOTKINO)
    assert inside(ru, SHEBEKINO) and inside(zone30["zone:border:RU-UA:RU-BEL"], SHEBEKINO)
    assert not inside(ru, KURSK) and not inside(ua, KURSK)
    assert inside(ua, SUMY) and inside(zone30["zone:border:RU-UA:UA-59"], SUMY)
    assert not inside(ru, SUMY) and not inside(ua, TYOTKINO)


def test_width_changes_membership(data):
    countries, admin1 = data
    z20 = {z["id"]: z for z in zones.iter_border_zones(countries, admin1, width_km=20)}
    assert not inside(z20["zone:border:RU-UA:UA"], SUMY)   # 28.6 km away
    assert inside(z20["zone:border:RU-UA:RU"], SHEBEKINO)
    assert z20["zone:border:RU-UA:RU"]["width_km"] == 20
    z120 = {z["id"]: z for z in zones.iter_border_zones(countries, admin1, width_km=120)}
    assert inside(z120["zone:border:RU-UA:RU"], KURSK)


def test_distance_to_border_matches_known_places():
    assert 1.0 < zones.distance_to_border_km(*TYOTKINO) < 3.5
    assert 4.0 < zones.distance_to_border_km(*SHEBEKINO) < 10.0
    assert 80 < zones.distance_to_border_km(*KURSK) < 110
    assert 25 < zones.distance_to_border_km(*SUMY) < 30


def test_zone_edge_is_geodesic(zone30):
    """Points just inside/outside 30 km (by geodesic distance) fall in/out of the side zones."""
    both = zone30["zone:border:RU-UA:RU"]["geometry"].union(
        zone30["zone:border:RU-UA:UA"]["geometry"])
    data_countries = areas.country_geometries()
    land = data_countries["RU"].union(data_countries["UA"]).buffer(-0.02)  # away from coasts
    near = far = 0
    for lat in [47.0 + i * 0.1 for i in range(55)]:
        for lon in [31.5 + i * 0.1 for i in range(85)]:
            pt = Point(lon, lat)
            if not land.contains(pt):
                continue
            d = zones.distance_to_border_km(lat, lon)
            if d < 29.0:
                near += 1
                assert both.contains(pt), (lat, lon, d)
            elif d > 31.0:
                far += 1
                assert not both.contains(pt), (lat, lon, d)
    assert near > 50 and far > 500


def test_sides_lie_in_their_countries(data, zone30):
    countries, _ = data
    for side in ("RU", "UA"):
        zone = zone30[f"zone:border:RU-UA:{side}"]["geometry"]
        outside = zone.difference(countries[side])
        assert outside.area < 1e-6
        # the simplified RU and UA outlines overlap by slivers (<= 0.005 deg wide) only
        assert zone.intersection(countries["UA" if side == "RU" else "RU"]).area < 1e-3


def test_other_pairs_and_errors(data):
    countries, admin1 = data
    by_ua = {z["id"] for z in zones.iter_border_zones(countries, admin1, pairs=(("UA", "BY"),))}
    assert {"zone:border:BY-UA:BY", "zone:border:BY-UA:UA", "zone:border:BY-UA:UA-74"} <= by_ua
    with pytest.raises(UsageError, match="no land border between FR and RU"):
        zones.border_line("FR", "RU")
    with pytest.raises(UsageError, match="width must be positive"):
        list(zones.iter_border_zones(countries, admin1, width_km=0))
    with pytest.raises(UsageError, match="no polygon for country XX"):
        list(zones.iter_border_zones(countries, admin1, pairs=(("RU", "XX"),)))


def test_fallback_line_from_polygons_agrees_with_committed(data, monkeypatch):
    countries, _ = data
    committed = zones.border_line("RU", "UA")
    monkeypatch.setattr(zones, "_committed_borders", lambda: {})
    derived = zones.border_line("RU", "UA", countries)
    assert shapely.hausdorff_distance(committed, derived) < 0.05
    assert abs(derived.length - committed.length) / committed.length < 0.1


def test_zones_are_deterministic(data):
    countries, admin1 = data
    a = [(z["id"], z["geometry"].wkb) for z in zones.iter_border_zones(countries, admin1)]
    b = [(z["id"], z["geometry"].wkb) for z in zones.iter_border_zones(countries, admin1)]
    assert a == b and [i for i, _ in a] == sorted(i for i, _ in a)
