import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from samen.communication.models import NewsItem
from samen.communication.services import news_publish_due, news_save


def test_the_backbone_publishes_news_and_everyone_reads_it_in_the_list(client, coordinator, publish_news):
    publish_news(coordinator, title="Buurtcafé opent")
    response = client.get("/nl/news/")
    assert response.status_code == 200
    assert "Buurtcafé opent" in response.content.decode()


def test_the_english_list_says_an_item_is_in_dutch_when_it_has_no_english(client, coordinator, publish_news):
    item = publish_news(coordinator, title="Alleen Nederlands")
    body = client.get("/en/news/").content.decode()
    assert "Alleen Nederlands" in body and "in Dutch" in body
    page = client.get(f"/en/news/{item.slug}/").content.decode()
    assert "This item is in Dutch." in page and 'lang="nl"' in page


def test_an_item_with_both_languages_is_shown_in_the_visitors_language(client, coordinator, publish_news):
    item = publish_news(coordinator, title="Nederlands", title_en="English title", body_en="<p>English</p>")
    assert "English title" in client.get(f"/en/news/{item.slug}/").content.decode()
    assert "Nederlands" in client.get(f"/nl/news/{item.slug}/").content.decode()


def test_scripts_and_styles_are_removed_from_the_text_and_markup_from_the_title(coordinator, publish_news):
    item = publish_news(
        coordinator,
        title="<b>Vet</b><script>alert(1)</script>",
        body_nl='<p onclick="x()">Hallo <script>alert(1)</script><a href="javascript:alert(1)">link</a></p><style>p{}</style>',
    )
    assert item.title_nl == "Vet"
    assert "script" not in item.body_nl and "onclick" not in item.body_nl and "javascript" not in item.body_nl
    assert "style" not in item.body_nl and "<p>Hallo" in item.body_nl


def test_a_partner_editor_writes_news_for_their_own_organisation(editor, org, publish_news):
    item = publish_news(editor, organisation=org)
    assert item.published_at is not None and item.author == editor


def test_a_partner_editor_may_not_write_for_another_organisation_or_for_the_backbone(editor, other_org):
    with pytest.raises(PermissionDenied):
        news_save(item=NewsItem(title_nl="x", organisation=other_org), actor=editor)
    with pytest.raises(PermissionDenied):
        news_save(item=NewsItem(title_nl="x", organisation=None), actor=editor)


def test_a_member_may_not_write_news(client, member):
    client.force_login(member)
    assert client.get("/nl/news/write/").status_code == 403
    with pytest.raises(PermissionDenied):
        news_save(item=NewsItem(title_nl="x"), actor=member)


def test_news_needs_a_title_in_one_language(coordinator):
    with pytest.raises(ValidationError):
        news_save(item=NewsItem(body_nl="<p>zonder titel</p>"), actor=coordinator)


def test_a_draft_is_not_public_but_its_writer_sees_it(client, coordinator, member):
    item = news_save(item=NewsItem(title_nl="Concept"), actor=coordinator)
    assert item.status == "draft"
    assert "Concept" not in client.get("/nl/news/").content.decode()
    client.force_login(member)
    assert client.get(f"/nl/news/{item.slug}/").status_code == 404
    client.force_login(coordinator)
    assert client.get(f"/nl/news/{item.slug}/").status_code == 200


def test_scheduled_news_is_published_by_the_periodic_job_once_its_moment_has_come(coordinator):
    later = timezone.now() + datetime.timedelta(hours=2)
    item = news_save(item=NewsItem(title_nl="Straks", publish_at=later), actor=coordinator)
    assert item.status == "scheduled"
    assert news_publish_due(now=timezone.now()) == 0
    assert news_publish_due(now=later + datetime.timedelta(minutes=1)) == 1
    assert news_publish_due(now=later + datetime.timedelta(minutes=2)) == 0  # never twice
    item.refresh_from_db()
    assert item.published_at == later


def test_the_news_form_saves_an_item_through_the_page(client, coordinator, make_domain):
    domain = make_domain()
    client.force_login(coordinator)
    response = client.post(
        "/nl/news/write/",
        {"title_nl": "Via de pagina", "body_nl": "<p>Hoi</p>", "action_domains": [domain.pk], "publish_at": ""},
    )
    assert response.status_code == 302
    item = NewsItem.objects.get(title_nl="Via de pagina")
    assert item.status == "draft" and list(item.action_domains.all()) == [domain]


def test_an_image_needs_a_text_alternative(client, coordinator):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    client.force_login(coordinator)
    upload = SimpleUploadedFile("a.png", out.getvalue(), content_type="image/png")
    response = client.post("/nl/news/write/", {"title_nl": "Met beeld", "image": upload, "image_alt": ""})
    assert response.status_code == 200
    assert not NewsItem.objects.filter(title_nl="Met beeld").exists()


def test_the_list_filters_by_action_domain_and_organisation(
    client, coordinator, editor, org, make_domain, publish_news
):
    domain = make_domain("zorg")
    publish_news(coordinator, title="In het domein", domains=[domain])
    publish_news(editor, title="Van de partner", organisation=org)
    body = client.get("/nl/news/?domain=zorg").content.decode()
    assert "In het domein" in body and "Van de partner" not in body
    body = client.get(f"/nl/news/?organisation={org.slug}").content.decode()
    assert "Van de partner" in body and "In het domein" not in body


