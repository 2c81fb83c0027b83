"""Errors that cross app boundaries."""


class DemoRefused(Exception):
    """The demo would overwrite real data; the message says which."""
