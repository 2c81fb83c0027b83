"""Samen: a platform for collective impact."""
