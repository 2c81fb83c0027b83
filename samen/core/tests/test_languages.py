"""The page's language holds everywhere: the switch keeps the page whatever the cookie or the
browser says, cached fragments are kept per language, and the error pages speak it too."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import path

from samen import urls as site_urls


@pytest.mark.parametrize(
    ("path", "to", "expected"),
    [
        ("/en/", "nl", "/nl/"),
        ("/en/dashboard/", "nl", "/nl/dashboard/"),
        ("/en/partners/?q=zorg", "nl", "/nl/partners/?q=zorg"),
        ("/nl/events/", "en", "/en/events/"),
        ("/nl/account/login/", "en", "/en/account/login/"),
    ],
)
@pytest.mark.parametrize("cookie", ["nl", "en"])
@pytest.mark.parametrize("accept_language", ["nl-BE", "en-GB"])  # not `browser`, `page`: Playwright's fixtures
def test_the_language_switch_keeps_the_page_whatever_the_cookie_or_the_browser_says(
    client, db, path, to, expected, cookie, accept_language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.post(
        "/i18n/setlang/", {"language": to, "next": path}, headers={"accept-language": accept_language}
    )
    assert response.status_code == 302
    assert response["Location"] == expected


def test_the_network_map_table_is_kept_per_language(client, db, org):
    assert "The map in words" in client.get("/en/network/map/").content.decode()
    assert "De kaart in woorden" in client.get("/nl/network/map/").content.decode()
    english = client.get("/en/network/map/").content.decode()
    assert "The map in words" in english
    assert "De kaart in woorden" not in english


def test_every_cached_fragment_is_kept_per_language():
    """A {% cache %} tag does not add the language itself: every one must name it."""
    from pathlib import Path

    import samen

    found = []
    for template in Path(samen.__file__).parent.rglob("*.html"):
        for line in template.read_text().splitlines():
            if "{% cache " in line:
                found.append(line)
                # overview_key already ends with the language (activities.overview.cache_key).
                assert "LANGUAGE_CODE" in line or "overview_key" in line, f"{template}: {line.strip()}"
    assert found


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *site_urls.urlpatterns,
    path("en/forbidden-test/", _forbidden),
    path("nl/forbidden-test/", _forbidden),
    path("en/broken-test/", _broken),
    path("nl/broken-test/", _broken),
]
handler500 = site_urls.handler500


@pytest.mark.parametrize(
    ("lang", "not_found", "not_allowed"),
    [("nl", "Pagina niet gevonden", "Niet toegestaan"), ("en", "Page not found", "Not allowed")],
)
def test_the_404_and_403_pages_use_the_site_layout_in_the_page_language(client, db, lang, not_found, not_allowed):
    with override_settings(ROOT_URLCONF=__name__):
        missing = client.get(f"/{lang}/no-such-page/")
        forbidden = client.get(f"/{lang}/forbidden-test/")
    assert missing.status_code == 404
    assert forbidden.status_code == 403
    for response, title in ((missing, not_found), (forbidden, not_allowed)):
        body = response.content.decode()
        assert f'<html lang="{lang}">' in body
        assert title in body
        assert 'class="site-header"' in body and "samen.css" in body


@pytest.mark.parametrize(("lang", "title"), [("nl", "Er ging iets mis"), ("en", "Something went wrong")])
def test_the_500_page_uses_the_site_layout_in_the_page_language(client, db, lang, title):
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__):
        response = client.get(f"/{lang}/broken-test/")
    assert response.status_code == 500
    body = response.content.decode()
    assert f'<html lang="{lang}">' in body
    assert title in body
    assert 'class="site-header"' in body


@pytest.mark.parametrize(("lang", "population"), [("nl", "5.070"), ("en", "5,070")])
def test_numbers_on_the_indicator_page_follow_the_page_language(client, visits, lang, population):
    body = client.get(f"/{lang}/indicators/eld-visit-weekly/").content.decode()
    people = body.split('class="depth-0">Hasselt</th>')[1].split("</tr>")[0]
    assert population in people


def test_dutch_pages_do_not_say_backbone_or_betweenness():
    """The Dutch word is "trekker" (DESIGN.md's words), once glossed as "backbone-organisatie"."""
    import re

    import polib

    catalogue = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"))
    english = [
        e.msgid
        for e in catalogue
        if re.search(r"backbone|betweenness", " ".join([e.msgstr, *e.msgstr_plural.values()]), re.I)
        and "backbone-organisatie" not in e.msgstr
    ]
    assert not english, english
