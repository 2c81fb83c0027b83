"""The public challenge pages: the challenge, its figures with the people behind them, who works on it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samen.activities.models import Activity
from samen.agenda.models import Comment, Proposal, Story, Support
from samen.core.models import AuditEntry


@pytest.fixture
def activity(org, challenge):
    activity = Activity.objects.create(
        slug="belkring-runkst", title="Phone circle Runkst", summary="Neighbours call.", lead_organisation=org
    )
    activity.action_domains.set([challenge.domain])
    activity.challenges.set([challenge])
    return activity


def test_the_list_shows_published_challenges_only(client, make_challenge):
    make_challenge("een", title_en="Nobody alone at home")
    make_challenge("twee", title_en="Secret draft", status="draft")
    body = client.get("/en/challenges/").content.decode()
    assert "Nobody alone at home" in body
    assert "Secret draft" not in body


def test_a_draft_is_a_404_for_the_public_but_the_backbone_previews_it(client, member, coordinator, make_challenge):
    make_challenge("concept", status="draft")
    assert client.get("/en/challenges/concept/").status_code == 404
    client.force_login(member)
    assert client.get("/en/challenges/concept/").status_code == 404
    client.force_login(coordinator)
    assert "Draft: only the backbone sees this page." in client.get("/en/challenges/concept/").content.decode()


def test_the_page_tells_the_story_in_both_languages(client, challenge):
    assert "Behind the figures are people." in client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    assert "Achter de cijfers zitten mensen." in client.get("/nl/challenges/niemand-alleen-thuis/").content.decode()


def test_every_percentage_says_how_many_people_and_where_with_small_counts_hidden(client, challenge, visits):
    visits.challenges.add(challenge)
    body = client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    # 60 of 1,000 surveyed: 6%, of the 5,070 residents over 80 in Hasselt about 304 people.
    assert "6.0%" in body
    assert "(60 of 1,000)" in body
    assert "6.0% of residents (60 of 1,000); about 300 of the 5,070 residents in Hasselt in 2015" in body
    # Per neighbourhood: Terhilst is shown; Kiewit (3 of 60) is a small count and hidden, and Runkst
    # with it, or Kiewit could be worked out from Centrum's total.
    assert '<th scope="row" class="depth-2">Terhilst</th><td>5.0%</td><td>27 of 540</td>' in body
    kiewit = body.split('class="depth-2">Kiewit</th>')[1].split("</tr>")[0]
    assert "hidden" in kiewit and "60" not in kiewit
    runkst = body.split('class="depth-2">Runkst</th>')[1].split("</tr>")[0]
    assert "hidden" in runkst and "400" not in runkst


def test_an_unpublished_indicator_stays_off_the_page(client, challenge, visits):
    visits.challenges.add(challenge)
    visits.is_published = False
    visits.save()
    assert (
        "People over 84 visited less than once a week"
        not in client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    )


def test_the_activities_that_work_on_it_are_listed_with_a_join_link(client, challenge, activity):
    body = client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    assert "Phone circle Runkst" in body
    assert "Wijkzorg Runkst" in body
    url = reverse("activities:activity", kwargs={"slug": activity.slug})
    assert f'<a class="button small" href="{url}">Join' in body


def test_an_unpublished_activity_is_not_listed(client, challenge, activity):
    activity.is_published = False
    activity.save()
    assert "Phone circle Runkst" not in client.get("/en/challenges/niemand-alleen-thuis/").content.decode()


def test_the_calls_to_action_are_one_click_away(client, member, challenge, activity):
    body = client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    assert 'href="/en/proposals/new/?challenge=niemand-alleen-thuis"' in body
    assert 'href="/en/stories/new/?challenge=niemand-alleen-thuis"' in body
    assert 'href="#activities"' in body
    assert 'href="/en/account/signup/"' in body
    client.force_login(member)
    assert (
        'href="/en/network/invite/">Invite someone'
        in client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    )


def test_the_home_page_shows_challenges_with_their_people(client, challenge, visits):
    from samen.agenda.models import Initiative

    visits.challenges.add(challenge)
    Initiative.objects.create(
        name="Hasselt Zorgstad",
        baseline_nl="b",
        baseline_en="b",
        vision_nl="v",
        vision_en="v",
        region="Hasselt",
        start_date="2017-06-01",
    )
    body = client.get("/en/").content.decode()
    assert "Challenges with a face" in body
    assert 'href="/en/challenges/niemand-alleen-thuis/"' in body
    assert "about 300 of the 5,070 residents" in body


def test_the_backbone_chooses_the_indicators_of_a_challenge(client, coordinator, member, challenge, visits):
    client.force_login(member)
    assert client.get("/en/challenges/niemand-alleen-thuis/indicators/").status_code == 403
    client.force_login(coordinator)
    response = client.post("/en/challenges/niemand-alleen-thuis/indicators/", {"indicators": [visits.pk]})
    assert response["Location"] == "/en/challenges/niemand-alleen-thuis/"
    assert list(challenge.indicators.all()) == [visits]
    entry = AuditEntry.objects.get(action="challenge.indicators_set")
    assert entry.changes == {"indicators": [[], ["eld-visit-weekly"]]}


# --- Query counts: constant in the number of proposals, supports and comments ------------------


def _queries(client, url: str) -> int:
    from django.core.cache import cache

    from samen.core import local_copies

    cache.clear()  # figures are computed each time, not read from the cache the first call filled
    local_copies.clear_all()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(challenges, make_user, count: int) -> None:
    people = [make_user() for _ in range(3)]
    for challenge in challenges:
        for i in range(count):
            p = Proposal.objects.create(
                kind="idea", challenge=challenge, author=people[i % 3], title=f"Idea {i}", body="Text"
            )
            for person in people:
                Support.objects.create(proposal=p, member=person)
            Comment.objects.bulk_create(Comment(proposal=p, author=people[0], body=f"C {j}") for j in range(3))
        Story.objects.create(
            challenge=challenge,
            title=f"Story {count}",
            body="B",
            language="nl",
            privacy="anonymised",
            author=people[0],
            status="published",
        )


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_challenge_page_costs_the_same_queries_for_few_and_many_proposals(
    client, make_user, member, challenge, activity, visits, signed_in
):
    visits.challenges.add(challenge)
    if signed_in:
        client.force_login(member)
    url = "/en/challenges/niemand-alleen-thuis/"
    _grow([challenge], make_user, 1)
    _event(activity, 1)
    few = _queries(client, url)
    _grow([challenge], make_user, 12)
    for number in range(2, 8):
        _event(activity, number)
    assert _queries(client, url) == few


def _event(activity, number):
    from samen.activities.events.models import Event

    start = timezone.now() + datetime.timedelta(days=number)
    return Event.objects.create(
        slug=f"event-{number}",
        title=f"Buurtkoffie {number}",
        organisation=activity.lead_organisation,
        activity=activity,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place_name="Buurthuis Runkst",
        address="Runkstersteenweg 1, 3500 Hasselt",
    )


def test_the_challenge_page_invites_to_the_next_events_of_its_activities(client, challenge, activity, org):
    from samen.activities.events.models import Event

    past = _event(activity, 1)
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=3), ends_at=timezone.now() - datetime.timedelta(days=3)
    )
    soon = _event(activity, 2)
    hidden = _event(activity, 3)
    Event.objects.filter(pk=hidden.pk).update(is_published=False)
    body = client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    assert "Come to an event" in body
    assert soon.get_absolute_url() in body
    assert past.get_absolute_url() not in body
    assert hidden.get_absolute_url() not in body


def test_the_challenge_list_costs_the_same_queries_for_few_and_many_challenges(
    client, make_user, make_challenge, visits
):
    first = [make_challenge(f"c-{i}") for i in range(2)]
    for c in first:
        visits.challenges.add(c)
    _grow(first, make_user, 1)
    few = _queries(client, "/en/challenges/")
    more = [make_challenge(f"d-{i}") for i in range(6)]
    _grow(first + more, make_user, 5)
    assert _queries(client, "/en/challenges/") == few


def test_the_proposal_list_and_page_cost_the_same_queries_for_few_and_many(client, member, make_user, challenge):
    client.force_login(member)
    _grow([challenge], make_user, 1)
    proposal = Proposal.objects.first()
    few_list, few_page = _queries(client, "/en/proposals/"), _queries(client, proposal.get_absolute_url())
    _grow([challenge], make_user, 15)
    for i in range(10):
        Comment.objects.create(proposal=proposal, author=make_user(), body=f"More {i}")
    assert _queries(client, "/en/proposals/") == few_list
    assert _queries(client, proposal.get_absolute_url()) == few_page


def test_the_home_page_costs_the_same_queries_for_few_and_many_challenges(client, make_user, make_challenge, visits):
    from samen.agenda.models import Initiative

    Initiative.objects.create(
        name="Hasselt Zorgstad",
        baseline_nl="b",
        baseline_en="b",
        vision_nl="v",
        vision_en="v",
        region="Hasselt",
        start_date="2017-06-01",
    )
    first = [make_challenge("c-0")]
    visits.challenges.add(first[0])
    _grow(first, make_user, 1)
    few = _queries(client, "/en/")
    more = [make_challenge(f"d-{i}") for i in range(5)]
    for c in more:
        visits.challenges.add(c)
    _grow(first + more, make_user, 4)
    assert _queries(client, "/en/") == few


def test_the_backbone_writes_a_challenge_on_the_site_with_a_face(client, coordinator, make_domain):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samen.agenda.models import Challenge
    from samen.agenda.tests.fixtures import gps_exif, image_bytes

    domain = make_domain("zorgzame-buurten")
    client.force_login(coordinator)
    data = {
        "title_nl": "Niemand alleen thuis",
        "title_en": "Nobody alone at home",
        "slug": "niemand-alleen-thuis",
        "summary_nl": "Kort.",
        "summary_en": "Short.",
        "story_nl": "Verhaal.",
        "story_en": "Story.",
        "domain": domain.pk,
        "status": "published",
        "order": 1,
        "image_kind": "photo",
        "image_alt_nl": "Maria aan haar deur",
        "image_alt_en": "Maria at her door",
        "focal_point": "top",
        "consent_by": "",
        "consent_on": "",
        "image": SimpleUploadedFile("maria.jpg", image_bytes(exif=gps_exif()), content_type="image/jpeg"),
    }
    body = client.post("/en/challenges/new/", data).content.decode()
    assert 'id="id_consent_by_errors"' in body
    assert "A photo of a person needs their consent: say who gave it." in body
    assert not Challenge.objects.exists()
    data.update(consent_by="Maria Peeters", consent_on="2026-10-01")
    data["image"] = SimpleUploadedFile("maria.jpg", image_bytes(exif=gps_exif()), content_type="image/jpeg")
    response = client.post("/en/challenges/new/", data)
    assert response["Location"] == "/en/challenges/niemand-alleen-thuis/"
    challenge = Challenge.objects.get()
    assert (challenge.title_en, challenge.consent_by, challenge.focal_point) == (
        "Nobody alone at home",
        "Maria Peeters",
        "top",
    )
    with challenge.image.open("rb") as stored:
        assert b"DemoCam" not in stored.read()
    assert AuditEntry.objects.filter(action="challenge.created", actor=coordinator).exists()

    response = client.post(
        "/en/challenges/niemand-alleen-thuis/edit/", {**data, "image": "", "title_en": "Nobody alone"}
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title_en == "Nobody alone"
    assert challenge.image  # kept when no new file is sent
    entry = AuditEntry.objects.get(action="challenge.updated")
    assert entry.changes["title_en"] == ["Nobody alone at home", "Nobody alone"]


def test_an_accepted_proposal_for_a_new_challenge_starts_the_challenge_form(client, coordinator, make_proposal):
    proposal = make_proposal(None, title="Jonge mantelzorgers", body="Ze staan er alleen voor.", status="accepted")
    client.force_login(coordinator)
    page = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert f'href="/en/challenges/new/?from={proposal.pk}"' in page
    form = client.get(f"/en/challenges/new/?from={proposal.pk}").content.decode()
    assert 'value="Jonge mantelzorgers"' in form
    assert "Ze staan er alleen voor." in form
    assert 'value="Jonge mantelzorgers"' not in client.get("/en/challenges/new/?from=x").content.decode()
