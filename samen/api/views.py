"""Partners make and revoke the API tokens of the organisations they edit."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from samen.api import services
from samen.api.models import ApiToken
from samen.core.text import VisibleTitlesMixin
from samen.network.models import Organisation
from samen.network.selectors import editable_organisations


class TokenForm(VisibleTitlesMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=gettext_lazy("Organisation"))
    name = forms.CharField(
        max_length=100, label=gettext_lazy("What will use it"), help_text=gettext_lazy("e.g. “registration system”")
    )


def _organisations(user) -> list[Organisation]:
    return list(editable_organisations(user))


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request.user)
    if not organisations or not request.user.has_perm("measurement.enter_values"):
        raise PermissionDenied
    form = TokenForm(request.POST or None)
    form.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.token_create(
            organisation=form.cleaned_data["organisation"], actor=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
        form.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
    listed = ApiToken.objects.filter(organisation__in=organisations).select_related("organisation", "created_by")
    return render(request, "api/tokens.html", {"form": form, "tokens": listed, "secret": secret})


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, revoked_at=None)
    if token.organisation not in _organisations(request.user) or not request.user.has_perm("measurement.enter_values"):
        raise PermissionDenied
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token is revoked; it no longer works."))
    return redirect("api_tokens")