def test_the_atom_feeds_list_published_news(client, coordinator, editor, org, make_domain, publish_news):
    domain = make_domain("zorg")
    publish_news(coordinator, title="Eerste", domains=[domain])
    publish_news(editor, title="Tweede", organisation=org)
    news_save(item=NewsItem(title_nl="Concept"), actor=coordinator)
    feed = client.get("/news.atom")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    text = feed.content.decode()
    assert "Eerste" in text and "Tweede" in text and "Concept" not in text
    assert "Eerste" in client.get("/news/domains/zorg.atom").content.decode()
    assert "Eerste" not in client.get(f"/news/partners/{org.slug}.atom").content.decode()
    assert client.get("/news/domains/nothing.atom").status_code == 404


def test_the_area_feed_holds_the_news_of_the_area_and_the_areas_below_and_the_partner_feed_its_own(
    client, coordinator, editor, org, areas, publish_news
):
    """Atom per area (a district's feed includes its neighbourhoods) and per organisation, as the issue asks."""
    in_runkst = publish_news(coordinator, title="In Runkst")
    in_runkst.areas.set([areas["runkst"]])
    in_kermt = publish_news(coordinator, title="In Kermt")
    in_kermt.areas.set([areas["terhilst"]])
    publish_news(editor, title="Van de partner", organisation=org)
    district = client.get("/news/areas/centrum.atom")
    assert district.status_code == 200 and district["Content-Type"].startswith("application/atom+xml")
    text = district.content.decode()
    assert "In Runkst" in text and "In Kermt" not in text
    assert "In Runkst" in client.get("/news/areas/runkst.atom").content.decode()
    assert "In Runkst" in client.get("/news/areas/hasselt.atom").content.decode()  # the city holds both
    assert "In Kermt" in client.get("/news/areas/hasselt.atom").content.decode()
    partner = client.get(f"/news/partners/{org.slug}.atom").content.decode()
    assert "Van de partner" in partner and "In Runkst" not in partner
    assert client.get("/news/areas/nowhere.atom").status_code == 404


def test_the_news_list_costs_the_same_queries_for_10_and_1000_items(
    client, coordinator, make_domain, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    domain = make_domain()

    def grow(n):
        items = NewsItem.objects.bulk_create(
            [
                NewsItem(slug=f"n-{NewsItem.objects.count()}-{i}", title_nl=f"Bericht {i}", published_at=timezone.now())
                for i in range(n)
            ]
        )
        NewsItem.action_domains.through.objects.bulk_create(
            [NewsItem.action_domains.through(newsitem_id=i.pk, actiondomain_id=domain.pk) for i in items]
        )

    def count():
        with translation.override("nl"), CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("communication:news")).status_code == 200
        return len(ctx)

    grow(10)
    small = count()
    grow(990)
    assert count() == small


def test_a_news_item_never_takes_the_address_of_a_page(coordinator):
    item = news_save(item=NewsItem(title_nl="Write"), actor=coordinator)
    assert item.slug == "write-2"


def test_unpublished_activities_draft_challenges_and_hidden_campaigns_are_not_offered_shown_or_notified(
    client,
    editor,
    org,
    other_org,
    coordinator,
    member,
    publish_news,
    make_challenge,
    django_capture_on_commit_callbacks,
):
    """Review finding 3: the news form, the news page and the followers see only public tags."""
    from samen.activities.events.models import Campaign
    from samen.activities.models import Activity
    from samen.communication.models import Follow, Notification

    hidden = Activity.objects.create(
        slug="geheim", title="Geheim plan", summary="-", lead_organisation=other_org, is_published=False
    )
    draft = make_challenge(slug="concept", title_nl="Conceptuitdaging", status="draft")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="stil", title="Stille campagne", theme="-", starts_on=today, ends_on=today, is_published=False
    )
    client.force_login(editor)
    form = client.get("/nl/news/write/").content.decode()
    assert "Geheim plan" not in form and "Conceptuitdaging" not in form and "Stille campagne" not in form
    Follow.objects.create(user=member, kind="activity", object_id=hidden.pk)
    with django_capture_on_commit_callbacks(execute=True):
        item = publish_news(coordinator, title="Nieuws")
        item.activities.set([hidden])
        item.challenges.set([draft])
        item.campaigns.set([campaign])
        from samen.communication.services import news_notify

        news_notify(item_id=item.pk)
    page = client.get(f"/nl/news/{item.slug}/").content.decode()
    assert "Geheim plan" not in page and "Conceptuitdaging" not in page and "Stille campagne" not in page
    assert not Notification.objects.filter(user=member).exists()


def test_a_partner_editor_cannot_backdate_news(editor, org):
    """Review finding 11: a moment in the past publishes now, not then."""
    before = timezone.now()
    item = news_save(
        item=NewsItem(title_nl="Oud nieuws", organisation=org, publish_at=before - datetime.timedelta(days=30)),
        actor=editor,
    )
    item.refresh_from_db()
    assert item.published_at >= before
