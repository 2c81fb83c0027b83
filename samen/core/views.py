import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return False
    return True


def _cache_answers() -> bool:
    try:
        cache.set("samen:healthz", "ok", 10)
        return cache.get("samen:healthz") == "ok"
    except Exception:
        return False


def _broker_answers(url: str | None = None) -> bool:
    from samen.celery_app import app

    try:
        with app.connection_for_write(url or settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return False
    return True


def _shared_cache_configured() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _check_parts() -> dict[str, bool]:
    parts = {"database": _database_answers()}
    if _shared_cache_configured():
        parts["cache"] = _cache_answers()
    if settings.SAMEN_TASKS == "celery":
        parts["broker"] = _broker_answers()
    return parts


# The last check of this process: (when, parts). One thread checks at a time.
_last_check: tuple[float, dict[str, bool]] | None = None
_check_lock = threading.Lock()


def _parts() -> dict[str, bool]:
    """The parts' state, checked at most once in SAMEN_HEALTHZ_CHECK_SECONDS: a flood of /healthz
    costs neither database writes nor broker connections, only this answer from memory."""
    global _last_check
    last = _last_check
    if last is not None and time.monotonic() - last[0] < settings.SAMEN_HEALTHZ_CHECK_SECONDS:
        return last[1]
    # One thread checks; the others answer from the previous result rather than wait (a slow broker
    # check must not pin every server thread); only the very first check is waited for.
    if not _check_lock.acquire(blocking=last is None):
        return last[1]  # type: ignore[index]
    try:
        if _last_check is None or time.monotonic() - _last_check[0] >= settings.SAMEN_HEALTHZ_CHECK_SECONDS:
            _last_check = (time.monotonic(), _check_parts())
        return _last_check[1]
    finally:
        _check_lock.release()


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers, and so do its database and, when configured, the shared
    cache and the broker of the background workers; 503 names the part that is down."""
    parts = _parts()
    body = {"status": "ok" if all(parts.values()) else "error"}
    body.update({name: "ok" if up else "unreachable" for name, up in parts.items()})
    return JsonResponse(body, status=200 if all(parts.values()) else 503)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, made to keep the page whatever the cookie or the browser says.

    Django finds the page in the other language by resolving `next` in the *active* language,
    which outside the /nl/ and /en/ prefixes comes from the cookie or the browser: an English
    page asked for while the cookie says Dutch did not resolve and the switch stayed on it.
    Resolving it in the language of its own prefix finds it every time.

    A GET sets the cookie too: the frame's language link on a page without a /nl/ or /en/ prefix (the
    unsubscribe link of an email, a 404) comes here, as those pages take their language from the
    cookie. It changes only the visitor's own preference, so a link may do it."""
    next_url = request.POST.get("next", request.GET.get("next", ""))
    page_language = translation.get_language_from_path(urlsplit(next_url).path)
    if page_language:
        translation.activate(page_language)
    if request.method == "GET":
        return _set_language_by_link(request, next_url, request.GET.get(i18n.LANGUAGE_QUERY_PARAMETER, ""))
    return i18n.set_language(request)


def _set_language_by_link(request: HttpRequest, next_url: str, code: str) -> HttpResponse:
    """What Django's `set_language` does on a POST: `next` only on this site, else the home page."""
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    target = next_url if safe else "/"
    if not (code and check_for_language(code)):
        return HttpResponseRedirect(target)
    response = HttpResponseRedirect(translate_url(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's layout and the page's language; bare if even that fails."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        return HttpResponseServerError(loader.get_template("500.html").render({"bare": True}))
