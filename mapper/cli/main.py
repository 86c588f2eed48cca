"""The ``mapper`` command line: a thin click group over the library.

Each subcommand lives in ``mapper/cli/<name>.py`` and is imported only when it runs, so
``mapper --help`` and ``mapper geocode`` never pay for geopandas or folium.
"""
from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Iterator
from importlib import resources
from typing import Any

import click

from mapper import __version__
from mapper.errors import MapperError
from mapper.guards import LIMIT_ENV, printable

# Modules of this package that are not commands.
_NOT_COMMANDS = frozenset({"__init__", "__main__", "main", "options"})


def _command_names() -> list[str]:
    """Every module in ``mapper/cli/`` but the helpers is a command exposing ``cli``.

    Listing file names (not importing them) keeps ``mapper --help`` fast, and a new command is
    one new module with no registry to edit.
    """
    folder = resources.files("mapper.cli")
    return sorted(
        entry.name[:-3].replace("_", "-")
        for entry in folder.iterdir()
        if entry.name.endswith(".py") and entry.name[:-3] not in _NOT_COMMANDS
    )


@contextlib.contextmanager
def _escaped_echo() -> Iterator[None]:
    """Every ``click.echo`` of the commands shows control characters escaped.

    Ids, names and messages come from input files: an escape sequence in an id must not
    recolour, retitle or clear the user's terminal. Data formats on stdout (YAML, JSON) escape
    them already; click's progress bar writes its own codes through another path.
    """
    original = click.echo

    def echo(message: Any = None, *args: Any, **kwargs: Any) -> None:
        original(printable(message) if isinstance(message, str) else message, *args, **kwargs)

    click.echo = echo
    try:
        yield
    finally:
        click.echo = original


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The command names (module names of ``mapper/cli/``)."""
        return _command_names()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the command's module on first use."""
        if cmd_name not in _command_names():
            return None
        module = importlib.import_module(f"mapper.cli.{cmd_name.replace('-', '_')}")
        command: click.Command = module.cli
        return command

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; mapper's errors and the system's become one ``Error:`` line."""
        try:
            with _escaped_echo():
                return super().invoke(ctx)
        except MapperError as exc:
            # One line, no traceback: the message already says where and how to fix it.
            click.echo(f"Error: {printable(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            # The system refused a read or write that no check above foresaw (a device error,
            # a file removed meanwhile): still one line naming the file, not a traceback.
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(printable(f"Error: {where}{(exc.strerror or str(exc)).lower()}"),
                       err=True)
            ctx.exit(1)


class _StderrHandler(logging.StreamHandler):
    """A handler writing to ``sys.stderr`` as it is when a record is written (tests swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # always the current sys.stderr


class _LineFormatter(logging.Formatter):
    """One line a message: progress and errors as written, a warning said to be one (once), and
    control characters escaped (names and messages come from input files).
    """

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if record.levelno == logging.WARNING and not text.lower().startswith(("warning",
                                                                              "... and ")):
            text = f"Warning: {text}"
        return printable(text)


def configure_logging(verbosity: int) -> None:
    """Send the ``mapper`` logger to stderr: progress and warnings by default, debug with -v,
    warnings and errors only with -q, errors only with -qq.

    Data goes to stdout or ``-o``; progress, warnings and notes are log records on stderr, so a
    script can pipe the data and keep the terminal quiet with ``-q``.
    """
    level = {-2: logging.ERROR, -1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG)
    if verbosity < -2:
        level = logging.CRITICAL
    logger = logging.getLogger("mapper")
    logger.setLevel(level)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(_LineFormatter("%(message)s"))
        logger.addHandler(handler)
    logger.propagate = False


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mapper")
@click.option("-v", "--verbose", count=True, help="Debug messages on stderr too.")
@click.option("-q", "--quiet", count=True,
              help="No progress messages on stderr (warnings and errors only; -qq: errors only).")
@click.option("--max-input-mb", type=click.FloatRange(min=0, min_open=True), default=None,
              envvar="MAPPER_MAX_INPUT_MB", metavar="MB",
              help="Refuse an incident or metadata file larger than this (default 1024).")
@click.option("--max-article-mb", type=click.FloatRange(min=0, min_open=True), default=None,
              envvar="MAPPER_MAX_ARTICLE_MB", metavar="MB",
              help="Refuse an article larger than this (default 100; an article longer than a "
                   "long read is extracted in sections).")
def cli(verbose: int, quiet: int, max_input_mb: float | None,
        max_article_mb: float | None) -> None:
    """mapper: turn news reporting into maps.

    Offline gazetteer and geocoder, incidents with attributed claims, layered Leaflet maps,
    GIS export, and extraction of draft incidents from article text.
    """
    configure_logging(verbose - quiet)

    # the readers look the limits up where they are (worker processes too): the environment
    for kind, value in (("input", max_input_mb), ("article", max_article_mb)):
        if value is not None:
            os.environ[LIMIT_ENV[kind]] = repr(value)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="mapper")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
