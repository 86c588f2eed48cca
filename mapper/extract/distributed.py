"""Extraction on a Dask cluster: batches of articles go to the workers, results come back in
input order, byte-identical to a one-process run.

Each worker opens the gazetteer (and loads its name index) once, through a worker plugin;
a batch returns one result per article, and a bad article comes back as an
:class:`~mapper.extract.articles.ArticleError` rather than failing its batch. When a worker
dies, the scheduler reruns its batches on the others (``distributed.scheduler.allowed-failures``
times). Needs the ``mapper[dask]`` extra on the client and on every worker (the CLI says so
when this module cannot be imported).
"""
from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import distributed
from distributed.diagnostics.plugin import WorkerPlugin

from mapper.errors import UsageError
from mapper.extract.articles import ArticleRef, as_line, extract_ref

_LOCK = threading.Lock()
_GAZETTEERS: dict[str | None, Any] = {}


def worker_gazetteer(path: str | None) -> Any:
    """The gazetteer of this worker process, opened (with its name index) on first use."""
    with _LOCK:
        if path not in _GAZETTEERS:
            from mapper.extract.nameindex import NameIndex
            from mapper.gazetteer.access import open_gazetteer

            gazetteer = open_gazetteer(path or None)
            NameIndex.for_gazetteer(gazetteer)
            _GAZETTEERS[path] = gazetteer
        return _GAZETTEERS[path]


class GazetteerPlugin(WorkerPlugin):
    """Worker plugin: open the gazetteer when a worker starts (or joins), not per batch."""

    name = "mapper-gazetteer"

    def __init__(self, path: str | None) -> None:
        self.path = path

    def setup(self, worker: Any) -> None:
        """Open the gazetteer on ``worker``."""
        worker_gazetteer(self.path)



def extract_batch(refs: Sequence[ArticleRef], gazetteer_path: str | None,
                  options: dict[str, Any], lines: bool = False) -> list[Any]:
    """Run one batch on a worker: one result (or ArticleError) per article, in order; with
    ``lines``, each result as its finished jsonl line (:class:`ArticleLine`), far smaller to
    send back and to keep than the document with its text and mentions.
    """
    gazetteer = worker_gazetteer(gazetteer_path)
    sidecars: dict[Path, dict[str, dict[str, Any]]] = {}
    out = [extract_ref(ref, gazetteer=gazetteer, sidecars=sidecars, **options) for ref in refs]
    return [as_line(r) for r in out] if lines else out


def batch_size(n_articles: int, n_workers: int) -> int:
    """Articles per task: about eight tasks per worker (so a slow batch or a lost worker
    costs little), at most 64 articles.
    """
    return max(1, min(64, math.ceil(n_articles / max(1, n_workers * 8))))


@contextlib.contextmanager
def connect(scheduler: str, *, workers: int | None = None) -> Iterator[Any]:
    """A Dask client for ``scheduler``: an address (``tcp://host:8786``) or ``local`` for a
    LocalCluster of ``workers`` processes (default: one per core) on this machine.
    """
    if scheduler == "local":
        n = workers or os.cpu_count() or 1
        with distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(scheduler, timeout="20s")
    except OSError as exc:
        raise UsageError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({exc}); "
                         "check the address (tcp://HOST:8786) and that it is running") from None
    with client:
        yield client


def extract_on_cluster(refs: Sequence[ArticleRef], client: Any, *,
                       gazetteer_path: str | None, options: dict[str, Any],
                       on_progress: Callable[[int], None] | None = None,
                       lines: bool = False) -> Iterator[Any]:
    """Extract ``refs`` on the cluster behind ``client``; yield the results in input order.

    ``options`` are :func:`~mapper.extract.articles.extract_ref`'s keyword arguments
    (``explicit``, ``published``, ``overrides``); ``on_progress`` is called with the number of
    articles in each batch as it finishes; ``lines`` asks for jsonl lines
    (:class:`~mapper.extract.articles.ArticleLine`) instead of extraction results.
    """
    if any(r.path == "-" for r in refs):
        raise UsageError("'-' (stdin) cannot be sent to a Dask cluster; save it to a file")
    gaz = str(Path(gazetteer_path).resolve()) if gazetteer_path else None
    client.register_plugin(GazetteerPlugin(gaz), name=GazetteerPlugin.name)
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    size = batch_size(len(refs), n_workers)
    batches = [list(refs[i:i + size]) for i in range(0, len(refs), size)]
    futures = [client.submit(extract_batch, batch, gaz, options, lines, pure=False)
               for batch in batches]
    index = {f.key: i for i, f in enumerate(futures)}
    done: dict[int, list[Any]] = {}
    next_out = 0
    for future in distributed.as_completed(futures):
        i = index[future.key]
        done[i] = future.result()
        future.release()
        if on_progress is not None:
            on_progress(len(batches[i]))
        while next_out in done:
            yield from done.pop(next_out)
            next_out += 1
