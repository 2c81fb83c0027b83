"""Uploads and typed text that could harm: logos re-encoded, XML bombs refused, invisible characters removed."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from samen.core.text import visible_text
from samen.measurement.importer import ImportRefused, import_measurements


def _photo_with_gps(size=(3000, 2000)) -> bytes:
    image = Image.new("RGB", size, "#0b6b55")
    exif = Image.Exif()
    exif[0x8825] = {2: (50.0, 55.0, 50.0), 1: "N"}  # GPSInfo: the latitude of Hasselt
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _form(**changes):
    return {"description_nl": "Thuiszorg", "description_en": "Home care", "website": "", **changes}


def test_an_uploaded_logo_is_stored_without_exif_or_gps_and_scaled_down(client, editor, org):
    client.force_login(editor)
    logo = SimpleUploadedFile("logo.jpg", _photo_with_gps(), content_type="image/jpeg")
    response = client.post(f"/en/partners/{org.slug}/edit/", _form(logo=logo, logo_alt="Our house"))
    assert response.status_code == 302
    org.refresh_from_db()
    with Image.open(org.logo.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) <= 2400
        assert not stored.getexif()
    assert org.logo.name.startswith("logos/")


def test_a_logo_of_too_many_pixels_is_refused_with_its_size(client, editor, org):
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    client.force_login(editor)
    logo = SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")
    response = client.post(f"/en/partners/{org.slug}/edit/", _form(logo=logo, logo_alt="Huge"))
    assert response.status_code == 200
    assert "12000 × 12000 pixels; it may have at most 23 million pixels" in response.content.decode()
    org.refresh_from_db()
    assert not org.logo


def test_a_logo_that_claims_png_but_is_a_gif_is_refused(client, editor, org):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "GIF")
    client.force_login(editor)
    logo = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    response = client.post(f"/en/partners/{org.slug}/edit/", _form(logo=logo, logo_alt="x"))
    assert "Images in GIF are not accepted" in response.content.decode()


ENTITIES = """<!DOCTYPE worksheet [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>"""


def _bomb_xlsx() -> bytes:
    """A workbook whose sheet expands one cell into ever more "lol"s (a "billion laughs", kept small here)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["indicator", "area"])
    good = io.BytesIO()
    workbook.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (ENTITIES + data.decode().replace(">indicator<", ">&lol4;<")).encode()
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.django_db
def test_a_sheet_that_is_not_well_formed_xml_is_refused_as_not_a_workbook():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["indicator", "area"])
    good = io.BytesIO()
    workbook.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b">indicator<", b">indicator & area<")
            target.writestr(item, data)
    with translation.override("en"), pytest.raises(ImportRefused, match="not a valid XLSX workbook"):
        import_measurements(io.BytesIO(out.getvalue()), name="broken.xlsx", actor=None, commit=False)


@pytest.mark.django_db
def test_a_billion_laughs_workbook_is_refused_with_a_clear_message():
    with translation.override("en"), pytest.raises(ImportRefused, match="XML entity declarations"):
        import_measurements(io.BytesIO(_bomb_xlsx()), name="bomb.xlsx", actor=None, commit=False)


