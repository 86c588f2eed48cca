"""One root error for mapper; the CLI turns each into a one-line ``Error: ...`` message.

Every message names where the problem is (file, line or feature, field) and how to fix it.
"""
from __future__ import annotations


class MapperError(Exception):
    """Root of every error mapper raises on purpose (bad data, missing gazetteer, ...)."""

    exit_code = 1


class DataError(MapperError, ValueError):
    """Input data is malformed: the message says ``file:line: field: problem``."""

    def __init__(self, message: str, *, path: str | None = None, line: int | str | None = None,
                 field: str | None = None) -> None:
        self.path, self.line, self.field = path, line, field
        parts = []
        if path is not None:
            parts.append(f"{path}:{line}" if line is not None else str(path))
        if field:
            parts.append(field)
        parts.append(message)
        super().__init__(": ".join(parts))


class GazetteerError(MapperError):
    """The gazetteer database is missing, corrupt or from another version."""


class UsageError(MapperError, ValueError):
    """The caller asked for something impossible (exit status 2 in the CLI)."""

    exit_code = 2


class WriteError(MapperError):
    """An output could not be written (full disk, read-only folder...); the previous one stays."""


class LimitError(DataError):
    """An input exceeds a safety limit (size, nesting, alias expansion); the message names the
    limit and the option that raises it.
    """
