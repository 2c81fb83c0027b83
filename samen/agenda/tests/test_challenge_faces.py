"""A challenge's face, written by the backbone in the admin: a checked image, no EXIF, alt text, consent."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from samen.agenda.models import Challenge
from samen.agenda.tests.fixtures import gps_exif, image_bytes
from samen.core.models import AuditEntry

ADD = "/en/admin/agenda/challenge/add/"


@pytest.fixture
def form_data(make_domain):
    domain = make_domain("zorgzame-buurten")
    return {
        "slug": "niemand-alleen-thuis",
        "title_nl": "Niemand alleen thuis",
        "title_en": "Nobody alone at home",
        "summary_nl": "Kort.",
        "summary_en": "Short.",
        "story_nl": "Verhaal.",
        "story_en": "Story.",
        "domain": domain.pk,
        "status": "published",
        "order": 1,
        "image_kind": "illustration",
        "image_alt_nl": "Een buurvrouw aan de deur.",
        "image_alt_en": "A neighbour at the door.",
        "focal_point": "left",
        "credit": "",
        "consent_by": "",
        "consent_on": "",
    }


def upload(data: bytes, name: str = "face.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_backbone_adds_a_challenge_with_an_illustration_and_the_gps_position_is_removed(
    client, coordinator, form_data
):
    client.force_login(coordinator)
    photo = image_bytes(exif=gps_exif())
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)  # the upload does carry a position
    response = client.post(ADD, {**form_data, "image": upload(photo)})
    assert response.status_code == 302, response.content.decode()[:2000]
    challenge = Challenge.objects.get(slug="niemand-alleen-thuis")
    with challenge.image.open("rb") as stored:
        saved = Image.open(io.BytesIO(stored.read()))
        exif = saved.getexif()
    assert saved.format == "JPEG"
    assert not exif.get_ifd(0x8825), "the GPS position survived"
    assert 0x010F not in exif, "the camera make survived: EXIF was not removed"
    assert saved.size == (64, 48)
    assert AuditEntry.objects.filter(action="challenge.created", object_id=str(challenge.pk)).exists()


def test_a_file_that_is_not_an_image_is_refused_with_a_message(client, coordinator, form_data):
    client.force_login(coordinator)
    response = client.post(ADD, {**form_data, "image": upload(b"%PDF-1.4 not a picture", "face.jpg")})
    assert response.status_code == 200
    assert (
        "This file is not an image that can be read. Upload a JPEG, PNG or WebP picture." in response.content.decode()
    )
    assert not Challenge.objects.exists()


def test_a_too_large_image_is_refused_with_its_size(client, coordinator, form_data, settings):
    settings.SAMEN_MAX_IMAGE_BYTES = 1000
    client.force_login(coordinator)
    big = image_bytes("PNG", size=(400, 400))
    big += b"\0" * 2000  # still a readable PNG, but over the limit
    response = client.post(ADD, {**form_data, "image": upload(big, "face.png", "image/png")})
    body = response.content.decode()
    assert "it may be at most 1000" in body
    assert not Challenge.objects.exists()


def test_an_image_format_other_than_jpeg_png_webp_is_refused(client, coordinator, form_data):
    client.force_login(coordinator)
    response = client.post(ADD, {**form_data, "image": upload(image_bytes("GIF"), "face.gif", "image/gif")})
    assert "Images in GIF are not accepted." in response.content.decode()
    assert not Challenge.objects.exists()


def test_an_image_needs_a_text_alternative_in_both_languages(client, coordinator, form_data):
    client.force_login(coordinator)
    response = client.post(ADD, {**form_data, "image_alt_en": "", "image": upload(image_bytes())})
    assert "Describe the image for people who cannot see it." in response.content.decode()
    assert not Challenge.objects.exists()


def test_a_photo_needs_recorded_consent_who_and_when(client, coordinator, form_data):
    client.force_login(coordinator)
    data = {**form_data, "image_kind": "photo", "image": upload(image_bytes())}
    body = client.post(ADD, data).content.decode()
    assert "A photo of a person needs their consent: say who gave it." in body
    assert "Say on which date the consent was given." in body
    assert not Challenge.objects.exists()
    data = {**data, "image": upload(image_bytes()), "consent_by": "Maria Peeters", "consent_on": "2026-10-01"}
    assert client.post(ADD, data).status_code == 302
    assert Challenge.objects.get().consent_by == "Maria Peeters"


def test_the_focal_point_is_a_css_class_not_an_inline_style(client, make_challenge):
    challenge = make_challenge(image_kind="illustration", image_alt_nl="Buren", image_alt_en="Neighbours")
    challenge.image.save("face.png", SimpleUploadedFile("face.png", image_bytes("PNG")), save=False)
    challenge.focal_point = "top"
    challenge.save()
    body = client.get(f"/en/challenges/{challenge.slug}/").content.decode()
    assert 'class="face focus-top"' in body
    assert 'alt="Neighbours"' in body
    assert "style=" not in body
