"""``mapper export INPUT... --format F -o FILE``: incidents to GIS formats."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import click

from mapper.cli.options import gazetteer_option, output_option, overwrite_option
from mapper.incidents.formats import format_names

log = logging.getLogger("mapper")

FORMATS = format_names()


@click.command("export")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the -o suffix).")
@output_option("out", required=True, type=click.Path(dir_okay=False),
               help="Output file (written atomically; nothing is left behind on error).")
@overwrite_option
@click.option("--raw-csv", is_flag=True,
              help="CSV: keep cells starting with = + - @ as they are (by default they get a "
                   "leading ' so spreadsheets do not run them as formulas; mapper reads both).")
@click.option("--points", is_flag=True,
              help="Always export the label point, never the area polygon.")
@click.option("--no-resolve", is_flag=True,
              help="Skip the gazetteer: places without lat/lon get a null geometry.")
@gazetteer_option
def cli(inputs: tuple[str, ...], fmt: str | None, out: str, overwrite: bool, raw_csv: bool,
        points: bool, no_resolve: bool, gazetteer_path: str | None) -> None:
    """Export incident files to any format mapper reads back: YAML, CSV (ACLED column names),
    GeoJSON (RFC 7946), GeoPackage, FlatGeobuf, GeoParquet or KML, every field in a visible,
    editable column (claims and sources as JSON text).

    Any error in the input stops the export with a one-line message and no output file;
    warnings (such as an unresolved place, exported with a null geometry) go to stderr.
    """
    from mapper.atomic import check_output
    from mapper.errors import UsageError
    from mapper.incidents.export import export
    from mapper.incidents.formats import format_for_path
    from mapper.incidents.io import iter_incidents

    try:
        fmt = format_for_path(out, fmt).name
    except UsageError:
        raise UsageError(f"{out}: cannot tell the format from the suffix; give --format "
                         f"({', '.join(FORMATS)})") from None
    check_output(out, inputs=_input_files(inputs), overwrite=overwrite)
    gazetteer = None
    if not no_resolve:
        from mapper.gazetteer.access import open_gazetteer

        gazetteer = open_gazetteer(gazetteer_path or None)
    from mapper.guards import WarningFolder

    # streamed from the inputs to the output (CSV, GeoJSON, GeoParquet: bounded memory); an
    # error half-way leaves no output (atomic write) and prints only itself (warnings held)
    warnings = WarningFolder(log.warning, hold=True)
    count = 0

    def counted() -> Iterator[Any]:
        nonlocal count
        for inc in iter_incidents(list(inputs), gazetteer=gazetteer, resolve=not no_resolve,
                                  on_problem=warnings):
            count += 1
            yield inc

    export(counted(), out, fmt, gazetteer=gazetteer, points=points, raw_csv=raw_csv)
    warnings.finish()
    log.info(f"Wrote {out} ({count} incidents, {fmt})")


def _input_files(inputs: tuple[str, ...]) -> list[str]:
    """The files INPUT names, folders expanded (an output may not replace any of them)."""
    from pathlib import Path

    out: list[str] = []
    for item in inputs:
        p = Path(item)
        out.extend(str(c) for c in p.iterdir() if c.is_file()) if p.is_dir() else out.append(item)
    return out
