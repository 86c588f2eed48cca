"""The table of faults and hostile inputs of issue 15: run each case, print its outcome.

Run by hand (``python bench/faults_table.py``); each case runs the ``mapper`` CLI in a fresh
temporary folder and reports the exit status, whether stderr held a traceback or more than one
line, and whether a previous output survived. ``--tmpfs`` adds the full-disk cases (needs root
and ``mount -t tmpfs``).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
INC = """incidents:
  - id: {id}
    date: 2024-03-12
    place: {{name: Kursk}}
    category: raid
    summary: {summary}
    sources: [{{url: "https://example.org/a", outlet: X}}]
"""
BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
    f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
    for i in range(8))


def run(args: list[str], cwd: Path, timeout: float = 120, **kw) -> dict:
    t0 = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, "-m", "mapper", *args], cwd=cwd, capture_output=True,
                           text=True, timeout=timeout, errors="replace", **kw)
    except subprocess.TimeoutExpired:
        return {"rc": "timeout", "err": "", "s": timeout}
    err = p.stderr.strip()
    return {"rc": p.returncode, "err": err, "out": p.stdout, "s": round(time.perf_counter() - t0, 1)}


def verdict(r: dict) -> str:
    err = r["err"]
    tb = "Traceback" in err
    if r["rc"] not in (0, "timeout") and not tb and r.get("out", "").strip() \
            and not err.startswith("Error:"):
        err = r["out"].strip() + "\n" + err  # validate reports on stdout
    lines = [ln for ln in err.splitlines() if ln.strip() and "publication date" not in ln]
    first = (lines[-1] if tb else (lines[0] if lines else ""))[:110]
    return f"exit {r['rc']}{' TRACEBACK' if tb else ''}: {first}"


def w(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


def cases(d: Path) -> list[tuple[str, list[str], callable]]:
    """(name, argv, extra check on the folder) for each case; set-up done here."""
    out = []
    inc = w(d / "inc.yaml", INC.format(id="k1", summary="ok"))
    w(d / "own.yaml", INC.format(id="k1", summary="ok"))
    out.append(("export onto its own input", ["export", "own.yaml", "-o", "own.yaml",
                                              "--format", "geojson", "--no-resolve"],
                lambda: "input intact" if (d / "own.yaml").read_text().startswith("incidents")
                else "INPUT OVERWRITTEN"))
    w(d / "prev.geojson", "PREVIOUS")
    out.append(("export onto an existing file (no --overwrite)",
                ["export", "inc.yaml", "-o", "prev.geojson", "--no-resolve"],
                lambda: "kept" if (d / "prev.geojson").read_text() == "PREVIOUS" else "replaced"))
    w(d / "curated.yaml", "CURATED")
    w(d / "art.txt", "Shelling hit Kursk on 12 March 2024, officials said.\n")
    out.append(("extract -o an existing curated file",
                ["extract", "art.txt", "--published", "2024-03-14", "-o", "curated.yaml"],
                lambda: "kept" if (d / "curated.yaml").read_text() == "CURATED" else "replaced"))
    a = d / "a.geojson"
    subprocess.run([sys.executable, "-m", "mapper", "export", str(inc), "-o", str(a),
                    "--no-resolve"], capture_output=True)
    w(d / "inc2.yaml", INC.format(id="k2", summary="two"))
    subprocess.run([sys.executable, "-m", "mapper", "export", str(d / "inc2.yaml"), "-o",
                    str(d / "b.geojson"), "--no-resolve"], capture_output=True)
    if a.exists():
        w(d / "ab.geojson", a.read_bytes() + (d / "b.geojson").read_bytes())
    out.append(("cat a.geojson b.geojson | validate", ["validate", "ab.geojson"], None))
    w(d / "ids.yaml", INC.format(id="2024_001", summary="x").replace("k1", "x"))
    out.append(("id 2024_001 in YAML (export csv, id column)",
                ["export", "ids.yaml", "-o", "ids.csv", "--no-resolve"],
                lambda: "id " + ((d / "ids.csv").read_text().splitlines()[1].split(",")[0]
                                 if (d / "ids.csv").exists() else "-")))
    w(d / "formula.yaml", INC.format(id="f1", summary="'=HYPERLINK(\"http://x\",\"y\")'"))
    out.append(("CSV export of a summary '=HYPERLINK(...)' (formula)",
                ["export", "formula.yaml", "-o", "formula.csv", "--no-resolve"],
                lambda: ("raw formula" if ',=HYPERLINK' in (d / "formula.csv").read_text()
                         or ',"=HYPERLINK' in (d / "formula.csv").read_text() else "neutralised")
                if (d / "formula.csv").exists() else "-"))
    w(d / "xss.yaml", INC.format(id="x1", summary="'<img src=x onerror=alert(1)>'"))
    out.append(("KML description with <img onerror>",
                ["export", "xss.yaml", "-o", "xss.kml", "--no-resolve"],
                lambda: ("HTML once XML-decoded" if "&lt;img src=x" in (d / "xss.kml").read_text()
                         else "text (HTML-escaped)") if (d / "xss.kml").exists() else "-"))
    w(d / "latin1.yaml", INC.format(id="c1", summary="Café").encode("latin-1"))
    out.append(("Latin-1 incident file", ["validate", "latin1.yaml"], None))
    w(d / "bomb" / "sources.yaml", BOMB + "a.txt:\n  title: *i\n")
    w(d / "bomb" / "a.txt", "Shelling hit Kursk.\n")
    out.append(("alias bomb in sources.yaml", ["extract", "bomb/a.txt"], None))
    w(d / "fm.md", "---\n" + BOMB + "title: *i\n---\nShelling hit Kursk.\n")
    out.append(("alias bomb in front matter", ["extract", "fm.md"], None))
    w(d / "rec.md", "---\ntitle: &a [*a]\n---\nShelling hit Kursk.\n")
    out.append(("recursive alias a: &a [*a] in front matter", ["extract", "rec.md"], None))
    w(d / "baddate.md", "---\npublished: 2023-02-30\n---\nShelling hit Kursk on Tuesday.\n")
    out.append(("impossible date in front matter", ["extract", "baddate.md"], None))
    w(d / "bd" / "sources.yaml", "a.txt:\n  published: 2023-02-30\n")
    w(d / "bd" / "a.txt", "Shelling hit Kursk.\n")
    out.append(("impossible date in sources.yaml", ["extract", "bd/a.txt"], None))
    w(d / "y1.yaml", INC.format(id="y1", summary="x").replace("2024-03-12", "0001-01-01")
      .replace("category: raid", "category: raid\n    date_precision: approximate"))
    out.append(("year-1 approximate date in map", ["map", "y1.yaml", "-o", "y1map", "--tiles",
                                                   "none"], None))
    big = INC.format(id="b1", summary="x").replace(
        "category: raid", "category: raid\n    claims: [{by: A, stance: asserts, statement: s, "
        "figures: {killed: 3000000000}}]")
    w(d / "big.yaml", big)
    for fmt in ("gpkg", "fgb", "kml"):
        out.append((f"fatalities 3e9 to {fmt}", ["export", "big.yaml", "-o", f"big.{fmt}",
                                                 "--no-resolve"], None))
    nested = "[" * 30000 + "]" * 30000
    w(d / "nested.csv", f'id,date,place,category,summary,claims\nn1,2024-03-12,Kursk,raid,x,"{nested}"\n')
    out.append(("deeply nested JSON in a CSV cell", ["validate", "nested.csv"], None))
    w(d / "surr.json", '{"incidents": [{"id": "s\\ud800", "date": "2024-03-12", '
      '"place": {"name": "Kursk"}, "category": "raid", "summary": "x"}]}')
    out.append(("lone surrogate in JSON", ["export", "surr.json", "-o", "surr.csv",
                                           "--no-resolve"], None))
    w(d / "esc.yaml", INC.format(id='"k\\e[31mRED\\e]0;pwned\\a"', summary="x").replace(
        "category: raid", "category: \"r\\e[2J\""))
    out.append(("escape sequences in id/category (terminal)", ["validate", "esc.yaml"],
                None))
    ro = d / "ro"
    ro.mkdir()
    os.chmod(ro, 0o555)
    out.append(("read-only output folder", ["export", "inc.yaml", "-o", "ro/x.geojson",
                                            "--no-resolve"], None))
    w(d / "afile", "x")
    out.append(("-o below a regular file", ["export", "inc.yaml", "-o", "afile/x.geojson",
                                            "--no-resolve"], None))
    (d / "adir").mkdir()
    out.append(("extract -o naming a folder", ["extract", "art.txt", "-o", "adir"], None))
    w(d / "damaged.sqlite", b"SQLite format 3\x00" + b"\x00" * 4000)
    out.append(("damaged gazetteer in extract", ["extract", "art.txt", "--gazetteer",
                                                 "damaged.sqlite"], None))
    shutil.copytree(SEEDS, d / "seedmap")
    out.append(("map d -o d (first run)", ["map", "seedmap", "-o", "seedmap", "--tiles", "none"],
                None))
    out.append(("map d -o d (rerun)", ["map", "seedmap", "-o", "seedmap", "--tiles", "none"],
                None))
    rows = "".join(f"r{i},2024-03-12,Nowhereville{i % 3},raid,x\n" for i in range(20000))
    w(d / "many.csv", "id,date,place,category,summary\n" + rows)
    out.append(("20,000 rows with unresolved places: warning lines",
                ["validate", "many.csv"], None))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tmpfs", action="store_true", help="add the full-disk cases")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for name, argv, check in cases(d):
            r = run(argv, d)
            extra = ""
            if "warning lines" in name:
                extra = f" [{len((r['err'] + r['out']).splitlines()):,} output lines]"
            if "terminal" in name:
                extra += " [raw ESC reaches the terminal]" if "\x1b" in r["err"] + r.get(
                    "out", "") else " [no raw ESC]"
            if check:
                extra += f" [{check()}]"
            print(f"| {name} | {verdict(r)}{extra} | {r['s']} s |", flush=True)
        os.chmod(d / "ro", 0o755)


if __name__ == "__main__":
    main()
