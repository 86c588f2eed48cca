"""``mapper gazetteer build|info|import``: manage the offline gazetteer database."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from mapper.errors import UsageError

log = logging.getLogger("mapper")


def _progress(msg: str) -> None:
    log.info(f"  {msg}")


def _target(path: str | None) -> Path:
    from mapper.gazetteer.store import default_path

    return Path(path).expanduser() if path else default_path()


def _border_pair(text: str) -> tuple[str, str]:
    """"IL-LB" -> ("IL", "LB"); anything else is a usage error."""
    parts = text.strip().upper().split("-")
    if len(parts) != 2 or not all(len(p) == 2 and p.isalpha() for p in parts) or \
            parts[0] == parts[1]:
        raise UsageError(f"--border {text!r}: give two different ISO alpha-2 country codes "
                         "joined by a hyphen, such as RU-UA or IL-LB")
    return parts[0], parts[1]


@click.group()
def cli() -> None:
    """Build, inspect and extend the offline gazetteer (SQLite)."""


@cli.command("build")
@click.option("--zone-width", "zone_width", default=30.0, show_default=True, type=float,
              metavar="KM", help="Width of the border zones on each side of a border.")
@click.option("--border", "borders", multiple=True, metavar="AA-BB",
              help="Build border zones for this pair of countries (ISO alpha-2, e.g. IL-LB; "
                   "repeatable). Default: RU-UA.")
@click.option("--gazetteer", "--path", "path", metavar="PATH", envvar="MAPPER_GAZETTEER",
              help="Database file (default: $MAPPER_GAZETTEER "
              "or the user cache).")
@click.option("--with-imports", is_flag=True,
              help="Import again the files `mapper gazetteer import` added to the existing "
                   "database (recorded in it; each must still be there, unchanged).")
@click.option("--from-sample", "sample", metavar="FILE", type=click.Path(exists=True,
                                                                       dir_okay=False),
              help="Build from a sample file (tests/data/gazetteer-fixture.json.gz, written by "
                   "tests/make_gazetteer_fixture.py) instead of the embedded sources.")
def build_cmd(zone_width: float, borders: tuple[str, ...], path: str | None,
              with_imports: bool, sample: str | None) -> None:
    """(Re)build the gazetteer from the embedded sources (about 40 s; offline)."""
    from mapper.gazetteer.build import build
    from mapper.gazetteer.sources import fixture_sources

    sources = fixture_sources(sample) if sample else None

    if not 0 < zone_width <= 500:
        raise UsageError(f"--zone-width {zone_width}: use a width in km, 0 < KM <= 500")
    pairs = [_border_pair(b) for b in borders] or None
    target = _target(path)
    if with_imports:
        from mapper.gazetteer.importer import rebuild_with_imports

        stats = rebuild_with_imports(target, zone_width_km=zone_width, borders=pairs,
                                     progress=_progress, sources=sources)
    else:
        stats = build(target, zone_width_km=zone_width, borders=pairs, progress=_progress,
                      sources=sources)
    click.echo(f"{target}: {stats['settlements']} settlements, {stats['areas']} areas, "
               f"{stats['names']} names; {stats['seconds']} s, "
               f"{stats['size_bytes'] / 1e6:.1f} MB")
    for note in stats.get("notes") or []:
        log.warning(note)


@cli.command("info")
@click.option("--gazetteer", "--path", "path", metavar="PATH", envvar="MAPPER_GAZETTEER",
              help="Database file.")
@click.option("--json", "as_json", is_flag=True, help="JSON on stdout.")
def info_cmd(path: str | None, as_json: bool) -> None:
    """Counts, sources, versions and licences of the gazetteer."""
    from mapper.gazetteer.store import Gazetteer

    info = Gazetteer.open(_target(path)).info()
    if as_json:
        sys.stdout.write(json.dumps(info, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        return
    click.echo(f"database:  {info['path']} ({info['size_bytes'] / 1e6:.1f} MB)")
    click.echo("places:    " + ", ".join(f"{n} {k}" for k, n in info["counts"].items()))
    click.echo(f"names:     {info['names']} ({info['distinct_keys']} distinct keys)")
    meta = info["meta"]
    for key in sorted(meta):
        if key.startswith("demonym:"):
            continue
        click.echo(f"{key + ':':<26} {meta[key]}")


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--gazetteer", "--path", "path", metavar="PATH", envvar="MAPPER_GAZETTEER",
              help="Database file to extend.")
@click.option("--kind", type=click.Choice(["admin1", "admin2"]), default=None,
              help="For boundary files: which level the features are (default: guess).")
@click.option("--country", metavar="CC", help="For boundary files: their ISO country code.")
@click.option("--name-field", metavar="FIELD", help="For boundary files: the name column.")
@click.option("--code-field", metavar="FIELD", help="For boundary files: the code column.")
def import_cmd(files, path, kind, country, name_field, code_field) -> None:
    """Add GeoNames dumps (RU.txt, allCountries.txt, alternateNamesV2.txt, admin1CodesASCII.txt)
    and admin boundaries from any GDAL vector file (GeoPackage, Shapefile, GeoJSON).
    """
    from mapper.gazetteer.importer import import_files

    target = _target(path)
    stats = import_files(target, [Path(f) for f in files], kind=kind, country=country,
                         name_field=name_field, code_field=code_field, progress=_progress)
    click.echo(f"{target}: " + ", ".join(f"{v} {k}" for k, v in stats.items()))
