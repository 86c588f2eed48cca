"""`mapper gazetteer build --border AA-BB`: border zones for any pair of neighbouring countries."""
from __future__ import annotations

import json

from click.testing import CliRunner

from mapper.cli.main import cli
from mapper.gazetteer.store import Gazetteer


def test_build_with_another_border_gives_its_zones(tmp_path):
    db = tmp_path / "g.sqlite"
    result = CliRunner().invoke(cli, ["gazetteer", "build", "--border", "lb-il",
                                      "--zone-width", "10", "--path", str(db)])
    assert result.exit_code == 0, result.output
    gaz = Gazetteer.open(db)
    # Kiryat Shmona, about 2-3 km from the Blue Line, lies in the Israeli-side zone and its
    # Northern District part; no Russia-Ukraine zone was asked for this time
    rev = gaz.reverse(33.2073, 35.5721)
    assert [z.id for z in rev.zones] == ["zone:border:IL-LB:IL", "zone:border:IL-LB:IL-Z"]
    assert gaz.get("zone:border:RU-UA:RU") is None
    # Haifa, about 35 km from the border, is outside a 10 km zone
    assert gaz.reverse(32.794, 34.990).zones == []
    best = gaz.search("Lebanon-Israel border", kinds=["zone"])[0]
    assert best.place.id.startswith("zone:border:IL-LB:")
    info = json.loads(CliRunner().invoke(cli, ["gazetteer", "info", "--path", str(db),
                                               "--json"]).stdout)
    assert info["meta"]["zone_borders"] == "IL-LB" and info["meta"]["zone_width_km"] == "10"


def test_bad_border_pairs_are_one_line_errors(tmp_path):
    db = tmp_path / "g.sqlite"
    bad = CliRunner().invoke(cli, ["gazetteer", "build", "--border", "RUS-UA", "--path", str(db)])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: --border 'RUS-UA': give two different ISO alpha-2")
    assert bad.stderr.count("\n") == 1 and not db.exists()
