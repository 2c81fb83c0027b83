import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from conftest import message_text
from samen.communication import newsletters
from samen.communication.models import Delivery, Newsletter, Profile


def consent(*users):
    for user in users:
        Profile.objects.update_or_create(
            user=user, defaults={"newsletter_consent": True, "newsletter_consent_at": timezone.now()}
        )


@pytest.fixture
def letter(coordinator):
    return newsletters.newsletter_save(
        newsletter=Newsletter(
            subject_nl="Nieuwsbrief maart",
            body_nl="<p>Hallo <script>x</script></p>",
            subject_en="March newsletter",
            body_en="<p>Hello</p>",
        ),
        actor=coordinator,
        relations={},
    )


def test_only_people_who_consented_are_in_the_segment(letter, member, make_user):
    consent(member)
    make_user()
    assert list(newsletters.recipients(letter)) == [member]
    assert "script" not in letter.body_nl


def test_a_segment_narrows_by_sector_role_neighbourhood_and_campaign_participants(
    letter, member, editor, coordinator, org, areas, make_user, make_sector
):
    """The other filters of the issue's segment: sector, role, neighbourhood (with the areas below), campaign."""
    import datetime

    from samen.activities.events.models import Campaign, Event, Registration

    consent(member, editor, coordinator)
    assert set(newsletters.recipients(letter)) == {member, editor, coordinator}
    letter.sectors.set([org.sector])  # the editor works at an organisation of that sector
    assert list(newsletters.recipients(letter)) == [editor]
    letter.sectors.set([make_sector()])
    assert list(newsletters.recipients(letter)) == []
    letter.sectors.clear()
    letter.roles = ["backbone"]
    assert list(newsletters.recipients(letter)) == [coordinator]
    letter.roles = ["editor", "backbone"]
    assert set(newsletters.recipients(letter)) == {editor, coordinator}
    letter.roles = []
    member.member.neighbourhood = areas["runkst"]
    member.member.save()
    letter.areas.set([areas["centrum"]])  # the district holds Runkst
    assert list(newsletters.recipients(letter)) == [member]
    letter.areas.set([areas["kermt"]])
    assert list(newsletters.recipients(letter)) == []
    letter.areas.clear()
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="week", title="Week", theme="Samen", starts_on=today, ends_on=today + datetime.timedelta(days=9)
    )
    starts = timezone.now() + datetime.timedelta(days=2)
    event = Event.objects.create(
        slug="ontbijt", title="Ontbijt", organisation=org, campaign=campaign, campaign_status="accepted",
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), place_name="Zaal", address="Markt 1",
    )  # fmt: skip
    Registration.objects.create(
        event=event, member=member.member, name="Mila", email=member.email, code="AB12", status="confirmed"
    )
    Registration.objects.create(
        event=event, member=editor.member, name="Eva", email=editor.email, code="CD34", status="cancelled"
    )  # who cancelled took no part
    letter.campaigns.set([campaign])
    assert list(newsletters.recipients(letter)) == [member]


def test_a_segment_narrows_by_action_domain_and_circle(letter, member, make_user, make_domain):
    other = make_user()
    consent(member, other)
    domain = make_domain()
    member.member.interests.add(domain)
    letter.action_domains.add(domain)
    assert list(newsletters.recipients(letter)) == [member]
    letter.circles = ["design-team"]
    assert list(newsletters.recipients(letter)) == []


def test_the_page_shows_the_count_the_people_and_both_previews(client, coordinator, letter, member):
    consent(member)
    client.force_login(coordinator)
    response = client.get(f"/en/newsletters/{letter.pk}/")
    body = response.content.decode()
    assert response.context["count"] == 1 and member.get_full_name() in body
    assert "Nieuwsbrief maart" in body and "March newsletter" in body


def test_a_test_goes_to_the_writer_only(client, coordinator, letter, member, smtp_inbox):
    consent(member)
    client.force_login(coordinator)
    client.post(f"/nl/newsletters/{letter.pk}/test/")
    assert [m["To"] for m in smtp_inbox.messages] == [coordinator.email]


