from samen.communication.models import Follow, FollowKind, Notification
from samen.communication.services import follow_defaults_apply


def test_a_member_follows_an_action_domain_with_the_button_and_stops_again(client, member, make_domain):
    domain = make_domain()
    client.force_login(member)
    data = {"kind": "domain", "id": domain.pk, "follow": "1", "next": "/nl/agenda/"}
    response = client.post("/nl/follow/", data)
    assert response.status_code == 302 and response["Location"] == "/nl/agenda/"
    assert Follow.objects.filter(user=member, kind="domain", object_id=domain.pk).exists()
    client.post("/nl/follow/", {**data, "follow": "1"})  # twice is still once
    assert Follow.objects.filter(user=member).count() == 1
    client.post("/nl/follow/", {**data, "follow": "0"})
    assert not Follow.objects.filter(user=member).exists()


def test_following_something_that_does_not_exist_is_refused(client, member):
    client.force_login(member)
    client.post("/nl/follow/", {"kind": "domain", "id": 999999, "follow": "1"})
    client.post("/nl/follow/", {"kind": "planet", "id": 1, "follow": "1"})
    assert not Follow.objects.exists()


def test_a_visitor_cannot_follow(client, make_domain):
    response = client.post("/nl/follow/", {"kind": "domain", "id": make_domain().pk, "follow": "1"})
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_the_next_address_never_leads_off_the_site(client, member, make_domain):
    client.force_login(member)
    response = client.post(
        "/nl/follow/", {"kind": "domain", "id": make_domain().pk, "follow": "1", "next": "https://evil.example/"}
    )
    assert "evil" not in response["Location"]


def test_defaults_come_from_the_profile_once(member, make_domain, org):
    from samen.network.models import Membership

    domain = make_domain()
    member.member.interests.add(domain)
    Membership.objects.create(member=member.member, organisation=org)
    assert follow_defaults_apply(user=member) == 2
    assert set(Follow.objects.filter(user=member).values_list("kind", "object_id")) == {
        (FollowKind.DOMAIN, domain.pk),
        (FollowKind.ORGANISATION, org.pk),
    }
    Follow.objects.filter(user=member, kind=FollowKind.ORGANISATION).delete()
    assert follow_defaults_apply(user=member) == 0  # what they unfollowed stays unfollowed


def test_the_following_page_lists_what_i_follow(client, member, make_domain):
    domain = make_domain(name_nl="Zorg dichtbij")
    Follow.objects.create(user=member, kind="domain", object_id=domain.pk)
    client.force_login(member)
    assert "Zorg dichtbij" in client.get("/nl/following/").content.decode()


def test_followers_of_a_domain_hear_of_news_in_it_but_others_do_not(
    member, make_user, coordinator, make_domain, publish_news, django_capture_on_commit_callbacks
):
    domain = make_domain()
    other = make_user()
    Follow.objects.create(user=member, kind="domain", object_id=domain.pk)
    with django_capture_on_commit_callbacks(execute=True):
        item = publish_news(coordinator, title="Nieuws in het domein", domains=[domain])
    notification = Notification.objects.get(user=member)
    assert notification.text == "Nieuws: Nieuws in het domein" or "Nieuws in het domein" in notification.text
    assert notification.url == item.get_absolute_url() and notification.via == str(domain)
    assert not Notification.objects.filter(user=other).exists()
    assert not Notification.objects.filter(user=coordinator).exists()  # the author needs no notice


def test_the_first_follow_sets_the_language_of_the_persons_mail(client, member, make_domain):
    from samen.communication.models import Profile

    client.force_login(member)
    client.post("/en/follow/", {"kind": "domain", "id": make_domain().pk, "follow": "1"})
    assert Profile.objects.get(user=member).language == "en"


def test_unpublished_things_cannot_be_followed_and_their_titles_are_not_shown(
    client, member, other_org, make_challenge, make_domain, django_assert_max_num_queries
):
    """Review finding 9: follow accepts only public rows; the page names only public ones, in few queries."""
    from samen.activities.models import Activity

    hidden = Activity.objects.create(
        slug="geheim", title="Geheim plan", summary="-", lead_organisation=other_org, is_published=False
    )
    draft = make_challenge(slug="concept", title_nl="Conceptuitdaging", status="draft")
    client.force_login(member)
    client.post("/nl/follow/", {"kind": "activity", "id": hidden.pk, "follow": "1"})
    client.post("/nl/follow/", {"kind": "challenge", "id": draft.pk, "follow": "1"})
    assert not Follow.objects.exists()
    # Followed while public, unpublished later: the page no longer names it.
    Follow.objects.create(user=member, kind="activity", object_id=hidden.pk)
    for n in range(5):
        Follow.objects.create(user=member, kind="domain", object_id=make_domain(name_nl=f"Domein {n}").pk)
    client.get("/nl/following/")  # warm up (session, profile)
    with django_assert_max_num_queries(15):
        page = client.get("/nl/following/").content.decode()
    assert "Geheim plan" not in page and "Domein 4" in page
