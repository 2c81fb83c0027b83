"""Pages of working groups: groups, meetings (register, minutes, decisions), the action-item board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samen.communication import meetings
from samen.communication.models import ActionItem, Meeting
from samen.communication.selectors import action_items_board, groups_with_meetings, is_group_member
from samen.core.permissions import is_backbone
from samen.network.selectors import editable_organisations


def group_list(request: HttpRequest) -> HttpResponse:
    return render(request, "communication/group_list.html", {"groups": groups_with_meetings()})


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(groups_with_meetings(), slug=slug)
    return render(request, "communication/group_detail.html", {"group": group})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    member = is_group_member(request.user, meeting.group)
    return render(
        request,
        "communication/meeting_detail.html",
        {
            "meeting": meeting,
            "is_member": member,
            "show_minutes": meeting.minutes and (meeting.minutes_public or member),
            "decisions": meeting.decisions.all() if (meeting.minutes_public or member) else [],
            "action_items": meeting.action_items.select_related("owner_organisation", "owner")
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
    item = get_object_or_404(ActionItem.objects.select_related("owner_organisation"), pk=pk)
    meetings.action_item_done(item=item, actor=request.user, done=request.POST.get("done") == "1")
    messages.success(request, _("The action item is updated."))
    return redirect("communication:action_items")
