"""The Leaflet map (folium) of incidents and its embeddable twin.

Why not plain folium markers: one ``Marker``+``Popup`` per incident freezes the page at a few
thousand points and pastes raw HTML into JavaScript (see docs and notes). Here the incidents go
into the page once, as an escaped JSON blob; mapper's own script (``mapper/render/static/js/``,
concatenated in ``CLIENT_SCRIPTS`` order) draws points on one canvas with grid clustering, areas
as translucent polygons, and builds every popup with DOM text nodes. folium still provides the
map object, so ``render_map`` displays in Jupyter like any folium map.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from mapper.errors import UsageError
from mapper.incidents.model import Incident
from mapper.render.blob import blob_html, encode, move_records_last
from mapper.render.data import MapWarning, json_for_html, safe_url
from mapper.render.records import build_map_data

__all__ = ["render_map", "write_map", "map_html", "iframe_snippet", "MapWarning", "safe_url"]

LEAFLET_VERSION = "1.9.4"
LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/"


@cache
def _static(name: str) -> str:
    return resources.files("mapper.render").joinpath("static", name).read_text(encoding="utf-8")


def _sri(text: str) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(text.encode("utf-8")).digest()).decode()


def _inline_script(code: str) -> str:
    # A literal "</script" inside inlined code would end the element early.
    return "<script>" + re.sub(r"</(script)", r"<\\/\1", code, flags=re.I) + "</script>"


def _inline_style(css: str) -> str:
    return "<style>" + re.sub(r"</(style)", r"<\\/\1", css, flags=re.I) + "</style>"


# mapper's client script: fragments of one function scope, concatenated in this order (each may use
# what the ones before it define). A new part goes into static/js/ and into this list; parts that
# add behaviour at start-up register with ``onInit(function (app) {...})`` (core.js).
CLIENT_SCRIPTS = ("core.js", "canvas.js", "points.js", "labels.js", "app.js", "views.js",
                  "filters.js", "card.js", "popups.js", "panels.js", "legend.js", "list.js",
                  "layout.js", "timeline.js", "export.js", "tiles.js",
                  "main.js")
CLIENT_HEADER = """/* mapper map client: draws the incidents shipped once as a JSON blob.
 *
 * Safety: data never becomes markup. Every text goes through textContent or a DOM attribute
 * that cannot run code; links are kept only for http(s) and open with rel="noopener noreferrer".
 * Speed: points are drawn on one canvas (no DOM element per incident) and clustered on a grid in
 * world pixels; filters run over flat arrays and only rebuild the canvas and the area styles.
 * Sources: mapper/render/static/js/ (%s).
 */
