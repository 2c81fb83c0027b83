from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samen.activities import matching, overview, selectors, services
from samen.activities.events import selectors as events_selectors
from samen.activities.forms import RELATIONS, ActivityForm, MeasureFormSet, ResourceFormSet, RoleFormSet
from samen.activities.models import Activity, Campaign, InvitationOptOut, Registration, Role, RoleInvitation
from samen.agenda.models import ActionDomain, Goal
from samen.network.models import Area, Member, Organisation, Sector
from samen.network.page_cache import PAGE, SEARCH, Values, paginate, visitor_page
from samen.network.selectors import editable_organisations, organisations_edited_by
from samen.network.services import member_create
from samen.network.table_versions import public_version, tables_of

PAGE_SIZE = 20
UPCOMING_EVENTS = 3  # on the activity page; the rest is on its events page


def _list_tables() -> list[str]:
    """What the activity list shows: the activities with their places taken, and the filters' choices."""
    return tables_of(
        ActionDomain,
        Goal,
        Area,
        Sector,
        Organisation,
        apps_=["activities"],
        leave_out=[Registration, Campaign, RoleInvitation, InvitationOptOut],
    )


# What each filter offers (`selectors.Filters`): a value not among them is rendered, never stored.
FILTERS_OFFER = {
    "domain": Values(ActionDomain, "slug"),
    "goal": Values(Goal, "slug"),
    "area": Values(Area, "code"),
    "sector": Values(Sector, "slug"),
    "status": frozenset(Activity.Status.values),
    "organisation": Values(Organisation, "slug"),
    "q": SEARCH,
    "page": PAGE,
}


@visitor_page(_list_tables, query=FILTERS_OFFER)
def activity_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.Filters.from_get(request.GET)
    number = request.GET.get("page", "")[:12]

    def page() -> Page:
        found = paginate(request, selectors.activities_for_list(filters), PAGE_SIZE)
        found.object_list = selectors.with_places(list(found.object_list))
        return found

    # Lazy: read only when the public part is not in the cache (or for a signed-in person).
    return render(
        request,
        "activities/activity_list.html",
        {
            "public_version": public_version(request, _list_tables(), filters.querystring(), number),
            "page": SimpleLazyObject(page),
            "filters": filters,
            "querystring": filters.querystring(),
            **{name: SimpleLazyObject(choices) for name, choices in _filter_choices().items()},
            "statuses": Activity.Status.choices,
            "organisation": SimpleLazyObject(
                lambda: Organisation.objects.filter(slug=filters.organisation).first() if filters.organisation else None
            ),
        },
    )


def _filter_choices() -> dict[str, Callable[[], list]]:
    """The options of the filters as plain rows, each read when the page needs it."""

    def goal_groups() -> list:
        names = dict(ActionDomain.objects.values_list("pk", "name"))
        groups: dict[str, list] = {}
        for goal in Goal.objects.order_by("domain__order", "domain__name", "order").values(
            "slug", "title", "domain_id"
        ):
            groups.setdefault(names[goal["domain_id"]], []).append(goal)
        return list(groups.items())

    return {
        "domains": lambda: list(ActionDomain.objects.order_by("order", "name").values("pk", "slug", "name")),
        "goal_groups": goal_groups,
        "areas": lambda: list(Area.objects.order_by("path").values("code", "name", "kind")),
        "sectors": lambda: list(Sector.objects.order_by("order", "name").values("slug", "name")),
    }


def _activity(request: HttpRequest, slug: str) -> Activity:
    """A published activity, or an unpublished one for those who may edit it."""
    try:
        activity = selectors.activity_for_page(slug)
    except Activity.DoesNotExist:
        raise Http404 from None
    if not activity.is_published and not request.user.has_perm("activities.edit_activity", activity):
        raise Http404
    return activity


def _member(request: HttpRequest) -> Member:
    """The signed-in person's profile, made on their first write (join, leave, invitation choice)."""
    return member_create(user=request.user)


def _member_or_none(request: HttpRequest) -> Member | None:
    """For pages that only read: never a write on a GET."""
    return Member.objects.filter(user=request.user).first() if request.user.is_authenticated else None


def activity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    activity = _activity(request, slug)
    can_edit = request.user.has_perm("activities.edit_activity", activity)
    roles = selectors.roles_with_places(activity, member=_member_or_none(request))
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "roles": roles,
            "open_roles": [r for r in roles if r.open and not r.mine],
            "accepts_signups": activity.status != Activity.Status.FINISHED,
            "measures": selectors.performance_rows(activity),
            "indicators": selectors.moved_indicators(activity),
            "can_edit": can_edit,
            "signups": selectors.role_signups(activity) if can_edit else None,
            "events": list(events_selectors.upcoming_plain(activity=activity)[:UPCOMING_EVENTS]),
            "login_url": f"{reverse('account_login')}?next={request.path}",
            "signup_url": f"{reverse('account_signup')}?next={request.path}",
        },
    )


def _form_context(request: HttpRequest, activity: Activity) -> tuple:
    data = request.POST or None
    form = ActivityForm(data, instance=activity, organisations=editable_organisations(request.user))
    formsets = [
        RoleFormSet(data, instance=activity, prefix="roles"),
        ResourceFormSet(data, instance=activity, prefix="resources"),
        MeasureFormSet(data, instance=activity, prefix="measures"),
    ]
    return form, formsets


