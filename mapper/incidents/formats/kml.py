"""KML for Google Earth: one styled Placemark per incident, with its time and every column.

Each Placemark has the incident id as ``name``, the summary as ``description``, a
``TimeStamp`` (one day) or ``TimeSpan`` (``date`` to ``date_end``) for the time slider, a style
per category (drafts drawn paler), the columns of :mod:`mapper.incidents.columns` as
``ExtendedData``/``SchemaData`` (which GDAL reads as fields), and its point; an area incident
is a ``MultiGeometry`` of its point and the area polygon. Coordinates are WGS 84 lon/lat (KML's
only CRS). Reading takes back what this writer writes (and plain Placemarks with a Point).
"""
from __future__ import annotations

import html
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mapper.errors import DataError
from mapper.incidents.columns import GIS_COLUMNS, flat_properties, header_notes
from mapper.incidents.files import Entry, FileEntries, fixed_locator, read_text
from mapper.incidents.geometry import Geometries
from mapper.incidents.model import CATEGORIES, Incident
from mapper.incidents.unflatten import flat_entry

NS = "http://www.opengis.net/kml/2.2"
SCHEMA_ID = "incident"
COLUMNS = tuple(c for c in GIS_COLUMNS if c not in ("lat", "lon"))  # the Point is the point
# KML colours are aabbggrr; one per documented category, in CATEGORIES order
_PALETTE = ("1f77b4", "ff7f0e", "2ca02c", "d62728", "9467bd", "8c564b", "e377c2", "7f7f7f",
            "bcbd22", "17becf", "393b79", "637939", "8c6d31")
_COLOURS = {cat: _PALETTE[i % len(_PALETTE)] for i, cat in enumerate(CATEGORIES)}


def _kml_colour(rgb: str, alpha: str) -> str:
    return alpha + rgb[4:6] + rgb[2:4] + rgb[0:2]


def _style_id(category: str, draft: bool) -> str:
    base = category if category in _COLOURS else "other"
    return f"{base}-draft" if draft else base


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _coords(ring: Any) -> str:
    return " ".join(f"{x:.6f},{y:.6f}".replace(".000000", ".0") for x, y in ring)


def _polygons(area: dict) -> list[list]:
    return [area["coordinates"]] if area["type"] == "Polygon" else list(area["coordinates"])


#: the writer takes a stream of incidents (mapper.incidents.formats.write_file)
STREAMING = True
_BATCH = 256  # placemarks per write


def _head(styles: list[str]) -> ET.Element:
    """The ``kml`` element with its Document's name, styles and schema (no Placemark yet)."""
    ET.register_namespace("", NS)
    root = ET.Element("kml", {"xmlns": NS})
    doc = _sub(root, "Document")
    _sub(doc, "name", "mapper incidents")
    for sid in styles:
        rgb = _COLOURS.get(sid.removesuffix("-draft"), _COLOURS["other"])
        style = _sub(doc, "Style", id=sid)
        icon = _sub(style, "IconStyle")
        _sub(icon, "color", _kml_colour(rgb, "80" if sid.endswith("-draft") else "ff"))
        _sub(icon, "scale", "1.0")
        line = _sub(style, "LineStyle")
        _sub(line, "color", _kml_colour(rgb, "ff"))
        _sub(line, "width", "2")
        poly = _sub(style, "PolyStyle")
        _sub(poly, "color", _kml_colour(rgb, "40"))
    schema = _sub(doc, "Schema", name=SCHEMA_ID, id=SCHEMA_ID)
    for col in COLUMNS:
        # fatalities may pass 2^31 (KML's int is 32-bit): a double holds it exactly
        kind = "int" if col in ("time_precision", "acled_geo_precision") else \
            "double" if col in ("confidence", "fatalities") else "string"
        _sub(schema, "SimpleField", name=col, type=kind)
    return root


