from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samen.agenda.models import ActionDomain
from samen.core.permissions import is_backbone
from samen.network import selectors, services
from samen.network.forms import AccountDeleteForm, MembershipFormSet, NameForm, OrganisationForm, ProfileForm
from samen.network.models import JoinInvitation, Membership, Organisation, PartnerProposal, Sector
from samen.network.page_cache import PAGE, SEARCH, Values, paginate, visitor_page
from samen.network.table_versions import tables_of

PAGE_SIZE = 24


def _partner_tables() -> list[str]:
    """What the partner pages show a visitor: the network's organisations, sectors, people and their
    memberships, and the action domains. The follow button shows nothing to a visitor."""
    return tables_of(ActionDomain, apps_=["network"], leave_out=[JoinInvitation, PartnerProposal])


@visitor_page(
    _partner_tables,
    query={"sector": Values(Sector, "slug"), "domain": Values(ActionDomain, "slug"), "q": SEARCH, "page": PAGE},
)
def organisation_list(request: HttpRequest) -> HttpResponse:
    sector = request.GET.get("sector", "")
    domain = request.GET.get("domain", "")
    query = request.GET.get("q", "").strip()[:100]
    orgs = selectors.organisations_for_directory(sector=sector, domain=domain, query=query)
    page = paginate(request, orgs, PAGE_SIZE)
    return render(
        request,
        "network/organisation_list.html",
        {
            "page": page,
            "sectors": Sector.objects.all(),
            "domains": ActionDomain.objects.all(),
            "sector": sector,
            "domain": domain,
            "query": query,
        },
    )


@visitor_page(_partner_tables)
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation.objects.select_related("sector").prefetch_related("action_domains"), slug=slug)
    return render(
        request,
        "network/organisation_detail.html",
        {
            "organisation": org,
            "people": selectors.organisation_public_people(org),
            "can_edit": request.user.has_perm("network.edit_organisation", org),
        },
    )


def _organisation_for_editing(request: HttpRequest, slug: str) -> Organisation:
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("network.edit_organisation", org):
        raise PermissionDenied
    return org


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation_for_editing(request, slug)
    can_curate = is_backbone(request.user)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=org, can_curate=can_curate)
    if request.method == "POST" and form.is_valid():
        # Only what the person changed; a cleared logo (False) becomes an empty file name.
        fields = {k: form.cleaned_data[k] or "" for k in form.changed_data if k != "action_domains"}
        # The ModelForm already put the values on `org`; the service compares with the stored row.
        org.refresh_from_db()
        services.organisation_update(
            organisation=org, actor=request.user, fields=fields, action_domains=form.cleaned_data["action_domains"]
        )
        messages.success(request, _("The organisation's page is updated."))
        return redirect(org)
    return render(
        request,
        "network/organisation_form.html",
        {"organisation": org, "form": form, "to_confirm": selectors.organisation_people_to_confirm(org)},
    )


@login_required
@require_POST
def organisation_membership_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _organisation_for_editing(request, slug)
    membership = get_object_or_404(Membership, pk=pk, organisation=org, is_confirmed=False)
    confirmed = request.POST.get("decision") == "confirm"
    services.membership_confirm(membership=membership, actor=request.user, confirmed=confirmed)
    if confirmed:
        messages.success(
            request, _("The role is confirmed and shown on the organisation's page if the person allows it.")
        )
    else:
        messages.success(request, _("The role is removed."))
    return redirect("network:organisation_edit", slug=org.slug)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    member = services.member_create(user=request.user)
    data = request.POST or None
    name_form = NameForm(data, instance=request.user, prefix="name")
    profile_form = ProfileForm(data, instance=member, prefix="profile")
    memberships = MembershipFormSet(data, instance=member, prefix="orgs")
    if request.method == "POST" and all([name_form.is_valid(), profile_form.is_valid(), memberships.is_valid()]):
        with transaction.atomic():
            name_form.save()
            profile_form.save()
            memberships.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("network:profile")
    # "You may edit this organisation's page" follows the one rule, not the membership's editor mark: a former
    # editor (out of the group) has the mark and may not. Nobody outside the backbone and the group pays a query.
    listed = [form.instance.organisation_id for form in memberships if form.instance.organisation_id]
    edited = set(selectors.editable_organisations(request.user).filter(pk__in=listed).values_list("pk", flat=True))
    return render(
        request,
        "network/profile.html",
        {
            "member": member,
            "name_form": name_form,
            "profile_form": profile_form,
            "memberships": memberships,
            "edited": edited,
        },
    )


@login_required
def profile_export(request: HttpRequest) -> HttpResponse:
    data = selectors.member_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    filename = f"samen-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user)
        messages.success(request, _("Your account and everything Samen held about you are deleted."))
        return redirect("home")
    return render(request, "network/account_delete.html", {"form": form})