def test_sending_delivers_to_each_recipient_with_unsubscribe_headers_and_a_log(
    coordinator, letter, member, make_user, smtp_inbox, django_capture_on_commit_callbacks
):
    other = make_user()
    consent(member, other)
    Profile.objects.filter(user=other).update(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletters.newsletter_send(newsletter=letter, actor=coordinator) == 2
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted([member.email, other.email])
    english = next(m for m in smtp_inbox.messages if m["To"] == other.email)
    assert "March newsletter" in english["Subject"] and "Hello" in message_text(english)
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    letter.refresh_from_db()
    assert letter.status == "sent"


def test_a_second_send_is_refused(coordinator, letter, member, django_capture_on_commit_callbacks):
    consent(member)
    newsletters.newsletter_send(newsletter=letter, actor=coordinator)
    with translation.override("en"), pytest.raises(ValidationError, match="never sent twice"):
        newsletters.newsletter_send(newsletter=letter, actor=coordinator)
    assert Delivery.objects.count() == 1


def test_an_empty_segment_is_refused_with_a_message(client, coordinator, letter):
    client.force_login(coordinator)
    response = client.post(f"/en/newsletters/{letter.pk}/send/", follow=True)
    assert "Nobody in this segment" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == "draft"


def test_a_failed_delivery_keeps_its_reason(
    coordinator, letter, member, monkeypatch, django_capture_on_commit_callbacks
):
    consent(member)

    def broken(self, *args, **kwargs):
        raise OSError("mail server said no")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        newsletters.newsletter_send(newsletter=letter, actor=coordinator)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "said no" in delivery.reason


def test_queuing_costs_the_same_queries_per_batch(coordinator, letter, make_user, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(newsletters, "BATCH", 5)
    people = [make_user() for _ in range(15)]
    consent(*people)
    with CaptureQueriesContext(connection) as ctx:
        newsletters.newsletter_send(newsletter=letter, actor=coordinator)
    three_batches = len(ctx)
    letter2 = newsletters.newsletter_save(
        newsletter=Newsletter(subject_nl="b", body_nl="b"), actor=coordinator, relations={}
    )
    more = [make_user() for _ in range(5)]
    consent(*more)
    with CaptureQueriesContext(connection) as ctx:
        newsletters.newsletter_send(newsletter=letter2, actor=coordinator)
    assert len(ctx) == three_batches + 1  # one more batch: one more insert, nothing per person


def test_a_batch_run_twice_at_once_mails_each_person_once_and_skips_who_withdrew(
    coordinator, letter, member, make_user, monkeypatch
):
    """Review finding 4: each delivery is claimed before it is mailed, and consent is read at the moment of mailing."""
    from django.core import mail

    others = [make_user() for _ in range(3)]
    consent(member, *others)
    newsletters.newsletter_send(newsletter=letter, actor=coordinator)  # queued, not run (no on_commit here)
    first, last = Delivery.objects.order_by("pk").first().pk, Delivery.objects.order_by("pk").last().pk
    Profile.objects.filter(user=others[2]).update(newsletter_consent=False)  # one-click unsubscribe after the send
    sent = []
    original = mail.EmailMessage.send

    def send(self, *args, **kwargs):
        sent.append(self.to[0])
        if len(sent) == 1:  # the redelivered task runs while the first is still mailing
            newsletters.newsletter_batch(letter.pk, first, last)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send)
    newsletters.newsletter_batch(letter.pk, first, last)
    assert sorted(sent) == sorted([member.email, others[0].email, others[1].email])
    skipped = Delivery.objects.get(user=others[2])
    assert skipped.status == "skipped"
    letter.refresh_from_db()
    assert letter.status == "sent"


def test_what_a_dead_worker_left_is_finished_later_and_nobody_is_mailed_twice(
    coordinator, letter, make_user, smtp_inbox, django_capture_on_commit_callbacks
):
    """A frozen clock: the batch died at t0 after one mail, while mailing the second; two were never reached."""
    import datetime

    people = [make_user() for _ in range(4)]
    consent(*people)
    newsletters.newsletter_send(newsletter=letter, actor=coordinator)  # queued; the worker then dies
    t0 = timezone.now()
    sent, in_flight, *never_reached = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=sent.pk).update(status="sent", at=t0)
    Delivery.objects.filter(pk=in_flight.pk).update(status="sending", at=t0)
    Delivery.objects.filter(pk__in=[d.pk for d in never_reached]).update(at=t0)

    with django_capture_on_commit_callbacks(execute=True):
        assert newsletters.deliveries_resume(now=t0 + datetime.timedelta(minutes=30)) == {
            "requeued": 0,
            "closed_unknown": 0,
        }  # a slow batch is not a dead one
    assert smtp_inbox.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        assert newsletters.deliveries_resume(now=t0 + datetime.timedelta(minutes=61)) == {
            "requeued": 2,
            "closed_unknown": 1,
        }
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted(d.user.email for d in never_reached)
    in_flight.refresh_from_db()
    with translation.override("en"):
        assert in_flight.status == "failed" and "not known whether it left" in in_flight.reason_text
    letter.refresh_from_db()
    assert letter.status == "sent"

    with django_capture_on_commit_callbacks(execute=True):  # the next runs find nothing to do
        newsletters.deliveries_resume(now=t0 + datetime.timedelta(hours=3))
        newsletters.deliveries_resume(now=t0 + datetime.timedelta(days=2))
    assert len(smtp_inbox.messages) == 2
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["failed", "sent", "sent", "sent"]


