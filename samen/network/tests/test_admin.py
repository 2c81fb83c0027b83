"""Curation in Django's admin: every list searchable and filterable, roles audited, no escalation."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from samen.core.models import AuditEntry
from samen.core.permissions import PARTNER_EDITORS

SAMEN_MODELS = [m for m in admin.site._registry if m._meta.app_label in ("core", "agenda", "network")]


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


def test_a_coordinator_cannot_make_anyone_an_admin(client, coordinator, member):
    client.force_login(coordinator)
    client.post(f"/en/admin/network/user/{member.pk}/change/", _user_form(member, is_superuser="on"))
    client.post(
        f"/en/admin/network/user/{coordinator.pk}/change/", _user_form(coordinator, is_superuser="on", is_staff="on")
    )
    member.refresh_from_db()
    coordinator.refresh_from_db()
    assert not member.is_superuser
    assert not coordinator.is_superuser


def test_the_audit_trail_cannot_be_edited_even_by_an_admin(client, admin_user):
    entry = AuditEntry.objects.create(action="x")
    client.force_login(admin_user)
    assert client.post(f"/en/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
