"""Incidents: the model, the file formats, resolution of their places, validation and export."""
