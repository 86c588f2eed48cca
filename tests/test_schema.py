"""The schema once: `mapper schema` validates the seeds and refuses an incident without a date;
the dataclasses, vocabularies, validator and README field table agree with it."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from mapper.cli.main import cli
from mapper.incidents import model, schema
from mapper.incidents.validate import validate_files

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(printed)
    return jsonschema.Draft202012Validator(printed)


def _seeds(seeds_dir: Path) -> dict:
    # as an editor sees the file: unquoted dates are text (YAML 1.2), not date objects
    data = yaml.safe_load((seeds_dir / "incidents.yaml").read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))


def test_the_schema_validates_the_seeds(validator, seeds_dir):
    errors = list(validator.iter_errors(_seeds(seeds_dir)))
    assert errors == [], [e.message for e in errors]


def test_the_schema_refuses_an_incident_without_a_date(validator, seeds_dir):
    data = _seeds(seeds_dir)
    del data["incidents"][2]["date"]
    errors = list(validator.iter_errors(data))
    assert errors and any("'date' is a required property" in str(e) for e in errors)


def test_a_draft_may_lack_a_date_as_the_validator_allows(validator, tmp_path):
    record = {"id": "d1", "place": "Sudzha", "status": "draft", "confidence": 0.4}
    assert list(validator.iter_errors({"incidents": [record]})) == []
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump({"incidents": [record]}))
    assert not [p for p in validate_files(path, resolve=False) if p.severity == "error"]


@pytest.mark.parametrize("cls, fields", [
    (model.Incident, schema.INCIDENT), (model.Location, schema.PLACE),
    (model.Claim, schema.CLAIM), (model.Source, schema.SOURCE),
    (model.Verification, schema.VERIFICATION)])
def test_the_dataclasses_have_the_schema_fields_in_order(cls, fields):
    assert [f.name for f in dataclasses.fields(cls)] == list(fields)


def test_vocabularies_are_the_models():
    defs = schema.incident_schema()["$defs"]
    assert defs["incident"]["properties"]["date_precision"]["enum"] == list(model.DATE_PRECISIONS)
    assert defs["incident"]["properties"]["status"]["enum"] == list(model.REVIEW_STATUSES)
    assert defs["place"]["properties"]["geo_precision"]["enum"] == list(model.GEO_PRECISIONS)
    assert defs["claim"]["properties"]["stance"]["enum"] == list(model.STANCES)
    assert defs["verification"]["properties"]["status"]["enum"] == \
        list(model.VERIFICATION_STATUSES)
    assert defs["incident"]["properties"]["category"]["anyOf"][0]["enum"] == \
        list(model.CATEGORIES)


def test_the_validator_requires_what_the_schema_requires(tmp_path):
    """Each field the schema requires is an error in `mapper validate` when missing; a field it
    does not require (category) is at most a warning."""
    full = {"id": "x1", "date": "2024-03-12", "place": {"name": "Sudzha"}, "category": "raid",
            "sources": [{"url": "https://example.org/a", "published": "2024-03-12"}],
            "claims": [{"by": "A", "quote": "q"}]}
    required = set(schema.REQUIRED) | {"date"}
    assert set(schema.incident_schema()["$defs"]["incident"]["else"]["required"]) == {"date"}
    for name in [*schema.INCIDENT, "place.name", "claims[0].by"]:
        record = json.loads(json.dumps(full))
        head, _, tail = name.partition(".")
        if head.startswith("claims["):
            del record["claims"][0]["by"]
        elif tail:
            del record[head][tail]
        elif head in record:
            del record[head]
        else:
            continue
        path = tmp_path / "one.yaml"
        path.write_text(yaml.safe_dump({"incidents": [record]}))
        errors = [p for p in validate_files(path, resolve=False) if p.severity == "error"]
        assert bool(errors) == (name in required or tail == "name" or "[0]" in name), name


def test_readme_field_table_is_the_schemas():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert schema.field_table() in readme


def test_the_repository_copy_is_what_mapper_schema_prints_and_the_seeds_point_at_it(seeds_dir):
    assert (ROOT / schema.SCHEMA_FILE).read_text(encoding="utf-8") == schema.schema_text()
    first = (seeds_dir / "incidents.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../" + schema.SCHEMA_FILE


def test_schema_written_to_a_file_refuses_to_overwrite(tmp_path):
    out = tmp_path / "s.json"
    assert CliRunner().invoke(cli, ["schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["$id"] == schema.SCHEMA_ID
    again = CliRunner().invoke(cli, ["schema", "-o", str(out)])
    assert again.exit_code == 2 and "--overwrite" in again.output
