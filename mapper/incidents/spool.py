"""Incidents set aside on disk: a million of them without a million objects in memory.

A :class:`Spool` pickles each incident into an anonymous temporary file as it arrives and reads
any of them back by position (``pread``: a memory map would count the file in the process's
resident memory), so a pipeline can look at a stream twice (count
and tabulate first, then write in another order) with ~8 bytes of memory an incident.

>>> from mapper.incidents.model import Incident, Location
>>> with Spool() as spool:
...     spool.append(Incident(id="a", date=None, category="raid", place=Location(name="Kursk")))
...     spool.append(Incident(id="b", date=None, category="raid", place=Location(name="Sumy")))
...     [spool[1].id, len(spool), [i.id for i in spool]]
['b', 2, ['a', 'b']]
"""
from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from collections.abc import Iterator
from typing import Any


class Spool:
    """Incidents (or any picklable records) in a temporary file (deleted on :meth:`close`),
    read back by position.
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self._file = tempfile.TemporaryFile(prefix=".mapper-spool-", dir=folder)
        self._ends = array("q")
        self._size = 0
        self._flushed = False

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._ends)

    def append(self, incident: Any) -> None:
        """Add one incident at the end (reading switches the spool to read-only)."""
        if self._flushed:
            raise RuntimeError("spool already read")
        blob = pickle.dumps(incident, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(blob)
        self._size += len(blob)
        self._ends.append(self._size)

    def __getitem__(self, k: int) -> Any:
        if not self._flushed:
            self._file.flush()
            self._flushed = True
        start = self._ends[k - 1] if k else 0
        incident: Any = pickle.loads(os.pread(self._file.fileno(), self._ends[k] - start,
                                                   start))
        return incident

    def __iter__(self) -> Iterator[Any]:
        for k in range(len(self._ends)):
            yield self[k]

    def close(self) -> None:
        """Delete the file."""
        self._file.close()