def test_a_requeued_batch_and_its_late_original_mail_each_person_once(
    coordinator, letter, make_user, smtp_inbox, django_capture_on_commit_callbacks
):
    import datetime

    people = [make_user() for _ in range(3)]
    consent(*people)
    newsletters.newsletter_send(newsletter=letter, actor=coordinator)
    first, last = Delivery.objects.order_by("pk").first().pk, Delivery.objects.order_by("pk").last().pk
    with django_capture_on_commit_callbacks(execute=True):
        newsletters.deliveries_resume(now=timezone.now() + datetime.timedelta(hours=2))
    newsletters.newsletter_batch(letter.pk, first, last)  # the original task turns up after all
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted(p.email for p in people)


def test_a_newsletter_still_being_mailed_is_not_queued_again_behind_a_busy_queue(
    coordinator, letter, make_user, django_capture_on_commit_callbacks
):
    """Review comm2 (second reader) finding 3: old queued deliveries of a newsletter that still moves are waiting."""
    import datetime

    people = [make_user() for _ in range(3)]
    consent(*people)
    newsletters.newsletter_send(newsletter=letter, actor=coordinator)
    t0 = timezone.now()
    done, *waiting = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk__in=[d.pk for d in waiting]).update(at=t0)
    Delivery.objects.filter(pk=done.pk).update(status="sent", at=t0 + datetime.timedelta(minutes=50))
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletters.deliveries_resume(now=t0 + datetime.timedelta(minutes=70))["requeued"] == 0
        assert newsletters.deliveries_resume(now=t0 + datetime.timedelta(minutes=111))["requeued"] == 2


def test_reasons_samen_writes_are_shown_in_the_readers_language(client, coordinator, letter, member):
    """Review comm2 (second reader) finding 5."""
    from samen.communication.models import Delivery

    Newsletter.objects.filter(pk=letter.pk).update(status="sent")
    Delivery.objects.create(newsletter=letter, user=member, status="skipped", reason=Delivery.REASON_NO_CONSENT)
    client.force_login(coordinator)
    page = client.get(f"/nl/newsletters/{letter.pk}/").content.decode()
    assert "toestemming ingetrokken of account gesloten" in page and "no consent" not in page


