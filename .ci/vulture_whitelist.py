"""Names vulture reports as unused in ``mapper/`` that are used, each with the reason.

``tests/test_quality.py`` runs ``vulture mapper .ci/vulture_whitelist.py``: anything else it
reports is dead code to delete (or, if it is used in a way vulture cannot see, to add here with
the reason). The ``_`` object stands for "any object" in vulture's whitelist syntax.
"""
# ruff: noqa
_: object

# Reached by name, not by a call vulture can follow
__getattr__  # mapper/__init__.py: PEP 562 lazy public API
__dir__  # mapper/__init__.py: PEP 562
build_cmd  # mapper/cli/gazetteer.py: click command callbacks
info_cmd
import_cmd
_.list_commands  # mapper/cli/main.py: click.Group overrides
_.get_command
_.setup  # mapper/extract/distributed.py: Dask WorkerPlugin hook, `worker` is its signature
worker
mtime  # mapper/gazetteer/areas.py: part of the lru_cache key (a changed file is read again)
_.log_message  # mapper/render/serve.py: http.server override, `daemon_threads` a class switch
daemon_threads
_._name  # mapper/render/page.py: folium/branca element attributes read by their templates
_._id
_.default_js
_.default_css

# Public library API (documented in README or docs/architecture.md, tested)
extract_article  # mapper.extract_article (mapper/__init__.py exports, by string)
OfflineGeocoder  # mapper.OfflineGeocoder (likewise)
extract_files  # mapper/extract/pipeline.py: many articles with their metadata resolved
incident_from_record  # mapper/incidents/checks.py: the one record -> Incident builder
write_dataset  # mapper/incidents/formats/geoparquet.py: partitioned GeoParquet (README)
geocode_one  # mapper/gazetteer/geocode.py: the best candidate or None
country_geometries  # mapper/gazetteer/areas.py: the input mapper.gazetteer.zones takes
distance_to_border_km  # mapper/gazetteer/zones.py: geodesic distance to a border line
_.demonym  # the Gazetteer protocol's demonym lookup and the store's implementation
recover  # mapper/outputset.py: finish or roll back what a killed writer left

# Kept in step with the README and schema/ by tests
formats_table  # the README's format table
field_table  # the README's field table
SCHEMA_FILE  # schema/incidents.schema.json, the copy seeds/incidents.yaml references
write_fixture  # tests/make_gazetteer_fixture.py writes the committed fixture gazetteer with it
