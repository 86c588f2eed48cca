"""A static picture of a written map page, through headless Chromium.

``mapper map ... --png FILE`` photographs the page's default view (the same fit to the data a
reader first sees) in a clean frame: the map with its title, legend, scale and credits, without
buttons, panels or the timeline (the page hides them when its URL says ``#picture=1``).
Chromium is found on the PATH (``chromium``, ``chromium-browser``, ``google-chrome``) or named
by ``$MAPPER_CHROMIUM``; without it the error says how to install it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from mapper.errors import MapperError, UsageError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MIN_SIDE, MAX_SIDE = 200, 8000


class PictureError(MapperError):
    """No browser to take the picture with, or the browser failed (exit status 1)."""


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable to use, or None."""
    named = os.environ.get("MAPPER_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def check_picture(width: int, height: int) -> str:
    """The browser to use for a ``width`` x ``height`` picture; UsageError for a bad size,
    PictureError when there is no browser.
    """
    for name, value in (("--width", width), ("--height", height)):
        if not MIN_SIDE <= int(value) <= MAX_SIDE:
            raise UsageError(f"{name} {value}: give a size from {MIN_SIDE} to {MAX_SIDE} pixels")
    browser = find_chromium()
    if browser is None:
        raise PictureError("--png needs Chromium: install it (apt-get install chromium) or set "
                           "MAPPER_CHROMIUM to a Chromium or Chrome executable")
    return browser


def write_png(page: str | os.PathLike[str], out: str | os.PathLike[str], *, width: int = 1200,
              height: int = 800, timeout: float = 120.0) -> Path:
    """Photograph the map page ``page`` into the PNG file ``out`` (written atomically).

    Parameters
    ----------
    page
        A ``map.html`` written by :func:`mapper.render.page.write_map` (Leaflet beside it or
        inline).
    out
        The PNG to write.
    width, height
        The picture's size in pixels (the page is laid out at this viewport size).
    timeout
        Seconds to wait for the browser.

    Returns
    -------
    Path
        ``out``.
    """
    from mapper import atomic

    browser = check_picture(width, height)
    url = Path(page).resolve().as_uri() + "#picture=1"
    with tempfile.TemporaryDirectory(prefix="mapper-png-") as tmp:
        shot = Path(tmp) / "shot.png"
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--force-device-scale-factor=1", f"--user-data-dir={tmp}/profile",
               f"--window-size={int(width)},{int(height)}", "--virtual-time-budget=8000",
               f"--screenshot={shot}", url]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PictureError(f"--png: {browser} did not finish ({exc})") from None
        data = shot.read_bytes() if shot.exists() else b""
        if not data.startswith(PNG_MAGIC):
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise PictureError(f"--png: {browser} wrote no picture (exit {proc.returncode}: "
                               f"{last})")
        atomic.write_bytes(out, data)
    return Path(out)