def _placemark(inc: Incident, geoms: Geometries) -> ET.Element:
    """One incident's Placemark (see the module docstring)."""
    props = flat_properties(inc, geoms.gazetteer)
    mark = ET.Element("Placemark")
    _sub(mark, "name", inc.id)
    if inc.summary:
        # Google Earth shows descriptions and data values as HTML: escaped, a summary such
        # as "<img onerror=...>" is shown, never run (the reader unescapes)
        _sub(mark, "description", html.escape(inc.summary))
    if inc.date and inc.date_end and inc.date_end != inc.date:
        span = _sub(mark, "TimeSpan")
        _sub(span, "begin", inc.date.isoformat())
        _sub(span, "end", inc.date_end.isoformat())
    elif inc.date:
        _sub(_sub(mark, "TimeStamp"), "when", inc.date.isoformat())
    _sub(mark, "styleUrl", "#" + _style_id(inc.category, inc.is_draft))
    data = _sub(_sub(mark, "ExtendedData"), "SchemaData", schemaUrl="#" + SCHEMA_ID)
    for col in COLUMNS:
        if props[col] is not None:
            _sub(data, "SimpleData", html.escape(str(props[col])), name=col)
    geometry = geoms.geojson(inc)
    if geometry is None:
        return mark
    point = f"{props['lon']},{props['lat']}"
    if geometry["type"] == "Point":
        _sub(_sub(mark, "Point"), "coordinates", point)
        return mark
    multi = _sub(mark, "MultiGeometry")
    _sub(_sub(multi, "Point"), "coordinates", point)
    for rings in _polygons(geometry):
        poly = _sub(multi, "Polygon")
        for n, ring in enumerate(rings):
            boundary = _sub(poly, "outerBoundaryIs" if n == 0 else "innerBoundaryIs")
            _sub(_sub(boundary, "LinearRing"), "coordinates", _coords(ring))
    return mark


def _text(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode", xml_declaration=False)


def write(incidents: Iterable[Incident], path: Path, options: Any = None) -> None:
    """Write the KML document (see the module docstring), streamed: the Placemarks go to a
    temporary file as they come (the styles, which come first, are known only at the end),
    then the head and that body are joined. The bytes are those of the whole tree indented.
    """
    geoms = Geometries(getattr(options, "gazetteer", None),
                       bool(getattr(options, "points", False)))
    styles: set[str] = set()
    count = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", prefix=".mapper-kml-",
                                dir=path.parent) as body:
        batch: list[str] = []
        sep = ""  # between Placemarks: a newline and their depth's indentation
        for inc in incidents:
            styles.add(_style_id(inc.category, inc.is_draft))
            mark = _placemark(inc, geoms)
            ET.indent(mark, space=" ", level=2)  # a Placemark sits at depth 2 (kml, Document)
            batch.append(_text(mark))
            count += 1
            if len(batch) == _BATCH:
                body.write(sep + "\n  ".join(batch))
                sep = "\n  "
                batch.clear()
        if batch:
            body.write(sep + "\n  ".join(batch))
        root = _head(sorted(styles))
        if count:
            _sub(root[0], "Placemark")  # stands for the body: the indentation around it
        ET.indent(root, space=" ")
        text = _text(root)
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            if not count:
                out.write(_DECLARATION + text + "\n")
                return
            head, _, tail = text.partition("<Placemark />")
            out.write(_DECLARATION + head)
            body.seek(0)
            shutil.copyfileobj(body, out, 1 << 20)
            out.write(tail + "\n")


_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


# ---------------------------------------------------------------------------------- reading
def read(path: Path, *, in_folder: bool = False) -> FileEntries | None:
    """Decode the Placemarks of a KML file."""
    p = str(path)
    text = read_text(path, allow_empty=False)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise DataError(f"XML syntax: {exc}", path=p, line=exc.position[0]) from None
    marks = [el for el in root.iter() if _local(el.tag) == "Placemark"]
    if not marks and in_folder:
        return None
    names: dict[str, None] = {}
    for mark in marks:
        for el in mark.iter():
            if _local(el.tag) in ("SimpleData", "Data") and el.get("name"):
                names[el.get("name") or ""] = None
    return FileEntries(p, _entries(p, marks), [], header_notes(names, None))


def _local(tag: Any) -> str:
    return str(tag).rpartition("}")[2]


def _entries(path: str, marks: list[ET.Element]) -> Iterator[Entry]:
    for i, mark in enumerate(marks):
        where = f"placemark {i}"
        cells: dict[str, Any] = {}
        for el in mark.iter():
            tag = _local(el.tag)
            if tag == "SimpleData" and el.get("name"):
                cells[el.get("name") or ""] = html.unescape(el.text or "")
            elif tag == "Data" and el.get("name"):
                value = next((v.text for v in el if _local(v.tag) == "value"), "")
                cells[el.get("name") or ""] = html.unescape(value or "")
        children = {_local(c.tag): c for c in mark}
        if "id" not in cells and "name" in children:
            cells["id"] = children["name"].text or ""
        if "summary" not in cells and "description" in children:
            cells["summary"] = html.unescape(children["description"].text or "")
        yield flat_entry(path, where, cells, fixed_locator(where), geometry=_point(mark))


def _point(mark: ET.Element) -> dict | None:
    for el in mark.iter():
        if _local(el.tag) == "Point":
            text = next((c.text for c in el if _local(c.tag) == "coordinates"), None) or ""
            parts = text.strip().split(",")
            try:
                return {"type": "Point", "coordinates": [float(parts[0]), float(parts[1])]}
            except (ValueError, IndexError):
                return {"type": "Point", "coordinates": parts}
    return None
