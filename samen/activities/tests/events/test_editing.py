"""Creating and editing events and campaigns: the rules, the refusals, proposing and accepting."""

import datetime

import pytest
from django.utils import timezone

from samen.activities.events.models import Campaign, Event
from samen.activities.tests.events.fixtures import in_days
from samen.core.models import AuditEntry


def event_data(org, **changes):
    data = {
        "title": "Wandeling langs de Demer",
        "description": "Een rustige wandeling.",
        "organisation": org.pk,
        "activity": "",
        "campaign": "",
        "starts_at": in_days(5, 14).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": in_days(5, 16).strftime("%Y-%m-%dT%H:%M"),
        "place_name": "Kapermolenpark",
        "address": "Kapermolenpark, 3500 Hasselt",
        "accessibility": "Verharde paden.",
        "capacity": "25",
        "price": "0",
        "registration_open": "on",
        "is_published": "on",
    }
    data.update(changes)
    return data


def test_an_editor_creates_an_event_of_their_organisation(client, editor, org):
    client.force_login(editor)
    response = client.post("/en/events/new/", event_data(org))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/events/{event.slug}/"
    assert event.organisation == org and event.capacity == 25 and event.is_free
    assert event.created_by == editor
    assert timezone.localtime(event.starts_at).hour == 14
    assert AuditEntry.objects.filter(action="event.created", object_id=str(event.pk), actor=editor).exists()
    body = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Wandeling langs de Demer" in body and "Verharde paden." in body


