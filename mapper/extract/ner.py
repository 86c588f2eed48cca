"""The optional statistical recogniser (``mapper extract --ner MODEL``).

A named-entity model the user has installed reads the article beside the rule-based recogniser
(``toponyms``); its spans change the rules' mentions before resolution, which stays the
gazetteer resolver's (``resolve``):

- ``add`` (the default): a place span (spaCy ``GPE``/``LOC``, natasha ``LOC``) no accepted
  mention covers becomes a mention of its own (``source: "ner"`` in the JSONL record), a
  look-alike the context rules turned down there is replaced by it, and a rule mention at that
  very span loses the doubts of a common or headline word ("Florence");
- ``veto``: a mention lying inside a person or organisation span (``PERSON``/``PER``, ``ORG``)
  with no place span over it is turned down (``not-a-place``, ``source: "ner"``).

``MODEL`` is ``natasha`` (Russian; models inside the PyPI packages natasha, slovnet, navec) or
the name or path of an installed spaCy pipeline (``en_core_web_sm``). Each is loaded once per
process (a ``--jobs`` or Dask worker loads it on its first article) and reads only the
articles of its languages: a spaCy pipeline its ``lang`` (``xx``: all), natasha ``ru`` (on
Ukrainian it reads place names as persons: measured, see the README).
spaCy and natasha are imported here only, when a model is asked for: the default path never
imports them.
"""
from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from mapper.errors import UsageError
from mapper.extract.nameindex import Token
from mapper.extract.toponyms import Mention

USES = ("add", "veto", "both")
# measured (README, "Optional statistical recogniser"): adding helps a little, vetoing costs
# recall (place names inside organisation names, villages read as persons)
DEFAULT_USE = "add"
PLACE_LABELS = frozenset({"GPE", "LOC"})
VETO_LABELS = frozenset({"PERSON", "PER", "ORG"})
NATASHA = "natasha"
NATASHA_LANGUAGES = frozenset({"ru"})
_INSTALL = "pip install 'mapper[ner]'"
# an article's own leading words a place span may hold ("the West Bank", "в Курской области")
_LEADING = frozenset({"the", "a", "an"})
_UNREAD: set[tuple[tuple[str, ...], str]] = set()  # (models, language) already warned about


@dataclass(frozen=True)
class Span:
    """One entity the model found: character offsets and its label."""

    start: int
    end: int
    label: str


class Recogniser(Protocol):
    """What a statistical recogniser offers extraction."""

    name: str
    languages: frozenset[str] | None  # article languages it reads (None: every one)

    def spans(self, text: str) -> list[Span]:
        """The entities of ``text``, in order."""
        ...


@dataclass(frozen=True)
class NerConfig:
    """Which models to use and how (picklable: handed to ``--jobs`` and Dask workers)."""

    models: tuple[str, ...]
    use: str = DEFAULT_USE

    def __post_init__(self) -> None:
        if self.use not in USES:
            raise UsageError(f"--ner-use {self.use!r}: choose one of {', '.join(USES)}")

    @classmethod
    def of(cls, ner: NerConfig | str | Sequence[str] | None, use: str | None = None
           ) -> NerConfig | None:
        """A config from what an API caller gives: a model name, names, or a config."""
        if ner is None or isinstance(ner, NerConfig):
            return ner
        models = (ner,) if isinstance(ner, str) else tuple(ner)
        return cls(models, use or DEFAULT_USE) if models else None

    def recogniser_for(self, language: str) -> Recogniser | None:
        """The first model reading ``language`` (loaded on first use), or None."""
        for model in self.models:
            rec = load_recogniser(model)
            if rec.languages is None or language in rec.languages:
                return rec
        if (self.models, language) not in _UNREAD:  # said once, not for every article
            _UNREAD.add((self.models, language))
            logging.getLogger("mapper").warning(
                "--ner %s: no model given reads '%s' articles; they are read by the rules only",
                " --ner ".join(self.models), language)
        return None

    def load_all(self) -> None:
        """Load every model now (a missing one is a usage error before any article is read)."""
        for model in self.models:
            load_recogniser(model)


class SpacyRecogniser:
    """A spaCy pipeline's ``ner`` component (the other components are not loaded)."""

    def __init__(self, model: str) -> None:
        try:
            import spacy
        except ModuleNotFoundError as exc:
            if exc.name != "spacy":
                raise  # a broken install of something else is not the missing extra
            raise UsageError(f"--ner {model}: spaCy is not installed; {_INSTALL} and a "
                             "pipeline (python -m spacy download en_core_web_sm)") from None
        try:
            self.nlp = _load_ner_only(spacy, model)
        except OSError:
            raise UsageError(f"--ner {model}: no spaCy pipeline of that name or path is "
                             f"installed; install one (python -m spacy download {model}, or "
                             "pip install its wheel) or give its folder") from None
        if not any("doc.ents" in self.nlp.get_pipe_meta(n).assigns for n in self.nlp.pipe_names):
            raise UsageError(f"--ner {model}: this spaCy pipeline finds no entities (no 'ner' "
                             "or 'entity_ruler' component); give one that does (en_core_web_sm)")
        self.name = model
        lang = str(self.nlp.lang)
        self.languages = None if lang == "xx" else frozenset({lang})

    def spans(self, text: str) -> list[Span]:
        """The pipeline's entities of ``text``."""
        return [Span(e.start_char, e.end_char, e.label_) for e in self.nlp(text).ents]


