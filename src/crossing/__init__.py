"""Crossing: an interactive command-line narrative about escaping North Korea, grounded in sources."""

__version__ = "0.2.1"
