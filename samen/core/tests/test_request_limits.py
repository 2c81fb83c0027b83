"""Bodies too large are refused from their Content-Length, before anything reads or stores them."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def test_a_huge_post_to_the_sign_in_page_is_refused_before_it_is_read(client, db):
    with mock.patch("django.http.multipartparser.MultiPartParser.parse") as parse:
        response = client.generic(
            "POST",
            "/en/account/login/",
            b"login=x",
            content_type="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(1024**3),
        )
    assert response.status_code == 413
    assert "What you sent is 1.0\xa0GB; this page takes at most" in response.content.decode()
    assert "You are not signed in" not in response.content.decode()  # signed in, it would not fit either
    parse.assert_not_called()


def test_a_chunked_body_without_a_length_is_refused(client, db):
    response = client.generic(
        "POST",
        "/en/account/login/",
        b"",
        content_type="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411


def test_a_normal_sign_in_post_goes_through(client, member):
    response = client.post("/en/account/login/", {"login": "mila@example.org", "password": "a-Good-passw0rd"})
    assert response.status_code == 302


def test_the_web_import_refuses_a_file_above_its_own_limit_before_the_csrf_check_reads_it(editor, settings):
    from django.test import Client

    settings.SAMEN_IMPORT_MAX_BYTES = 1000
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    with mock.patch("django.http.multipartparser.MultiPartParser.parse") as parse:
        response = client.post("/en/measurements/import/", {"file": SimpleUploadedFile("v.csv", b"x" * 200_000)})
    assert response.status_code == 413
    assert "Larger files go through the command samen import-measurements." in response.content.decode()
    parse.assert_not_called()


def test_the_web_import_takes_files_larger_than_other_pages_do(editor, client, settings):
    settings.SAMEN_MAX_REQUEST_BYTES = 10_000
    client.force_login(editor)
    response = client.post("/en/measurements/import/", {"file": SimpleUploadedFile("v.csv", b"a;b\n" * 5000)})
    assert response.status_code == 200
    assert client.post("/en/profile/", {"x": "y" * 20_000}).status_code == 413


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer nonsense"},  # a token header is no sign-in outside the API
        {"HTTP_AUTHORIZATION": "Basic c3RhZ2luZzpzdGFnaW5n"},  # as behind a staging proxy's password
    ],
)
def test_a_visitor_cannot_make_the_server_read_a_large_upload_before_the_sign_in_check(db, headers):
    from django.test import Client

    # With CSRF checked, as in production: its check reads the multipart body before the sign-in check.
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    upload = {"file": SimpleUploadedFile("v.csv", b"x" * 300_000), "csrfmiddlewaretoken": "a" * 32}
    read = AssertionError("the body was read")
    with mock.patch("django.http.multipartparser.MultiPartParser.parse", side_effect=read) as parse:
        response = client.post("/en/measurements/import/", upload, **headers)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Larger files go through" not in page  # the import's limit is not theirs
    # Signed in it would fit: most often a member whose session ended with the form open.
    assert "You are not signed in, perhaps because your session ended" in page
    assert 'href="/en/account/login/?next=/en/measurements/import/"' in page
    parse.assert_not_called()


def test_a_public_form_of_the_largest_size_still_goes_through_for_a_visitor(client, db):
    # The longest public text: 4,000 characters of 4-byte UTF-8, about 48 KB once form-encoded.
    response = client.post("/en/account/login/", {"login": "x", "password": "y", "other": "😀" * 4000})
    assert response.status_code == 200  # the form answered (wrong password), not 413
