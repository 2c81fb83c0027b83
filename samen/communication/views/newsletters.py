"""Pages of the newsletters (backbone only): write, segment with a live count, preview, test, send."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samen.communication import newsletters
from samen.communication.forms import NewsletterForm
from samen.communication.models import Newsletter
from samen.core.permissions import is_backbone

RECIPIENTS_SHOWN = 100


def _backbone(request: HttpRequest) -> None:
    if not is_backbone(request.user):
        raise PermissionDenied


@login_required
def newsletter_list(request: HttpRequest) -> HttpResponse:
    _backbone(request)
    return render(request, "communication/newsletter_list.html", {"newsletters": Newsletter.objects.all()})


@login_required
def newsletter_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _backbone(request)
    newsletter = get_object_or_404(Newsletter, pk=pk) if pk else Newsletter()
    if newsletter.status != Newsletter.Status.DRAFT:
        return redirect("communication:newsletter", pk=newsletter.pk)
    form = NewsletterForm(request.POST or None, instance=newsletter)
    if request.method == "POST" and form.is_valid():
        relations = {name: form.cleaned_data[name] for name in ("sectors", "areas", "action_domains", "campaigns")}
        try:
            newsletter = newsletters.newsletter_save(
                newsletter=form.save(commit=False), actor=request.user, relations=relations
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("communication:newsletter", pk=newsletter.pk)
    return render(request, "communication/newsletter_form.html", {"form": form, "newsletter": newsletter})


@login_required
def newsletter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _backbone(request)
    newsletter = get_object_or_404(Newsletter, pk=pk)
    people = newsletters.recipients(newsletter)
    previews = {}
    for lang in ("nl", "en"):
        message = newsletters.newsletter_message(newsletter, user=request.user, language=lang)
        previews[lang] = {"subject": message.subject, "text": message.body}
    deliveries = newsletter.deliveries.select_related("user").order_by("status", "pk")[:RECIPIENTS_SHOWN]
    return render(
        request,
        "communication/newsletter_detail.html",
        {
            "newsletter": newsletter,
            "count": people.count(),
            "people": people.only("email", "first_name", "last_name")[:RECIPIENTS_SHOWN],
            "previews": previews,
            "deliveries": deliveries,
            "delivery_counts": {
                status: newsletter.deliveries.filter(status=status).count() for status in ("queued", "sent", "failed")
            },
        },
    )


@login_required
@require_POST
def newsletter_test(request: HttpRequest, pk: int) -> HttpResponse:
    _backbone(request)
    newsletter = get_object_or_404(Newsletter, pk=pk)
    newsletters.newsletter_test(newsletter=newsletter, actor=request.user, language=translation.get_language() or "nl")
    messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
    return redirect("communication:newsletter", pk=pk)


@login_required
@require_POST
def newsletter_send(request: HttpRequest, pk: int) -> HttpResponse:
    _backbone(request)
    newsletter = get_object_or_404(Newsletter, pk=pk)
    try:
        count = newsletters.newsletter_send(newsletter=newsletter, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("The newsletter goes out to %(n)s person.", "The newsletter goes out to %(n)s people.", count)
            % {"n": count},
        )
    return redirect("communication:newsletter", pk=pk)
