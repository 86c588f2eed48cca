"""mapper: turn news reporting into maps.

The public API is imported lazily (PEP 562) so that ``import mapper`` and the CLI start fast;
heavy modules (shapely, geopandas, folium) load only when a function that needs them is called.

>>> import mapper
>>> mapper.__version__
'0.1.0'
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> "module:attribute"
_EXPORTS: dict[str, str] = {
    "MapperError": "mapper.errors:MapperError",
    "DataError": "mapper.errors:DataError",
    "GazetteerError": "mapper.errors:GazetteerError",
    "normalize": "mapper.gazetteer.normalize:normalize",
    "Gazetteer": "mapper.gazetteer.store:Gazetteer",
    "open_gazetteer": "mapper.gazetteer.access:open_gazetteer",
    "Place": "mapper.gazetteer.store:Place",
    "Candidate": "mapper.gazetteer.store:Candidate",
    "geocode": "mapper.gazetteer.geocode:geocode",
    "reverse": "mapper.gazetteer.geocode:reverse",
    "OfflineGeocoder": "mapper.gazetteer.geopy_adapter:OfflineGeocoder",
    "Incident": "mapper.incidents.model:Incident",
    "read_incidents": "mapper.incidents.io:read_incidents",
    "write_incidents": "mapper.incidents.io:write_incidents",
    "validate_files": "mapper.incidents.validate:validate_files",
    "export": "mapper.incidents.export:export",
    "to_geodataframe": "mapper.incidents.export:to_geodataframe",
    "incident_schema": "mapper.incidents.schema:incident_schema",
    "render_map": "mapper.render.page:render_map",
    "write_map": "mapper.render.page:write_map",
    "extract_article": "mapper.extract.pipeline:extract_article",
    "load_incidents": "mapper.pipeline:load_incidents",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    try:
        target = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'mapper' has no attribute {name!r}") from None
    module_name, attr = target.split(":")
    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
