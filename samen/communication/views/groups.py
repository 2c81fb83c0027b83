"""Pages of working groups: groups, meetings (schedule, register, minutes, decisions, attendance), the board.

Scheduling, minutes and attendance are for `meetings.may_manage_meetings`: the backbone and the editors of the
group's convening organisation. Every write goes through meetings.py, which checks the same rule again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samen.communication import meetings
from samen.communication.forms import (
    ActionItemFormSet,
    AttendanceForm,
    DecisionFormSet,
    MeetingForm,
    MinutesForm,
    WorkingGroupForm,
)
from samen.communication.models import ActionItem, FollowKind, Meeting, WorkingGroup, follow_public
from samen.communication.selectors import action_items_board, group_record, groups_with_meetings, is_group_member
from samen.core.permissions import is_backbone
from samen.network.selectors import editable_organisations


def group_list(request: HttpRequest) -> HttpResponse:
    groups = list(groups_with_meetings())
    return render(
        request,
        "communication/group_list.html",
        {
            "groups": [g for g in groups if g.archived_at is None],
            "archived": [g for g in groups if g.archived_at is not None],
            "may_create": is_backbone(request.user),
        },
    )


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(groups_with_meetings().select_related("convener"), slug=slug)
    member = is_group_member(request.user, group)
    return render(
        request,
        "communication/group_detail.html",
        {
            "group": group,
            "may_manage": meetings.may_manage_meetings(request.user, group) and group.archived_at is None,
            "may_edit": is_backbone(request.user),
            **group_record(group, member=member),
        },
    )


@login_required
def group_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The backbone creates a working group (no slug) or changes one."""
    if not is_backbone(request.user):
        raise PermissionDenied
    group = get_object_or_404(WorkingGroup, slug=slug) if slug else WorkingGroup()
    form = WorkingGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            group = meetings.group_save(
                group=form.save(commit=False),
                actor=request.user,
                organisations=list(form.cleaned_data["organisations"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The working group is saved."))
            return redirect(group.get_absolute_url())
    return render(
        request, "communication/group_form.html", {"form": form, "group": group}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def group_archive(request: HttpRequest, slug: str) -> HttpResponse:
    if not is_backbone(request.user):
        raise PermissionDenied
    group = get_object_or_404(WorkingGroup, slug=slug)
    archived = request.POST.get("archived", "1") == "1"
    meetings.group_archive(group=group, actor=request.user, archived=archived)
    if archived:
        messages.success(request, _("The working group is archived: its record stays, it holds no new meetings."))
    else:
        messages.success(request, _("The working group is active again."))
    return redirect(group.get_absolute_url())


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    member = is_group_member(request.user, meeting.group)
    return render(
        request,
        "communication/meeting_detail.html",
        {
            "meeting": meeting,
            "is_member": member,
            "may_manage": meetings.may_manage_meetings(request.user, meeting.group),
            "show_minutes": meeting.minutes and (meeting.minutes_public or member),
            "decisions": meeting.decisions.all() if (meeting.minutes_public or member) else [],
            "action_items": meeting.action_items.select_related("owner_organisation", "owner").prefetch_related(
                "goals__domain", Prefetch("activities", queryset=follow_public(FollowKind.ACTIVITY))
            )
            if (meeting.minutes_public or member)
            else [],
            "my_organisations": meetings.organisations_in_group_for(request.user, meeting),
            "attendance": meeting.attendances.select_related("organisation").order_by("organisation__name")
            if member
            else [],
        },
    )


@login_required
@require_POST
def meeting_register(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    choices = {o.pk: o for o in meetings.organisations_in_group_for(request.user, meeting)}
    try:
        organisation = choices.get(int(request.POST.get("organisation", "0") or 0))
    except ValueError:
        organisation = None  # not an organisation's id: refused like one outside the group
    if organisation is None:
        raise PermissionDenied
    try:
        meetings.meeting_register(meeting=meeting, user=request.user, organisation=organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are registered for this meeting."))
    return redirect(meeting.get_absolute_url())


@login_required
def action_items(request: HttpRequest) -> HttpResponse:
    if is_backbone(request.user):
        board = action_items_board()
    else:
        orgs = list(editable_organisations(request.user).values_list("pk", flat=True))
        if not orgs:
            raise PermissionDenied
        board = action_items_board(organisation_ids=orgs)
    return render(request, "communication/action_items.html", {"board": board})


@login_required
@require_POST
def action_item_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ActionItem.objects.select_related("owner_organisation", "meeting__group"), pk=pk)
    meetings.action_item_done(item=item, actor=request.user, done=request.POST.get("done") == "1")
    messages.success(request, _("The action item is updated."))
    return redirect("communication:action_items")


def meeting_ical(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting for one's calendar (a registration does not need the events' machinery for that)."""
    from samen.activities.events.ical import response
    from samen.core.mail import absolute_url

    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    content = meetings.meeting_calendar(
        meeting,
        url=absolute_url(meeting.get_absolute_url()),
        host=request.get_host().split(":")[0] or "samen",
        with_video=is_group_member(request.user, meeting.group),
    )
    return response(content, filename=f"meeting-{meeting.pk}.ics")


# --- Scheduling, minutes and attendance (the backbone and the group's convener) -------------------


def _managed(request: HttpRequest, group: WorkingGroup) -> None:
    if not meetings.may_manage_meetings(request.user, group):
        raise PermissionDenied


@login_required
def meeting_edit(request: HttpRequest, slug: str | None = None, pk: int | None = None) -> HttpResponse:
    """Schedule a meeting of a group (slug) or change one (pk)."""
    if pk is not None:
        meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
        group = meeting.group
    else:
        group = get_object_or_404(WorkingGroup, slug=slug)
        meeting = Meeting(group=group)
    _managed(request, group)
    if meeting.pk is None and group.archived_at is not None:
        messages.error(request, _("This working group is archived; it holds no new meetings."))
        return redirect(group.get_absolute_url())
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        invite = form.cleaned_data.get("invite", False)
        try:
            meeting = meetings.meeting_save(meeting=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if invite:
                count = meetings.meeting_invite(meeting=meeting, actor=request.user)
                messages.success(
                    request,
                    ngettext(
                        "The meeting is scheduled; %(n)s person is invited.",
                        "The meeting is scheduled; %(n)s people are invited.",
                        count,
                    )
                    % {"n": count},
                )
            else:
                messages.success(request, _("The meeting is saved."))
            return redirect(meeting.get_absolute_url())
    return render(request, "communication/meeting_form.html", {"form": form, "meeting": meeting, "group": group})


@login_required
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    _managed(request, meeting.group)
    count = meetings.meeting_invite(meeting=meeting, actor=request.user)
    if count:
        messages.success(
            request, ngettext("%(n)s person is invited.", "%(n)s people are invited.", count) % {"n": count}
        )
    else:
        messages.info(request, _("Everyone in the group was invited already."))
    return redirect(meeting.get_absolute_url())


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Minutes, decisions and action items on one page, saved all together or not at all."""
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    _managed(request, meeting.group)
    data = request.POST or None
    form = MinutesForm(data, instance=meeting)
    decisions = DecisionFormSet(data, instance=meeting, prefix="decisions")
    items = ActionItemFormSet(
        data,
        instance=meeting,
        prefix="items",
        form_kwargs={"group": meeting.group, "shared": {}},
        queryset=ActionItem.objects.select_related("owner").prefetch_related("goals", "activities"),
    )
    if request.method == "POST" and form.is_valid() and decisions.is_valid() and items.is_valid():
        meetings.minutes_save(
            meeting=meeting,
            actor=request.user,
            minutes=form.cleaned_data["minutes"],
            public=form.cleaned_data["minutes_public"],
            formsets=[decisions, items],
        )
        messages.success(request, _("The minutes are saved."))
        return redirect(meeting.get_absolute_url())
    return render(
        request,
        "communication/meeting_minutes.html",
        {"meeting": meeting, "form": form, "formsets": [decisions, items], "decisions": decisions, "items": items},
    )


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    _managed(request, meeting.group)
    present = list(meeting.attendances.filter(attended=True).values_list("organisation_id", flat=True))
    form = AttendanceForm(request.POST or None, group=meeting.group, initial={"organisations": present})
    if request.method == "POST" and form.is_valid():
        try:
            count = meetings.attendance_record(
                meeting=meeting, actor=request.user, organisation_ids=[o.pk for o in form.cleaned_data["organisations"]]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance is saved: %(n)s organisation came.",
                    "Attendance is saved: %(n)s organisations came.",
                    count,
                )
                % {"n": count},
            )
            return redirect(reverse("communication:meeting", kwargs={"pk": meeting.pk}))
    registered = meeting.attendances.select_related("organisation", "user").order_by("organisation__name", "pk")
    return render(
        request,
        "communication/meeting_attendance.html",
        {"meeting": meeting, "form": form, "registered": [a for a in registered if a.user_id]},
    )
