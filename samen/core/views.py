from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
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


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers, and so do its database and, when configured, the shared
    cache and the broker of the background workers; 503 names the part that is down."""
    parts = {"database": _database_answers()}
    if _shared_cache_configured():
        parts["cache"] = _cache_answers()
    if settings.SAMEN_TASKS == "celery":
        parts["broker"] = _broker_answers()
    body = {"status": "ok" if all(parts.values()) else "error"}
    body.update({name: "ok" if up else "unreachable" for name, up in parts.items()})
    return JsonResponse(body, status=200 if all(parts.values()) else 503)
