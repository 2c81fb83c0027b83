"""Benchmarks: each one runs on its own database under var/bench-*."""

import os
from pathlib import Path


def care_key(folder: Path) -> str:
    """The key for care data of a benchmark's database: the one set, or one kept beside its folder
    (which a run may empty), so every process and a later run with --keep read the same data.
    Outside DEBUG and tests the settings refuse to run without SAMEN_CARE_KEYS."""
    from cryptography.fernet import Fernet

    if os.environ.get("SAMEN_CARE_KEYS"):
        return os.environ["SAMEN_CARE_KEYS"]
    path = Path(folder).parent / f"{Path(folder).name}.care_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()
