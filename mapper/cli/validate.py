"""``mapper validate FILE...``: lint incident files before publishing."""
from __future__ import annotations

import logging

import click

from mapper.cli.options import gazetteer_option

log = logging.getLogger("mapper")


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any problem).")
@click.option("--all", "show_all", is_flag=True,
              help="List every problem (default: ten of each kind, then a count of the rest).")
@click.option("--no-resolve", is_flag=True,
              help="Skip the gazetteer: no place resolution, no coordinate-versus-place checks.")
@gazetteer_option
def cli(files: tuple[str, ...], strict: bool, show_all: bool, no_resolve: bool,
        gazetteer_path: str | None) -> None:
    """Check incident files (any format mapper reads: YAML, CSV, GeoJSON, GeoPackage,
    FlatGeobuf, GeoParquet, KML; or folders of them).

    Prints one line per problem, `severity: file:line: field: message` (GeoJSON:
    `file:feature N`, counted from 0), and exits 1 on any error (any problem with --strict).
    Checks schema and vocabularies, dates, coordinates (range, swapped lat/lon, a point outside
    the area it names), URLs (http/https only), duplicate ids, unresolvable places, sources
    without a date and claims without a source or quote.
    """
    from mapper.incidents.validate import iter_problems

    gazetteer = None
    if gazetteer_path and not no_resolve:
        from mapper.gazetteer.access import open_gazetteer

        gazetteer = open_gazetteer(gazetteer_path)
    from mapper.guards import WarningFolder

    # streamed: lines are printed as the files are read, and memory does not grow with them
    folder = WarningFolder(click.echo, keep=2**62 if show_all else 10)
    errors = warnings = 0
    for problem in iter_problems(list(files), gazetteer=gazetteer, resolve=not no_resolve):
        folder(problem)
        if problem.severity == "error":
            errors += 1
        else:
            warnings += 1
    folder.finish()
    failed = errors > 0 or (strict and warnings > 0)
    summary = (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
               f" in {len(files)} input{'s' * (len(files) != 1)}")
    if failed:
        log.error(f"FAILED: {summary}")
        raise SystemExit(1)
    log.info(f"OK: {summary}")
