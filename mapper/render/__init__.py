"""Rendering: the map page, the data blob it draws, the offline basemap and the static assets."""
