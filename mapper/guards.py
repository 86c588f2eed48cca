"""The guards every reader goes through: hostile or damaged input fails in one line, fast.

- :func:`decode`: UTF-8 or a one-line error that names the encoding the bytes look like
  (charset-normalizer's candidates ranked by how plausible the decoded letters are) and the
  ``iconv`` command that converts them.
- :func:`load_yaml`: YAML 1.2 core scalars (``yes``, ``2024_001``, ``0o17`` and dates stay
  text), ids and other text fields kept exactly as written (``0x1F`` is not 31, ``1.10`` is not
  1.1), aliases bounded (a "billion laughs" file or a recursive alias ``a: &a [*a]`` is an
  error, not gigabytes), nesting bounded, merge keys and repeated keys refused.
- :func:`load_json`: one document only (``cat a.geojson b.geojson`` is an error, not a silent
  drop), no NaN/Infinity, nesting bounded.
- :func:`check_size`: size limits per kind of input, raised by a flag or an environment variable.
- :func:`short`, :func:`kind`: a bad value quoted or named for a message, cut so a 10 MB cell
  never floods the terminal.
- :class:`WarningFolder`: after a few warnings of one kind, the rest are counted, not printed
  ("... and 999,999 more like it").
"""
from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from mapper.errors import DataError, LimitError

# ------------------------------------------------------------------------------------ limits
LIMITS_MB = {"input": 1024, "article": 100}
"""Default size limits in MB: one incident/metadata file, one article (read in sections:
see ``mapper.extract.sections``)."""
LIMIT_ENV = {"input": "MAPPER_MAX_INPUT_MB", "article": "MAPPER_MAX_ARTICLE_MB"}
LIMIT_FLAG = {"input": "--max-input-mb", "article": "--max-article-mb"}
MAX_DEPTH = 64
"""Deepest nesting of lists/mappings any reader accepts (incident records need 4)."""


def limit_mb(kind: str) -> float:
    """The size limit for ``kind`` ("input" or "article") in MB, from the environment or the
    default (the CLI flags set the environment variable).
    """
    raw = os.environ.get(LIMIT_ENV[kind])
    try:
        return float(raw) if raw else float(LIMITS_MB[kind])
    except ValueError:
        return float(LIMITS_MB[kind])


def check_size(path: str | os.PathLike[str], kind: str = "input", size: int | None = None) -> None:
    """Refuse a file over the size limit at once, naming the limit and how to raise it."""
    if size is None:
        try:
            size = os.stat(path).st_size
        except OSError:
            return  # the reader reports a missing file in its own words
    limit = limit_mb(kind)
    if size > limit * 1e6:
        raise LimitError(f"{size / 1e6:,.1f} MB is over the {limit:,.0f} MB limit for one "
                         f"{'article' if kind == 'article' else 'input file'}; raise it with "
                         f"`mapper {LIMIT_FLAG[kind]} N ...` (or {LIMIT_ENV[kind]}=N) if the "
                         "file is what you meant", path=str(path))


# ---------------------------------------------------------------------------------- decoding
# Encodings news files come in, most likely first: ties between equally plausible decodings
# (short samples are ambiguous) go to the earlier one.
_COMMON = ("cp1252", "cp1251", "gb18030", "mac_roman", "koi8_r", "latin_1", "cp1250",
           "iso8859_2", "shift_jis", "big5", "euc_kr", "cp1253", "cp1254", "cp1256", "cp1255",
           "iso8859_15", "mac_cyrillic")


# Accented Latin letters common in Western and Central European text; a decoding that yields
# rare ones instead ("Êóðñê" for the Cyrillic "Курск") is less likely the right one.
_COMMON_LATIN = frozenset("éèàçüöäñáíóúâêîôûëïãõœßåøæłśźżąęćńčřšžěůýőűÉÀÇÜÖÄÑÅØŁŚŻČŘŠŽ")


