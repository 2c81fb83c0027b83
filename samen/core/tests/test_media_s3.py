"""Uploaded media on S3-compatible object storage (SAMEN_MEDIA_S3_BUCKET), against a real S3 server on
loopback (moto's): a logo uploaded through the partner edit page lands in the bucket, the page links
it and the link serves it; a backup says the media are in the bucket and a restore leaves it alone."""

import html
import io
import os
import re
import socket
import subprocess
import sys
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

BUCKET = "samen-media"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "#0b6b55").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def s3(monkeypatch, settings):
    """A moto S3 server on loopback with an empty bucket; the site's media storage set up from the
    environment by the settings' own function."""
    import boto3
    from moto.server import ThreadedMotoServer

    from samen import settings as samen_settings

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "samen-test",
        "AWS_SECRET_ACCESS_KEY": "samen-test-secret",
        "SAMEN_MEDIA_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    # moto keeps its buckets per process, across servers: start from none.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10)  # noqa: S310
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    storage, origins = samen_settings._media_storage()
    assert origins == [endpoint]  # the CSP's img-src lets the pages load from it
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    yield client
    server.stop()


def _keys(client) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_an_uploaded_logo_lands_in_the_bucket_and_the_page_links_it(s3, client, editor, org, settings):
    client.force_login(editor)
    form = {"description_nl": "Thuiszorg", "description_en": "Home care", "website": "", "logo_alt": "A green house"}
    upload = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    assert client.post(f"/en/partners/{org.slug}/edit/", {**form, "logo": upload}).status_code == 302
    org.refresh_from_db()
    assert _keys(s3) == [org.logo.name]
    assert not (settings.MEDIA_ROOT / org.logo.name).exists()  # nothing on this host's disk
    stored = s3.get_object(Bucket=BUCKET, Key=org.logo.name)["Body"].read()
    assert Image.open(io.BytesIO(stored)).size == (40, 40)

    page = client.get(f"/en/partners/{org.slug}/").content.decode()
    [link] = re.findall(r'<img[^>]+src="([^"]+)"[^>]*alt="A green house"', page)
    link = html.unescape(link)
    assert link.startswith(f"{s3.meta.endpoint_url}/{BUCKET}/{org.logo.name}?")  # signed: the bucket stays private
    with urllib.request.urlopen(link, timeout=10) as answer:  # noqa: S310 (the loopback server)
        assert answer.read() == stored

    # A second logo of the same name gets its own key: nothing uploaded is overwritten.
    again = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    client.post(f"/en/partners/{org.slug}/edit/", {**form, "logo": again})
    assert len(_keys(s3)) == 2


@pytest.mark.django_db(transaction=True)
def test_a_backup_names_the_bucket_and_a_restore_leaves_it_alone(s3, make_org, tmp_path, capsys):
    from django.core.files.base import ContentFile

    org = make_org("wijkzorg-runkst", name="Wijkzorg Runkst")
    org.logo.save("logo.png", ContentFile(_png()), save=True)
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    assert f"The media are in the S3 bucket {BUCKET}, not in the archive" in capsys.readouterr().out
    import tarfile

    with tarfile.open(archive) as tar:
        assert not [n for n in tar.getnames() if n.startswith("media")]

    later = make_org("later", name="Later")
    later.logo.save("later.png", ContentFile(_png()), save=True)
    call_command("restore", str(archive), "--force")
    assert "were left as they are" in capsys.readouterr().out
    assert sorted(_keys(s3)) == sorted([org.logo.name, later.logo.name])  # the bucket's own versioning restores it


def test_the_settings_put_media_on_s3_from_the_environment_and_allow_it_in_the_csp():
    env = {
        **os.environ,
        "SAMEN_MEDIA_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
        "DJANGO_SETTINGS_MODULE": "samen.settings",
    }
    code = (
        "from django.conf import settings as s; print(s.STORAGES['default']['BACKEND']); "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["storages.backends.s3.S3Storage", "[\"'self'\", 'data:', 'https://s3.example.org']"]


@pytest.mark.django_db(transaction=True)
def test_media_of_an_archive_from_disk_not_put_in_the_bucket_are_named(s3, make_org, tmp_path, settings, capsys):
    from django.core.files.base import ContentFile

    on_s3 = settings.STORAGES["default"]
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    org = make_org("wijkzorg-runkst", name="Wijkzorg Runkst")
    org.logo.save("logo.png", ContentFile(_png()), save=True)  # on the disk of the old site
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    settings.STORAGES = {**settings.STORAGES, "default": on_s3}  # the new site keeps media in the bucket
    capsys.readouterr()
    call_command("restore", str(archive), "--force")
    assert "The archive holds 1 media files that were not put back" in capsys.readouterr().out
