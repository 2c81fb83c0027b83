"""Data rights: the download holds everything Samen keeps about a person, and deleting an account
keeps what belongs to others (an answered proposal, other people's comments)."""

import json

import pytest
from django.apps import apps

from samen.agenda.models import Comment, Proposal, Support
from samen.network.models import Member, User
from samen.network.selectors import member_data_export
from samen.network.services import account_delete

# Every relation from a model to a person, and the section of the download that holds it.
EXPORTED = {
    ("account.EmailAddress", "user"): "email_addresses",
    ("mfa.Authenticator", "user"): "second_factors",
    ("core.AuditEntry", "actor"): "actions_in_audit_trail",
    ("agenda.Proposal", "author"): "proposals",
    ("agenda.Support", "member"): "supports",
    ("agenda.Comment", "author"): "comments",
    ("agenda.Report", "reporter"): "reports",
    ("agenda.Story", "author"): "stories",
    ("network.Member", "user"): "member",
    ("network.Membership", "member"): "member",
    ("network.JoinInvitation", "inviter"): "invitations_sent",
    ("network.JoinInvitation", "used_by"): "invitation_used",
    ("network.Member", "brought_by"): "member",
    ("network.PartnerProposal", "proposed_by"): "partner_proposals",
    ("measurement.ImportBatch", "by"): "measurement_imports",
    ("measurement.MeasurementChange", "by"): "measurement_changes",
    ("measurement.Narrative", "author"): "stories_behind_the_curve",
    ("activities.Event", "created_by"): "events_created",
    ("activities.Registration", "member"): "event_registrations",
    ("activities.RoleSignup", "member"): "role_signups",
    ("activities.RoleInvitation", "member"): "role_invitations_received",
    ("activities.RoleInvitation", "invited_by"): "role_invitations_sent",
    ("activities.InvitationOptOut", "member"): "no_role_invitations",
    ("api.ApiToken", "created_by"): "api_tokens",
    ("backbone.Participation", "user"): "survey_participations",
    ("care.NetworkMember", "user"): "care_network_roles",
    ("calls.CallCampaign", "callers"): "call_campaigns_as_caller",
    ("calls.CallCampaign", "created_by"): "call_campaigns_created",
    ("calls.TelephoneCircle", "key_holder"): "telephone_circles_as_key_holder",
    ("communication.Profile", "user"): "communication_settings",
    ("communication.Preference", "user"): "communication_settings",
    ("communication.Follow", "user"): "follows",
    ("communication.Notification", "user"): "notifications",
    ("communication.Digest", "user"): "digests",
    ("communication.Delivery", "user"): "newsletters",
    ("communication.MeetingAttendance", "user"): "meeting_attendance",
}
# Relations left out on purpose, each with its reason.
CARE_FILE = "a work record in a client's confidential care file: exporting it would disclose the client's data"
NOT_EXPORTED = {
    ("admin.LogEntry", "user"): "Django's own admin log; Samen's audit trail (exported) records the same actions",
    ("agenda.Proposal", "answered_by"): "the backbone's answer to someone else's proposal: theirs, not the answerer's",
    ("agenda.Story", "reviewed_by"): "a coordinator's review of someone else's story",
    ("network.PartnerProposal", "decided_by"): "a coordinator's decision on someone else's proposal",
    ("backbone.PublishedReport", "published_by"): "the backbone's published report card, kept unchanged as published",
    ("backbone.ResultUpdate", "by"): "an entry in the timeline of a shared result; the backbone's, not the editor's",
    ("care.Case", "owner"): CARE_FILE,
    ("care.Consent", "recorded_by"): CARE_FILE,
    ("care.Consent", "reviewed_by"): CARE_FILE,
    ("care.GlassBreak", "user"): CARE_FILE + "; the access log is kept for the coordinator's review",
    ("care.GlassBreak", "reviewed_by"): CARE_FILE,
    ("care.ReferralChange", "by"): CARE_FILE,
    ("care.Signal", "reported_by"): CARE_FILE,
    ("calls.CallAttempt", "caller"): CARE_FILE,
    ("calls.CallBatch", "caller"): CARE_FILE + "; a batch names the residents reserved",
    ("calls.CallEntry", "caller"): CARE_FILE + "; the call back kept for this caller",
    ("calls.CircleDay", "confirmed_by"): CARE_FILE + "; a telephone circle's daily round",
    ("measurement.ImportPreview", "by"): "an uploaded file kept at most an hour until its uploader confirms the "
    "preview; deleted with the account",
    ("communication.ActionItem", "owner"): "an action in a working group's minutes; the group's record",
    ("communication.NewsItem", "author"): "news published by the backbone; the backbone's text, not the writer's",
    ("communication.Newsletter", "created_by"): "a newsletter of the backbone to its members",
}