(function () {
  "use strict";
"""


def client_js() -> str:
    """Return the client script: the parts in ``CLIENT_SCRIPTS`` order in one function scope."""
    parts = [CLIENT_HEADER % ", ".join(CLIENT_SCRIPTS)]
    parts += [_static(f"js/{name}") for name in CLIENT_SCRIPTS]
    parts.append("})();\n")
    return "\n".join(parts)


LIB_DIR = "lib"  # beside map.html: Leaflet for pages written without --inline


def _head_html(assets: str, vector_tiles: bool = False) -> str:
    """Leaflet, then mapper's own CSS and script (always inlined: they are small and versioned
    with the data). ``assets``: "inline" (Leaflet in the page), "local" (``lib/`` beside the
    page, written by ``write_map``; works offline, no third-party request) or "cdn" (pinned
    version with Subresource Integrity; for notebooks, which have no folder to put files in).
    """
    leaflet_js = _static("vendor/leaflet/leaflet.js")
    leaflet_css = _static("vendor/leaflet/leaflet.css")
    parts = []
    if assets == "inline":
        leaflet_js = leaflet_js.replace("//# sourceMappingURL=leaflet.js.map", "")
        # the default marker and layer-control images are never used; keep the file offline
        leaflet_css = re.sub(r"url\(images/[^)]*\)", "none", leaflet_css)
        parts += [_inline_style(leaflet_css), _inline_script(leaflet_js)]
    else:
        if assets == "local":  # no integrity: file:// pages cannot check it (opaque origin)
            ref_css, ref_js = "", ""
            base = f"{LIB_DIR}/"
        else:
            ref_css = f' integrity="{_sri(leaflet_css)}" crossorigin="anonymous"'
            ref_js = f' integrity="{_sri(leaflet_js)}" crossorigin="anonymous"'
            base = LEAFLET_CDN
        parts += [f'<link rel="stylesheet" href="{base}leaflet.css"{ref_css} />',
                  f'<script src="{base}leaflet.js"{ref_js}></script>']
    if vector_tiles:  # the PMTiles reader, from lib/ beside the pages (mapper.render.tiles)
        parts.append(f'<script src="{LIB_DIR}/protomaps-leaflet.js"></script>')
    parts += [_inline_style(_static("mapper.css")), _inline_script(client_js())]
    return "\n".join(parts)


def tiles_lib_files() -> dict[str, str]:
    """The files a vector-tile map adds to ``lib/``: the PMTiles reader and its licences."""
    return {"protomaps-leaflet.js": _static("vendor/protomaps-leaflet/protomaps-leaflet.js"),
            "protomaps-leaflet.LICENSE": _static("vendor/protomaps-leaflet/LICENSE")}


def lib_files() -> dict[str, str]:
    """The files ``write_map`` puts in ``lib/`` (Leaflet, copied unchanged)."""
    return _lib_files()


def _lib_files() -> dict[str, str]:
    """The files ``write_map`` puts in ``lib/`` (copied unchanged from the vendored package)."""
    return {name: _static(f"vendor/leaflet/{name}") for name in ("leaflet.js", "leaflet.css",
                                                                 "LICENSE")}


def _element_class():
    from branca.element import Element, MacroElement

    class Raw(Element):
        """Markup inserted as is. branca's ``Element(text)`` compiles ``text`` as a Jinja template,
        so a ``{{ ... }}`` in incident text would run at render time (server-side template
        injection); this element never goes through Jinja.
        """

        def __init__(self, text: str) -> None:
            super().__init__()
            self._text = text

        def render(self, **kwargs: Any) -> str:
            return self._text

    class MapperLayer(MacroElement):
        """Carries the data blob and starts mapper's client script on the folium map."""

        def __init__(self, data_json: str, head_html: str, element_id: str,
                     options: dict[str, Any], data_url: str | None = None,
                     parts: tuple[str, str] | None = None) -> None:
            super().__init__()
            self.options = options
            self._name = "MapperLayer"
            self._id = element_id
            self.data_json = data_json
            self.head_html = head_html
            self.data_id = f"mapper_data_{element_id}"
            self.data_url = data_url  # the blob in a file beside the page, shared by pages
            self.parts = parts  # a big map's deflated core and records (blob.encode)

        def render(self, **kwargs: Any) -> str:
            figure: Any = self.get_root()
            parent: Any = self._parent
            name = self.get_name()
            figure.header.add_child(Raw(self.head_html), name=name)
            if self.data_url is not None:
                figure.script.add_child(Raw(
                    f"mapperLoad({parent.get_name()}, {json.dumps(self.data_url)}, "
                    f"{json.dumps(self.options, sort_keys=True)});"), name=name)
                return ""
            figure.html.add_child(Raw(blob_html(self.data_json, self.parts, self.data_id)),
                                  name=name)
            figure.script.add_child(Raw(
                f"mapperInit({parent.get_name()}, {json.dumps(self.data_id)}, "
                f"{json.dumps(self.options, sort_keys=True)});"), name=name)
            return ""  # the figure renders what was added to it; nothing goes in place

    return MapperLayer


def tile_layer(tiles: str | None):
    """The folium TileLayer for a tile name, None for no tiles; UsageError for an unknown name."""
    import folium

    name = None if tiles is None or str(tiles).strip().lower() in ("", "none") else str(tiles)
    if name is None:
        return None
    try:
        return folium.TileLayer(name, control=False)
    except ValueError as exc:  # folium/xyzservices reject unknown names
        raise UsageError(f"--tiles: unknown tile provider {name!r} ({exc}); use a folium tile "
                         "name such as OpenStreetMap or CartoDB positron, or 'none' for the "
                         "offline outline basemap") from None


def render_map(incidents: Iterable[Incident], *, gazetteer: Any = None, title: str | None = None,
               tiles: str | None = "OpenStreetMap", inline: bool = True, embed: bool = False,
               label_language: str = "both"):
    """Build the folium ``Map`` of ``incidents`` (displays in Jupyter; ``map_html`` gives the page).

    ``tiles`` is a folium/xyzservices tile name, or None/"none" for the offline vector basemap
    only. ``inline`` puts Leaflet in the page (works with no network). ``embed`` gives the compact
    chromeless variant for an iframe. Links other than http(s) are dropped with a ``MapWarning``.
    ``label_language``: place names on the offline basemap, "both" (English with the local-script
    name under it), "en" or "local" (see :func:`build_map_data`).
    """
    data = build_map_data(incidents, gazetteer=gazetteer, title=title,
                          label_language=label_language)
    return _map_from_data(data, title=title, tiles=tiles, assets="inline" if inline else "cdn",
                          embed=embed)


def map_from_data(data: dict[str, Any], *, title: str | None, tiles: str | None, assets: str,
                  embed: bool, data_json: str | None = None, data_url: str | None = None):
    """The folium map of a data blob; with ``data_url`` the page fetches the blob from there."""
    return _map_from_data(data, title=title, tiles=tiles, assets=assets, embed=embed,
                          data_json=data_json, data_url=data_url)


def _map_from_data(data: dict[str, Any], *, title: str | None, tiles: str | None, assets: str,
                   embed: bool, data_json: str | None = None, data_url: str | None = None,
                   parts: tuple[str, str] | None = None):
    import folium

    # ``data_json`` may be passed in: map.html and embed.html share one encoding of the data
    if data_json is None:
        data_json = json_for_html(data)
        parts = encode(data, data_json) if data_url is None else None
    # element ids come from the content, so a rerun writes the same bytes
    digest = hashlib.sha1(data_json.encode("utf-8") + repr((tiles, assets, embed)).encode()
                          ).hexdigest()[:16]
    b = data.get("bounds") or [-20.0, -10.0, 40.0, 60.0]
    center = [round((b[1] + b[3]) / 2, 4), round((b[0] + b[2]) / 2, 4)]
    m = folium.Map(location=center, zoom_start=5, tiles=None, prefer_canvas=True,
                   control_scale=True, width="100%", height="100%",
                   fade_animation=False)  # a popup is fully drawn at once (readable, testable)
    m._id = f"m{digest}"
    m.default_js = []   # no jQuery, Bootstrap or awesome-markers: the page does not use them
    m.default_css = []
    root: Any = m.get_root()
    root._id = f"f{digest}"
    root.title = html.escape(title or "Incident map", quote=True)
    layer = tile_layer(tiles)
    if layer is not None:
        layer._id = f"t{digest}"
        m.add_child(layer)
    m.add_child(_element_class()(data_json, _head_html(assets, vector_tiles=data_url is not None),
                                 digest, {"embed": bool(embed)}, data_url, parts))
    return m


def map_html(m: Any) -> str:
    """The full HTML page of a map from ``render_map``, with stable ids."""
    page = m.get_root().render()
    # folium gives a few internal containers uuid ids; none reaches the output except by name.
    page = page.replace("<html>", '<html lang="en">', 1)
    # folium's viewport forbids zooming the page, which fails readers who need to enlarge text
    page = re.sub(r",\s*maximum-scale=1\.0,\s*user-scalable=no", "", page, count=1)
    return move_records_last(page)


def iframe_snippet(src: str = "embed.html", title: str | None = None) -> str:
    """The ``<iframe>`` a newsroom pastes into an article."""
    label = html.escape(title or "Incident map", quote=True)
    return (f'<iframe src="{html.escape(src, quote=True)}" title="{label}" width="100%" '
            'height="520" style="border:0;max-width:100%" loading="lazy" '
            'allowfullscreen></iframe>')


def write_map(incidents: Iterable[Incident], out_dir: str | Path, *, gazetteer: Any = None,
              title: str | None = None, tiles: str | None = "OpenStreetMap",
              inline: bool = False, inputs: Iterable[str | Path] = (),
              label_language: str = "both") -> dict[str, Path]:
    """Write ``map.html``, ``embed.html`` and ``incidents.geojson`` into ``out_dir`` as one set.

    Without ``inline`` the pages load Leaflet from ``out_dir/lib/`` (written here; publish the
    folder as a whole); with ``inline`` each page is one self-contained file. The folder is
    replaced as a whole (:func:`mapper.outputset.output_folder`): a reader sees the old set or
    the new one; files in it that mapper did not write are kept, and ``inputs`` never replaced.
    Returns ``{"map": path, "embed": path, "geojson": path}`` plus ``"lib/<name>"`` entries.
    """
    from mapper.outputset import output_folder

    incs = list(incidents)
    out = Path(out_dir)
    data = build_map_data(incs, gazetteer=gazetteer, title=title, label_language=label_language)
    assets = "inline" if inline else "local"
    data_json = json_for_html(data)
    parts = encode(data, data_json)
    full = map_html(_map_from_data(data, title=title, tiles=tiles, assets=assets, embed=False,
                                   data_json=data_json, parts=parts))
    embed = map_html(_map_from_data(data, title=title, tiles=tiles, assets=assets, embed=True,
                                    data_json=data_json, parts=parts))
    geojson = _geojson_text(incs, gazetteer)
    paths = {"map": out / "map.html", "embed": out / "embed.html",
             "geojson": out / "incidents.geojson"}
    with output_folder(out, inputs=inputs) as files:
        if not inline:  # Leaflet beside the pages: offline-capable, no third-party request
            for name, text in _lib_files().items():
                files.write_text(f"{LIB_DIR}/{name}", text)
                paths[f"lib/{name}"] = out / LIB_DIR / name
        files.write_text("map.html", full)
        files.write_text("embed.html", embed)
        files.write_text("incidents.geojson", geojson)
    return paths


def _geojson_text(incidents: list[Incident], gazetteer: Any) -> str:
    """The incidents as GeoJSON, through the GIS exporter (areas as polygons, flat columns and
    the nested record), so the map's download and ``mapper export`` agree.
    """
    from mapper.incidents.export import geojson_text, to_feature_collection

    return geojson_text(to_feature_collection(incidents, gazetteer))
