"""The demo's events (filled in by the events work)."""


def load(today) -> str:
    return ""
