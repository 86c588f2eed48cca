"""YAML incident files: the hand-edited form.

A mapping ``incidents:`` whose items are canonical records (``Incident.to_dict()``); an optional
top-level ``sources:`` list holds shared source records that an incident's source refers to by
url (``- url: https://...`` or a plain url string; fields the item leaves out are filled from the
shared record). A bare list of records is accepted too. The JSON Schema of the file is
``mapper schema`` (:mod:`mapper.incidents.schema`).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from mapper.errors import DataError
from mapper.guards import short
from mapper.incidents.files import Entry, FileEntries, Locator, Note, read_text
from mapper.incidents.model import Incident


def read(path: Path, *, in_folder: bool = False) -> FileEntries | None:
    """Decode a YAML incident file (see the module docstring)."""
    return load_yaml(str(path), read_text(path, allow_empty=False), in_folder=in_folder)


#: the writer takes a stream of incidents (mapper.incidents.formats.write_file)
STREAMING = True
_BATCH = 512  # records per dump call: a call has a fixed cost, a batch is held in memory


def write(incidents: Iterable[Incident], path: Path, options: Any = None) -> None:
    """Write the incidents as YAML, streamed (see :func:`write_yaml`)."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        write_yaml(incidents, handle)


def load_yaml(path: str, text: str, *, in_folder: bool) -> FileEntries | None:
    """The entries of YAML ``text`` read from ``path``."""
    import yaml

    from mapper.guards import YamlBuilder, check_surrogates, compose_yaml

    check_surrogates(text, path=path)
    root = compose_yaml(text, path=path)
    if root is None:
        raise DataError("empty file; an incident file needs at least one incident", path=path)
    # YAML 1.2 core scalars (dates stay text for the schema check), ids kept as written,
    # aliases and nesting bounded (mapper.guards)
    builder = YamlBuilder(path, budget=20 * len(text) + 10_000)
    notes: list[Note] = []
    if isinstance(root, yaml.SequenceNode):
        items, shared_node = root, None
    elif isinstance(root, yaml.MappingNode):
        top = {k.value if isinstance(k, yaml.ScalarNode) else None: (k, v) for k, v in root.value}
        if "incidents" not in top:
            if in_folder:
                return None
            raise DataError("no `incidents:` list at the top; write `incidents:` followed by "
                            "`- id: ...` items", path=path, line=root.start_mark.line + 1)
        items = top["incidents"][1]
        shared_node = top.get("sources", (None, None))[1]
        notes = [("warning", k.start_mark.line + 1, str(name), "unknown top-level key ignored "
                  "(only `incidents` and `sources` are read)")
                 for name, (k, _v) in top.items() if name not in ("incidents", "sources")]
    else:
        raise DataError("expected a mapping with `incidents:` (or a list of incidents), found "
                        f"{_kind(root)}", path=path, line=root.start_mark.line + 1)
    if not isinstance(items, yaml.SequenceNode):
        raise DataError(f"`incidents` must be a list (`- id: ...` items), found {_kind(items)}",
                        path=path, line=items.start_mark.line + 1, field="incidents")
    shared_entries: list[Entry] = []
    shared: dict[str, dict] = {}
    if shared_node is not None and not (isinstance(shared_node, yaml.ScalarNode)
                                        and shared_node.tag.endswith(":null")):
        if not isinstance(shared_node, yaml.SequenceNode):
            raise DataError("top-level `sources` must be a list of source records",
                            path=path, line=shared_node.start_mark.line + 1, field="sources")
        for i, node in enumerate(shared_node.value):
            rec = builder.build(node)
            shared_entries.append(Entry(rec, path, node.start_mark.line + 1,
                                        _locator(node), extra={"index": i}))
            if isinstance(rec, dict) and isinstance(rec.get("url"), str):
                shared[rec["url"]] = rec
    entries = [Entry(builder.build(node), path, node.start_mark.line + 1, _locator(node),
                     shared=shared) for node in items.value]
    return FileEntries(path, entries, shared_entries, notes)


def _kind(node: Any) -> str:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = node.value
    return f"the text {short(value)}" if value else "nothing"


def _locator(node: Any) -> Locator:
    """A field path -> line function over one composed record node."""
    import yaml

    def locate(field_path: str) -> int | None:
        current = node
        line = node.start_mark.line + 1
        for part in split_path(field_path):
            if isinstance(part, int) and isinstance(current, yaml.SequenceNode):
                if part >= len(current.value):
                    break
                current = current.value[part]
                line = current.start_mark.line + 1
            elif isinstance(part, str) and isinstance(current, yaml.MappingNode):
                for k, v in current.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == part:
                        line, current = k.start_mark.line + 1, v
                        break
                else:
                    break
            else:
                break
        return line

    return locate


def split_path(field_path: str) -> list[str | int]:
    """``"claims[1].by"`` -> ``["claims", 1, "by"]``."""
    parts: list[str | int] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", field_path):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return parts


def incidents_to_yaml(incidents: Iterable[Incident]) -> str:
    """The YAML text of ``{"incidents": [record, ...]}``; dates unquoted, keys in model order."""
    buf = io.StringIO()
    write_yaml(incidents, buf)
    return buf.getvalue()


def write_yaml(incidents: Iterable[Incident], handle: IO[str]) -> None:
    """Write ``{"incidents": [record, ...]}`` to ``handle`` a batch of records at a time: the
    same text as dumping the whole mapping at once (a list item's text does not depend on the
    items around it), without holding every record.
    """
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    batch: list[dict[str, Any]] = []
    started = False
    for inc in incidents:
        batch.append(_yaml_record(inc))
        if len(batch) == _BATCH:
            handle.write(("" if started else "incidents:\n") + _dump(batch, dumper))
            started = True
            batch.clear()
    if batch:
        handle.write(("" if started else "incidents:\n") + _dump(batch, dumper))
    elif not started:
        handle.write("incidents: []\n")


def _yaml_record(inc: Incident) -> dict[str, Any]:
    rec = inc.to_dict()
    for key in ("date", "date_end"):
        if key in rec:
            rec[key] = dt.date.fromisoformat(rec[key])
    for src in rec.get("sources", []):
        if "published" in src:
            src["published"] = dt.date.fromisoformat(src["published"])
    return rec


def _dump(records: list[dict[str, Any]], dumper: Any) -> str:
    import yaml

    text: str = yaml.dump(records, Dumper=dumper, sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=100)
    return text
