"""Pages of communication: news, follows, notifications and the inbox, preferences, unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from samen.agenda.models import ActionDomain
from samen.communication import selectors, services, unsubscribe
from samen.communication.forms import NewsForm, PreferencesForm
from samen.communication.inbox import waiting_for
from samen.communication.models import FollowKind, NewsItem, Notification
from samen.communication.selectors import follows_of, news_for_writer, preferences_for, published_news
from samen.core.permissions import is_backbone
from samen.network.models import Area, Organisation
from samen.network.selectors import editable_organisations

NEWS_PER_PAGE = 20


def news_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip()[:100] for key in ("domain", "organisation", "area", "q")}
    items = published_news(
        domain=filters["domain"], organisation=filters["organisation"], area=filters["area"], query=filters["q"]
    )
    page = Paginator(items, NEWS_PER_PAGE).get_page(request.GET.get("page"))
    language = translation.get_language() or "nl"
    return render(
        request,
        "communication/news_list.html",
        {
            "page": page,
            "rows": [(item, item.in_language(language)) for item in page.object_list],
            "filters": filters,
            "domains": ActionDomain.objects.order_by("order", "name"),
            "organisations": Organisation.objects.filter(news_items__published_at__isnull=False)
            .distinct()
            .order_by("name"),
            "areas": Area.objects.exclude(kind="city").order_by("path"),
            "may_write": request.user.is_authenticated
            and (is_backbone(request.user) or editable_organisations(request.user).exists()),
        },
    )


def news_item(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(NewsItem.objects.select_related("organisation"), slug=slug)
    if item.published_at is None and not selectors.news_may_write(request.user, item.organisation):
        raise Http404
    language = translation.get_language() or "nl"
    return render(
        request,
        "communication/news_item.html",
        {
            "item": item,
            "text": item.in_language(language),
            "may_edit": selectors.news_may_write(request.user, item.organisation),
            "tags": selectors.news_tags_public(item),
        },
    )


@login_required
def news_drafts(request: HttpRequest) -> HttpResponse:
    if not (is_backbone(request.user) or editable_organisations(request.user).exists()):
        raise PermissionDenied
    return render(request, "communication/news_drafts.html", {"items": news_for_writer(request.user)})


@login_required
def news_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    organisations = editable_organisations(request.user)
    backbone = is_backbone(request.user)
    if not backbone and not organisations.exists():
        raise PermissionDenied
    item = get_object_or_404(NewsItem, slug=slug) if slug else NewsItem()
    if slug and not selectors.news_may_write(request.user, item.organisation):
        raise PermissionDenied
    form = NewsForm(request.POST or None, request.FILES or None, instance=item, organisations=organisations)
    if not backbone:
        form.fields["organisation"].required = True
        form.fields["organisation"].empty_label = None
    if request.method == "POST" and form.is_valid():
        try:
            item = services.news_save(item=form.save(commit=False), actor=request.user, tags=form.tags())
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error("organisation", _("You may write news only for an organisation you edit."))
        else:
            messages.success(request, _("The news item is saved."))
            return redirect(item.get_absolute_url())
    return render(request, "communication/news_form.html", {"form": form, "item": item})


# --- Following -------------------------------------------------------------------------------


def _next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    services.profile_get(request.user, language=translation.get_language())  # mail in the language they use
    try:
        object_id = int(request.POST.get("id", ""))
        following = services.follow_set(
            user=request.user, kind=kind, object_id=object_id, following=request.POST.get("follow") == "1"
        )
    except (ValueError, ValidationError):
        messages.error(request, _("This cannot be followed."))
    else:
        messages.success(request, _("You follow this now.") if following else _("You no longer follow this."))
    return redirect(_next(request, "communication:following"))


@login_required
def following(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        added = services.follow_defaults_apply(user=request.user)
        messages.success(
            request,
            ngettext(
                "%(n)s suggestion from your profile was added.",
                "%(n)s suggestions from your profile were added.",
                added,
            )
            % {"n": added},
        )
        return redirect("communication:following")
    follows = sorted(follows_of(request.user))
    names = selectors.follow_labels(follows)
    labels = [(kind, pk, FollowKind(kind).label, names.get((kind, pk), "")) for kind, pk in follows]
    return render(
        request,
        "communication/following.html",
        {
            "follows": labels,
            "defaults_applied": services.profile_get(request.user).defaults_applied,
            "areas": Area.objects.exclude(kind="city").order_by("path"),
        },
    )


# --- Notifications, inbox and preferences ----------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = request.POST.getlist("id")
        services.notifications_mark_read(user=request.user, ids=[int(i) for i in ids if i.isdigit()] if ids else None)
        return redirect("communication:notifications")
    rows = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "communication/notifications.html", {"page": page})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "communication/inbox.html", {"waiting": waiting_for(request.user)})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    profile = services.profile_get(request.user, language=translation.get_language())
    grid = preferences_for([request.user.pk])[request.user.pk]
    initial = {
        "language": profile.language,
        "quiet_from": profile.quiet_from,
        "quiet_until": profile.quiet_until,
        "newsletter_consent": profile.newsletter_consent,
    }
    form = PreferencesForm(request.POST or None, initial=initial, grid=grid)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=request.user,
            language=form.cleaned_data["language"],
            quiet_from=form.cleaned_data["quiet_from"],
            quiet_until=form.cleaned_data["quiet_until"],
            newsletter_consent=form.cleaned_data["newsletter_consent"],
            grid=form.grid(),
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("communication:preferences")
    return render(request, "communication/preferences.html", {"form": form, "profile": profile})


# --- Unsubscribe (RFC 8058) ------------------------------------------------------------------


@csrf_exempt  # a mail provider POSTs here without cookies or a CSRF token; the signed token is the proof
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    found = unsubscribe.token_read(token)
    if found is None:
        return render(request, "communication/unsubscribe_invalid.html", status=400)
    user_id, list_name = found
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        if request.POST.get("List-Unsubscribe") == "One-Click" or choice == "unsubscribe":
            unsubscribe.list_leave(user_id=user_id, list_name=list_name)
            done = "unsubscribed"
        elif choice == "less" and list_name == "daily":
            unsubscribe.list_less_often(user_id=user_id)
            done = "less"
        else:
            done = ""
        # 200 and a page, never a redirect: RFC 8058 one-click clients do not follow one.
        return render(request, "communication/unsubscribe.html", {"list_name": list_name, "done": done, "token": token})
    return render(request, "communication/unsubscribe.html", {"list_name": list_name, "done": "", "token": token})
