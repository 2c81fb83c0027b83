from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from samen.agenda.models import Initiative


def initiative(request: HttpRequest) -> dict:
    # Lazy: only pages that show the initiative's name pay its query.
    return {"initiative": SimpleLazyObject(lambda: Initiative.objects.first())}
