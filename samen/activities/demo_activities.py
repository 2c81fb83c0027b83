"""The demo's activities (filled in by the activities work)."""


def load(today) -> str:
    return ""
