"""The ``mapper`` command line: a thin click group over the library.

Each subcommand lives in ``mapper/commands/<name>.py`` and is imported only when it runs, so
``mapper --help`` and ``mapper geocode`` never pay for geopandas or folium.
"""
from __future__ import annotations

import importlib
import sys

import click

from . import __version__
from .errors import MapperError

# name -> module in mapper.commands exposing a click command called ``cli``
COMMANDS: dict[str, str] = {
    "geocode": "geocode",
    "reverse": "reverse",
    "gazetteer": "gazetteer",
    "validate": "validate",
    "export": "export",
    "map": "map",
    "extract": "extract",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        try:
            module = importlib.import_module(f"mapper.commands.{module_name}")
        except ModuleNotFoundError as exc:  # a command not written yet stays out of the list
            if exc.name == f"mapper.commands.{module_name}":
                return None
            raise
        return module.cli

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MapperError as exc:
            # One line, no traceback: the message already says where and how to fix it.
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mapper")
def cli() -> None:
    """mapper: turn news reporting into maps.

    Offline gazetteer and geocoder, incidents with attributed claims, layered Leaflet maps,
    GIS export, and extraction of draft incidents from article text.
    """


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="mapper")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
