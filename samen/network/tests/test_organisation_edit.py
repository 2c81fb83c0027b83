"""Partner editors keep their own organisation's page up to date; the backbone curates all."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from samen.core.models import AuditEntry


def _png(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b6b55").save(buffer, "PNG")
    return buffer.getvalue()


def _form(**changes):
    return {"description_nl": "Thuiszorg in Runkst", "description_en": "Home care in Runkst", "website": "", **changes}


def test_an_editor_updates_their_organisation_and_the_change_is_audited(client, editor, org, make_domain):
    domain = make_domain("zorgzame-buurten")
    client.force_login(editor)
    response = client.post(
        f"/en/partners/{org.slug}/edit/", _form(website="wijkzorg.example.org", action_domains=[domain.pk])
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.description_en == "Home care in Runkst"
    assert org.website == "https://wijkzorg.example.org"
    assert list(org.action_domains.all()) == [domain]
    entry = AuditEntry.objects.get(action="organisation.updated")
    assert entry.actor == editor
    assert entry.changes["description_en"] == [None, "Home care in Runkst"]
    assert entry.changes["action_domains"] == [[], ["zorgzame-buurten"]]


def test_an_editor_cannot_rename_or_move_their_organisation_by_forging_fields(client, editor, org, make_sector):
    other = make_sector("business")
    client.force_login(editor)
    client.post(f"/en/partners/{org.slug}/edit/", _form(name="Forged", sector=other.pk, role="backbone"))
    org.refresh_from_db()
    assert org.name == "Wijkzorg Runkst"
    assert org.role == "partner"
    assert org.sector != other


def test_an_editor_cannot_edit_another_organisation(client, editor, other_org):
    client.force_login(editor)
    assert client.post(f"/en/partners/{other_org.slug}/edit/", _form()).status_code == 403
    other_org.refresh_from_db()
    assert not other_org.description_en


def test_an_editor_whose_role_was_taken_away_cannot_edit_any_more(client, editor, org):
    editor.groups.clear()
    client.force_login(editor)
    assert client.get(f"/en/partners/{org.slug}/edit/").status_code == 403


def test_the_backbone_renames_any_organisation(client, coordinator, other_org):
    client.force_login(coordinator)
    data = _form(name="Apotheek De Linde Kermt", sector=other_org.sector_id, role="partner", joined_on="2019-05-01")
    assert client.post(f"/en/partners/{other_org.slug}/edit/", data).status_code == 302
    other_org.refresh_from_db()
    assert other_org.name == "Apotheek De Linde Kermt"


def test_a_logo_is_stored_with_its_text_alternative(client, editor, org):
    client.force_login(editor)
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = client.post(f"/en/partners/{org.slug}/edit/", _form(logo=logo, logo_alt="A green house"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.logo.name.startswith("logos/")
    assert org.logo_alt == "A green house"
    assert 'alt="A green house"' in client.get(f"/en/partners/{org.slug}/").content.decode()


@pytest.mark.parametrize(
    ("upload", "alt", "message"),
    [
        (SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png"), "x", "Upload a valid image"),
        (
            SimpleUploadedFile("logo.png", _png(), content_type="image/png"),
            "",
            "Describe the logo for people who cannot see it.",
        ),
    ],
    ids=["not-an-image", "no-alt-text"],
)
def test_a_bad_logo_is_refused_with_a_clear_message_and_nothing_changes(client, editor, org, upload, alt, message):
    client.force_login(editor)
    response = client.post(f"/en/partners/{org.slug}/edit/", _form(logo=upload, logo_alt=alt))
    assert response.status_code == 200
    assert message in response.content.decode()
    org.refresh_from_db()
    assert not org.logo
    assert not org.description_en
    assert not AuditEntry.objects.exists()


def test_a_logo_that_is_too_large_is_refused(client, editor, org, settings):
    settings.SAMEN_MAX_IMAGE_BYTES = 1000
    client.force_login(editor)
    big = SimpleUploadedFile("logo.png", _png((400, 400)) + b"\0" * 2000, content_type="image/png")
    response = client.post(f"/en/partners/{org.slug}/edit/", _form(logo=big, logo_alt="x"))
    assert "it may be at most" in response.content.decode()


def test_a_forged_request_without_csrf_token_is_refused(editor, org):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(f"/en/partners/{org.slug}/edit/", _form()).status_code == 403
