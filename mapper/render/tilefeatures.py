"""tippecanoe's input for the vector-tile map: each incident's record encoded once.

A tiled map's incident goes into tippecanoe twice (:func:`feature_lines`): from the detail zoom
on with its whole map record as one string attribute (``r``, the record's JSON), below it as a
one-count point. Most of that record (claims, sources, place, dates) is known when the incident
is first read; only a few fields are indices into tables made after the last incident
(:data:`DYNAMIC`). So :func:`spooled_form` encodes the rest as soon as the incident arrives, as
JSON text already escaped for the ``r`` string, cut where the late fields sort in; writing a
feature then only joins bytes (:func:`record_json`). The result is byte for byte the record
``json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` gives.

orjson encodes (about three times faster than the standard library here). The two differ only
in how they write some floats (``1e-05`` as ``0.00001``, ``1e+16`` as ``1e16``; NaN as null):
a record holding such a number is encoded by the standard library instead (:func:`_plain`).
"""
from __future__ import annotations

import bisect
import json
import math
from collections.abc import Callable
from typing import Any

from mapper.render.regions import DISTRICT_KEY, REGION_KEY
from mapper.urls import safe_url

#: the record's fields set after every incident was seen (indices into the data file's tables,
#: regions): written at the end, between the encoded parts
DYNAMIC = ("a1", "a2", "area", "cat", "cl", "out")
#: what the tiles' writer needs of a record besides its encoded parts
_SMALL = ("id", "d0", "cat", "cl", "out", "area", "lat", "lon", "approx", REGION_KEY, DISTRICT_KEY)
_STDLIB = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_KEYS = [b'\\"' + name.encode() + b'\\":' for name in DYNAMIC]


def _orjson() -> Any:
    try:
        import orjson
    except ModuleNotFoundError:  # the tiles extra brings it
        from mapper.errors import UsageError

        raise UsageError("vector tiles need orjson: pip install 'mapper[tiles]'") from None
    return orjson


def _plain_number(value: Any) -> bool:
    """Whether orjson writes ``value`` as the standard library does (no exponent, finite)."""
    if type(value) is not float:
        return True
    return value == 0.0 or (1e-4 <= abs(value) < 1e16)  # NaN and infinities fail both tests


def _plain(record: dict[str, Any]) -> bool:
    """Whether every float of a map record is :func:`_plain_number` (the record's floats:
    ``lat``, ``lon``, ``confidence`` and claim figures; anything else is text or an int).
    """
    for key in ("lat", "lon", "confidence"):
        if not _plain_number(record.get(key)):
            return False
    for claim in record.get("claims") or ():
        for value in (claim.get("figures") or {}).values():
            if not _plain_number(value):
                return False
    return True


def _links_kept(record: dict[str, Any]) -> bool:
    """Whether :func:`mapper.render.data._clean_links` would keep every link of ``record``."""
    for src in record.get("sources") or ():
        for key in ("url", "archive_url"):
            if key in src and safe_url(src[key]) is None:
                return False
    return all(safe_url(c["url"]) is not None for c in record.get("claims") or () if "url" in c)


def _encoder(record: dict[str, Any]) -> Callable[[Any], bytes]:
    """Sorted compact JSON as UTF-8 bytes: orjson when it writes what the standard library
    would, else the standard library.
    """
    orjson = _orjson()
    if _plain(record):
        def fast(value: Any) -> bytes:
            try:
                return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
            except TypeError:  # an int past 64 bits, a lone surrogate: as the library does
                return _STDLIB(value).encode("utf-8")
        return fast
    return lambda value: _STDLIB(value).encode("utf-8")


def encoded_parts(record: dict[str, Any]) -> tuple[bytes, ...]:
    """The record's fields but :data:`DYNAMIC` (and temporary ``_`` keys) as JSON text escaped
    for a JSON string, in ``len(DYNAMIC) + 1`` parts: part ``g`` holds the fields that sort
    between ``DYNAMIC[g - 1]`` and ``DYNAMIC[g]`` (without braces; empty when none).
    """
    groups: list[dict[str, Any]] = [{} for _ in range(len(DYNAMIC) + 1)]
    for key, value in record.items():
        if key[0] != "_" and key not in DYNAMIC:
            groups[bisect.bisect(DYNAMIC, key)][key] = value
    encode = _encoder(record)
    escape = _orjson().dumps
    parts = []
    for group in groups:
        if not group:
            parts.append(b"")
            continue
        text = encode(group)[1:-1].decode("utf-8")
        parts.append(bytes(escape(text))[1:-1])  # JSON-escaped as orjson and json both do
    return tuple(parts)


def spooled_form(pre: dict[str, Any]) -> tuple[dict[str, Any], tuple[bytes, ...] | None]:
    """What the spool keeps of a :meth:`mapper.render.records.MapRecords.draft`: its small
    fields (:meth:`~mapper.render.records.MapRecords.record` then sets the indices) and its
    other fields encoded (:func:`encoded_parts`); or the whole draft and None when a link is
    dropped (the warning about it then comes in page order, as the record is written).
    """
    if not _links_kept(pre):
        return pre, None
    small = {key: pre[key] for key in _SMALL if key in pre}
    small["_lat"] = small["_lon"] = None  # what MapRecords.record deletes
    return small, encoded_parts(pre)


def _json_value(value: Any) -> bytes:
    if isinstance(value, list):
        return b"[" + b",".join(b"%d" % v for v in value) + b"]"
    return b"%d" % value


def record_json(record: dict[str, Any], parts: tuple[bytes, ...]) -> bytes:
    """The map record's JSON, escaped for a JSON string: ``parts`` with the record's
    :data:`DYNAMIC` fields (ints and lists of ints) in their sorted places.
    """
    out = []
    for g, name in enumerate(DYNAMIC):
        if parts[g]:
            out.append(parts[g])
        if name in record:
            out.append(_KEYS[g] + _json_value(record[name]))
    if parts[-1]:
        out.append(parts[-1])
    return b"{" + b",".join(out) + b"}"


def _coordinate(value: float) -> bytes:
    if not math.isfinite(value):
        raise ValueError(f"coordinate {value!r} is not a number")
    return repr(value).encode()


def feature_lines(record: dict[str, Any], parts: tuple[bytes, ...] | None,
                  position: tuple[float, float], count_key: str, zoom: int) -> bytes:
    """The incident's two GeoJSON feature lines for tippecanoe: from ``zoom`` on with its
    record (attribute ``r``), below it as a one-count point keyed by ``count_key`` (category
    and time step), which tippecanoe clusters and sums. ``parts`` is None for a record given
    whole (its :func:`encoded_parts` are made here).
    """
    if parts is None:
        parts = encoded_parts(record)
    point = (b'{"geometry":{"coordinates":[' + _coordinate(position[0]) + b","
             + _coordinate(position[1]) + b'],"type":"Point"},"properties":{')
    return (point + b'"r":"' + record_json(record, parts) + b'"},"tippecanoe":{"minzoom":'
            + b"%d" % zoom + b'},"type":"Feature"}\n'
            + point + b'"' + count_key.encode() + b'":1,"n":1},"tippecanoe":{"maxzoom":'
            + b"%d" % (zoom - 1) + b'},"type":"Feature"}\n')
