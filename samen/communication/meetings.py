"""Working groups and their meetings: registration by organisation, minutes, decisions and action items."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samen.communication.models import ActionItem, Meeting, MeetingAttendance, Topic, WorkingGroup
from samen.communication.text import plain_text_clean, rich_text_clean
from samen.core.audit import audit_log
from samen.core.permissions import is_backbone
from samen.network.rules import edits_organisation, edits_organisation_of
from samen.network.selectors import standing_memberships


def organisations_in_group_for(user: Any, meeting: Meeting) -> list[Any]:
    """The organisations of the meeting's group this person belongs to (for which they may come)."""
    if not user.is_authenticated:
        return []
    member_orgs = standing_memberships().filter(member__user=user).values("organisation_id")
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


GROUP_RESERVED_SLUGS = frozenset({"new"})


def group_name_taken(group: WorkingGroup, name: str) -> bool:
    """Another group has this name, in either language, whatever the capitals."""
    return WorkingGroup.objects.exclude(pk=group.pk).filter(Q(name_nl__iexact=name) | Q(name_en__iexact=name)).exists()


@transaction.atomic
def group_save(*, group: WorkingGroup, actor: Any, organisations: Sequence[Any]) -> WorkingGroup:
    """Create or change a working group (the backbone): names and description as words, its member organisations,
    and a convener among them. Everything wrong is named at once, and nothing is saved then."""
    from samen.core.slugs import unique_slug

    if not is_backbone(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    for lang in ("nl", "en"):
        for name in ("name", "description"):
            setattr(group, f"{name}_{lang}", plain_text_clean(getattr(group, f"{name}_{lang}") or ""))
        name = getattr(group, f"name_{lang}")
        if name and group_name_taken(group, name):
            errors[f"name_{lang}"] = _("A working group called “%(name)s” exists already; choose another name.") % {
                "name": name
            }
    if not group.name_nl:  # type: ignore[attr-defined]
        errors["name_nl"] = _("Give the working group a Dutch name.")
    if not organisations:
        errors["organisations"] = _("A working group needs at least one member organisation.")
    elif group.convener_id is not None and group.convener_id not in {o.pk for o in organisations}:
        errors["convener"] = _("The convening organisation must be one of the member organisations.")
    if errors:
        raise ValidationError(errors)
    created = group._state.adding
    if created:
        dutch = group.name_nl  # type: ignore[attr-defined]  # modeltranslation's field
        group.slug = unique_slug(WorkingGroup, dutch, fallback="working-group", reserved=GROUP_RESERVED_SLUGS)
    group.full_clean(exclude=["organisations"])
    group.save()
    group.organisations.set(organisations)
    audit_log(
        actor=actor,
        action="working_group.created" if created else "working_group.updated",
        obj=group,
        changes={"organisations": len(organisations)},
    )
    return group


@transaction.atomic
def group_archive(*, group: WorkingGroup, actor: Any, archived: bool = True) -> WorkingGroup:
    """Archive a group (its record stays; it holds no new meetings), or bring it back."""
    if not is_backbone(actor):
        raise PermissionDenied
    group.archived_at = timezone.now() if archived else None
    group.save(update_fields=["archived_at"])
    audit_log(actor=actor, action="working_group.archived" if archived else "working_group.restored", obj=group)
    return group


# Who schedules a group's meetings and keeps its minutes: whoever may edit its convener (the backbone, and the
# convener's partner editors).
edits_convener = edits_organisation_of(lambda group: group.convener)


def may_manage_meetings(user: Any, group: WorkingGroup) -> bool:
    return bool(edits_convener(user, group))


def _may_manage(actor: Any, group: WorkingGroup) -> None:
    if not may_manage_meetings(actor, group):
        raise PermissionDenied


@transaction.atomic
def meeting_save(*, meeting: Meeting, actor: Any) -> Meeting:
    """Schedule a meeting or change it: title and place as words, the agenda as sanitised rich text."""
    _may_manage(actor, meeting.group)
    meeting.title = plain_text_clean(meeting.title)
    meeting.place = plain_text_clean(meeting.place)
    meeting.agenda = rich_text_clean(meeting.agenda)
    if not meeting.title:
        raise ValidationError({"title": _("Give the meeting a title.")})
    if meeting._state.adding and meeting.group.archived_at is not None:
        raise ValidationError(_("This working group is archived; it holds no new meetings."))
    if meeting.ends_at is not None and meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    created = meeting._state.adding
    meeting.full_clean()
    meeting.save()
    audit_log(actor=actor, action="meeting.scheduled" if created else "meeting.updated", obj=meeting)
    return meeting


@transaction.atomic
def attendance_record(*, meeting: Meeting, actor: Any, organisation_ids: Iterable[int]) -> int:
    """Mark which of the group's organisations came; attendance by organisation ties them on the network map.

    Who registered keeps their row (attended or not); an organisation that came without registering gets one."""
    _may_manage(actor, meeting.group)
    came = set(organisation_ids)
    outside = came - set(meeting.group.organisations.values_list("pk", flat=True))
    if outside:
        raise ValidationError(_("Only organisations of the working group can be marked as present."))
    meeting.attendances.exclude(organisation_id__in=came).update(attended=False)
    meeting.attendances.filter(organisation_id__in=came).update(attended=True)
    present = set(meeting.attendances.filter(organisation_id__in=came).values_list("organisation_id", flat=True))
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, organisation_id=pk, attended=True) for pk in sorted(came - present)]
    )
    meeting.attendances.filter(user__isnull=True, attended=False).delete()  # a row without a person who did not come
    audit_log(actor=actor, action="meeting.attendance", obj=meeting, changes={"organisations": len(came)})
    return len(came)