_WORD = re.compile(r"[^\W\d_]+")
_TYPOGRAPHY = frozenset("“”‘’„«»–—…•·°€£§")
# Python codec -> (what people call it, the name iconv takes)
_NAMES = {
    "cp1252": ("Windows-1252 (Western European)", "WINDOWS-1252"),
    "cp1251": ("Windows-1251 (Cyrillic)", "WINDOWS-1251"),
    "cp1250": ("Windows-1250 (Central European)", "WINDOWS-1250"),
    "cp1253": ("Windows-1253 (Greek)", "WINDOWS-1253"),
    "cp1254": ("Windows-1254 (Turkish)", "WINDOWS-1254"),
    "cp1255": ("Windows-1255 (Hebrew)", "WINDOWS-1255"),
    "cp1256": ("Windows-1256 (Arabic)", "WINDOWS-1256"),
    "latin_1": ("ISO-8859-1 (Latin-1)", "ISO-8859-1"),
    "iso8859_2": ("ISO-8859-2 (Latin-2)", "ISO-8859-2"),
    "iso8859_15": ("ISO-8859-15 (Latin-9)", "ISO-8859-15"),
    "mac_roman": ("Mac Roman", "MACINTOSH"),
    "mac_cyrillic": ("Mac Cyrillic", "MAC-CYRILLIC"),
    "koi8_r": ("KOI8-R (Cyrillic)", "KOI8-R"),
    "gb18030": ("GB18030 (Chinese)", "GB18030"),
    "big5": ("Big5 (Traditional Chinese)", "BIG5"),
    "shift_jis": ("Shift JIS (Japanese)", "SHIFT_JIS"),
    "euc_kr": ("EUC-KR (Korean)", "EUC-KR"),
}


def _plausibility(text: str) -> float:
    """How much the non-ASCII characters of ``text`` look like real letters of one script."""
    score, seen = 0.0, 0
    scripts: dict[str, int] = {}
    prev = " "
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            prev = ch
            continue
        seen += 1
        if ch.isalpha():
            name = unicodedata.name(ch, "?")
            script = name.split(" ", 1)[0]
            score += 0.25 if script == "LATIN" and ch not in _COMMON_LATIN else 1
            scripts[script] = scripts.get(script, 0) + 1
            if prev.isalpha() and prev.islower() and ch.isupper():
                score -= 2  # "CafÈ", "оБСТРЕЛ": the case pattern of a wrong code page
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if (prev.isascii() and prev.isalpha()) or (nxt.isascii() and nxt.isalpha()):
                score += 1 if script == "LATIN" else -1  # inside a Latin word: a Latin letter
        elif ch in _TYPOGRAPHY:
            score += 2  # curly quotes and dashes: what word processors put in Western text
        elif not ch.isspace():
            score -= 1
        prev = ch
    if not seen:
        return 0.0
    # a word with no ASCII letter at all is Cyrillic, Greek, CJK...; Latin words mix in ASCII
    for word in _WORD.findall(text):
        if len(word) > 1 and not any(c.isascii() for c in word):
            latin = sum(unicodedata.name(c, "?").startswith("LATIN") for c in word)
            score += (len(word) - latin) - latin
    consistency = max(scripts.values()) / seen if scripts else 1.0
    return score / seen + consistency


def detect_encoding(data: bytes) -> str | None:
    """The most plausible encoding of ``data`` (not UTF-8), or None when nothing fits."""
    from charset_normalizer import from_bytes

    sample = data[:200_000]
    ranked = [m.encoding for m in from_bytes(sample)]
    best: tuple[float, int, str] | None = None
    for rank, enc in enumerate(dict.fromkeys([*_COMMON, *ranked])):
        try:
            text = sample.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        key = (_plausibility(text), -rank, enc)
        if best is None or key > best:
            best = key
    return best[2] if best else None


