"""The JSON Schema (draft 2020-12) of an incident file, stated once.

``mapper schema`` prints it; editors that read ``# yaml-language-server: $schema=...`` complete
and check fields with it (``seeds/incidents.yaml`` points at ``schema/incidents.schema.json``,
the same text). The model's dataclasses, the vocabularies, the validator's required fields and
the README's field table are checked against it by ``tests/test_schema.py``; the README table
is :func:`field_table`.

The schema states the shape (fields, types, vocabularies, required fields). ``mapper validate``
checks more than a schema can (real calendar dates, dates in the future, coordinates against
the gazetteer, duplicate ids across files) and says how to fix each problem.

>>> schema = incident_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> sorted(schema["$defs"]["incident"]["required"])
['id', 'place']
"""
from __future__ import annotations

import json
from typing import Any

from mapper.incidents.model import (
    CATEGORIES,
    DATE_PRECISIONS,
    FIGURE_KINDS,
    GEO_PRECISIONS,
    REVIEW_STATUSES,
    STANCES,
    VERIFICATION_STATUSES,
)

SCHEMA_ID = "https://mapper.invalid/schema/incidents.schema.json"
"""The schema's ``$id`` (a name, not a download location: the schema ships with mapper)."""

SCHEMA_FILE = "schema/incidents.schema.json"
"""Where the repository keeps the schema text for editors (relative to the checkout)."""