@transaction.atomic
def minutes_save(*, meeting: Meeting, actor: Any, minutes: str, public: bool, formsets: Sequence[Any] = ()) -> Meeting:
    """The minutes (sanitised like news), public or for the group only, with the decisions and action items.

    `formsets` are validated inline formsets of decisions and action items: all of it is saved, or nothing."""
    _may_manage(actor, meeting.group)
    meeting.minutes, meeting.minutes_public = rich_text_clean(minutes), public
    meeting.save(update_fields=["minutes", "minutes_public"])
    for formset in formsets:
        for form in formset.forms:
            if hasattr(form.instance, "text"):  # decisions and action items are words only
                form.instance.text = plain_text_clean(form.instance.text)
        formset.instance = meeting
        formset.save()
    audit_log(actor=actor, action="meeting.minutes", obj=meeting, changes={"public": public})
    return meeting


def may_change_action_item(user: Any, item: ActionItem) -> bool:
    return bool(
        is_backbone(user)
        or item.owner_id == user.pk
        or edits_organisation(user, item.owner_organisation)
        or may_manage_meetings(user, item.meeting.group)  # the convener keeps the group's list
    )


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
    from samen.communication.services import users_notify

    _may_manage(actor, meeting.group)
    user_ids = list(
        standing_memberships()
        .filter(  # a role only claimed on a profile brings no invitation
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
    # One invitation per person per meeting and moment: a second click tells nobody again; a moved meeting may.
    key = f"meeting:{meeting.pk}:{meeting.starts_at:%Y%m%d%H%M}"
    return users_notify(topic=Topic.MEETINGS, user_ids=user_ids, texts=texts, url=meeting.get_absolute_url(), key=key)


def meeting_calendar(meeting: Meeting, *, url: str, host: str, with_video: bool) -> bytes:
    """The meeting as one iCalendar entry (RFC 5545), written like the events' with the icalendar library.

    The video link goes in only for who may see it on the page (the group and the backbone)."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Samen//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    item = icalendar.Event()
    item.add("uid", f"meeting-{meeting.pk}@{host}")  # the same entry in the calendar across edits
    item.add("dtstamp", timezone.now().astimezone(datetime.UTC).replace(microsecond=0))
    item.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    item.add("dtend", meeting.ends.astimezone(datetime.UTC))
    item.add("summary", f"{meeting.title} ({meeting.group.name})")
    place = [meeting.place] + ([meeting.video_url] if with_video and meeting.video_url else [])
    item.add("location", ", ".join(part for part in place if part))
    item.add("url", url)
    item.add("status", "CONFIRMED")
    cal.add_component(item)
    return bytes(cal.to_ical())
