"""Challenges, proposals and images for the agenda's tests (used by samen/tests as well)."""

import io

import pytest
from PIL import Image


@pytest.fixture
def make_challenge(db, make_domain):
    def make(slug: str = "niemand-alleen-thuis", status: str = "published", domain=None, **fields):
        from samen.agenda.models import Challenge

        return Challenge.objects.create(
            slug=slug,
            title_nl=fields.pop("title_nl", "Niemand alleen thuis"),
            title_en=fields.pop("title_en", "Nobody alone at home"),
            summary_nl=fields.pop("summary_nl", "Bijna 6% van de 84-plussers krijgt zelden bezoek."),
            summary_en=fields.pop("summary_en", "Almost 6% of people over 84 rarely get a visit."),
            story_nl=fields.pop("story_nl", "Achter de cijfers zitten mensen."),
            story_en=fields.pop("story_en", "Behind the figures are people."),
            domain=domain or make_domain(),
            status=status,
            **fields,
        )

    return make


@pytest.fixture
def challenge(make_challenge):
    return make_challenge()


@pytest.fixture
def make_proposal(db, member):
    def make(challenge=None, author=None, title: str = "Een belkring van buren", **fields):
        from samen.agenda.models import Proposal

        return Proposal.objects.create(
            kind="idea" if challenge else "challenge",
            challenge=challenge,
            author=author or member,
            title=title,
            body=fields.pop("body", "Drie buren bellen om beurten."),
            **fields,
        )

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
