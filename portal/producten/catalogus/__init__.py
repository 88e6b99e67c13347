"""One TOML file per product (see portal/producten/schemas.py).

A package only so that the files are installed with it as package data (`*.toml`).
"""
