"""Proposals of members (Decidim-style), their supports and comments, answers and moderation."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samen.agenda import selectors, services
from samen.agenda.forms import AnswerForm, CommentForm, ProposalEditForm, ProposalForm, ReportForm
from samen.agenda.models import Comment, Proposal

PAGE_SIZE = 20


def _language() -> str:
    # What people type is in the language of the page they typed it on; pages mark it with lang="…".
    return translation.get_language() or "nl"


def _require(request: HttpRequest, perm: str, obj: object = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    try:
        return selectors.proposal_for_page(pk, user=request.user)
    except Proposal.DoesNotExist:
        raise Http404 from None


def proposal_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in Proposal.Status.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in Proposal.Kind.values else ""
    proposals = selectors.proposals_for_list(status=status, kind=kind, user=request.user)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agenda/proposal_list.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "statuses": Proposal.Status.choices,
            "kinds": Proposal.Kind.choices,
            "supported": selectors.supported_ids(request.user, page.object_list),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    _require(request, "agenda.propose")
    challenges = selectors.published_challenges()
    initial = {"kind": Proposal.Kind.IDEA}
    chosen = challenges.filter(slug=request.GET.get("challenge", "")).first()
    if chosen:
        initial["challenge"] = chosen
    form = ProposalForm(request.POST or None, challenges=challenges, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(author=request.user, language=_language(), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you: your proposal is published. Others can now support it."))
            return redirect(proposal)
    return render(request, "agenda/proposal_form.html", {"form": form})


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _proposal(request, pk))


def _render_detail(
    request: HttpRequest,
    proposal: Proposal,
    *,
    comment_form: CommentForm | None = None,
    answer_form: AnswerForm | None = None,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "agenda/proposal_detail.html",
        {
            "proposal": proposal,
            "comments": proposal.comments.all(),
            "supported": proposal.pk in selectors.supported_ids(user, [proposal]),
            "can_edit": rules.has_perm("agenda.edit_proposal", user, proposal),
            "can_answer": user.has_perm("agenda.answer_proposal", proposal),
            "can_moderate": user.has_perm("agenda.moderate"),
            "comment_form": comment_form or CommentForm(),
            "answer_form": answer_form or AnswerForm(initial={"status": proposal.status}),
        },
        status=400 if (comment_form or answer_form) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    # The rule itself, not user.has_perm: a superuser may do anything else, but not write in someone's name.
    if not rules.has_perm("agenda.edit_proposal", request.user, proposal):
        raise PermissionDenied(_("Only the person who made a proposal can change it, while it is open."))
    form = ProposalEditForm(request.POST or None, initial={"title": proposal.title, "body": proposal.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your proposal is updated."))
            return redirect(proposal)
    return render(request, "agenda/proposal_edit.html", {"form": form, "proposal": proposal})


@login_required
@require_POST
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    _require(request, "agenda.propose")
    try:
        services.proposal_support(proposal=proposal, member=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You support this proposal. Thank you!"))
    return redirect(proposal)


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    _require(request, "agenda.propose")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                proposal=proposal, author=request.user, body=form.cleaned_data["body"], language=_language()
            )
        except ValidationError as exc:
            form.add_error("body", exc.message_dict.get("body", exc.messages))
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(f"{proposal.get_absolute_url()}#comments")
    return _render_detail(request, proposal, comment_form=form)


@login_required
@require_POST
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    _require(request, "agenda.answer_proposal", proposal)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_answer(
                proposal=proposal,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            if NON_FIELD_ERRORS in exc.message_dict:
                # Answered meanwhile by someone else: the page shows that answer, no form to correct.
                messages.error(request, " ".join(exc.messages))
                return redirect(proposal)
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The answer is published and the proposer is told by email."))
            return redirect(proposal)
    return _render_detail(request, proposal, answer_form=form)


def _target(request: HttpRequest, kind: str, pk: int) -> Proposal | Comment:
    if kind not in ("proposal", "comment"):
        raise Http404
    if kind == "proposal":
        return _proposal(request, pk)
    comments = Comment.objects.select_related("proposal")
    if not request.user.has_perm("agenda.moderate"):
        comments = comments.filter(is_hidden=False, proposal__is_hidden=False)
    return get_object_or_404(comments, pk=pk)


def _back(target: Proposal | Comment) -> str:
    if isinstance(target, Comment):
        return f"{target.proposal.get_absolute_url()}#comment-{target.pk}"
    return target.get_absolute_url()


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target(request, kind, pk)
    _require(request, "agenda.propose")
    if selectors.already_reported(reporter=request.user, **{kind: target}):
        # Said once is enough: the page tells so instead of offering the form again.
        messages.info(request, _("You reported this already; the backbone will look at it."))
        return redirect(_back(target))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(reporter=request.user, reason=form.cleaned_data["reason"], **{kind: target})
        except ValidationError as exc:
            form.add_error("reason", exc.message_dict.get("reason", exc.messages))
        else:
            messages.success(request, _("Thank you. The backbone will look at it."))
            return redirect(_back(target))
    return render(request, "agenda/report.html", {"form": form, "target": target, "kind": kind, "back": _back(target)})


@login_required
@require_POST
def hide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _require(request, "agenda.moderate")
    target = _target(request, kind, pk)
    hidden = request.POST.get("hidden", "1") == "1"
    services.content_hide(actor=request.user, target=target, hidden=hidden)
    messages.success(request, _("Hidden from the public.") if hidden else _("Visible to the public again."))
    if request.POST.get("next") == "moderation":
        return redirect("agenda:moderation")
    return redirect(_back(target))


@login_required
@require_POST
def dismiss(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _require(request, "agenda.moderate")
    services.reports_dismiss(actor=request.user, target=_target(request, kind, pk))
    messages.success(request, _("The reports are closed; the content stays visible."))
    return redirect("agenda:moderation")


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _require(request, "agenda.moderate")
    return render(request, "agenda/moderation.html", {"reported": selectors.open_reports()})
