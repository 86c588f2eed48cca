"""Options every command spells the same way: ``--gazetteer``, ``-o/--output``, ``--overwrite``.

One definition each, so a flag means one thing across mapper (the cligj habit); dates given as
options are read by :func:`option_date` (:mod:`mapper.dates` underneath).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

from mapper.dates import parse_day, parse_human_date
from mapper.errors import UsageError

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


def option_date(option: str, text: str, *, human: bool = False) -> dt.date:
    """The date given to ``option``: one day as YYYY-MM-DD, or any human date when ``human``.

    A bad date is a usage error (exit 2) naming the option, e.g. ``--date: 2024-02-30 is not a
    real date (day is out of range for month); check day and month``.
    """
    try:
        day = parse_human_date(text) if human else parse_day(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if day is None:
        raise UsageError(f"{option}: empty; write YYYY-MM-DD (e.g. 2024-03-12)")
    return day
