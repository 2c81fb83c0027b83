from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from samen.activities.events import views as events_views
from samen.api import views as api_views
from samen.api.api import api
from samen.backbone import opendata as backbone_opendata
from samen.communication import feeds as news_feeds
from samen.communication import views as communication_views
from samen.core.observability import metrics
from samen.core.text import give_the_admin_visible_titles
from samen.core.views import healthz, set_language
from samen.measurement import opendata

# The admin signs in through allauth, so rate limits and the second factor apply there too.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
# Here, once every app registered its admins (some do in their ready(), after samen.core's).
give_the_admin_visible_titles(admin.site)
admin.site.site_header = _("Samen administration")
admin.site.site_title = _("Samen")
admin.site.index_title = _("Curate the initiative")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("open-data/datapackage.json", opendata.datapackage, name="opendata"),
    path("open-data/indicators.csv", opendata.indicators_csv, name="opendata_indicators"),
    path("open-data/<slug:code>.csv", opendata.indicator_csv, name="opendata_indicator"),
    path("open-data/report-cards/<int:year>.csv", backbone_opendata.report_card_csv, name="opendata_report_card"),
    path("events.ics", events_views.events_ics, name="events_ics"),
    path("news.atom", news_feeds.NewsFeed(), name="news_atom"),
    path("news/domains/<slug:slug>.atom", news_feeds.DomainNewsFeed(), name="news_atom_domain"),
    path("news/partners/<slug:slug>.atom", news_feeds.OrganisationNewsFeed(), name="news_atom_organisation"),
    path("news/areas/<slug:code>.atom", news_feeds.AreaNewsFeed(), name="news_atom_area"),
    path("unsubscribe/<str:token>/", communication_views.unsubscribe_view, name="unsubscribe"),
]
urlpatterns += i18n_patterns(
    path("", include("samen.agenda.urls")),
    path("", include("samen.network.urls")),
    path("", include("samen.measurement.urls")),
    path("", include("samen.activities.urls")),
    path("", include("samen.activities.events.urls")),
    path("", include("samen.backbone.urls")),
    path("", include("samen.care.urls")),
    path("", include("samen.calls.urls")),
    path("", include("samen.front.urls")),
    path("", include("samen.communication.urls")),
    path("account/", include("allauth.urls")),
    path("api-tokens/", api_views.tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", api_views.revoke, name="api_token_revoke"),
    path("admin/", admin.site.urls),
)
if settings.SAMEN_SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

handler500 = "samen.core.views.server_error"