def test_an_event_in_the_past_is_refused_next_to_the_field(client, editor, org):
    client.force_login(editor)
    response = client.post("/en/events/new/", event_data(org, starts_at=in_days(-2, 14).strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == [
        "This moment is in the past; an event must start in the future."
    ]
    assert not Event.objects.exists()


def test_an_end_before_the_start_is_refused_next_to_the_field(client, editor, org):
    client.force_login(editor)
    response = client.post("/en/events/new/", event_data(org, ends_at=in_days(5, 12).strftime("%Y-%m-%dT%H:%M")))
    assert response.context["form"].errors["ends_at"] == ["The end must be after the start."]
    assert "The end must be after the start." in response.content.decode()
    assert not Event.objects.exists()


def test_a_capacity_of_zero_and_a_negative_price_are_refused(client, editor, org):
    client.force_login(editor)
    response = client.post("/en/events/new/", event_data(org, capacity="0", price="-5"))
    errors = response.context["form"].errors
    assert "capacity" in errors and "price" in errors
    assert not Event.objects.exists()


def test_an_editor_cannot_create_an_event_for_another_organisation(client, editor, other_org):
    client.force_login(editor)
    response = client.post("/en/events/new/", event_data(other_org))
    assert "organisation" in response.context["form"].errors
    assert not Event.objects.exists()


def test_an_editor_cannot_edit_another_organisations_event(client, editor, make_event, other_org):
    theirs = make_event(organisation=other_org)
    client.force_login(editor)
    assert client.get(f"/en/events/{theirs.slug}/edit/").status_code == 403
    assert client.post(f"/en/events/{theirs.slug}/edit/", event_data(other_org, title="Hacked")).status_code == 403
    assert client.get(f"/en/events/{theirs.slug}/check-in/").status_code == 403
    theirs.refresh_from_db()
    assert theirs.title != "Hacked"


def test_an_old_event_can_still_be_edited_without_moving_it(client, coordinator, make_event):
    old = make_event(starts_at=in_days(-3, 10), ends_at=in_days(-3, 12))
    client.force_login(coordinator)
    data = event_data(
        old.organisation,
        starts_at=timezone.localtime(old.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(old.ends_at).strftime("%Y-%m-%dT%H:%M"),
        title="Groepsyoga (verslag)",
    )
    assert client.post(f"/en/events/{old.slug}/edit/", data).status_code == 302
    old.refresh_from_db()
    assert old.title == "Groepsyoga (verslag)"


def test_raising_the_capacity_moves_the_waiting_list_up(
    client, editor, event, org, mailoutbox, django_capture_on_commit_callbacks
):
    from samen.activities.events.models import Registration
    from samen.activities.tests.events.fixtures import register

    for email in ("a@example.org", "b@example.org", "c@example.org"):
        register(event, email)
    client.force_login(editor)
    data = event_data(
        org,
        starts_at=timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        capacity="3",
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/en/events/{event.slug}/edit/", data).status_code == 302
    assert Registration.objects.get(email="c@example.org").status == "confirmed"
    [mail] = mailoutbox
    assert mail.to == ["c@example.org"] and "http://testserver/en/events/registration/" in mail.body


# --- Campaigns ----------------------------------------------------------------------------------


def test_a_coordinator_creates_a_campaign(client, coordinator):
    client.force_login(coordinator)
    today = timezone.localdate()
    response = client.post(
        "/en/campaigns/new/",
        {
            "title": "Week van de Veerkracht",
            "theme": "Veerkracht in elke wijk",
            "description": "Samen sterker.",
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=12)).isoformat(),
            "is_published": "on",
        },
    )
    campaign = Campaign.objects.get()
    assert response["Location"] == f"/en/campaigns/{campaign.slug}/"
    assert campaign.slug == f"week-van-de-veerkracht-{today.year}"
    assert AuditEntry.objects.filter(action="campaign.created", actor=coordinator).exists()


def test_a_campaign_that_ends_before_it_starts_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/en/campaigns/new/",
        {"title": "X", "theme": "Y", "starts_on": "2030-05-10", "ends_on": "2030-05-01", "is_published": "on"},
    )
    assert response.context["form"].errors["ends_on"] == ["The last day cannot be before the first day."]
    assert not Campaign.objects.exists()


def test_an_editor_proposes_an_event_and_only_accepted_ones_are_in_the_programme(
    client, editor, coordinator, org, campaign
):
    client.force_login(editor)
    client.post("/en/events/new/", event_data(org, title="Yoga", campaign=campaign.pk))
    client.post("/en/events/new/", event_data(org, title="Quiz", campaign=campaign.pk))
    yoga, quiz = Event.objects.get(title="Yoga"), Event.objects.get(title="Quiz")
    assert yoga.campaign_status == quiz.campaign_status == "proposed"
    assert "Yoga" not in client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert (
        client.post(f"/en/campaigns/{campaign.slug}/proposals/", {"event": yoga.pk, "decision": "accept"}).status_code
        == 403
    )

    client.force_login(coordinator)
    assert "Quiz" in client.get(f"/en/campaigns/{campaign.slug}/proposals/").content.decode()
    client.post(f"/en/campaigns/{campaign.slug}/proposals/", {"event": yoga.pk, "decision": "accept"})
    client.post(f"/en/campaigns/{campaign.slug}/proposals/", {"event": quiz.pk, "decision": "decline"})
    response = client.get(f"/en/campaigns/{campaign.slug}/")
    programme = [event.title for _day, events in response.context["programme"] for event in events]
    assert programme == ["Yoga"]
    assert org.name in response.content.decode()
    assert AuditEntry.objects.filter(action="campaign.event_accepted", object_id=str(yoga.pk)).exists()


def test_an_event_outside_the_campaign_period_is_refused(client, editor, org, campaign):
    client.force_login(editor)
    late = in_days(60, 14)
    data = event_data(
        org,
        campaign=campaign.pk,
        starts_at=late.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(late + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post("/en/events/new/", data)
    assert "Week van de Veerkracht runs from" in response.context["form"].errors["campaign"][0]


def test_the_coordinators_own_event_joins_the_programme_at_once(client, coordinator, org, campaign):
    client.force_login(coordinator)
    client.post("/en/events/new/", event_data(org, title="Opening", campaign=campaign.pk))
    assert Event.objects.get(title="Opening").campaign_status == "accepted"


def test_the_campaign_page_shows_its_figures(client, campaign, make_event, make_org, org, settings):
    from samen.activities.events import services as events_services

    settings.SAMEN_CHECK_IN_DAYS_BEFORE = 7  # the events start in three days
    from samen.activities.tests.events.fixtures import register

    yoga = make_event(campaign=campaign, campaign_status="accepted", capacity=60)
    fair = make_event(campaign=campaign, campaign_status="accepted", organisation=make_org(name="Buurtwerk"))
    make_event(campaign=campaign, campaign_status="proposed")  # not in the figures
    a = register(yoga, "a@example.org", resident=True)
    register(yoga, "b@example.org")
    register(fair, "c@example.org")
    events_services.registration_check_in(event=yoga, code=a.code, actor=None)
    events_services.walk_ins_add(event=fair, count=10, residents=4, actor=None)

    figures = client.get(f"/en/campaigns/{campaign.slug}/").context["figures"]
    assert (figures.partners, figures.events, figures.registrations) == (2, 2, 3)
    assert (figures.attendance, figures.residents) == (11, 5)


def test_a_malformed_decision_is_a_bad_request_not_an_error(client, coordinator, campaign):
    client.force_login(coordinator)
    url = f"/en/campaigns/{campaign.slug}/proposals/"
    assert client.post(url, {"event": "abc", "decision": "accept"}).status_code == 400
    assert client.post(url, {"event": "1", "decision": "maybe"}).status_code == 400
    assert client.post(url, {"event": "99999", "decision": "accept"}).status_code == 404


def test_raising_the_capacity_of_an_event_that_started_promotes_nobody(event, coordinator, mailoutbox):
    from samen.activities.events import services
    from samen.activities.events.models import Registration
    from samen.activities.tests.events.fixtures import register

    for email in ("a@example.org", "b@example.org", "c@example.org"):
        register(event, email)
    Event.objects.filter(pk=event.pk).update(starts_at=in_days(-1, 10), ends_at=in_days(1, 10))
    started = Event.objects.get(pk=event.pk)
    started.capacity = 10
    services.event_save(event=started, actor=coordinator, check_dates=False)
    assert Registration.objects.get(email="c@example.org").status == "waiting"


def test_a_draft_campaign_in_the_link_is_not_put_on_a_partners_form(client, editor, coordinator, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(is_published=False)
    client.force_login(editor)
    form = client.get(f"/en/events/new/?campaign={campaign.slug}").context["form"]
    assert form.initial.get("campaign") is None and form.instance.campaign_id is None
    assert campaign.title not in client.get(f"/en/events/new/?campaign={campaign.slug}").content.decode()
    client.force_login(coordinator)
    form = client.get(f"/en/events/new/?campaign={campaign.slug}").context["form"]
    assert form.instance.campaign_id == campaign.pk  # the backbone prepares its own draft campaign's programme


def test_the_campaign_dates_in_the_refusal_are_in_the_page_language():
    """ "1 maart 2027" on a Dutch page, "March 1, 2027" on an English one; never 01/03/2027."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone, translation

    from samen.activities.events.models import Campaign
    from samen.activities.events.services import event_validate

    campaign = Campaign(title="Week", starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 3, 7))
    starts = timezone.make_aware(datetime.datetime(2027, 5, 10, 14, 0))
    for language, expected in (("nl", "loopt van 1 maart 2027 tot 7 maart 2027; dit evenement valt op 10 mei 2027."),
                               ("en", "runs from March 1, 2027 to March 7, 2027; this event is on May 10, 2027.")):  # fmt: skip
        with translation.override(language), pytest.raises(ValidationError) as refused:
            event_validate(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), campaign=campaign)
        assert expected in refused.value.message_dict["campaign"][0]
