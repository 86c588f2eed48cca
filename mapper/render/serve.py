"""Serve a map folder on this machine with HTTP range requests (what PMTiles archives need)."""
from __future__ import annotations

import functools
import os
from http.server import ThreadingHTTPServer
from pathlib import Path

from mapper.errors import UsageError

#: the only address ``serve`` listens on: this machine, never the network
LOOPBACK = "127.0.0.1"


def make_server(folder: str | os.PathLike[str], port: int = 8000) -> ThreadingHTTPServer:
    """An HTTP server for ``folder`` on 127.0.0.1:``port`` (0 picks a free port).

    It answers ``Range: bytes=A-B`` requests with the slice asked for (206 Partial Content),
    so a page reads a PMTiles archive tile by tile. Call ``serve_forever()`` on it.
    """
    try:
        from RangeHTTPServer import RangeRequestHandler
    except ModuleNotFoundError:
        raise UsageError("mapper serve needs RangeHTTPServer: pip install 'mapper[tiles]'"
                         ) from None
    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder; give the folder `mapper map -o` wrote")

    class Handler(RangeRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per tile would drown the terminal

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            import sys

            # a page that moves on cancels its tile requests: routine, not worth a traceback
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)  # type: ignore[arg-type]

    handler = functools.partial(Handler, directory=str(root))
    try:
        return Server((LOOPBACK, port), handler)
    except OSError as exc:
        raise UsageError(f"--port {port}: cannot listen on {LOOPBACK}:{port} ({exc.strerror}); "
                         "pick another port") from None