_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
_URL = {"type": "string", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+([/?#]\S*)?$"}
_TEXT = {"type": "string"}
_NAMES = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}


def _doc(fragment: dict[str, Any], description: str) -> dict[str, Any]:
    return {**fragment, "description": description}


PLACE: dict[str, dict[str, Any]] = {
    "name": _doc(_TEXT, "The place as the source writes it; resolved through the gazetteer."),
    "place_id": _doc({"type": "string", "pattern": r"^(gn|adm0|adm1|adm2|zone):\S+$"},
                     "Gazetteer id that pins the resolution: gn:<geonameid>, "
                     "adm1:<ISO 3166-2>, adm0:<ISO alpha-2>, zone:border:RU-UA:RU, ..."),
    "kind": _doc(_TEXT, "Kind of gazetteer entry (settlement, admin1, country, zone, ...)."),
    "lat": _doc({"type": "number", "minimum": -90, "maximum": 90},
                "Latitude, WGS 84 decimal degrees; explicit coordinates win."),
    "lon": _doc({"type": "number", "minimum": -180, "maximum": 180},
                "Longitude, WGS 84 decimal degrees."),
    "geo_precision": _doc({"enum": list(GEO_PRECISIONS)},
                          "How precise the place is (ACLED geo_precision 1-3 is derived)."),
    "country_code": _doc({"type": "string", "pattern": "^[A-Za-z]{2}$"},
                         "ISO 3166 alpha-2 country code."),
    "admin1": _doc(_TEXT, "First-level administrative unit (oblast, province)."),
    "resolution": _doc(_TEXT, "How the place was resolved (or that a point was moved by hand)."),
}

CLAIM: dict[str, dict[str, Any]] = {
    "by": _doc(_TEXT, "Who makes the claim."),
    "statement": _doc(_TEXT, "What they state."),
    "stance": _doc({"enum": list(STANCES)}, "Whether they assert or deny the incident."),
    "figures": _doc({"type": "object", "propertyNames": {"type": "string"},
                     "additionalProperties": {"type": "integer", "minimum": 0},
                     "examples": [dict.fromkeys(FIGURE_KINDS[:2], 0)]},
                    "Counts by kind: " + ", ".join(FIGURE_KINDS) + "."),
    "quote": _doc(_TEXT, "The sentence the claim rests on."),
    "source_url": _doc(_URL, "The report that carries the claim (http or https)."),
}

SOURCE: dict[str, dict[str, Any]] = {
    "outlet": _doc(_TEXT, "The outlet that published the report."),
    "title": _doc(_TEXT, "The report's title."),
    "url": _doc(_URL, "The report's address (http or https)."),
    "author": _doc(_TEXT, "Who wrote it."),
    "published": _doc(_DATE, "Publication date, YYYY-MM-DD."),
    "quote": _doc(_TEXT, "The sentence the incident rests on."),
    "archive_url": _doc(_URL, "An archived copy (http or https)."),
}

VERIFICATION: dict[str, dict[str, Any]] = {
    "status": _doc({"enum": list(VERIFICATION_STATUSES)}, "Whether anyone verified it."),
    "by": _doc(_NAMES, "Who says so."),
    "note": _doc(_TEXT, "What they say."),
}


def _object(fields: dict[str, dict[str, Any]], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": fields, "required": required,
            "additionalProperties": False}


INCIDENT: dict[str, dict[str, Any]] = {
    "id": _doc({"type": "string", "pattern": r"^[^\n]{1,200}$"},
               "Stable id, unique across files (one short line)."),
    "date": _doc(_DATE, "When it happened: YYYY-MM-DD (YYYY-MM or YYYY for a month or year). "
                        "Required, except on drafts."),
    "place": _doc({"anyOf": [{"type": "string"}, {"$ref": "#/$defs/place"}]},
                  "Where: the name as written, or a mapping with name and optional place_id, "
                  "lat/lon and precision. Admin-level and zone places are drawn as their area."),
    "category": _doc({"anyOf": [{"enum": list(CATEGORIES)}, {"type": "string"}]},
                     "What happened: " + ", ".join(CATEGORIES) + " (extensible: other values "
                     "are kept and flagged as warnings)."),
    "summary": _doc(_TEXT, "One or two sentences."),
    "date_end": _doc(_DATE, "Last day of a range."),
    "date_precision": _doc({"enum": list(DATE_PRECISIONS)},
                           "How precise the date is (ACLED time_precision 1-3 is derived)."),
    "actors": _doc(_NAMES, "Parties involved."),
    "claims": _doc({"type": "array", "items": {"$ref": "#/$defs/claim"}},
                   "Who states what, with figures, stance, the quote and its source."),
    "verification": _doc({"anyOf": [{"enum": list(VERIFICATION_STATUSES)},
                                    {"$ref": "#/$defs/verification"}]},
                         "Verification status, by whom, and a note."),
    "sources": _doc({"type": "array", "items": {"anyOf": [_URL, {"$ref": "#/$defs/source"}]}},
                    "The reports it rests on (a url refers to a shared source of the file)."),
    "tags": _doc(_NAMES, "Free labels."),
    "confidence": _doc({"type": "number", "minimum": 0, "maximum": 1},
                       "Drafts from `mapper extract`: how sure the extraction is (0-1)."),
    "evidence": _doc(_TEXT, "Drafts: the sentence the draft was extracted from."),
    "status": _doc({"enum": list(REVIEW_STATUSES)},
                   "draft (machine-extracted, not reviewed) or reviewed; a record without it "
                   "is reviewed, unless it has a confidence (then a draft)."),
    "reviewed_by": _doc(_TEXT, "Who accepted the draft (`mapper review`)."),
    "reviewed_at": _doc({"type": "string", "format": "date-time"},
                        "When the draft was accepted (ISO 8601, UTC)."),
}
"""The incident's fields in model order, each with its JSON Schema and description."""

REQUIRED = ["id", "place"]
"""Fields every record needs; ``date`` too unless the record is a draft."""


def _incident() -> dict[str, Any]:
    schema = _object(INCIDENT, list(REQUIRED))
    draft = {"anyOf": [{"required": ["status"], "properties": {"status": {"const": "draft"}}},
                       {"required": ["confidence"], "not": {"required": ["status"]}}]}
    schema["if"] = draft
    schema["else"] = {"required": ["date"]}
    return schema


def incident_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an incident file: ``{incidents: [...], sources: [...]}``.

    (mapper also reads a bare list of incident records; the schema describes the usual form.)
    """
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "mapper incident file",
        "description": "Dated, placed incidents with attributed claims, verification and "
                       "sources. Written by hand as YAML; `mapper validate` checks what a "
                       "schema cannot.",
        "type": "object",
        "properties": {
            "incidents": {"type": "array", "items": {"$ref": "#/$defs/incident"},
                          "description": "The incidents."},
            "sources": {"type": "array", "items": {"$ref": "#/$defs/source"},
                        "description": "Shared sources an incident refers to by url."},
        },
        "required": ["incidents"],
        "$defs": {
            "incident": _incident(),
            "place": _object(PLACE, ["name"]),
            "claim": _object(CLAIM, ["by"]),
            "source": _object(SOURCE, []),
            "verification": _object(VERIFICATION, []),
        },
    }


def schema_text() -> str:
    """The schema as the JSON text ``mapper schema`` prints (2-space indent, final newline)."""
    return json.dumps(incident_schema(), indent=2, ensure_ascii=False) + "\n"


def field_table() -> str:
    """The README's field table (Markdown), one row per incident field, from the schema."""
    nested = {"place": PLACE, "claims": CLAIM, "verification": VERIFICATION, "sources": SOURCE}
    rows = ["| field | meaning |", "|---|---|"]
    for name, fragment in INCIDENT.items():
        text = fragment["description"] + _values(fragment)
        if name in nested:
            text += " Fields: " + "; ".join(f"`{k}`{_values(v)}" for k, v in nested[name].items())
        rows.append(f"| `{name}` | {text} |")
    return "\n".join(rows) + "\n"


def _values(fragment: dict[str, Any]) -> str:
    """`` (`a`, `b`)`` for a closed vocabulary, else nothing."""
    if "enum" in fragment:
        return " (" + ", ".join(f"`{v}`" for v in fragment["enum"]) + ")"
    return ""