def _zip_bomb_xlsx(size: int) -> bytes:
    """A valid workbook with a shared-strings table that unpacks to `size` bytes of one repeated text."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["indicator", "area"])
    good = io.BytesIO()
    workbook.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        strings += b"<si><t>" + b"x" * (size - 200) + b"</t></si></sst>"
        target.writestr("xl/sharedStrings.xml", strings, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.mark.django_db
def test_a_workbook_that_unpacks_far_larger_than_it_is_is_refused_before_it_is_read():
    bomb = _zip_bomb_xlsx(5_000_000)
    assert len(bomb) < 50_000
    with translation.override("en"), pytest.raises(ImportRefused, match="unpacks"):
        import_measurements(io.BytesIO(bomb), name="bomb.xlsx", actor=None, commit=False)


@pytest.mark.django_db
def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(settings):
    settings.SAMEN_IMPORT_MAX_UNPACKED_BYTES = 100_000
    with translation.override("en"), pytest.raises(ImportRefused, match="unpacks"):
        import_measurements(io.BytesIO(_zip_bomb_xlsx(150_000)), name="big.xlsx", actor=None, commit=False)


def test_the_web_import_answers_a_billion_laughs_workbook_with_the_message(client, editor):
    client.force_login(editor)
    response = client.post("/en/measurements/import/", {"file": SimpleUploadedFile("bomb.xlsx", _bomb_xlsx())})
    assert response.status_code == 200
    assert "XML entity declarations" in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        "Stad\u202e Hasselt",  # right-to-left override
        "Stad\u200b Hasselt",  # zero-width space
        "\ufeffStad\u2066 Hasselt\u2069",  # byte-order mark and an isolate
        "Stad\u200d Hasselt\u00ad",
        "Stad\u034f Hasselt\u180e",  # combining grapheme joiner, Mongolian vowel separator
        "\u3164Stad\u115f\u1160 Hasselt\uffa0",  # Hangul fillers
        "Stad\ufe0f Hasselt\U000e0041",  # a variation selector and a tag character
        "Stad\u2028 Hasselt\u2029\ufff9",  # line and paragraph separators, an annotation mark
    ],
)
def test_invisible_characters_are_removed_from_a_title(typed):
    assert visible_text(typed) == "Stad Hasselt"


@pytest.mark.parametrize(
    "name",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian "mi-khaham": ZWNJ between two Arabic letters
        "\u0915\u094d\u200d\u0937",  # Devanagari: a joiner after a virama makes a half form
        "\u0928\u094d\u200c\u0928",  # and a non-joiner after a virama keeps the virama visible
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # a family emoji
        "\U0001f44b\U0001f3fd\u200d\u2642",  # an emoji with a skin tone, joined to a sign
    ],
)
def test_joiners_that_scripts_and_emoji_need_are_kept(name):
    assert visible_text(name) == name


@pytest.mark.parametrize("typed", ["Fo\u200dnds A", "Fo\u200cnds A", "Fonds\u200d A", "\u200dFonds A\u200c"])
def test_joiners_between_latin_letters_or_at_the_ends_are_removed(typed):
    assert visible_text(typed) == "Fonds A"


def test_a_title_of_only_invisible_characters_is_refused_as_empty():
    from django import forms

    from samen.core.text import VisibleTitlesMixin

    class TitleForm(VisibleTitlesMixin, forms.Form):
        title = forms.CharField()

    form = TitleForm(data={"title": "\u200b\u200b"})
    assert not form.is_valid()
    assert "title" in form.errors


def test_a_name_typed_with_a_bidi_override_is_stored_without_it(client, member):
    client.force_login(member)
    from samen.network.forms import NameForm

    form = NameForm({"first_name": "Mi\u202ela", "last_name": "\u200bLid"}, instance=member)
    assert form.is_valid()
    assert (form.cleaned_data["first_name"], form.cleaned_data["last_name"]) == ("Mila", "Lid")


def test_an_organisation_name_proposed_with_zero_width_characters_is_cleaned(db):
    from samen.network.forms import PartnerProposalForm

    form = PartnerProposalForm({"name": "Apo\u200btheek\u202e", "reason": "x", "website": ""})
    form.is_valid()
    assert form.cleaned_data["name"] == "Apotheek"


DIRTY = "Stad\u202eHasselt\u200b"


def _project_text_fields():
    """Every text column of every model of the project whose name says title or name, found without the
    rule under test (so a narrower rule, or a model the signal is not connected to, shows here)."""
    from django.apps import apps
    from django.db import models

    skipped = (models.SlugField, models.EmailField, models.URLField)
    for model in apps.get_models():
        if not model.__module__.startswith("samen."):
            continue
        for field in model._meta.concrete_fields:
            words = field.attname.split("_")
            named = {"title", "name"} & {words[-1], words[-2] if len(words) > 1 else ""}
            if isinstance(field, (models.CharField, models.TextField)) and not isinstance(field, skipped) and named:
                yield model, field.attname


def test_every_title_and_name_of_every_model_is_stored_without_invisible_characters():
    from django.db.models.signals import pre_save

    fields = list(_project_text_fields())
    found = {f"{model._meta.label}.{attname}" for model, attname in fields}
    # The doors the audit found open: translated titles, stories, later apps, role titles, places, residents.
    for expected in [
        "agenda.Challenge.title_nl",
        "agenda.Story.title",
        "communication.NewsItem.title_en",
        "communication.WorkingGroup.name_nl",
        "backbone.Funder.name",
        "care.Resident.name",
        "calls.TelephoneCircle.name",
        "network.Membership.role_title",
        "activities.Event.place_name",
    ]:
        assert expected in found
    for model, attname in fields:
        instance = model()
        setattr(instance, attname, DIRTY)
        pre_save.send(sender=model, instance=instance, raw=False, using="default", update_fields=None)
        assert getattr(instance, attname) == "StadHasselt", f"{model._meta.label}.{attname}"


def test_a_name_saved_past_every_form_is_stored_without_invisible_characters(make_org):
    organisation = make_org()
    organisation.name = DIRTY
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.name == "StadHasselt"


def _project_forms():
    import importlib
    import pkgutil

    from django import forms

    import samen

    for module in pkgutil.walk_packages(samen.__path__, "samen."):
        if not any(part in module.name for part in (".tests", ".migrations", "settings", "__main__", "wsgi")):
            importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {form for form in subclasses(forms.BaseForm) if form.__module__.startswith("samen.")}


def test_every_form_of_the_project_with_a_title_or_a_name_refuses_one_of_only_invisible_characters():
    from samen.core.text import VisibleTitlesMixin, is_title_or_name

    forms_with_titles = [form for form in _project_forms() if any(is_title_or_name(name) for name in form.base_fields)]
    assert len(forms_with_titles) > 20
    missing = [
        f"{form.__module__}.{form.__name__}" for form in forms_with_titles if not issubclass(form, VisibleTitlesMixin)
    ]
    assert missing == []


def test_a_translated_title_is_cleaned_by_the_form(db):
    from samen.communication.forms import NewsForm
    from samen.network.models import Organisation

    form = NewsForm(data={"title_nl": "\u200b", "title_en": DIRTY}, organisations=Organisation.objects.all())
    form.is_valid()
    assert (form.cleaned_data["title_nl"], form.cleaned_data["title_en"]) == ("", "StadHasselt")


def test_abandoned_import_previews_are_deleted_by_a_periodic_job(tmp_path, settings, member):
    import datetime
    import os
    import time

    from django.utils import timezone

    from samen.core import periodic
    from samen.measurement import tasks
    from samen.measurement.models import ImportPreview

    # Previews are in the database: the job on one host deletes those uploaded through every host.
    abandoned = ImportPreview.objects.create(token="a" * 32, by=member, file_name="a.csv", content=b"x")
    ImportPreview.objects.filter(pk=abandoned.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    waiting = ImportPreview.objects.create(token="b" * 32, by=member, file_name="b.csv", content=b"y")
    settings.VAR_DIR = tmp_path
    (tmp_path / "imports").mkdir()
    old, fresh = tmp_path / "imports" / "old.csv", tmp_path / "imports" / "fresh.csv"
    old.write_text("a")
    fresh.write_text("b")
    os.utime(old, (time.time() - 2 * 3600, time.time() - 2 * 3600))
    assert "samen.measurement.tasks.import_previews_delete_abandoned" in {job.name for job in periodic.jobs()}
    tasks.import_previews_delete_abandoned()
    assert not old.exists()
    assert fresh.exists()
    assert list(ImportPreview.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_names_given_at_sign_up_are_stored_without_invisible_characters(client, db):
    from samen.network.models import User

    client.post(
        "/en/account/signup/",
        {
            "email": "bidi@example.org",
            "first_name": "Mila\u202e",
            "last_name": "\u200bJ",
            "password1": "een-Goed-wachtw00rd",
            "password2": "een-Goed-wachtw00rd",
        },
    )
    user = User.objects.get(email="bidi@example.org")
    assert (user.first_name, user.last_name) == ("Mila", "J")


def test_an_image_of_more_pixels_than_a_face_needs_is_refused_before_it_is_decoded():
    from django.core.exceptions import ValidationError
    from PIL import Image

    from samen.agenda.images import image_clean

    out = io.BytesIO()
    Image.new("L", (6000, 4500)).save(out, "PNG")
    with translation.override("en"), pytest.raises(ValidationError, match="million pixels"):
        image_clean(SimpleUploadedFile("big.png", out.getvalue()))


@pytest.mark.parametrize(("saved_in", "empty"), [("en", "name_en"), ("nl", "name_nl")])
def test_saving_in_one_language_leaves_that_languages_empty_translation_empty(db, saved_in, empty):
    """The cleaning touches only the real columns: modeltranslation's base field reads the other language
    when this one is empty and writes into this one, so cleaning through it would copy the translation."""
    from samen.network.models import Sector

    names = {"name_nl": "Zorg", "name_en": "Care", empty: ""}
    sector = Sector.objects.create(slug="zorg", **names)
    with translation.override(saved_in):
        sector = Sector.objects.get(pk=sector.pk)
        sector.order = 3
        sector.save()
    sector.refresh_from_db()
    assert {field: getattr(sector, field) for field in names} == names


def test_loaddata_leaves_an_empty_translation_empty_and_cleans_the_others(db, tmp_path):
    from django.core.management import call_command

    from samen.network.models import Sector

    fixture = tmp_path / "sectors.json"
    fixture.write_text(
        '[{"model": "network.sector", "pk": 7, "fields": {"slug": "zorg", "name": "Care",'
        ' "name_nl": "", "name_en": "Ca\\u200bre", "order": 0}}]'
    )
    with translation.override("nl"):
        call_command("loaddata", str(fixture), verbosity=0)
    sector = Sector.objects.get(pk=7)
    assert (sector.name_nl, sector.name_en) == ("", "Care")


def test_the_admin_refuses_a_name_that_differs_from_a_taken_one_only_by_invisible_characters(client, admin_user):
    from samen.backbone.models import Funder

    Funder.objects.create(name="Fonds A")
    client.force_login(admin_user)
    response = client.post("/en/admin/backbone/funder/add/", {"name": "Fonds A\u200b"})
    assert response.status_code == 200  # the form again, with its message; not a 500
    assert "Funder with this Name already exists." in response.content.decode()
    assert Funder.objects.count() == 1


def test_the_admin_refuses_a_required_name_of_only_invisible_characters(client, admin_user):
    from samen.backbone.models import Funder

    client.force_login(admin_user)
    response = client.post("/en/admin/backbone/funder/add/", {"name": "\u200b\u202e"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Funder.objects.exists()


def test_every_admin_form_with_a_title_or_a_name_cleans_it(rf, admin_user):
    """The admin builds its forms at each request (no class to find in a module): ask every registered
    model's admin, and its inlines, for theirs."""
    from django.contrib import admin

    import samen.urls  # noqa: F401 (the admin as the site serves it: its URLs finish setting it up)
    from samen.core.text import VisibleTitlesMixin, is_title_or_name

    request = rf.get("/")
    request.user = admin_user
    checked, missing = 0, []
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("samen."):
            continue
        forms = [model_admin.get_form(request)]
        forms += [inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)]
        for form in forms:
            if any(is_title_or_name(name) for name in form.base_fields):
                checked += 1
                if not issubclass(form, VisibleTitlesMixin):
                    missing.append(f"{model._meta.label}: {form._meta.model._meta.label}")
    assert checked > 10
    assert missing == []


def test_a_required_name_of_only_invisible_characters_is_refused_past_every_form(make_org):
    """A service or an importer that checked the raw text (not empty) cannot store it empty."""
    from django.core.exceptions import ValidationError

    organisation = make_org()
    organisation.name = "\u200b\u202e\u2066"
    with pytest.raises(ValidationError) as refused:
        organisation.save()
    assert "name" in refused.value.message_dict
    organisation.refresh_from_db()
    assert organisation.name  # the stored name is untouched
