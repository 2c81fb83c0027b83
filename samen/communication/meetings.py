"""Working groups and their meetings: registration by organisation, minutes, decisions and action items."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samen.communication.models import ActionItem, Meeting, MeetingAttendance, Topic
from samen.communication.text import rich_text_clean
from samen.core.audit import audit_log
from samen.core.permissions import is_backbone
from samen.network.models import Membership


def organisations_in_group_for(user: Any, meeting: Meeting) -> list[Any]:
    """The organisations of the meeting's group this person belongs to (for which they may come)."""
    if not user.is_authenticated:
        return []
    # A role someone only claimed on their profile is not enough: confirmed by the organisation, or its editor.
    member_orgs = Membership.objects.filter(Q(is_confirmed=True) | Q(is_editor=True), member__user=user).values(
        "organisation_id"
    )
    return list(meeting.group.organisations.filter(pk__in=member_orgs).order_by("name"))


@transaction.atomic
def meeting_register(*, meeting: Meeting, user: Any, organisation: Any) -> MeetingAttendance:
    """Register for a meeting on behalf of one of one's organisations in the group."""
    if meeting.starts_at < timezone.now():
        raise ValidationError(_("This meeting has taken place; registration is closed."))
    if organisation not in organisations_in_group_for(user, meeting):
        raise PermissionDenied
    attendance, _created = MeetingAttendance.objects.update_or_create(
        meeting=meeting, user=user, defaults={"organisation": organisation}
    )
    audit_log(actor=user, action="meeting.registered", obj=meeting, changes={"organisation": organisation.slug})
    return attendance


@transaction.atomic
def attendance_record(*, meeting: Meeting, actor: Any, attended_ids: list[int]) -> int:
    """The backbone marks who came; attendance by organisation ties them on the network map."""
    if not is_backbone(actor):
        raise PermissionDenied
    meeting.attendances.update(attended=False)
    count = meeting.attendances.filter(pk__in=attended_ids).update(attended=True)
    audit_log(actor=actor, action="meeting.attendance", obj=meeting, changes={"attended": count})
    return count


@transaction.atomic
def minutes_save(*, meeting: Meeting, actor: Any, minutes: str, public: bool) -> Meeting:
    if not is_backbone(actor):
        raise PermissionDenied
    meeting.minutes, meeting.minutes_public = rich_text_clean(minutes), public
    meeting.save(update_fields=["minutes", "minutes_public"])
    audit_log(actor=actor, action="meeting.minutes", obj=meeting, changes={"public": public})
    return meeting


def may_change_action_item(user: Any, item: ActionItem) -> bool:
    from samen.network.rules import edits_organisation

    return bool(is_backbone(user) or item.owner_id == user.pk or edits_organisation(user, item.owner_organisation))


@transaction.atomic
def action_item_done(*, item: ActionItem, actor: Any, done: bool) -> ActionItem:
    if not may_change_action_item(actor, item):
        raise PermissionDenied
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at"])
    audit_log(actor=actor, action="action_item.done" if done else "action_item.reopened", obj=item)
    return item


@transaction.atomic
def meeting_invite(*, meeting: Meeting, actor: Any) -> int:
    """Tell the people of the group's organisations about the meeting (in the site and by mail, per their grid)."""
    from samen.communication.services import notify

    if not is_backbone(actor):
        raise PermissionDenied
    user_ids = list(
        Membership.objects.filter(
            Q(is_confirmed=True) | Q(is_editor=True),  # a role only claimed on a profile brings no invitation
            organisation__in=meeting.group.organisations.all(),
            member__user__is_active=True,
        )
        .values_list("member__user_id", flat=True)
        .distinct()
    )
    texts = {}
    for lang in ("nl", "en"):
        with translation.override(lang):
            texts[lang] = _("You are invited to %(meeting)s of %(group)s") % {
                "meeting": meeting.title,
                "group": meeting.group.name,
            }
    audit_log(actor=actor, action="meeting.invited", obj=meeting, changes={"people": len(user_ids)})
    return notify(topic=Topic.MEETINGS, user_ids=user_ids, texts=texts, url=meeting.get_absolute_url())