def _save(request: HttpRequest, activity: Activity, form: ActivityForm, formsets: list) -> Activity | None:
    """Save the activity, or None with the reason on the form when the service refuses."""
    fields = {k: v for k, v in form.cleaned_data.items() if k not in RELATIONS}
    relations = {k: form.cleaned_data[k] for k in RELATIONS}
    if activity.pk:
        activity.refresh_from_db()  # the form already set its values; the service compares with the stored row
    try:
        return services.activity_save(
            activity=activity, actor=request.user, fields=fields, relations=relations, formsets=formsets
        )
    except ValidationError as error:  # sign-ups that came in after the form was checked
        form.add_error(None, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("activities.create_activity"):
        raise PermissionDenied
    activity = Activity()
    form, formsets = _form_context(request, activity)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets):
        saved = _save(request, activity, form, formsets)
        if saved:
            messages.success(request, _("The activity is saved."))
            return redirect(saved)
    return render(request, "activities/activity_form.html", {"form": form, "formsets": formsets, "activity": None})


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_object_or_404(Activity, slug=slug)
    if not request.user.has_perm("activities.edit_activity", activity):
        raise PermissionDenied
    form, formsets = _form_context(request, activity)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets):
        saved = _save(request, activity, form, formsets)
        if saved:
            messages.success(request, _("The activity is saved."))
            return redirect(saved)
    return render(request, "activities/activity_form.html", {"form": form, "formsets": formsets, "activity": activity})


def _role(slug: str, pk: int) -> Role:
    return get_object_or_404(Role.objects.select_related("activity", "skill"), pk=pk, activity__slug=slug)


@login_required
@require_POST
def role_join(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    role = _role(slug, pk)
    if not role.activity.is_published:
        raise Http404
    try:
        services.role_signup(role=role, member=_member(request))
    except services.SignupRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("You signed up as %(role)s. The organisers will contact you.") % {"role": role.title}
        )
    return redirect(role.activity)


@login_required
@require_POST
def role_leave(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    role = _role(slug, pk)
    member = _member_or_none(request)
    if member and services.role_leave(role=role, member=member):
        messages.success(request, _("You are no longer signed up as %(role)s.") % {"role": role.title})
    return redirect(role.activity)


def _role_for_organiser(request: HttpRequest, slug: str, pk: int) -> Role:
    role = _role(slug, pk)
    if not request.user.has_perm("activities.edit_activity", role.activity):
        raise PermissionDenied
    return role


@login_required
def role_people(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The organiser's view of a role: who signed up, and members who fit it, to invite."""
    role = _role_for_organiser(request, slug, pk)
    signups = role.signups.select_related("member__user").order_by("created_at")
    invited = set(role.invitations.values_list("member_id", flat=True))
    return render(
        request,
        "activities/role_people.html",
        {
            "role": role,
            "activity": role.activity,
            "signups": signups,
            "open": max(role.places - len(signups), 0),
            "matches": matching.members_for_role(role),
            "invited": invited,
        },
    )


@login_required
@require_POST
def role_invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    role = _role_for_organiser(request, slug, pk)
    if not role.activity.is_published or role.activity.status not in matching.OPEN_STATUSES:
        messages.error(request, _("Invite people once the activity is published and planned or running."))
        return redirect("activities:role_people", slug=slug, pk=pk)
    # Only a member the matching suggests: a forged id of anyone else is refused.
    suggested = {m.member.pk: m.member for m in matching.members_for_role(role, limit=200)}
    try:
        member = suggested[int(request.POST.get("member", ""))]
    except (KeyError, ValueError):
        messages.error(request, _("This member is not among the people suggested for this role."))
        return redirect("activities:role_people", slug=slug, pk=pk)
    try:
        services.role_invite(role=role, member=member, actor=request.user)
    except services.RoleInvitationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("%(name)s is invited by email.") % {"name": member.short_name})
    return redirect("activities:role_people", slug=slug, pk=pk)


@login_required
def for_me(request: HttpRequest) -> HttpResponse:
    member = _member_or_none(request)
    return render(
        request,
        "activities/for_me.html",
        {
            "member": member,
            "matches": matching.roles_for_member(member) if member else [],
            "has_profile": bool(member) and (member.interests.exists() or member.skills.exists()),
            "signups": selectors.member_signups(member) if member else [],
            "opted_out": bool(member) and InvitationOptOut.objects.filter(member=member).exists(),
        },
    )


@login_required
@require_POST
def invitations_opt(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("wanted") == "yes"
    services.invitations_opt(member=_member(request), wanted=wanted)
    if wanted:
        messages.success(request, _("Organisers may invite you to roles that fit you again."))
    else:
        messages.success(request, _("Organisers will no longer invite you to roles."))
    return redirect("activities:for_me")


def who_does_what(request: HttpRequest) -> HttpResponse:
    suggestions = []
    if request.user.is_authenticated:
        suggestions = overview.partner_suggestions(list(organisations_edited_by(request.user)))
    context = {
        # Computed only when the cached tables of the page are missing (see the template).
        "overview": SimpleLazyObject(overview.who_does_what),
        "overview_key": overview.cache_key(),
        "cache_seconds": overview.CACHE_SECONDS,
        "suggestions": suggestions,
    }
    return render(request, "activities/who_does_what.html", context)