def _relations_to_people():
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created and field.related_model in (User, Member):
                found.add((model._meta.label, field.name))
    return found


def test_every_relation_to_a_person_is_in_the_download_or_left_out_with_a_reason(member):
    relations = _relations_to_people()
    missing = relations - EXPORTED.keys() - NOT_EXPORTED.keys()
    assert not missing, f"add these to the data download (personal_data_export) and to EXPORTED: {sorted(missing)}"
    assert not (EXPORTED.keys() | NOT_EXPORTED.keys()) - relations, "stale entries in EXPORTED or NOT_EXPORTED"
    data = member_data_export(member)
    absent = {section for section in EXPORTED.values() if section not in data}
    assert not absent, f"sections missing from the download: {sorted(absent)}"


def test_the_download_holds_proposals_supports_comments_and_api_token_names(
    client, member, make_user, challenge, make_proposal, org
):
    from samen.api.models import ApiToken

    other = make_user()
    theirs = make_proposal(challenge, author=other, title="Buren bellen")
    mine = make_proposal(challenge, author=member, title="Een wandelclub")
    Support.objects.create(proposal=theirs, member=member)
    Comment.objects.create(proposal=theirs, author=member, body="Goed idee!")
    ApiToken.objects.create(
        organisation=org, name="registratiesysteem", prefix="abc", digest="x" * 64, created_by=member
    )
    member.member.availability = ["weekend"]
    member.member.save()

    client.force_login(member)
    data = json.loads(client.get("/en/profile/my-data.json").content)
    assert [p["title"] for p in data["proposals"]] == [mine.title]
    assert [s["proposal"] for s in data["supports"]] == ["Buren bellen"]
    assert [c["body"] for c in data["comments"]] == ["Goed idee!"]
    assert data["api_tokens"][0]["name"] == "registratiesysteem"
    assert "digest" not in json.dumps(data["api_tokens"]) and "x" * 64 not in json.dumps(data)
    assert data["member"]["availability"] == ["weekend"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_deleting_an_account_keeps_an_answered_proposal_and_others_comments(
    client, member, make_user, challenge, make_proposal, lang
):
    other = make_user(first_name="Olga")
    answered = make_proposal(challenge, author=member, title="Belkring", status="accepted", answer="Ja!")
    Comment.objects.create(proposal=answered, author=other, body="Ik doe mee.")
    Comment.objects.create(proposal=answered, author=member, body="Mijn eigen woorden.")
    lonely = make_proposal(challenge, author=member, title="Alleen van mij")

    account_delete(user=member)

    answered.refresh_from_db()
    assert answered.author is None
    assert list(Comment.objects.filter(proposal=answered).values_list("body", flat=True)) == ["Ik doe mee."]
    assert not Proposal.objects.filter(pk=lonely.pk).exists()
    body = client.get(f"/{lang}/proposals/{answered.pk}/").content.decode()
    assert ("a former member" if lang == "en" else "een voormalig lid") in body
    assert "Ik doe mee." in body
