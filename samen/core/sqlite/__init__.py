"""Samen's SQLite backend: Django's, with writers served in the order they arrive (see base.py)."""