def decode(data: bytes, *, path: str, first_line: int = 1) -> str:
    """UTF-8 bytes (a file, or a part starting at ``first_line``) to text, or a one-line
    :class:`DataError` naming the line, the encoding the bytes look like and the fix.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + first_line
        enc = detect_encoding(data)
        if enc is None:
            raise DataError(f"not valid UTF-8 at byte {exc.start} and no known text encoding "
                            "fits; is it a text file? Re-save it as UTF-8", path=path,
                            line=line) from None
        start = data.rfind(b"\n", 0, exc.start) + 1
        end = data.find(b"\n", exc.start)
        shown = data[start:end if end >= 0 else None][:80].decode(enc, "replace").strip()
        label, iconv = _NAMES.get(enc, (enc, enc.upper().replace("_", "-")))
        raise DataError(f"not valid UTF-8 at byte {exc.start}; it looks like {label}, which "
                        f"reads {shown[:60]!r}; if so, re-save it as UTF-8 (`iconv -f {iconv} "
                        "-t UTF-8`)", path=path, line=line) from None


# -------------------------------------------------------------------------------------- YAML
TEXT_KEYS = frozenset({
    "id", "place_id", "name", "summary", "title", "outlet", "author", "by", "statement",
    "quote", "notes", "url", "source_url", "admin1", "country", "reviewed_by", "language",
})
"""Fields that are text whatever they look like: their plain scalars stay as written."""

_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
         "FALSE": False}


def _core_scalar(node: Any) -> Any:
    """A scalar by the YAML 1.2 core schema (plain scalars only; quoted ones are text)."""
    value = node.value
    if node.style:  # quoted or a block: text
        return value
    # PyYAML tagged plain scalars by YAML 1.1 rules; resolve them again by the 1.2 core ones
    if node.tag not in (None, "!", "?") and not node.tag.startswith("tag:yaml.org,2002:"):
        return value  # a custom tag: kept as text, the schema check decides
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if _FLOAT.match(value):
        low = value.lower()
        if "nan" in low:
            return value  # the schema check reports it as not a number
        return float(low.replace(".inf", "inf"))
    return value


class YamlBuilder:
    """Composed YAML nodes -> Python values under limits.

    ``budget`` bounds the number of values built, so aliases cannot expand past it (a
    "billion laughs" file fails fast); a recursive alias and nesting deeper than
    :data:`MAX_DEPTH` are errors; a key given twice and merge keys (``<<``) are refused.
    Plain scalars follow the YAML 1.2 core schema; under a key of ``text_keys`` they stay text
    exactly as written.
    """

    def __init__(self, path: str, budget: int, *, first_line: int = 1,
                 text_keys: frozenset[str] = TEXT_KEYS, max_depth: int = MAX_DEPTH) -> None:
        self.path, self.budget, self.first_line = path, budget, first_line
        self.text_keys, self.max_depth = text_keys, max_depth
        self._open: set[int] = set()

    def _line(self, node: Any) -> int:
        return int(node.start_mark.line) + self.first_line

    def build(self, node: Any, depth: int = 0, key: Any = None) -> Any:
        """The Python value of ``node`` (see the class)."""
        import yaml

        self.budget -= 1
        if self.budget < 0:
            raise LimitError("YAML aliases expand to far more data than the file holds; write "
                             "the values out instead of using &anchors and *aliases",
                             path=self.path, line=self._line(node))
        if isinstance(node, yaml.ScalarNode):
            if key in self.text_keys and not node.style and node.value not in _NULL:
                return node.value
            return _core_scalar(node)
        if depth >= self.max_depth:
            raise LimitError(f"nested deeper than {self.max_depth} levels; flatten the data",
                             path=self.path, line=self._line(node))
        if id(node) in self._open:
            raise DataError("a YAML alias refers to the list or mapping that contains it "
                            "(a recursive alias); write the values out", path=self.path,
                            line=self._line(node))
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(n, depth + 1, key) for n in node.value]
            out: dict[Any, Any] = {}
            for knode, vnode in node.value:
                k = self.build(knode, depth + 1)
                if isinstance(k, (list, dict)):
                    raise DataError("a key must be plain text", path=self.path,
                                    line=self._line(knode))
                if k == "<<":
                    raise DataError("YAML merge keys (<<) are not supported; write the fields "
                                    "out", path=self.path, line=self._line(knode))
                if k in out:
                    raise DataError(f"`{k}` is given twice in the same mapping; keep one",
                                    path=self.path, line=self._line(knode), field=str(k))
                out[k] = self.build(vnode, depth + 1, k)
            return out
        finally:
            self._open.discard(id(node))


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose_yaml(text: str, *, path: str, first_line: int = 1) -> Any:
    """The YAML node tree of ``text`` (one document), syntax errors as one-line DataErrors."""
    import yaml

    try:
        return yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        raise DataError(f"YAML syntax: {exc.problem or exc.context}; check indentation, colons "
                        "and quotes", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise DataError(f"YAML syntax: {str(exc).splitlines()[0]}", path=path) from None
    except RecursionError:
        raise LimitError(f"nested too deeply; flatten the data (at most {MAX_DEPTH} levels)",
                         path=path) from None


def load_yaml(text: str, *, path: str, first_line: int = 1,
              text_keys: frozenset[str] = TEXT_KEYS) -> Any:
    """Parse one YAML document under the guards of :class:`YamlBuilder` (budget: 20 values
    per byte of text plus 10,000).
    """
    check_surrogates(text, path=path, first_line=first_line)
    root = compose_yaml(text, path=path, first_line=first_line)
    if root is None:
        return None
    return YamlBuilder(path, 20 * len(text) + 10_000, first_line=first_line,
                       text_keys=text_keys).build(root)


# -------------------------------------------------------------------------------------- JSON
def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON; write a number or null")


_LONE_SURROGATE_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})(?<!\\)(?:\\\\)*\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_surrogates(text: str, *, path: str, first_line: int = 1) -> None:
    r"""Refuse a lone UTF-16 surrogate (written as ``\ud800`` or decoded): no UTF-8 writer can
    store it, so it would fail at the end of an export instead of here.
    """
    found = _LONE_SURROGATE_ESCAPE.search(text) or _SURROGATE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + first_line
        got = found.group()
        shown = got[-6:] if len(got) > 1 else f"\\u{ord(got):04x}"
        raise DataError(f"a lone surrogate {shown} (half of a "
                        "UTF-16 pair, not a character); remove it or write the whole character",
                        path=path, line=line)


def load_json(text: str, *, path: str, first_line: int = 1) -> Any:
    """Parse exactly one JSON document: trailing data (two files joined), NaN/Infinity and
    nesting past the interpreter's limit are one-line DataErrors.
    """
    check_surrogates(text, path=path, first_line=first_line)
    decoder = json.JSONDecoder(parse_constant=_reject_constant)
    start = len(text) - len(text.lstrip())
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise DataError(f"JSON syntax: {exc.msg} (column {exc.colno})", path=path,
                        line=exc.lineno + first_line - 1) from None
    except RecursionError:
        raise LimitError("JSON nested too deeply; flatten the data", path=path,
                         line=first_line) from None
    except ValueError as exc:  # NaN/Infinity: the decoder does not say where
        raise DataError(f"JSON: {str(exc)[:200]}", path=path) from None
    rest = text[end:]
    if rest.strip():
        line = text.count("\n", 0, end + len(rest) - len(rest.lstrip())) + first_line
        raise DataError("more data after the end of the JSON document (two files joined, as "
                        "by `cat a.geojson b.geojson`?); give the files separately or merge "
                        "them with `mapper export a b -o merged.geojson`", path=path, line=line)
    return value


# --------------------------------------------------------------------------------- warnings
_VARIABLE = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\b\d[\d.,:-]*\b|\[\d+\]")


def warning_kind(problem: Any) -> tuple[str, ...]:
    """What makes two warnings "alike": severity, field and message with the quoted values
    and numbers taken out (``place 'A' not found`` and ``place 'B' not found`` are alike).
    """
    field = getattr(problem, "field", None)
    message = getattr(problem, "message", None)
    if message is None:
        message = re.sub(r"^[^:]*:\d+: ", "", str(problem))
    return _kind(str(getattr(problem, "severity", "")), str(field or ""), str(message))


@functools.lru_cache(maxsize=4096)
def _kind(severity: str, field: str, message: str) -> tuple[str, str, str]:
    # cached: a big file repeats the same few warnings row after row (two regex passes each)
    return severity, _VARIABLE.sub("_", field), _VARIABLE.sub("_", message)


class WarningFolder:
    """Pass the first ``keep`` warnings of each kind to ``sink``; count the rest.

    Call it with each warning, then :meth:`finish` to emit one
    ``... and 999,999 more like it: <first of them>`` line per folded kind.
    """

    def __init__(self, sink: Callable[[str], None], keep: int = 10, *,
                 hold: bool = False) -> None:
        self.sink, self.keep = sink, keep
        self.counts: dict[tuple[str, ...], int] = {}
        self.first: dict[tuple[str, ...], str] = {}
        # hold: lines wait for finish() (a stream that fails half-way prints only its error)
        self.held: list[str] | None = [] if hold else None

    def __call__(self, problem: Any) -> None:
        """Emit or count one warning."""
        kind = warning_kind(problem)
        n = self.counts.get(kind, 0) + 1
        self.counts[kind] = n
        if n <= self.keep:
            line = printable(str(problem))
            if self.held is not None:
                self.held.append(line)
            else:
                self.sink(line)
        elif n == self.keep + 1:
            self.first[kind] = printable(str(problem))

    def finish(self) -> None:
        """The held lines, then one line per kind that had more than ``keep`` warnings."""
        for line in self.held or ():
            self.sink(line)
        self.held = None
        for kind, n in self.counts.items():
            if n > self.keep:
                self.sink(f"... and {n - self.keep:,} more like it (the next: "
                          f"{self.first[kind]})")


# ------------------------------------------------------------------------ spreadsheet cells
_FORMULA = re.compile(r"^'*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]")
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")


def neutralise_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not evaluate (OWASP CSV injection rule).

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
    full-width forms) gets a leading ``'``; so does text already starting with ``'`` before one
    of them, which keeps the rule reversible (:func:`restore_cell`). Numbers such as ``-33.5``
    stay as they are.
    """
    if isinstance(value, str) and _FORMULA.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def restore_cell(value: Any) -> Any:
    """Undo :func:`neutralise_cell` (reading a CSV mapper wrote)."""
    if isinstance(value, str) and value.startswith("'") and _FORMULA.match(value):
        return value[1:]
    return value


# ------------------------------------------------------------------------- terminal output
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""``text`` safe for a terminal: control characters (escape sequences, bidi overrides,
    carriage returns that overwrite a line) shown as ``\\x1b``-style escapes; newlines and tabs
    kept.
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


MAX_LINE_REPORT = 60
"""Characters of a bad value quoted in a message."""


def short(value: Any) -> str:
    """A value quoted for a message, cut so a 10 MB cell never floods the terminal.

    >>> short("2024-02-30")
    "'2024-02-30'"
    >>> short(3)
    '3'
    """
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = text.replace("\n", " ")
    if len(text) > MAX_LINE_REPORT:
        text = text[:MAX_LINE_REPORT] + f"... ({len(text):,} characters)"
    return repr(text) if isinstance(value, str) else text


def is_number(value: Any) -> bool:
    """Whether ``value`` is an int or float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def kind(value: Any) -> str:
    """``value`` named for a message: "a mapping", "the text '...'", "the number 3", ...

    >>> kind({}), kind("x"), kind(3), kind(None)
    ('a mapping', "the text 'x'", 'the number 3', 'nothing')
    """
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {short(value)}"
    if value is None:
        return "nothing"
    return f"the number {short(value)}" if is_number(value) else type(value).__name__
