"""Staff change registrations in the admin only through the services: capacity, waiting list, emails, audit."""

import pytest

from samen.activities.tests.events.fixtures import register
from samen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_status_cannot_be_edited_in_the_admin_form(client, admin_user, event):
    register(event, "a@example.org"), register(event, "b@example.org")
    waiting = register(event, "c@example.org")
    client.force_login(admin_user)
    url = f"/en/admin/activities/registration/{waiting.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    data = {"name": waiting.name, "email": waiting.email, "is_resident": "", "language": "en", "status": "confirmed"}
    client.post(url, data)
    waiting.refresh_from_db()
    assert waiting.status == "waiting"  # not over capacity behind the waiting list's back


def test_cancelling_in_the_admin_moves_the_waiting_list_up_and_is_audited(
    client, admin_user, event, mailoutbox, django_capture_on_commit_callbacks
):
    holder = register(event, "a@example.org")
    register(event, "b@example.org")
    waiting = register(event, "c@example.org")
    mailoutbox.clear()
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/admin/activities/registration/",
            {"action": "cancel_registrations", "_selected_action": [holder.pk]},
            follow=True,
        )
    assert "1 registration changed." in response.content.decode()
    holder.refresh_from_db(), waiting.refresh_from_db()
    assert (holder.status, waiting.status) == ("cancelled", "confirmed")
    assert [m.to for m in mailoutbox] == [["c@example.org"]]
    entry = AuditEntry.objects.get(action="registration.cancelled")
    assert entry.actor == admin_user and entry.object_id == str(holder.pk)


def test_confirming_in_the_admin_respects_capacity(client, admin_user, event):
    register(event, "a@example.org"), register(event, "b@example.org")
    from samen.activities.events.services import registration_create

    pending = registration_create(event=event, name="P", email="p@example.org", is_resident=False, language="en")
    client.force_login(admin_user)
    response = client.post(
        "/en/admin/activities/registration/",
        {"action": "confirm_registrations", "_selected_action": [pending.pk]},
        follow=True,
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == "waiting"
    assert AuditEntry.objects.filter(action="registration.confirmed", object_id=str(pending.pk)).exists()