def test_a_batch_costs_the_same_queries_for_few_and_many_people(coordinator, letter, make_user, smtp_inbox):
    """The batch is claimed in one UPDATE and recorded in bulk: not two queries per person any more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(count):
        people = [make_user() for _ in range(count)]
        consent(*people)
        news = newsletters.newsletter_save(
            newsletter=Newsletter(subject_nl=f"n{count}", body_nl="b"), actor=coordinator, relations={}
        )
        newsletters.newsletter_send(newsletter=news, actor=coordinator)  # queued only (no on_commit here)
        rows = Delivery.objects.filter(newsletter=news).order_by("pk")
        Profile.objects.filter(user__in=people).update(newsletter_consent=True)
        with CaptureQueriesContext(connection) as ctx:
            assert newsletters.newsletter_batch(news.pk, rows.first().pk, rows.last().pk) == count
        assert set(rows.values_list("status", flat=True)) == {"sent"}
        Profile.objects.filter(user__in=people).update(newsletter_consent=False)  # out of the next segment
        return len(ctx)

    assert run(2) == run(newsletters.RECORD_EVERY)
    assert len(smtp_inbox.messages) == 2 + newsletters.RECORD_EVERY


def test_a_worker_dead_midway_a_claimed_batch_leaves_only_the_mails_in_flight_in_doubt(
    coordinator, letter, make_user, smtp_inbox, monkeypatch, django_capture_on_commit_callbacks
):
    """Claimed together, recorded every RECORD_EVERY: the rows being mailed are closed as failed, never mailed again;
    the rows after them were never tried and go out once on resume; nobody gets the newsletter twice."""
    import datetime

    from django.core import mail

    class WorkerKilled(BaseException):
        pass

    monkeypatch.setattr(newsletters, "RECORD_EVERY", 2)
    people = [make_user() for _ in range(5)]
    consent(*people)
    newsletters.newsletter_send(newsletter=letter, actor=coordinator)
    rows = list(Delivery.objects.order_by("pk"))
    original, sent = mail.EmailMessage.send, []

    def send(self, *args, **kwargs):
        if len(sent) == 3:  # mails 1-2 recorded, mail 3 left, the worker dies while mailing number 4
            raise WorkerKilled
        sent.append(self.to[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send)
    with pytest.raises(WorkerKilled):
        newsletters.newsletter_batch(letter.pk, rows[0].pk, rows[-1].pk)
    monkeypatch.setattr(mail.EmailMessage, "send", original)
    statuses = list(Delivery.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "sending", "sending", "sending"]

    with django_capture_on_commit_callbacks(execute=True):
        assert newsletters.deliveries_resume(now=timezone.now() + datetime.timedelta(minutes=61)) == {
            "requeued": 1,
            "closed_unknown": 2,
        }
    statuses = list(Delivery.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "failed", "failed", "sent"]
    mailed = [m["To"] for m in smtp_inbox.messages]
    assert sorted(mailed) == sorted([people[0].email, people[1].email, people[2].email, people[4].email])
    assert len(set(mailed)) == len(mailed)
    letter.refresh_from_db()
    assert letter.status == "sent"


def test_a_paused_run_taken_for_dead_mails_nobody_twice(
    coordinator, letter, make_user, smtp_inbox, monkeypatch, django_capture_on_commit_callbacks
):
    """Review comm3 finding 1: the run stalls an hour at its first mail; resume closes what it was mailing, queues
    the rest again and a new batch mails it; then the old run goes on. Each part is taken again before it is
    mailed, so the old run mails only its own part: every person exactly once."""
    import datetime

    from django.core import mail

    monkeypatch.setattr(newsletters, "RECORD_EVERY", 2)
    people = [make_user() for _ in range(5)]
    consent(*people)
    newsletters.newsletter_send(newsletter=letter, actor=coordinator)
    rows = list(Delivery.objects.order_by("pk"))
    original, calls = mail.EmailMessage.send, []

    def send(self, *args, **kwargs):
        calls.append(self.to[0])
        if len(calls) == 1:  # paused for an hour: the periodic job finds the claim "stuck"
            with django_capture_on_commit_callbacks(execute=True):
                newsletters.deliveries_resume(now=timezone.now() + datetime.timedelta(minutes=61))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send)
    newsletters.newsletter_batch(letter.pk, rows[0].pk, rows[-1].pk)
    mailed = sorted(m["To"] for m in smtp_inbox.messages)
    assert mailed == sorted(p.email for p in people)  # five mails, one each


def test_who_unsubscribes_while_the_batch_is_mailed_is_skipped(coordinator, letter, make_user, monkeypatch, smtp_inbox):
    """Review comm3 finding 3: consent is read again before each part, not once for the whole batch."""
    from django.core import mail

    monkeypatch.setattr(newsletters, "RECORD_EVERY", 2)
    people = [make_user() for _ in range(4)]
    consent(*people)
    newsletters.newsletter_send(newsletter=letter, actor=coordinator)
    rows = list(Delivery.objects.order_by("pk"))
    original = mail.EmailMessage.send

    def send(self, *args, **kwargs):
        Profile.objects.filter(user=people[3]).update(newsletter_consent=False)  # one click during the first part
        return original(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send)
    assert newsletters.newsletter_batch(letter.pk, rows[0].pk, rows[-1].pk) == 3
    assert Delivery.objects.get(user=people[3]).status == "skipped"
    assert people[3].email not in [m["To"] for m in smtp_inbox.messages]


def test_the_partner_editors_segment_is_the_role_not_the_group(letter, editor, org, make_user):
    """Partner editors are the group *and* an editor membership (the one rule): someone in the group who edits
    nothing, or an editor taken out of the group, is not in it."""
    from samen.core.permissions import PARTNER_EDITORS
    from samen.core.tests.factories import make_former_editor

    group_only = make_user(groups=[PARTNER_EDITORS])
    consent(editor, group_only, make_former_editor(org))
    letter.roles = ["editor"]
    assert list(newsletters.recipients(letter)) == [editor]
