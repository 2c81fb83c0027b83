"""Curation in Django's admin: every list searchable and filterable, roles audited, no escalation."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from samen.core.models import AuditEntry
from samen.core.permissions import PARTNER_EDITORS

SAMEN_MODELS = [
    m for m in admin.site._registry if m._meta.app_label in ("core", "agenda", "network", "measurement", "api")
]


@pytest.mark.parametrize("model", SAMEN_MODELS, ids=[m._meta.label for m in SAMEN_MODELS])
def test_every_list_has_search_and_filters(model):
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields, model
    assert model_admin.list_filter, model


@pytest.mark.parametrize("model", SAMEN_MODELS, ids=[m._meta.label for m in SAMEN_MODELS])
def test_every_list_and_search_answers(client, admin_user, model):
    client.force_login(admin_user)
    url = f"/en/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "hasselt"}).status_code == 200


def test_labels_are_dutch_under_nl(client, admin_user):
    client.force_login(admin_user)
    body = client.get("/nl/admin/").content.decode()
    assert "Organisaties" in body
    assert "Actiedomeinen" in body


def _user_form(user, **changes):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "10:00:00",
    }
    data.update(changes)
    return data


def test_a_coordinator_gives_someone_the_partner_editor_role_and_it_is_audited(client, coordinator, member):
    client.force_login(coordinator)
    group = Group.objects.get(name=PARTNER_EDITORS)
    response = client.post(f"/en/admin/network/user/{member.pk}/change/", _user_form(member, groups=[group.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert member.groups.filter(name=PARTNER_EDITORS).exists()
    entry = AuditEntry.objects.get(action="user.roles_changed")
    assert entry.actor == coordinator
    assert entry.changes == {"groups": [[], [PARTNER_EDITORS]]}


def test_the_audit_trail_cannot_be_edited_even_by_an_admin(client, admin_user):
    entry = AuditEntry.objects.create(action="x")
    client.force_login(admin_user)
    assert client.post(f"/en/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_coordinator_cannot_make_anyone_an_admin(client, coordinator, member):
    client.force_login(coordinator)
    response = client.post(f"/en/admin/network/user/{member.pk}/change/", _user_form(member, is_superuser="on"))
    assert response.status_code == 302
    response = client.post(
        f"/en/admin/network/user/{coordinator.pk}/change/", _user_form(coordinator, is_superuser="on", is_staff="on")
    )
    assert response.status_code == 302
    member.refresh_from_db()
    coordinator.refresh_from_db()
    assert not member.is_superuser
    assert not coordinator.is_superuser


@pytest.mark.parametrize("action", ["change", "password", "delete"])
def test_a_coordinator_cannot_touch_an_admins_account(client, coordinator, admin_user, action):
    client.force_login(coordinator)
    data = {"password1": "Taken-over-2026", "password2": "Taken-over-2026", "post": "yes"}
    response = client.post(f"/en/admin/network/user/{admin_user.pk}/{action}/", data)
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.check_password("a-Good-passw0rd")


def test_a_coordinator_can_only_give_the_role_groups(client, coordinator, member):
    Group.objects.create(name="secret-powers")
    client.force_login(coordinator)
    body = client.get(f"/en/admin/network/user/{member.pk}/change/").content.decode()
    assert "secret-powers" not in body
    assert PARTNER_EDITORS in body


def test_switching_an_account_off_is_audited(client, coordinator, member):
    client.force_login(coordinator)
    data = _user_form(member)
    del data["is_active"]
    assert client.post(f"/en/admin/network/user/{member.pk}/change/", data).status_code == 302
    entry = AuditEntry.objects.get(action="user.access_changed")
    assert entry.changes == {"is_active": [True, False]}


def test_the_backbone_cannot_publish_a_person_who_did_not_choose_to_be_shown(client, coordinator, member):
    client.force_login(coordinator)
    data = {
        "user": member.pk,
        "joined_on": "2024-01-01",
        "circle": "network",
        "availability": "[]",
        "show_publicly": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(f"/en/admin/network/member/{member.member.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    member.member.refresh_from_db()
    assert not member.member.show_publicly


def _organisation_form(org, **extra):
    return {
        "name": org.name,
        "slug": org.slug,
        "sector": org.sector_id,
        "role": "partner",
        "joined_on": "2020-01-01",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **extra,
    }


def test_making_someone_editor_in_an_organisation_inline_is_audited(client, coordinator, org, member):
    client.force_login(coordinator)
    data = _organisation_form(
        org,
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-member": member.member.pk,
            "memberships-0-role_title": "coördinator",
            "memberships-0-is_editor": "on",
        },
    )
    response = client.post(f"/en/admin/network/organisation/{org.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="membership.rights_changed")
    assert entry.changes == {"is_editor": [False, True]}


def test_a_logo_without_text_alternative_is_refused_in_the_admin_too(client, coordinator, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samen.network.tests.test_organisation_edit import _png

    client.force_login(coordinator)
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = client.post(f"/en/admin/network/organisation/{org.pk}/change/", _organisation_form(org, logo=logo))
    assert response.status_code == 200
    assert "Describe the logo for people who cannot see it." in response.content.decode()


def _area_form(code, kind, parent):
    return {
        "code": code,
        "name": code.title(),
        "kind": kind,
        "parent": parent.pk if parent else "",
        "geometry": "null",
        "population-TOTAL_FORMS": "0",
        "population-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize(
    ("kind", "with_parent", "message"),
    [
        ("neighbourhood", True, "A neighbourhood cannot be part of a city."),
        ("district", False, "A district must be part of a city."),
    ],
)
def test_the_area_form_keeps_the_tree_rules(client, coordinator, kind, with_parent, message):
    from samen.network.models import Area

    city = Area.objects.create(code="hasselt", name="Hasselt", kind="city", path="/hasselt/")
    client.force_login(coordinator)
    response = client.post("/en/admin/network/area/add/", _area_form("x", kind, city if with_parent else None))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Area.objects.filter(code="x").exists()


def test_an_area_cannot_be_put_under_itself_in_the_admin(client, coordinator):
    from samen.network.models import Area
    from samen.network.services import area_save

    city = area_save(area=Area(code="hasselt", name="Hasselt", kind="city"))
    client.force_login(coordinator)
    response = client.post(f"/en/admin/network/area/{city.pk}/change/", _area_form("hasselt", "city", city))
    assert response.status_code == 200
    assert "part of" in response.content.decode()
