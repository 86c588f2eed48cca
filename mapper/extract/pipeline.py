"""Article text to draft incidents: places with offsets, roles, dates, claims and sources.

The pipeline, one module per step, every word list and weight from the article's language pack
(``lang``, chosen by the ``language`` metadata; English by default):

1. ``text``: the text as read, its metadata, and the zones that are not news (site furniture,
   appeals, author bio, captions);
2. ``nameindex`` and ``toponyms``: gazetteer names found with the name index,
   look-alikes rejected by context (outlet and person names, common words, demonyms);
3. ``resolve``: each name resolved from the article's context;
4. ``events``, ``dates``, ``claims``: sentences, event words, dates, claims, figures,
   verification;
5. ``roles``: ``incident``, ``context`` or ``not-a-place`` per mention;
6. ``drafts``: draft incidents in the model of ``mapper.incidents.model``, each with a
   confidence and its evidence sentence.

Library first: ``extract_article(text, ...)`` for one text, ``extract_files(paths, ...)`` for
files; the CLI in ``mapper/cli/extract.py`` is a thin layer over them.
"""
from __future__ import annotations

import bisect
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.extract.drafts import draft_incidents
from mapper.extract.events import EventWord, find_event_words, split_sentences
from mapper.extract.lang import pack_for
from mapper.extract.lang.detect import article_language
from mapper.extract.nameindex import NameIndex, lowercase_norms, tokenize
from mapper.extract.ner import NerConfig, apply_model
from mapper.extract.resolve import name_type, resolve
from mapper.extract.roles import assign_roles
from mapper.extract.sections import SECTION_CHARS, merge_incidents, section_documents
from mapper.extract.text import Document, document_from_text, load_sidecar, read_document
from mapper.extract.toponyms import Mention, recognise
from mapper.gazetteer.features import feature_class, has_point
from mapper.incidents.model import Incident, Source

ROLES: tuple[str, ...] = ("incident", "context", "not-a-place")


@dataclass
class ExtractionResult:
    """What one article gave: its document, every mention (with role) and the draft incidents."""

    document: Document
    mentions: list[Mention]
    incidents: list[Incident]
    sentences: list[tuple[int, int]] = field(default_factory=list)
    # True when the mentions went to extract_document's ``on_mentions`` instead of the list
    mentions_elsewhere: bool = False

    @property
    def source(self) -> dict[str, Any]:
        """The article's source record (outlet, title, url, author, published)."""
        meta = self.document.meta
        out = {k: meta.get(k) for k in ("outlet", "title", "url", "author")}
        out["published"] = meta["published"].isoformat() if meta.get("published") else None
        return out

    def mention_records(self) -> list[dict[str, Any]]:
        """Mentions as JSON records (offsets into the document text as read)."""
        return list(self.iter_mention_records())

    def iter_mention_records(self) -> Iterator[dict[str, Any]]:
        """``mention_records()`` one at a time (a long document's are never all held at once)."""
        return map(mention_record, self.mentions)

    def to_record(self, *, mentions: bool = True) -> dict[str, Any]:
        """The ``--format jsonl`` record of this document (``mentions=False``: an empty
        mention list, for writers that stream them).
        """
        record: dict[str, Any] = {
            "document": self.document.name,
            "source": self.source,
            "mentions": self.mention_records() if mentions else [],
            "incidents": [_incident_record(i) for i in self.incidents],
        }
        if self.document.fmt == "html":
            record["text"] = self.document.text
        return record


def mention_record(m: Mention) -> dict[str, Any]:
    """One mention as a JSON record (offsets into the document text as read)."""
    p = m.place if m.role != "not-a-place" else None
    point = p if p is not None and has_point(p) else None  # a river has none
    return {
        "start": m.start, "end": m.end, "text": m.text,
        "name": p.name if p else None,
        "kind": ("demonym" if m.hints.get("demonym") else p.kind) if p else None,
        "feature_class": feature_class(p),
        "lat": round(point.lat, 5) if point else None,
        "lon": round(point.lon, 5) if point else None,
        "geonameid": getattr(p, "geonameid", None) if p else None,
        "country_code": p.country_code if p else None,
        "role": m.role, "score": m.score if p else 0.0,
    } | ({"source": "ner"} if m.hints.get("source") == "ner" else {})


