"""Work reaches the people who must act, through the lower apps' services and their signals (issue 12):
a steward learns that values were returned (with the reason), the backbone that values wait or a partner was
proposed, an organiser that someone signed up for a role or registered; a member that their proposal was
answered or that they are asked to take a role."""

import datetime

import pytest
from django.utils import timezone

from samen.communication.models import Notification, Topic


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """The signals are sent after the commit, as in a request."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def texts(user, topic):
    return [n.text for n in Notification.objects.filter(user=user, topic=topic)]


@pytest.fixture
def role(org):
    from samen.activities.models import Activity, Role

    activity = Activity.objects.create(slug="buurtcafe", title="Buurtcafé", summary="Koffie", lead_organisation=org)
    return Role.objects.create(activity=activity, title="Gastheer", places=3, time_asked="twee uur per week")


def test_the_organiser_hears_that_someone_signed_up_for_a_role(role, editor, member, commit):
    from samen.activities.services import role_signup

    with commit():
        role_signup(role=role, member=member.member)
    assert texts(editor, Topic.WORK) == ["Iemand schreef zich in voor de rol Gastheer in Buurtcafé"]
    assert not Notification.objects.filter(user=member).exists()


def test_a_member_asked_to_take_a_role_hears_it(role, editor, member, commit):
    from samen.activities.services import role_invite

    with commit():
        role_invite(role=role, member=member.member, actor=editor)
    assert [n.url for n in Notification.objects.filter(user=member, topic=Topic.ROLES)] == [
        role.activity.get_absolute_url()
    ]


def test_the_organiser_hears_of_a_registration_without_the_persons_name(editor, org, commit):
    from samen.activities.events.models import Event, Registration
    from samen.core import signals

    starts = timezone.now() + datetime.timedelta(days=4)
    event = Event.objects.create(
        slug="ontbijt", title="Buurtontbijt", organisation=org, starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2), place_name="Zaal", address="Markt 1",
    )  # fmt: skip
    registration = Registration.objects.create(event=event, name="Jan Peeters", email="jan@example.org", code="K7Q2")
    signals.registration_made.send(sender=Registration, registration_id=registration.pk)
    [text] = texts(editor, Topic.WORK)
    assert "Buurtontbijt" in text and "Jan" not in text and "jan@" not in text


def test_the_author_hears_that_their_proposal_was_answered(member, coordinator, commit):
    from samen.agenda.models import Proposal
    from samen.agenda.services import proposal_answer

    proposal = Proposal.objects.create(kind="challenge", title="Meer bankjes", body="In het park", author=member)
    with commit():
        proposal_answer(proposal=proposal, actor=coordinator, status="not-now", answer="Volgend jaar")
    assert texts(member, Topic.PROPOSALS) == ["Je voorstel kreeg een antwoord: Meer bankjes"]


def test_the_backbone_hears_that_a_partner_was_proposed(member, coordinator, make_sector, commit):
    from samen.network.services import partner_propose

    with commit():
        partner_propose(member=member.member, name="Buurtwerk Oost", sector=make_sector(), website="", reason="Sterk")
    assert texts(coordinator, Topic.WORK) == ["Er werd een partner voorgesteld: Buurtwerk Oost"]


def test_values_waiting_reach_the_backbone_and_returned_ones_the_steward_with_the_reason(
    editor, coordinator, make_indicator, areas, put, commit
):
    from samen.measurement.services import measurements_return, measurements_submit

    indicator = make_indicator("three-numbers", unit="count", kind="value", direction="up", frequency="quarterly")
    value = put(indicator, 2025, value=10, status="draft")
    value.organisation = indicator.steward  # as the steward's entry page stores it
    value.save(update_fields=["organisation"])
    with commit():
        measurements_submit(measurements=[value], actor=editor)
    assert texts(coordinator, Topic.WORK) == ["1 waarde wacht op je goedkeuring"]
    value.refresh_from_db()
    with commit():
        measurements_return(measurements=[value], actor=coordinator, comment="Q1 lijkt dubbel geteld")
    [returned] = texts(editor, Topic.WORK)
    assert "werd teruggestuurd" in returned and "Q1 lijkt dubbel geteld" in returned


def test_an_editor_taken_out_of_the_group_no_longer_hears_of_the_organisations_work(role, editor, member, commit):
    from samen.activities.services import role_signup
    from samen.core.tests.factories import make_former_editor

    former = make_former_editor(role.activity.lead_organisation)
    with commit():
        role_signup(role=role, member=member.member)
    assert texts(editor, Topic.WORK) and not texts(former, Topic.WORK)
