"""``mapper geocode NAME...``: place names to ranked candidates, offline."""
from __future__ import annotations

import json
import logging
import sys

import click

from mapper.cli.options import gazetteer_option
from mapper.errors import UsageError
from mapper.gazetteer.model import KINDS

log = logging.getLogger("mapper")


def parse_floats(text: str | None, n: int, option: str, example: str) -> tuple[float, ...] | None:
    """'51.2,34.3' -> (51.2, 34.3); a UsageError naming the option otherwise."""
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != n:
        raise UsageError(f"{option} {text!r}: expected {n} comma-separated numbers, e.g. {example}")
    return values


def _row(c: dict) -> str:
    admin = c.get("admin1") or ""
    gid = c.get("id") or (f"gn:{c['geonameid']}" if c.get("geonameid") else "")
    cc = c["country_code"] or ""
    return (f"  {c['score']:.2f}  {c['kind']:<10} {c['name'][:32]:<32} {cc:<2} "
            f"{admin[:24]:<24} {c['lat']:>9.4f} {c['lon']:>10.4f}  {gid}\n"
            f"        {c['reason']}")


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--country", metavar="CC", help="Only these ISO country codes (comma-separated).")
@click.option("--near", metavar="LAT,LON", help="Prefer places near this point.")
@click.option("--bbox", metavar="W,S,E,N", help="Only places inside this box.")
@click.option("--within", metavar="PLACE_ID", help="Only places inside this area (adm1:RU-KRS).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="Only these kinds (repeatable).")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100),
              help="Candidates per name.")
@click.option("--no-fuzzy", is_flag=True, help="No typo-tolerant matches.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array on stdout.")
@click.option("--online", is_flag=True,
              help="Ask OpenStreetMap Nominatim for names the offline gazetteer lacks "
                   "(network; 1 request/s; cached). Off by default.")
@gazetteer_option
@click.option("--user-agent", envvar="MAPPER_USER_AGENT", metavar="UA",
              help="Identify yourself to Nominatim (required with --online; "
                   "env MAPPER_USER_AGENT).")
def cli(names, country, near, bbox, within, kinds, limit, no_fuzzy, as_json, online,
        gazetteer_path, user_agent):
    """Resolve place NAMEs to ranked candidates (offline gazetteer).

    Admin forms ("Kursk Oblast", "Курская область"), border-zone phrases ("border areas of
    Belgorod Oblast"), transliterations and typos are understood. Exit status 1 only when no
    name resolved.
    """
    for name in names:
        if not name.strip():
            raise UsageError("empty place name; give a name such as 'Kursk'")
    near_v = parse_floats(near, 2, "--near", "51.73,36.18")
    bbox_v = parse_floats(bbox, 4, "--bbox", "34,50,38,52.5")
    near_t = (near_v[0], near_v[1]) if near_v else None
    bbox_t = (bbox_v[0], bbox_v[1], bbox_v[2], bbox_v[3]) if bbox_v else None
    countries = [c.strip().upper() for c in country.split(",") if c.strip()] if country else None
    fallback = None
    if online:
        from mapper.gazetteer.online import NominatimFallback

        fallback = NominatimFallback(user_agent=user_agent)

    from mapper.gazetteer.access import open_gazetteer

    gaz = open_gazetteer(gazetteer_path)
    out = []
    resolved = 0
    for name in names:
        hits = [c.to_json() for c in gaz.search(
            name, country=countries, near=near_t, bbox=bbox_t, within=within,
            kinds=kinds or None, limit=limit, fuzzy=not no_fuzzy)]
        if not hits and fallback is not None:
            hits = fallback.geocode(name, limit=limit, country=countries)
        if hits:
            resolved += 1
        else:
            log.warning(f"no place found for {name!r}")
        out.append({"query": name, "results": hits})
    if as_json:
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    else:
        for item in out:
            click.echo(f"{item['query']}:" + ("" if item["results"] else " (no match)"))
            for c in item["results"]:
                click.echo(_row(c))
    if resolved == 0:
        sys.exit(1)
