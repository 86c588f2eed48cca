"""``mapper map INPUT... -o DIR``: the layered incident map, its embeddable twin and GeoJSON."""
from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from mapper.cli.options import gazetteer_option, output_option
from mapper.errors import UsageError

log = logging.getLogger("mapper")


@click.command("map")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@output_option("out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
               help="Folder for map.html, embed.html, incidents.geojson and lib/ (Leaflet; "
                    "not needed with --inline). Publish the folder as a whole.")
@click.option("--title", default=None, help="Title shown on the map and in the page title.")
@click.option("--inline", is_flag=True,
              help="Put Leaflet and everything else into map.html: one file that works offline.")
@click.option("--tiles", default="OpenStreetMap", show_default=True,
              help="Tile layer name (folium/xyzservices), or 'none' for the offline outline "
                   "basemap only.")
@click.option("--vector-tiles/--no-vector-tiles", "vector_tiles", default=None,
              help="Write the incidents as one PMTiles archive (maps of millions; pages need "
                   "HTTP: mapper serve DIR). Default: when there are more than 50,000.")
@click.option("--drafts", is_flag=True,
              help="Also draw machine drafts (status: draft; from drafts files and from articles "
                   "no incident file cites), marked \"Draft — not reviewed\". Without it they "
                   "are left off, and inputs holding only drafts or articles are an error.")
@gazetteer_option
@click.option("--png", "png", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a static picture of the map's default view to this PNG file "
                   "(needs Chromium).")
@click.option("--width", default=1200, show_default=True, type=int,
              help="Width of the --png picture in pixels.")
@click.option("--height", default=800, show_default=True, type=int,
              help="Height of the --png picture in pixels.")
@click.option("--label-language", "label_language", default="both", show_default=True,
              type=click.Choice(["both", "en", "local"]),
              help="Place names on the offline basemap: English with the local-script name "
                   "under it where the gazetteer has one (Russia, Ukraine, Belarus: "
                   "Rylsk / Рыльск), English only, or the local name instead.")
def cli(inputs: tuple[Path, ...], out_dir: Path, title: str | None, inline: bool, tiles: str,
        vector_tiles: bool | None, drafts: bool, gazetteer_path: str | None,
        png: Path | None, width: int,
        height: int, label_language: str) -> None:
    """Draw incidents as a layered map with cited popups, a time filter and areas.

    INPUT is incident files (YAML, JSON, GeoJSON, CSV), article texts (.txt, .md, .html) or
    folders of them. Reviewed incidents are drawn; machine drafts (drafts files, and articles
    no incident file cites, drafted by extraction) only with --drafts. Writes
    DIR/map.html, DIR/embed.html, DIR/incidents.geojson and DIR/lib/ (Leaflet), and prints the
    iframe snippet for embed.html. Both pages work offline (outline basemap when tiles cannot load).
    With --png FILE, also a picture of the map for print or social media (headless Chromium).
    Above 50,000 incidents (or with --vector-tiles) the incidents go into DIR/incidents.pmtiles
    and DIR/map-data.json instead, shared by both pages, which then need HTTP (mapper serve DIR).
    """
    from mapper.render.page import MapWarning, iframe_snippet, tile_layer, write_map

    tile_layer(tiles)  # an unknown tile name fails before any slow work
    if png is not None:
        from mapper.render.picture import check_picture

        check_picture(width, height)  # no browser or a bad size fails before any slow work
    from mapper.gazetteer.access import open_gazetteer
    from mapper.guards import WarningFolder
    from mapper.pipeline import collect_inputs, load_incidents, stream_incidents
    from mapper.render.tiles import Spooled, collect_for_map, write_tiled_map

    gazetteer = open_gazetteer(gazetteer_path or None)

    problems = WarningFolder(log.warning, hold=True)
    loaded: Iterable[Any]
    if collect_inputs(inputs).articles:
        loaded = load_incidents(list(inputs), gazetteer, drafts=drafts, on_problem=problems)
    else:  # incident files only: read as a stream, set aside on disk for a vector-tile map
        loaded = stream_incidents(list(inputs), gazetteer, drafts=drafts, on_problem=problems)
    # set aside beside the output (the system's temp folder may be small): not created here
    spool_dir = out_dir.parent if out_dir.parent.is_dir() else None
    collected = collect_for_map(loaded, vector_tiles, spool_dir, gazetteer)
    problems.finish()
    tiled = not isinstance(collected, list)
    try:
        count = len(collected[0].ids) if isinstance(collected, tuple) else len(collected)
        if tiled and inline:
            raise UsageError("--inline makes one offline file; a vector-tile map is a folder "
                             "served over HTTP: use --no-vector-tiles or drop --inline")
        if tiled and png is not None:
            raise UsageError("--png draws the one-file map; for a vector-tile map take the "
                             "picture from the served page, or add --no-vector-tiles")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", MapWarning)
            if isinstance(collected, tuple):
                spooled, builder = collected
                paths = write_tiled_map(spooled, out_dir, gazetteer=gazetteer, title=title,
                                        tiles=tiles, inputs=inputs, builder=builder,
                                        label_language=label_language)
            else:
                paths = write_map(collected, out_dir, gazetteer=gazetteer, title=title,
                                  tiles=tiles, inline=inline, inputs=inputs,
                                  label_language=label_language)
    finally:
        if isinstance(collected, tuple) and isinstance(collected[0], Spooled):
            collected[0].spool.close()
    seen = set()
    map_warnings = WarningFolder(log.warning)
    for w in caught:
        text = str(w.message)
        if issubclass(w.category, MapWarning) and text not in seen:
            seen.add(text)
            map_warnings(text)
    map_warnings.finish()
    if tiled:
        log.info(f"Wrote {paths['map']}, {paths['embed']}, {paths['data']} and "
                 f"{paths['tiles']} ({count} incidents, vector tiles); view it with "
                 f"`mapper serve {out_dir}`")
    else:
        log.info(f"Wrote {paths['map']}, {paths['embed']} and {paths['geojson']} "
                 f"({count} incidents)")
    if png is not None:
        from mapper.render.picture import write_png

        write_png(paths["map"], png, width=width, height=height)
        log.info(f"Wrote {png} ({width}x{height} picture of the map)")
    click.echo(iframe_snippet("embed.html", title))
