"""Everyone brings someone: invitation links and mails, staff invitations, proposed partners."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samen.core.mail import absolute_url
from samen.network import selectors, services
from samen.network.adapters import INVITATION_SESSION_KEY
from samen.network.forms import DeclineForm, JoinInvitationForm, PartnerProposalForm
from samen.network.models import Organisation, PartnerProposal


def _link_maker(request: HttpRequest):
    # Absolute links come from SITE_URL (core.mail), never from the request's Host header.
    return lambda token: absolute_url(reverse("network:join", kwargs={"token": token}))


def _send(request: HttpRequest, form: JoinInvitationForm, *, organisation: Organisation | None = None) -> bool:
    """Send the form's invitation; a refusal of the service becomes an error next to its field."""
    member = services.member_create(user=request.user)
    try:
        services.invitation_send(
            inviter=member,
            email=form.cleaned_data["email"],
            message=form.cleaned_data["message"],
            link_for=_link_maker(request),
            organisation=organisation,
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            for text in errors:
                form.add_error(field if field in form.fields else None, text)
        return False
    messages.success(request, _("The invitation to %(email)s is sent.") % {"email": form.cleaned_data["email"]})
    return True


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    member = services.member_create(user=request.user)
    form = JoinInvitationForm(request.POST if request.POST.get("action") == "email" else None)
    if request.method == "POST":
        if request.POST.get("action") == "renew":
            services.invitation_link_get(inviter=member, renew=True)
            messages.success(request, _("You have a new personal link; the old one no longer works."))
            return redirect("network:invite")
        if form.is_valid() and _send(request, form):
            return redirect("network:invite")
    link = services.invitation_link_get(inviter=member)
    return render(
        request,
        "network/invite.html",
        {
            "form": form,
            "link": link,
            "link_url": _link_maker(request)(services.invitation_token(link)),
            "brought": selectors.members_brought(member),
            "sent": selectors.invitations_sent(member),
            "now": timezone.now(),
        },
    )


def join(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation link lands: who invites you, then on to sign up (or why the link fails)."""
    try:
        invitation = services.invitation_from_token(token)
    except services.JoinInvitationError as error:
        return render(request, "network/join_invalid.html", {"error": error.message}, status=error.status)
    if request.user.is_authenticated:
        messages.info(request, _("You are already a member; this invitation is for someone new."))
        return redirect("network:invite")
    request.session[INVITATION_SESSION_KEY] = token
    if invitation.email:
        # The link reached this inbox: signing up with that address needs no second check.
        get_adapter(request).stash_verified_email(request, invitation.email)
    return render(request, "network/join.html", {"invitation": invitation})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_invite(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("network.edit_organisation", org):
        raise PermissionDenied
    form = JoinInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _send(request, form, organisation=org):
        return redirect("network:organisation_invite", slug=org.slug)
    member = services.member_create(user=request.user)
    return render(
        request,
        "network/organisation_invite.html",
        {"organisation": org, "form": form, "sent": selectors.invitations_sent(member, organisation=org)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_propose(request: HttpRequest) -> HttpResponse:
    member = services.member_create(user=request.user)
    form = PartnerProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_propose(
                member=member,
                name=form.cleaned_data["name"],
                sector=form.cleaned_data["sector"],
                website=form.cleaned_data["website"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for text in errors:
                    form.add_error(field if field in form.fields else None, text)
        else:
            messages.success(request, _("Thank you. The backbone will look at your proposal."))
            return redirect("network:partner_propose")
    mine = member.partner_proposals.select_related("sector", "organisation").order_by("-created_at")
    return render(request, "network/partner_propose.html", {"form": form, "mine": mine})


def _backbone_only(request: HttpRequest) -> None:
    if not request.user.has_perm("network.decide_partner_proposal"):
        raise PermissionDenied


@login_required
def partner_proposals(request: HttpRequest) -> HttpResponse:
    _backbone_only(request)
    pending = selectors.partner_proposals_pending()
    return render(
        request,
        "network/partner_proposals.html",
        {"pending": [(p, DeclineForm(prefix=f"p{p.pk}")) for p in pending]},
    )


@login_required
@require_POST
def partner_proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _backbone_only(request)
    proposal = get_object_or_404(PartnerProposal, pk=pk)
    accept = request.POST.get("decision") == "accept"
    form = DeclineForm(request.POST, prefix=f"p{pk}")
    form.is_valid()
    try:
        services.partner_proposal_decide(
            proposal=proposal, actor=request.user, accept=accept, reason=form.cleaned_data.get("decline_reason", "")
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):  # not about the form, e.g. decided meanwhile by someone else
            messages.error(request, " ".join(error.messages))
            return redirect("network:partner_proposals")
        for field, errors in error.message_dict.items():
            for text in errors:
                form.add_error(field if field in form.fields else None, text)
        pending = [
            (p, form if p.pk == proposal.pk else DeclineForm(prefix=f"p{p.pk}"))
            for p in selectors.partner_proposals_pending()
        ]
        return render(request, "network/partner_proposals.html", {"pending": pending}, status=400)
    if accept:
        messages.success(request, _("%(name)s is now a partner organisation.") % {"name": proposal.name})
    else:
        messages.success(request, _("The proposal of %(name)s is declined.") % {"name": proposal.name})
    return redirect("network:partner_proposals")