def _incident_record(inc: Incident) -> dict[str, Any]:
    src = inc.sources[0] if inc.sources else Source()
    return {
        "date": inc.date.isoformat() if inc.date else None,
        "date_end": inc.date_end.isoformat() if inc.date_end else None,
        "date_precision": inc.date_precision,
        "place": inc.place.name,
        "lat": inc.place.lat, "lon": inc.place.lon,
        "category": inc.category,
        "claimed_by": inc.claimed_by,
        "summary": inc.summary,
        "quote": src.quote,
        "confidence": inc.confidence,
    }


# -- public API --------------------------------------------------------------------------------
def extract_article(text: str, *, source: dict[str, Any] | None = None,
                    published: dt.date | str | None = None, gazetteer: Any = None,
                    name: str = "<text>", fmt: str = "txt",
                    ner: NerConfig | str | None = None) -> ExtractionResult:
    """Extract mentions and draft incidents from one article's text.

    ``source`` holds outlet, title, url, author, published; ``published`` (a date or ISO text)
    wins over it. Without a gazetteer only dates, claims and events are read (no places).
    ``ner``: a statistical recogniser's model name (``"en_core_web_sm"``, ``"natasha"``) or a
    :class:`~mapper.extract.ner.NerConfig`, read beside the rules (``mapper.extract.ner``).
    """
    meta = dict(source or {})
    if published is not None:
        meta["published"] = published
    doc = document_from_text(text, name=name, fmt=fmt, meta=meta)
    return extract_document(doc, gazetteer=gazetteer, ner=ner)


def extract_document(doc: Document, *, gazetteer: Any = None,
                     section_chars: int = SECTION_CHARS,
                     on_mentions: Callable[[list[Mention]], None] | None = None,
                     ner: NerConfig | str | None = None) -> ExtractionResult:
    """Run the pipeline on a Document already read; a text longer than ``section_chars`` in
    sections (see ``mapper.extract.sections``), so time grows with its length only.

    ``on_mentions``: each section's mentions (offsets into the whole text) are handed to it as
    soon as they are found and not kept in the result (``mentions_elsewhere`` says so), so a
    writer holds one section's mentions at a time; a text of one section keeps its mentions.
    ``ner``: as in :func:`extract_article`.
    """
    config = NerConfig.of(ner)
    if len(doc.text) <= section_chars:
        return _extract_whole(doc, gazetteer, config)
    pack = pack_for(article_language(doc.meta.get("language"), doc.text))
    mentions: list[Mention] = []
    incidents: list[Incident] = []
    sentences: list[tuple[int, int]] = []
    for offset, section in section_documents(doc, pack.code, section_chars):
        part = _extract_whole(section, gazetteer, config)
        for m in part.mentions:
            m.start += offset
            m.end += offset
            _slim(m)
        if on_mentions is None:
            mentions.extend(part.mentions)
        else:
            on_mentions(part.mentions)
        incidents.extend(part.incidents)
        sentences.extend((a + offset, b + offset) for a, b in part.sentences)
    return ExtractionResult(doc, mentions, merge_incidents(incidents), sentences,
                            mentions_elsewhere=on_mentions is not None)


def _slim(m: Mention) -> None:
    """What a long document keeps of a mention: its place and why, not every candidate's
    scoring (a few hundred bytes a mention instead of a few kilobytes).
    """
    m.candidates = m.candidates[:3]
    for heavy in ("ranked", "scores"):
        m.hints.pop(heavy, None)


def _extract_whole(doc: Document, gazetteer: Any, ner: NerConfig | None = None
                   ) -> ExtractionResult:
    """The pipeline over the whole text of ``doc`` at once."""
    text = doc.text
    pack = pack_for(article_language(doc.meta.get("language"), text))
    sentences = [s for s in split_sentences(text, pack=pack) if doc.zone_at(s[0]) != "skip"]
    mentions: list[Mention] = []
    if gazetteer is not None:
        if pack.code in ("ru", "uk"):
            _check_case_forms(gazetteer)
        index = NameIndex.for_gazetteer(gazetteer)
        tokens = tokenize(text)
        lower = lowercase_norms(text, tokens)
        mentions = recognise(text, index, tokens=tokens, zone_at=doc.zone_at, lowercase_words=lower,
                             pack=pack)
        model = ner.recogniser_for(pack.code) if ner is not None else None
        if model is not None and ner is not None:
            mentions = apply_model(text, list(tokens), mentions, model.spans(text), ner.use,
                                   doc.zone_at)
        resolve(mentions, gazetteer, text, pack=pack)
        mentions = [m for m in mentions if not m.rejected or _show_rejected(m)]
    starts = [s[0] for s in sentences]
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        m.sentence = i if i >= 0 and m.start < sentences[i][1] else -1
    # event words found once over the whole text, then handed out per sentence
    words: list[list[EventWord]] = [[] for _ in sentences]
    for w in find_event_words(text, pack=pack):
        i = bisect.bisect_right(starts, w.start) - 1
        if i >= 0 and w.end <= sentences[i][1]:
            words[i].append(w)
    assign_roles(doc, mentions, sentences, words, pack)
    incidents = draft_incidents(doc, mentions, sentences, words, pack)
    return ExtractionResult(doc, mentions, incidents, sentences)


