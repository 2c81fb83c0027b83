"""Stories of people helped: told with recorded consent or anonymised, published by the backbone."""

from samen.agenda.models import Story
from samen.core.models import AuditEntry


def story_data(challenge, **fields):
    return {
        "challenge": challenge.pk,
        "title": "Three numbers on the fridge",
        "body": "A woman of 88 fell in her kitchen. Now three numbers hang on her fridge.",
        "privacy": "anonymised",
        "consent_by": "",
        "consent_on": "",
        **fields,
    }


def test_a_member_tells_an_anonymised_story_and_the_backbone_publishes_it(client, member, coordinator, challenge):
    client.force_login(member)
    assert (
        f'<option value="{challenge.pk}" selected>'
        in client.get(f"/en/stories/new/?challenge={challenge.slug}").content.decode()
    )
    response = client.post("/en/stories/new/", story_data(challenge))
    assert response["Location"] == f"/en/challenges/{challenge.slug}/"
    story = Story.objects.get()
    assert (story.status, story.privacy, story.language, story.author) == ("submitted", "anonymised", "en", member)
    client.logout()
    assert "Three numbers on the fridge" not in client.get(f"/en/challenges/{challenge.slug}/").content.decode()

    client.force_login(coordinator)
    assert "Three numbers on the fridge" in client.get("/en/stories/review/").content.decode()
    client.post(f"/en/stories/{story.pk}/review/", {"decision": "publish"})
    client.logout()
    page = client.get(f"/nl/challenges/{challenge.slug}/").content.decode()
    assert "Three numbers on the fridge" in page
    assert 'lang="en"' in page  # told in English, shown as English on the Dutch page
    assert AuditEntry.objects.filter(action="story.published", actor=coordinator).exists()


def test_the_privacy_choice_is_required(client, member, challenge):
    client.force_login(member)
    response = client.post("/en/stories/new/", story_data(challenge, privacy=""))
    assert 'id="id_privacy_errors"' in response.content.decode()
    assert not Story.objects.exists()


def test_a_story_with_consent_records_who_and_when(client, member, challenge):
    client.force_login(member)
    body = client.post("/en/stories/new/", story_data(challenge, privacy="consent")).content.decode()
    assert "Say who gave consent, or choose to anonymise the story." in body
    assert "Say on which date the consent was given." in body
    assert not Story.objects.exists()
    client.post(
        "/en/stories/new/", story_data(challenge, privacy="consent", consent_by="Louis", consent_on="2026-11-01")
    )
    story = Story.objects.get()
    assert (story.consent_by, str(story.consent_on)) == ("Louis", "2026-11-01")


def test_html_in_a_story_is_removed(client, member, coordinator, challenge):
    client.force_login(member)
    client.post("/en/stories/new/", story_data(challenge, body="She <script>steal()</script><b>smiles</b> again"))
    assert Story.objects.get().body == "She smiles again"


def test_a_declined_story_stays_off_the_page(client, member, coordinator, challenge):
    client.force_login(member)
    client.post("/en/stories/new/", story_data(challenge))
    client.force_login(coordinator)
    client.post(f"/en/stories/{Story.objects.get().pk}/review/", {"decision": "decline"})
    assert Story.objects.get().status == "declined"
    assert "Three numbers on the fridge" not in client.get(f"/en/challenges/{challenge.slug}/").content.decode()


def test_only_the_backbone_reviews_stories(client, member, challenge):
    story = Story.objects.create(
        challenge=challenge, title="T", body="B", language="nl", privacy="anonymised", author=member
    )
    client.force_login(member)
    assert client.get("/en/stories/review/").status_code == 403
    assert client.post(f"/en/stories/{story.pk}/review/", {"decision": "publish"}).status_code == 403
    story.refresh_from_db()
    assert story.status == "submitted"
