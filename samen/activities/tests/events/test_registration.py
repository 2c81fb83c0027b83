"""Registering for an event: members in one click, visitors by a link, the waiting list and cancelling."""

import re

import pytest
from django.utils import timezone

from conftest import message_text
from samen.activities.events.models import Registration
from samen.activities.tests.events.fixtures import in_days, register


def links(mail_body: str) -> dict[str, str]:
    found = dict.fromkeys(("confirm", "cancel"), "")
    for kind in found:
        match = re.search(rf"http://testserver(/\w\w/events/registration/[^/\s]+/{kind}/)", mail_body)
        found[kind] = match.group(1) if match else ""
    return found


def test_a_member_registers_with_one_click_and_gets_a_code_and_a_qr_code(
    client, member, event, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/events/{event.slug}/register/", {"is_resident": "on"}, follow=True)
    registration = Registration.objects.get(event=event)
    assert registration.status == "confirmed"
    assert registration.member == member.member
    assert registration.is_resident
    assert f"Your code at the door is {registration.code}" in response.content.decode()
    [mail] = mailoutbox
    assert mail.to == ["mila@example.org"]
    assert registration.code in mail.body
    assert "/cancel/" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html" and 'src="cid:qr-code"' in html
    [qr] = mail.attachments
    assert qr.get_content_type() == "image/png" and qr["Content-ID"] == "<qr-code>"


def test_a_visitor_confirms_the_address_before_getting_a_place(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/events/{event.slug}/register/", {"name": "Vera Bezoeker", "email": "Vera@Example.org"}, follow=True
        )
    assert "we sent an email to vera@example.org" in response.content.decode()
    registration = Registration.objects.get(event=event)
    assert registration.status == "pending"
    confirm = links(mailoutbox[0].body)["confirm"]
    assert confirm

    # Opening the link changes nothing (mail scanners open links too); the button confirms.
    assert "Confirm my registration" in client.get(confirm).content.decode()
    registration.refresh_from_db()
    assert registration.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert mailoutbox[1].subject == f"[Samen] You are registered for {event.title}"
    assert registration.code in message_text(mailoutbox[1].message())


def test_a_visitor_form_names_what_is_missing(client, event):
    response = client.post(f"/en/events/{event.slug}/register/", {"name": "", "email": "not-an-address"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    assert "Enter a valid email address." in body
    assert not Registration.objects.exists()


def test_registering_beyond_capacity_puts_people_on_the_waiting_list(client, event, make_user):
    register(event, "a@example.org")
    register(event, "b@example.org")
    third = make_user("c@example.org")
    client.force_login(third)
    response = client.post(f"/en/events/{event.slug}/register/", {}, follow=True)
    assert "The event is full: you are on the waiting list." in response.content.decode()
    assert Registration.objects.get(email="c@example.org").status == "waiting"
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2


def test_a_double_registration_is_refused_with_a_message(client, event, member):
    client.force_login(member)
    client.post(f"/en/events/{event.slug}/register/", {})
    response = client.post(f"/en/events/{event.slug}/register/", {}, follow=True)
    assert "This email address is already registered for this event." in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_a_visitor_registering_twice_with_one_address_is_told_to_use_the_email(client, event):
    data = {"name": "Vera", "email": "vera@example.org"}
    client.post(f"/en/events/{event.slug}/register/", data)
    response = client.post(f"/en/events/{event.slug}/register/", {**data, "email": "VERA@example.org "}, follow=True)
    assert "Check your inbox: we sent an email to vera@example.org" in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_cancelling_through_the_email_link_moves_the_first_on_the_waiting_list_up(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = register(event, "a@example.org")
        register(event, "b@example.org")
        waiting_1 = register(event, "c@example.org")
        waiting_2 = register(event, "d@example.org")
    assert (waiting_1.status, waiting_2.status) == ("waiting", "waiting")
    confirmation = [m for m in mailoutbox if m.to == ["a@example.org"]][-1]
    cancel = links(confirmation.body)["cancel"]
    mailoutbox.clear()

    assert "you are about to cancel" in client.get(cancel).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel, follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    first.refresh_from_db(), waiting_1.refresh_from_db(), waiting_2.refresh_from_db()
    assert first.status == "cancelled"
    assert waiting_1.status == "confirmed"
    assert waiting_2.status == "waiting"
    [mail] = mailoutbox
    assert mail.to == ["c@example.org"]
    assert mail.subject == f"[Samen] A place came free: you are registered for {event.title}"
    assert waiting_1.code in mail.body

    # The same link again: already cancelled, said plainly.
    response = client.post(cancel, follow=True)
    assert "This registration was already cancelled." in response.content.decode()


def test_a_forged_cancel_link_gets_a_clear_message_and_changes_nothing(client, event):
    registration = register(event, "a@example.org")
    from samen.activities.events.mail import cancel_token

    token = cancel_token(registration)
    other = str(registration.pk + 1) + token[len(str(registration.pk)) :]
    for forged in (token[:-2] + "xx", other, "nonsense"):
        response = client.post(f"/en/events/registration/{forged}/cancel/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_a_confirm_link_cannot_be_used_as_a_cancel_link(client, event):
    from samen.activities.events.mail import confirm_token

    registration = register(event, "a@example.org")
    response = client.post(f"/en/events/registration/{confirm_token(registration)}/cancel/")
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_a_member_cancels_on_the_event_page(client, member, event):
    client.force_login(member)
    client.post(f"/en/events/{event.slug}/register/", {})
    response = client.post(f"/en/events/{event.slug}/cancel/", follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    assert Registration.objects.get().status == "cancelled"
    # Registering again after cancelling is allowed.
    client.post(f"/en/events/{event.slug}/register/", {})
    assert Registration.objects.filter(status="confirmed").count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"registration_open": False}, "Registration for this event is closed."),
        ({"starts_at": in_days(-1, 10), "ends_at": in_days(1, 10)}, "This event has already started"),
    ],
)
def test_registration_is_refused_when_closed_or_started(client, make_event, fields, message):
    closed = make_event(**fields)
    assert message in client.get(f"/en/events/{closed.slug}/").content.decode()
    response = client.post(f"/en/events/{closed.slug}/register/", {"name": "V", "email": "v@example.org"}, follow=True)
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_mails_go_out_in_the_language_of_the_registration(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/nl/events/{event.slug}/register/", {"name": "Vera", "email": "vera@example.org"})
    assert mailoutbox[0].subject == f"[Samen] Bevestig je inschrijving voor {event.title}"
    assert "/nl/events/registration/" in mailoutbox[0].body


def test_a_visitor_who_lost_the_link_gets_it_again_but_not_more_than_every_ten_minutes(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    import datetime

    data = {"name": "Vera", "email": "vera@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/events/{event.slug}/register/", data)
        client.post(f"/en/events/{event.slug}/register/", data)
    assert len(mailoutbox) == 1  # not again within ten minutes: nobody can flood an inbox
    Registration.objects.update(link_sent_at=timezone.now() - datetime.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/events/{event.slug}/register/", data, follow=True)
    assert "Check your inbox: we sent an email to vera@example.org" in response.content.decode()
    assert len(mailoutbox) == 2 and links(mailoutbox[1].body)["confirm"]
    assert Registration.objects.count() == 1


def test_a_member_with_an_unconfirmed_visitor_registration_is_confirmed_by_one_click(client, event, member):
    client.post(f"/en/events/{event.slug}/register/", {"name": "Mila", "email": member.email})
    client.force_login(member)
    client.post(f"/en/events/{event.slug}/register/", {})
    registration = Registration.objects.get()
    assert registration.status == "confirmed" and registration.member == member.member


def test_deleting_an_account_erases_the_registrations_and_frees_the_place(
    client, event, member, mailoutbox, django_capture_on_commit_callbacks
):
    from samen.activities.events import services as events_services

    past = make_past_event_with(member)
    client.force_login(member)
    client.post(f"/en/events/{event.slug}/register/", {})
    register(event, "b@example.org")
    waiting = register(event, "c@example.org")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/profile/delete/", {"confirm": "on", "password": "a-Good-passw0rd"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert not Registration.objects.filter(email=member.email).exists()
    assert not Registration.objects.filter(name="Mila Lid").exists()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    [mail] = mailoutbox
    assert mail.to == ["c@example.org"] and re.search(r"https?://[^/\s]+/en/events/registration/", mail.body)
    # What happened at a past event still counts, without the person.
    assert events_services.registration_open_error(past) == "This event is over."
    gone = Registration.objects.get(event=past)
    assert gone.checked_in_at is not None and gone.member is None and gone.name == ""


def make_past_event_with(user):
    from samen.activities.events.models import Event

    past = Event.objects.create(
        slug="voorbij",
        title="Voorbij",
        organisation=Event.objects.first().organisation,
        starts_at=in_days(-10, 10),
        ends_at=in_days(-10, 12),
        place_name="Zaal",
        address="Straat 1",
    )
    Registration.objects.create(
        event=past,
        member=user.member,
        name="Mila Lid",
        email=user.email,
        status="confirmed",
        code="ABCDEF",
        checked_in_at=in_days(-10, 10),
    )
    return past


def test_a_confirm_link_after_registration_closed_gets_a_message(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/events/{event.slug}/register/", {"name": "Vera", "email": "vera@example.org"})
    event.registration_open = False
    event.save()
    response = client.post(links(mailoutbox[0].body)["confirm"], follow=True)
    assert "Registration for this event is closed." in response.content.decode()
    assert Registration.objects.get().status == "pending"


def test_a_member_sees_their_registrations_and_cancels_one(client, member, event, make_event):
    other = make_event(title="Wandeling")
    register(event, member.email)
    register(other, member.email)
    register(other, "someone@example.org")
    client.force_login(member)
    response = client.get("/en/events/my-registrations/")
    assert [r.event.title for r in response.context["registrations"]] == [event.title, "Wandeling"]
    assert "someone@example.org" not in response.content.decode()
    client.post(f"/en/events/{other.slug}/cancel/")
    assert [r.event.title for r in client.get("/en/events/my-registrations/").context["registrations"]] == [event.title]


@pytest.mark.parametrize("status", ["pending", "confirmed", "waiting"])
def test_a_visitor_typing_someone_elses_address_learns_nothing_the_address_gets_the_status(
    client, event, status, mailoutbox, django_capture_on_commit_callbacks
):
    """Who goes to a care or dementia event is sensitive: the page says the same whatever the status."""
    import datetime

    fresh = client.post(f"/en/events/{event.slug}/register/", {"name": "New", "email": "new@example.org"}, follow=True)
    registration = register(event, "anna@example.org")  # a registration made some time ago
    Registration.objects.filter(pk=registration.pk).update(
        status=status, link_sent_at=timezone.now() - datetime.timedelta(hours=1)
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        probe = client.post(
            f"/en/events/{event.slug}/register/", {"name": "Nosy", "email": "Anna@example.org"}, follow=True
        )
    page, reference = probe.content.decode(), fresh.content.decode()
    assert "Check your inbox: we sent an email to anna@example.org" in page
    for telling in ("already", "waiting list", "not confirmed", "registered for this event"):
        assert telling not in page, telling
    assert "Check your inbox: we sent an email to new@example.org" in reference  # as for a new address
    [mail] = mailoutbox  # the status goes to the address itself
    assert mail.to == ["anna@example.org"]
    expected = {"pending": "Confirm your registration", "confirmed": "You are registered", "waiting": "waiting list"}
    assert expected[status] in mail.subject
    assert Registration.objects.get(pk=registration.pk).name != "Nosy"


def test_a_member_still_sees_their_own_status(client, event, member):
    client.force_login(member)
    register(event, "a@example.org"), register(event, "b@example.org")
    client.post(f"/en/events/{event.slug}/register/", {})
    response = client.post(f"/en/events/{event.slug}/register/", {}, follow=True)
    assert "This email address is already on the waiting list for this event." in response.content.decode()


def test_a_failing_mail_server_is_logged_and_the_registration_stands(
    client, event, member, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    import smtplib

    from samen.activities.events import mail as events_mail

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server hung up")

    monkeypatch.setattr(events_mail, "_send", refuse)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/events/{event.slug}/register/", {})
    assert response.status_code == 302
    assert Registration.objects.get(event=event).status == "confirmed"
    assert "Background task samen.activities.events.tasks.send_confirmed failed" in caplog.text


def test_promotion_mails_after_a_cancel_are_queued_as_tasks_with_ids(event, monkeypatch):
    from samen.activities.events import services
    from samen.activities.events import tasks as events_tasks

    holder = register(event, "a@example.org")
    register(event, "b@example.org")
    waiting = register(event, "c@example.org")
    queued = []
    monkeypatch.setattr(services, "enqueue", lambda fn, *args: queued.append((fn, args)))
    services.registration_cancel(registration=holder)
    assert queued == [(events_tasks.send_promoted, (waiting.pk,))]


def test_the_confirm_link_of_a_cancelled_registration_says_it_is_cancelled(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    from samen.activities.events.services import registration_cancel

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/events/{event.slug}/register/", {"name": "Vera", "email": "vera@example.org"})
    confirm = links(mailoutbox[0].body)["confirm"]
    registration_cancel(registration=Registration.objects.get())
    page = client.get(confirm).content.decode()
    assert "This registration was cancelled." in page and "already confirmed" not in page
    response = client.post(confirm, follow=True)
    body = response.content.decode()
    assert "This registration was cancelled. To come after all, register again." in body
    assert "You are registered" not in body
    assert Registration.objects.get().status == "cancelled"


def test_with_celery_a_cancel_only_queues_the_promotion_mail(
    client, event, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from samen.activities.events.mail import cancel_token
    from samen.core import tasks

    holder = register(event, "a@example.org")
    register(event, "b@example.org")
    waiting = register(event, "c@example.org")
    mailoutbox.clear()
    settings.SAMEN_TASKS = "celery"
    sent = []
    monkeypatch.setattr(tasks.celery_app, "send_task", lambda name, args: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/events/registration/{cancel_token(holder)}/cancel/")
    assert response.status_code == 302
    assert mailoutbox == []  # not sent inside the canceller's request
    assert sent == [("samen.activities.events.tasks.send_promoted", [waiting.pk])]


def test_the_mails_take_their_links_from_site_url_and_the_house_layout(
    client, event, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://samen.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/nl/events/{event.slug}/register/", {"name": "Vera", "email": "vera@example.org"})
    [mail] = mailoutbox
    assert mail.subject.startswith("[Samen] ")
    assert "https://samen.example.org/nl/events/registration/" in mail.body
    assert "testserver" not in mail.body
    html, _ = mail.alternatives[0]
    assert '<a href="https://samen.example.org/">' in html  # the footer of email/base.html
