"""Limits that protect the site from abuse: request bodies capped before anything reads them, and
public forms rate-limited in the shared cache by the real client address (allauth's rate limiter,
so sign-in, sign-up and our own forms count the same way and in the same place)."""

from __future__ import annotations

from collections.abc import Callable

from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve

# Public forms (view name → rate action in ACCOUNT_RATE_LIMITS); allauth's own forms limit themselves.
RATE_LIMITED_VIEWS = {
    "events:event_register": "samen_event_register",
    "network:invite": "samen_invite",
    "network:organisation_invite": "samen_invite",
    "network:partner_propose": "samen_partner_propose",
}
# Views that take large uploads, and the setting that caps them (the rest get SAMEN_MAX_REQUEST_BYTES).
LARGE_UPLOAD_VIEWS = {"measurement:import": "SAMEN_IMPORT_MAX_BYTES"}
MULTIPART_OVERHEAD = 64 * 1024


def _view_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def request_byte_limit(view_name: str | None) -> int:
    setting = LARGE_UPLOAD_VIEWS.get(view_name or "")
    if setting:
        return getattr(settings, setting) + MULTIPART_OVERHEAD
    return settings.SAMEN_MAX_REQUEST_BYTES


API_PATH = "/api/"


def _signed_in_or_token(request: HttpRequest) -> bool:
    """Whether a body may be larger than a visitor's: a signed-in person, or an API client (its token
    is checked by the API's view; without one it still meets the ordinary limit). A token is read only
    on the API's paths: elsewhere an `Authorization` header (anyone can send one, and behind a staging
    proxy's password every visitor does) proves nothing. Asked only of a body above the visitor's
    limit, so a small post never loads its session here."""
    token = "HTTP_AUTHORIZATION" in request.META and request.path_info.startswith(API_PATH)
    return token or request.user.is_authenticated  # type: ignore[attr-defined]


class RequestLimitsMiddleware:
    """Refuses a body that is too large from its Content-Length (before anything reads or stores
    it; a visitor who is not signed in gets the small limit of the public forms, so the web import's
    large one is not theirs to fill), a chunked body without a length (Django would not read it anyway), and too many posts to a
    public form from one client."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        view_name = _view_name(request)
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() and not request.META.get(
            "CONTENT_LENGTH"
        ):
            return render(request, "413.html", {"length_required": True}, status=411)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = own_limit = request_byte_limit(view_name)
        if length > settings.SAMEN_ANONYMOUS_MAX_REQUEST_BYTES and not _signed_in_or_token(request):
            limit = min(limit, settings.SAMEN_ANONYMOUS_MAX_REQUEST_BYTES)
        if length > limit:
            return render(
                request,
                "413.html",
                {
                    "size": filesizeformat(length),
                    "max": filesizeformat(limit),
                    "large_upload": view_name in LARGE_UPLOAD_VIEWS and limit == own_limit,
                    # Signed in, it would have fitted: most often a member whose session ended while the
                    # form was open. Say so, rather than only that the file is too large.
                    "sign_in_first": length <= own_limit,
                    "own_max": filesizeformat(own_limit),
                },
                status=413,
            )
        action = RATE_LIMITED_VIEWS.get(view_name or "")
        if action and not ratelimit.consume(request, app="allauth.account", action=action):
            return render(request, "429.html", status=429)
        return self.get_response(request)
