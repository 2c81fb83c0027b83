"""Wrong passwords cannot lock the owner out: limits count per account and per real address, and the
owner still gets in with a code sent by email."""

import re

import pytest
from django.core import mail
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _wrong(client, email: str, address: str):
    return client.post(
        "/en/account/login/", {"login": email, "password": "wrong-guess-1"}, HTTP_X_FORWARDED_FOR=address
    )


def test_after_an_attacker_s_guesses_the_owner_signs_in_with_a_code_by_email(
    client, member, settings, django_capture_on_commit_callbacks
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # Guesses from many addresses reach the cap per account (100 an hour; 5 here to keep the test short).
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "samen_login_failed_account": "5/h/key"}
    for i in range(8):
        _wrong(client, "mila@example.org", f"203.0.113.{i}")
    response = client.post(
        "/en/account/login/",
        {"login": "mila@example.org", "password": "a-Good-passw0rd"},
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert response.status_code == 200
    assert "sign in with a code sent to your email address" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/account/login/code/", {"email": "mila@example.org"}, HTTP_X_FORWARDED_FOR="198.51.100.1"
        )
    assert response.status_code == 302
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M).group(1)
    response = client.post("/en/account/login/code/confirm/", {"code": code}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 302
    assert client.get("/en/profile/").status_code == 200


def test_one_address_guessing_many_accounts_is_stopped(client, make_user, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    answers = [_wrong(client, f"nobody{i}@example.org", "203.0.113.50") for i in range(11)]
    assert "Too many failed sign-in attempts" not in answers[9].content.decode()
    assert "Too many failed sign-in attempts" in answers[10].content.decode()
    assert "Too many failed" not in _wrong(client, "nobody@example.org", "198.51.100.2").content.decode()


def test_the_limits_count_in_the_shared_cache_in_production_settings():
    # Tests use a local cache; without Redis, production and development use one on disk for all processes.
    import os
    import subprocess
    import sys

    from django.conf import settings

    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='samen.settings';"
            "from django.conf import settings;print(settings.CACHES['default']['BACKEND'])",
        ],
        env={k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SAMEN_ENV", "DJANGO_SETTINGS_MODULE")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # The database cache: its add is one INSERT guarded by the key, so two processes never both take a lock.
    assert "DatabaseCache" in out
    assert settings.ACCOUNT_LOGIN_BY_CODE_ENABLED


@pytest.mark.django_db(transaction=True)
def test_migrate_makes_the_shared_cache_table_whose_add_is_taken_once(settings):
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "samen_cache_test"},
    }
    call_command("migrate", verbosity=0)
    shared = caches["shared"]
    assert shared.add("allauth:rl:x:lock", True, 10)
    assert not shared.add("allauth:rl:x:lock", True, 10)


def _ask_code(email: str, address: str):
    from django.test import Client

    return Client().post("/en/account/login/code/", {"email": email}, HTTP_X_FORWARDED_FOR=address)


def test_an_attacker_cannot_close_both_the_password_and_the_code_door(
    client, member, settings, django_capture_on_commit_callbacks
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for i in range(8):
        _wrong(client, "mila@example.org", f"203.0.113.{i}")
    for i in range(4):
        _ask_code("mila@example.org", f"203.0.113.{100 + i}")
        _ask_code("mila@example.org", "203.0.113.200")
    # From her own address the password still works...
    response = client.post(
        "/en/account/login/",
        {"login": "mila@example.org", "password": "a-Good-passw0rd"},
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert response.status_code == 302
    client.logout()
    # ...and so does a code.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_code("mila@example.org", "198.51.100.1")
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_one_address_asking_codes_for_an_account_is_stopped(member, settings, django_capture_on_commit_callbacks):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_ask_code("mila@example.org", "203.0.113.9") for _ in range(6)]
    assert [a.status_code for a in answers[:3]] == [302, 302, 302]
    assert answers[-1].status_code == 200
    assert len(mail.outbox) == 3


def test_codes_mailed_to_one_account_are_capped_per_hour(member, settings, django_capture_on_commit_callbacks):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(30):
            _ask_code("mila@example.org", f"203.0.113.{i}")
    assert len(mail.outbox) <= 10


def test_guesses_from_more_than_twenty_addresses_never_keep_the_owner_out_of_her_own_device(
    client, member, settings, django_capture_on_commit_callbacks
):
    from django.test import Client

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    own = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    good = {"login": "mila@example.org", "password": "a-Good-passw0rd"}
    assert client.post("/en/account/login/", good, **own).status_code == 302  # once, on her own phone
    client.post("/en/account/logout/", **own)
    # 21 addresses × 5 wrong passwords fill the cap per account (100 an hour), 4 × 3 codes fill the codes' (10).
    for i in range(21):
        for _ in range(5):
            _wrong(Client(), "mila@example.org", f"203.0.113.{i}")
    for i in range(4):
        for _ in range(3):
            _ask_code("mila@example.org", f"192.0.2.{i}")
    stranger = Client()
    assert "Too many failed sign-in attempts" in stranger.post("/en/account/login/", good, **own).content.decode()
    assert stranger.post("/en/account/login/code/", {"email": "mila@example.org"}, **own).status_code == 200

    # On her own device both doors stay open: the password...
    assert client.post("/en/account/login/", good, **own).status_code == 302
    assert client.get("/en/profile/").status_code == 200
    assert "mila" not in client.cookies["samen_device"].value  # the cookie names no address
    client.post("/en/account/logout/", **own)
    # ...and the code by mail.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/en/account/login/code/", {"email": "mila@example.org"}, **own).status_code == 302
    assert len(mail.outbox) == 1


def test_a_copied_device_cookie_still_meets_a_cap_and_a_new_password_voids_it(client, member, settings):
    from django.test import Client

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    good = {"login": "mila@example.org", "password": "a-Good-passw0rd"}
    assert client.post("/en/account/login/", good, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    copied = client.cookies["samen_device"].value
    answers = []
    for i in range(25):  # the copy used from 25 addresses, one guess each
        thief = Client()
        thief.cookies["samen_device"] = copied
        answers.append(_wrong(thief, "mila@example.org", f"203.0.113.{i}").content.decode())
    assert "Too many failed sign-in attempts" not in answers[19]
    assert "Too many failed sign-in attempts" in answers[20]  # the device's own cap: 20 an hour

    from samen.network.adapters import known_device

    request = type("Request", (), {"COOKIES": {"samen_device": copied}})()
    assert known_device(request, "mila@example.org")
    member.set_password("a-New-passw0rd-2")
    member.save()
    assert known_device(request, "mila@example.org") is None
