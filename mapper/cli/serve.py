"""``mapper serve DIR``: view a map folder (vector tiles need HTTP) on this machine."""
from __future__ import annotations

import logging
from pathlib import Path

import click

log = logging.getLogger("mapper")


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0: any free port).")
def cli(folder: Path, port: int) -> None:
    """Serve FOLDER (written by `mapper map -o`) at http://127.0.0.1:PORT/ with HTTP range
    requests, for viewing a vector-tile map locally. Only this machine can connect; publish
    the folder on any static web host instead. Ctrl-C stops it.
    """
    from mapper.render.serve import make_server

    server = make_server(folder, port)
    real_port = server.server_address[1]
    log.info(f"Serving {folder} at http://127.0.0.1:{real_port}/map.html (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
