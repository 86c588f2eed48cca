"""Where a map page spends an interaction: Chromium's sampling profiler and timeline trace.

    python bench/profile_map.py OUT/map.html                   # the bench's interactions, profiled
    python bench/profile_map.py OUT/map.html --trace category  # one interaction, by trace event
    python bench/profile_map.py OUT/map.html --throttle 4      # as on a CPU four times slower

The page is opened from file:// with the network blocked, like ``bench/bench_map.py`` (whose
``interactions`` it runs; make a big page with that script or ``mapper map --inline``). The
profile prints self time per function (``(program)`` is Chromium's own work: painting,
compositing); the trace prints time per event (``FunctionCall``: the page's script; ``Commit``:
handing the changed canvases to the compositor). A shared machine's load changes every figure:
the load average is printed with them.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
from pathlib import Path

from bench_map import ARGS, CHROMIUM, interactions, serve_offline

FRAME = "window.__frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))"
ACTIONS = {  # each: the action, then two frames (as bench_map measures)
    "category": "document.querySelector('input[data-layer=\"cat\"]').click()",
    "points": "window.mapperApp.setView('points')",
    "density": "window.mapperApp.setView('density')",
    "regions": "window.mapperApp.setView('regions')",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("--trace", choices=sorted(ACTIONS))
    ap.add_argument("--throttle", type=float, default=1.0, help="CPU slowdown rate (CDP)")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        serve_offline(page, None)
        page.goto(args.page.resolve().as_uri(), wait_until="commit", timeout=120_000)
        page.wait_for_function("window.mapperApp && window.mapperApp.recordsReady === true",
                               timeout=120_000, polling=50)
        page.evaluate(FRAME)
        cdp = page.context.new_cdp_session(page)
        if args.throttle > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.throttle})
        if args.trace:
            if args.trace == "points":  # from another view
                page.evaluate("async () => { window.mapperApp.setView('regions');"
                              " await __frame(); await __frame(); }")
            events, done = [], []
            cdp.on("Tracing.dataCollected", lambda e: events.extend(e["value"]))
            cdp.on("Tracing.tracingComplete", lambda e: done.append(1))
            cdp.send("Tracing.start", {"transferMode": "ReportEvents", "categories":
                                       "devtools.timeline,disabled-by-default-devtools.timeline"})
            ms = page.evaluate("async () => { const t = performance.now(); %s;"
                               " await __frame(); await __frame(); return performance.now() - t; }"
                               % ACTIONS[args.trace])
            cdp.send("Tracing.end")
            while not done:
                page.wait_for_timeout(50)
            print(f"{args.trace}: {ms:.0f} ms; load average {os.getloadavg()[0]:.1f}")
            total: collections.Counter = collections.Counter()
            for e in events:
                if e.get("ph") == "X" and "dur" in e:
                    total[e["name"]] += e["dur"] / 1000
            for name, v in total.most_common(args.top):
                print(f"{v:9.1f} ms  {name}")
        else:
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            cdp.send("Profiler.start")
            print(json.dumps(interactions(page), indent=1))
            prof = cdp.send("Profiler.stop")["profile"]
            nodes = {n["id"]: n for n in prof["nodes"]}
            self_ms: collections.Counter = collections.Counter()
            for sample, dt in zip(prof["samples"], prof["timeDeltas"], strict=False):
                frame = nodes[sample]["callFrame"]
                self_ms[f"{frame['functionName'] or '(anonymous)'} "
                        f"line {frame['lineNumber'] + 1}"] += dt / 1000
            print(f"self time per function (load average {os.getloadavg()[0]:.1f}):")
            for name, v in self_ms.most_common(args.top):
                print(f"{v:9.1f} ms  {name}")
        browser.close()


if __name__ == "__main__":
    main()
