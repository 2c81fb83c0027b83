from urllib.parse import urlsplit

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and its database does."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, made to keep the page whatever the cookie or the browser says.

    Django finds the page in the other language by resolving `next` in the *active* language,
    which outside the /nl/ and /en/ prefixes comes from the cookie or the browser: an English
    page asked for while the cookie says Dutch did not resolve and the switch stayed on it.
    Resolving it in the language of its own prefix finds it every time."""
    next_url = request.POST.get("next", request.GET.get("next", ""))
    page_language = translation.get_language_from_path(urlsplit(next_url).path)
    if page_language:
        translation.activate(page_language)
    return i18n.set_language(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's layout and the page's language; bare if even that fails."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        return HttpResponseServerError(loader.get_template("500.html").render({"bare": True}))
