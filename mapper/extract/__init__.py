"""Extraction: article text to place mentions and draft incidents for a person to review."""