def _load_ner_only(spacy: Any, model: str) -> Any:
    """``model`` with only what its ``ner`` needs: the tagger, parser and lemmatizer cost
    most of the time and change no entity.
    """
    nlp = spacy.load(model, exclude=["tagger", "parser", "senter", "attribute_ruler",
                                     "lemmatizer"])
    if "tok2vec" in nlp.pipe_names and \
            "ner" not in getattr(nlp.get_pipe("tok2vec"), "listening_components", ["ner"]):
        nlp.remove_pipe("tok2vec")  # en_core_web_sm's ner has a tok2vec of its own
    return nlp


class NatashaRecogniser:
    """natasha's news NER (slovnet model, navec embeddings, razdel segmenter): Russian."""

    name = NATASHA
    languages: frozenset[str] | None = NATASHA_LANGUAGES

    def __init__(self) -> None:
        try:
            from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
        except ModuleNotFoundError as exc:
            if exc.name not in ("natasha", "slovnet", "navec", "razdel"):
                raise
            raise UsageError(f"--ner natasha: the natasha package is not installed; "
                             f"{_INSTALL} (or pip install natasha)") from None
        self._doc = Doc
        self._segmenter = Segmenter()
        self._tagger = NewsNERTagger(NewsEmbedding())

    def spans(self, text: str) -> list[Span]:
        """The entities natasha finds in ``text`` (PER, LOC, ORG)."""
        doc = self._doc(text)
        doc.segment(self._segmenter)
        doc.tag_ner(self._tagger)
        return [Span(s.start, s.stop, s.type) for s in doc.spans]


@cache
def load_recogniser(model: str) -> Recogniser:
    """The recogniser ``model`` names, loaded once per process; a missing package or model is
    a :class:`UsageError` naming it and the command that installs it.
    """
    if not model.strip():
        raise UsageError("--ner: give a model name (natasha, or a spaCy pipeline such as "
                         "en_core_web_sm)")
    if model == NATASHA:
        return NatashaRecogniser()
    return SpacyRecogniser(model)


def apply_model(text: str, tokens: list[Token], mentions: list[Mention], spans: list[Span],
                use: str, zone_at: Any = None) -> list[Mention]:
    """The rule mentions changed by the model's ``spans`` (see the module docstring); the
    result is sorted by offset.
    """
    places = [s for s in spans if s.label in PLACE_LABELS]
    if use in ("both", "veto"):
        others = [s for s in spans if s.label in VETO_LABELS]
        for m in mentions:
            if m.rejected or m.hints.get("demonym"):
                continue
            veto = next((s for s in others if s.start <= m.start and m.end <= s.end), None)
            if veto is not None and not any(p.start < m.end and m.start < p.end
                                            for p in places):
                m.rejected = f"{veto.label} to the statistical recogniser"
                m.hints["source"] = "ner"
    if use in ("both", "add"):
        starts = [t.start for t in tokens]
        for s in places:
            span = _token_span(text, tokens, starts, s)
            if span is None:
                continue
            first, last = span
            a, b = tokens[first].start, tokens[last].end
            if zone_at is not None and zone_at(a) == "skip":
                continue
            over = [m for m in mentions if m.start < b and a < m.end]
            if any(not m.rejected for m in over):
                for m in over:  # the rules have it (or a longer name holding it)
                    if (m.start, m.end) == (a, b):
                        _confirm(m)
                continue
            mentions = [m for m in mentions if m not in over]
            m = Mention(a, b, text[a:b], " ".join(t.norm for t in tokens[first:last + 1]),
                        (first, last), zone=zone_at(a) if zone_at is not None else None)
            m.hints["source"] = "ner"
            mentions.append(m)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _confirm(m: Mention) -> None:
    """The model reads the rules' own mention as a place: that outweighs the doubts a common
    word or a headline word raises ("Florence", "Reading"), as a written-out "in X" does.
    """
    for doubt in ("common", "headline"):
        m.hints.pop(doubt, None)
    m.hints["place_evidence"] = True
    m.hints["source"] = "ner"


def _token_span(text: str, tokens: list[Token], starts: list[int], s: Span
                ) -> tuple[int, int] | None:
    """The first and last token inside span ``s`` (leading articles left out), or None."""
    first = bisect.bisect_left(starts, s.start)
    last = bisect.bisect_right(starts, s.end - 1) - 1
    while last >= first and tokens[last].end > s.end:
        last -= 1
    while first <= last and text[tokens[first].start:tokens[first].end].lower() in _LEADING:
        first += 1
    if first > last or not text[tokens[first].start].isupper():
        return None  # a place name starts with a capital ("the east" is no place)
    return first, last
