"""``mapper reverse LAT LON``: what is at a point (settlement, admin1, country, zones)."""
from __future__ import annotations

import json
import sys

import click

from mapper.cli.options import gazetteer_option
from mapper.errors import UsageError


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("lat")
@click.argument("lon")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@gazetteer_option
def cli(lat, lon, as_json, gazetteer_path):
    """Nearest settlement, admin1, country and border zones at LAT LON (decimal degrees)."""
    try:
        lat_f, lon_f = float(lat), float(lon)
    except ValueError:
        raise UsageError(f"LAT LON {lat!r} {lon!r}: expected decimal degrees, e.g. 51.28 34.29"
                         ) from None
    from mapper.gazetteer.access import open_gazetteer

    res = open_gazetteer(gazetteer_path).reverse(lat_f, lon_f)
    if as_json:
        sys.stdout.write(json.dumps(res.to_json(), ensure_ascii=False, indent=1) + "\n")
        return
    s = res.settlement
    click.echo(f"point:      {res.lat:.5f}, {res.lon:.5f}")
    click.echo("settlement: " + (f"{s.name} ({s.id}), {res.distance_km:.1f} km" if s else "-"))
    click.echo("admin1:     " + (f"{res.admin1.name} ({res.admin1.admin1_code})"
                                 if res.admin1 else "-"))
    click.echo("country:    " + (f"{res.country.name} ({res.country.country_code})"
                                 if res.country else "-"))
    click.echo("zones:      " + (", ".join(f"{z.name} ({z.id})" for z in res.zones) or "-"))
