"""Options every command spells the same way: ``--gazetteer``, ``-o/--output``, ``--overwrite``.

One definition each, so a flag means one thing across mapper (the cligj habit).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

GAZETTEER_ENVVAR = "MAPPER_GAZETTEER"


def gazetteer_option(f: F) -> F:
    """``--gazetteer PATH`` (or ``$MAPPER_GAZETTEER``): the gazetteer database to use."""
    return click.option(
        "--gazetteer", "gazetteer_path", metavar="PATH", envvar=GAZETTEER_ENVVAR, default=None,
        type=click.Path(dir_okay=False),
        help="Gazetteer database (default: $MAPPER_GAZETTEER, else the one in mapper's cache).",
    )(f)


def output_option(dest: str, *, help: str, required: bool = False, **kwargs: Any
                  ) -> Callable[[F], F]:
    """``-o/--output`` (``--out`` is accepted too): where the command writes its result."""
    return click.option("-o", "--output", "--out", dest, required=required, help=help, **kwargs)


def overwrite_option(f: F) -> F:
    """``--overwrite``: replace an existing output (never an input), as ogr2ogr and rio do."""
    return click.option("--overwrite", is_flag=True,
                        help="Replace the output if it exists (never one of the inputs).")(f)