_WARNED_NO_FORMS: set[str] = set()


def _check_case_forms(gazetteer: Any) -> None:
    """Say once per database when it was built without Russian/Ukrainian case forms (before
    mapper.gazetteer.inflect): "Белгорода", "Сумщині" would go unfound until it is rebuilt.
    """
    meta = getattr(gazetteer, "meta", None)
    path = str(getattr(gazetteer, "path", ""))
    if isinstance(meta, dict) and "count:case_forms" not in meta and path not in _WARNED_NO_FORMS:
        _WARNED_NO_FORMS.add(path)
        logging.getLogger("mapper").warning(
            "%s has no Russian/Ukrainian case forms (built by an older mapper): places written "
            "in other cases than the nominative will be missed; rebuild it with `mapper "
            "gazetteer build --path %s`", path, path)


def _show_rejected(m: Mention) -> bool:
    """Rejected look-alikes worth showing: real, well-known places used inside another name
    ("The Kyiv Independent", "Moscow-born"), not person-name or common-word coincidences.
    """
    if not m.candidates or m.rejected == "no gazetteer entry":
        return False
    if m.hints.get("source") == "ner":
        return True  # turned down by the model: shown, so a reviewer sees what it changed
    if (m.rejected or "").startswith(("part of the name", "inside the name",
                                      "part of the adjective")):
        top = m.candidates[0]
        p = top.place
        if name_type(top) == "stem":
            return False  # "Volunteer" (Corps) is no reference to Tennessee, the Volunteer State
        return p.kind in ("country", "admin1") or (p.population or 0) >= 100_000
    return False


def extract_files(paths: Iterable[str | Path], *, gazetteer: Any = None, meta_file: str | Path |
                  None = None, published: dt.date | str | None = None,
                  overrides: dict[str, Any] | None = None, stdin_text: str | None = None,
                  ner: NerConfig | str | None = None) -> Iterator[ExtractionResult]:
    """Extract every article in ``paths`` (``"-"`` is stdin), in order.

    Metadata per article, later wins: what the file says (front matter, HTML meta tags), the
    sidecar (``meta_file``, else a ``sources.yaml`` beside the article, keyed by file name),
    then ``overrides`` and ``published``. ``ner``: as in :func:`extract_article`.
    """
    sidecars: dict[Path, dict[str, dict[str, Any]]] = {}
    explicit = load_sidecar(meta_file) if meta_file else None
    for path in paths:
        yield extract_path(path, gazetteer=gazetteer, explicit=explicit, sidecars=sidecars,
                           published=published, overrides=overrides, stdin_text=stdin_text,
                           ner=ner)


def extract_path(path: str | Path, *, gazetteer: Any = None,
                 explicit: dict[str, dict[str, Any]] | None = None,
                 sidecars: dict[Path, dict[str, dict[str, Any]]] | None = None,
                 published: dt.date | str | None = None, overrides: dict[str, Any] | None = None,
                 stdin_text: str | None = None,
                 on_mentions: Callable[[list[Mention]], None] | None = None,
                 ner: NerConfig | str | None = None) -> ExtractionResult:
    """One article file with its metadata resolved (see ``extract_files``; ``on_mentions`` and
    ``ner`` as in ``extract_document``).
    """
    meta: dict[str, Any] = {}
    if str(path) != "-":
        p = Path(path)
        table = explicit
        if table is None:
            folder = p.resolve().parent
            if sidecars is None:
                sidecars = {}
            if folder not in sidecars:
                side = folder / "sources.yaml"
                sidecars[folder] = load_sidecar(side) if side.exists() else {}
            table = sidecars[folder]
        meta.update(table.get(p.name) or table.get(str(path)) or {})
    meta.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    if published is not None:
        meta["published"] = published
    doc = read_document(path, meta=meta, stdin_text=stdin_text)
    return extract_document(doc, gazetteer=gazetteer, on_mentions=on_mentions, ner=ner)
