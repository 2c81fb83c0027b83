"""Challenges, proposals and images for the agenda's tests (used by samen/tests as well)."""

import io

import pytest
from PIL import Image

from samen.agenda.tests import factories


@pytest.fixture
def make_challenge(db):
    return factories.make_challenge


@pytest.fixture
def challenge(make_challenge):
    return make_challenge()


@pytest.fixture
def make_proposal(db, member):
    def make(challenge=None, author=None, title: str = "Een belkring van buren", **fields):
        return factories.make_proposal(challenge, author=author or member, title=title, **fields)

    return make


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    options = {"exif": exif} if exif else {}
    Image.new("RGB", size, "#0b6b55").save(out, fmt, **options)
    return out.getvalue()


def gps_exif() -> bytes:
    """EXIF with a GPS position (Hasselt's market square) and a camera make."""
    exif = Image.Exif()
    exif[0x010F] = "DemoCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (50.0, 55.0, 49.0)
    gps[3] = "E"
    gps[4] = (5.0, 20.0, 16.0)
    return exif.tobytes()
