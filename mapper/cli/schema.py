"""``mapper schema [-o FILE]``: the JSON Schema (draft 2020-12) of an incident file."""
from __future__ import annotations

import logging

import click

from mapper.cli.options import output_option, overwrite_option

log = logging.getLogger("mapper")


@click.command("schema")
@output_option("out", help="Write the schema to FILE instead of standard output.",
               type=click.Path(dir_okay=False))
@overwrite_option
def cli(out: str | None, overwrite: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of an incident file.

    Editors complete and check incident YAML with it: save it beside your files
    (`mapper schema -o incidents.schema.json`) and start a file with
    `# yaml-language-server: $schema=incidents.schema.json`. `mapper validate` checks more
    than a schema can (real dates, coordinates against the gazetteer, duplicate ids).
    """
    from mapper.incidents.schema import schema_text

    text = schema_text()
    if out is None:
        click.echo(text, nl=False)
        return
    from mapper import atomic

    atomic.check_output(out, overwrite=overwrite)
    atomic.write_text(out, text)
    log.info(f"Wrote {out}")
