"""``mapper map INPUT... -o DIR``: the layered incident map, its embeddable twin and GeoJSON."""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import click

from mapper.errors import UsageError

# Article texts in an input folder are left to the extraction hook below.
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md")


def collect_inputs(inputs: list[Path]) -> dict[str, list[Path]]:
    """Sort INPUT arguments into what the incident reader takes and the article texts around them.

    ``incidents``: the files and folders for ``read_incidents`` (it expands folders and skips
    what is not an incident file, such as publication metadata). ``articles``: article texts
    given or found in those folders, sorted, for ``load_incidents`` to draft from.
    """
    incident_inputs: list[Path] = []
    articles: list[Path] = []
    for path in inputs:
        if path.is_dir():
            incident_inputs.append(path)
            articles += sorted(p for p in path.iterdir() if p.is_file()
                               and not p.name.startswith(".") and p.suffix.lower() in ARTICLE_SUFFIXES)
        elif path.suffix.lower() in ARTICLE_SUFFIXES:
            articles.append(path)
        else:
            incident_inputs.append(path)
    return {"incidents": incident_inputs, "articles": articles}


def load_incidents(inputs: list[Path], gazetteer: Any, on_problem: Any = None) -> list:
    """Read every incident the map should show: the curated files, then drafts from articles.

    An article is drafted (``mapper.extract.pipeline``) only when no curated incident among the inputs
    cites its URL, so a curated story is never drawn twice. ``on_problem`` receives the reader's
    warnings (unresolved places, unknown categories) and one line per drafted article.
    """
    from mapper.incidents.io import incident_files, read_incidents

    found = collect_inputs(inputs)
    if not incident_files(found["incidents"]) and not found["articles"]:
        raise UsageError("no incident files or articles among the inputs "
                         f"({', '.join(str(p) for p in inputs)}); give .yaml, .json, .geojson "
                         "or .csv incident files, .txt/.md/.html articles, or a folder holding them")
    incidents = list(read_incidents(found["incidents"], gazetteer=gazetteer, on_problem=on_problem))
    if found["articles"]:
        from mapper.extract.pipeline import draft_incidents_for_map

        cited = {s.url for inc in incidents for s in inc.sources if s.url}
        drafts = draft_incidents_for_map(found["articles"], gazetteer, exclude_urls=cited)
        if drafts and on_problem is not None:
            on_problem(f"drafted {len(drafts)} incident(s) from articles no curated file cites; "
                       "review them with `mapper extract` before publishing")
        incidents += drafts
    return incidents


def open_gazetteer(path: str | None) -> Any:
    from mapper.gazetteer.store import Gazetteer

    return Gazetteer.open(path) if path else Gazetteer.open()


@click.command("map")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for map.html, embed.html, incidents.geojson and lib/ (Leaflet; "
                   "not needed with --inline). Publish the folder as a whole.")
@click.option("--title", default=None, help="Title shown on the map and in the page title.")
@click.option("--inline", is_flag=True,
              help="Put Leaflet and everything else into map.html: one file that works offline.")
@click.option("--tiles", default="OpenStreetMap", show_default=True,
              help="Tile layer name (folium/xyzservices), or 'none' for the offline outline basemap only.")
@click.option("--gazetteer", "gazetteer_path", default=None,
              help="Gazetteer database (default: $MAPPER_GAZETTEER or the user cache).")
def cli(inputs: tuple[Path, ...], out_dir: Path, title: str | None, inline: bool, tiles: str,
        gazetteer_path: str | None) -> None:
    """Draw incidents as a layered map with cited popups, a time filter and areas.

    INPUT is incident files (YAML, JSON, GeoJSON, CSV), article texts (.txt, .md, .html) or
    folders of them; articles that no curated incident cites are drafted by extraction. Writes DIR/map.html,
    DIR/embed.html, DIR/incidents.geojson and DIR/lib/ (Leaflet), and prints the iframe snippet
    for embed.html. Both pages work offline (outline basemap when tiles cannot load).
    """
    from mapper.render.page import MapWarning, iframe_snippet, tile_layer, write_map

    tile_layer(tiles)  # an unknown tile name fails before any slow work
    gazetteer = open_gazetteer(gazetteer_path)
    incidents = load_incidents(list(inputs), gazetteer,
                               on_problem=lambda p: click.echo(str(p), err=True))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MapWarning)
        paths = write_map(incidents, out_dir, gazetteer=gazetteer, title=title, tiles=tiles,
                          inline=inline)
    seen = set()
    for w in caught:
        text = str(w.message)
        if issubclass(w.category, MapWarning) and text not in seen:
            seen.add(text)
            click.echo(f"Warning: {text}", err=True)
    click.echo(f"Wrote {paths['map']}, {paths['embed']} and {paths['geojson']} "
               f"({len(incidents)} incidents)", err=True)
    click.echo(iframe_snippet("embed.html", title))
