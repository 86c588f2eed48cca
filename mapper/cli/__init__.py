"""The ``mapper`` command line: one thin module per command over the library (see ``main``)."""
from mapper.cli.main import cli, main

__all__ = ["cli", "main"]
