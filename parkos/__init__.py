"""ParkOS: one open system for parks, land, enterprises, agreements and land-efficiency evaluation."""

__version__ = "0.1.0"
