"""The ids seen so far in a check, in 24 bytes each: duplicate ids across millions of rows.

A dict of id -> "file:line" costs ~200 bytes an incident (2 GB for 10 million). Here the
latest ids sit in a dict (at most :data:`BATCH`), older ones as a sorted array of 128-bit
digests (blake2b) beside a packed location (file, line or feature number), so the memory of
``mapper validate`` and ``mapper export`` grows by 24 bytes a row, not by the size of the rows.

>>> seen = SeenIds()
>>> seen.add("a-1", "x.csv", 2)
>>> seen.first("a-1"), seen.first("a-2")
('x.csv:2', None)
"""
from __future__ import annotations

import hashlib
from typing import Any

#: ids kept as strings before they are packed into the sorted arrays
BATCH = 1 << 18
_NUMBER_BITS = 40
_KIND_BITS = 2
_LINE, _FEATURE, _OTHER = 0, 1, 2


def _digest(ident: str) -> tuple[int, int]:
    d = hashlib.blake2b(ident.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return int.from_bytes(d[:8], "little"), int.from_bytes(d[8:], "little")


class SeenIds:
    """Which ids were seen, and where first (``path:where`` as the messages print it)."""

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        self._recent: dict[str, tuple[int, Any]] = {}
        self._hi = np.empty(0, np.uint64)
        self._lo = np.empty(0, np.uint64)
        self._loc = np.empty(0, np.uint64)
        self._paths: list[str] = []
        self._path_index: dict[str, int] = {}
        self._others: list[Any] = []  # ``where`` values that are neither a line nor a feature

    def __len__(self) -> int:
        return len(self._recent) + len(self._hi)

    def first(self, ident: str) -> str | None:
        """Where ``ident`` was first used (``path:where``), or None when it is new."""
        hit = self._recent.get(ident)
        if hit is not None:
            return f"{self._paths[hit[0]]}:{hit[1]}"
        if not len(self._hi):
            return None
        hi, lo = _digest(ident)
        np = self._np
        k = int(np.searchsorted(self._hi, np.uint64(hi)))
        while k < len(self._hi) and int(self._hi[k]) == hi:
            if int(self._lo[k]) == lo:
                return self._unpack(int(self._loc[k]))
            k += 1
        return None

    def add(self, ident: str, path: str, where: Any) -> None:
        """Record ``ident`` as first used at ``path:where``."""
        index = self._path_index.get(path)
        if index is None:
            index = self._path_index[path] = len(self._paths)
            self._paths.append(path)
        self._recent[ident] = (index, where)
        if len(self._recent) >= BATCH:
            self._pack()

    def _pack(self) -> None:
        np = self._np
        n = len(self._recent)
        hi = np.empty(n, np.uint64)
        lo = np.empty(n, np.uint64)
        loc = np.empty(n, np.uint64)
        for k, (ident, (index, where)) in enumerate(self._recent.items()):
            hi[k], lo[k] = _digest(ident)
            loc[k] = self._packed(index, where)
        self._recent.clear()
        # two sorted runs: the stable sort merges them in linear time
        hi = np.concatenate([self._hi, hi])
        order = np.argsort(hi, kind="stable")
        self._hi = hi[order]
        del hi
        self._lo = np.concatenate([self._lo, lo])[order]
        self._loc = np.concatenate([self._loc, loc])[order]

    def _packed(self, index: int, where: Any) -> int:
        if isinstance(where, int) and 0 <= where < (1 << _NUMBER_BITS):
            kind, number = _LINE, where
        elif isinstance(where, str) and where.startswith("feature ") and where[8:].isdigit():
            kind, number = _FEATURE, int(where[8:])
        else:
            kind, number = _OTHER, len(self._others)
            self._others.append(where)
        return (index << (_NUMBER_BITS + _KIND_BITS)) | (kind << _NUMBER_BITS) | number

    def _unpack(self, packed: int) -> str:
        number = packed & ((1 << _NUMBER_BITS) - 1)
        kind = (packed >> _NUMBER_BITS) & ((1 << _KIND_BITS) - 1)
        path = self._paths[packed >> (_NUMBER_BITS + _KIND_BITS)]
        where: Any = (number if kind == _LINE else f"feature {number}" if kind == _FEATURE
                      else self._others[number])
        return f"{path}:{where}"
