from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from samen import views
from samen.api.api import api
from samen.core.views import healthz

# The admin signs in through allauth, so rate limits and the second factor apply there too.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = _("Samen administration")
admin.site.site_title = _("Samen")
admin.site.index_title = _("Curate the initiative")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("samen.agenda.urls")),
    path("", include("samen.network.urls")),
    path("", include("samen.measurement.urls")),
    path("account/", include("allauth.urls")),
    path("admin/", admin.site.urls),
)
if settings.SAMEN_SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
