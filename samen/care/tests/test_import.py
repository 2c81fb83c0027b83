"""A population list adds all its residents or none; problems name the line and column, never a value."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from samen.care.models import Resident

pytestmark = pytest.mark.django_db
HEADER = "name;birth_date;area;address;phone;lives_alone;nearby_1;nearby_2;nearby_3;language\n"


def _upload(client, name, content):
    return client.post("/en/care/networks/runkst/residents/import/", {"file": SimpleUploadedFile(name, content)})


def test_a_clean_csv_adds_every_resident_encrypted(client, care_member):
    client.force_login(care_member)
    rows = (
        HEADER
        + "Jan Claes;1939-02-01;runkst;Hoogstraat 3;011 11 11 11;ja;1;2;3;nl\nLea Smets;12/10/1941;Runkst;;;nee;;;;fr\n"
    )
    response = _upload(client, "list.csv", rows.encode())
    assert response.status_code == 302
    assert Resident.objects.count() == 2
    jan = next(r for r in Resident.objects.all() if r.name == "Jan Claes")
    assert (jan.nearby_count, jan.birth_year, jan.lives_alone) == (3, 1939, True)


def test_one_bad_row_adds_nobody_and_names_line_and_column_without_the_value(client, care_member):
    client.force_login(care_member)
    rows = HEADER + "Jan Claes;1939-02-01;runkst;;;ja;;;;nl\nLea Smets;31/02/1941;terhilst;;;misschien;;;;xx\n"
    page = _upload(client, "list.csv", rows.encode()).content.decode()
    assert Resident.objects.count() == 0
    assert "line 3, area" in page and "line 3, birth_date" in page and "line 3, lives_alone" in page
    assert "31/02/1941" not in page and "misschien" not in page


def test_a_name_of_only_invisible_characters_is_refused_as_empty(client, care_member):
    client.force_login(care_member)
    rows = HEADER + "Jan Claes;1939-02-01;runkst;;;ja;;;;nl\n\u200b\u202e;1941-10-12;runkst;;;nee;;;;nl\n"
    page = _upload(client, "list.csv", rows.encode()).content.decode()
    assert Resident.objects.count() == 0
    assert "line 3, name" in page


def test_an_xlsx_list_is_read(client, care_member):
    client.force_login(care_member)
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(";"))
    sheet.append(["Jan Claes", "1939-02-01", "runkst", "", "", "ja", "", "", "", "nl"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _upload(client, "list.xlsx", buffer.getvalue()).status_code == 302
    assert Resident.objects.count() == 1


def test_a_workbook_that_unpacks_to_a_huge_size_is_refused_before_it_is_opened(client, care_member, settings):
    # measurement's reader checks the zip's directory before openpyxl opens anything.
    settings.SAMEN_IMPORT_MAX_UNPACKED_BYTES = 1000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + "x" * 100_000 + "</a>")
    client.force_login(care_member)
    page = _upload(client, "bomb.xlsx", buffer.getvalue()).content.decode()
    assert "unpacks to far more than its size" in page
    assert Resident.objects.count() == 0


def test_a_survey_round_refuses_the_same_workbook(client, care_coordinator, runkst_network, settings):
    from samen.care.models import SurveyRound

    settings.SAMEN_IMPORT_MAX_UNPACKED_BYTES = 1000
    survey = SurveyRound.objects.create(network=runkst_network, name="Bevraging", held_on="2026-03-01")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + "x" * 100_000 + "</a>")
    client.force_login(care_coordinator)
    upload = SimpleUploadedFile("bomb.xlsx", buffer.getvalue())
    page = client.post(f"/en/care/surveys/{survey.pk}/", {"action": "import", "file": upload}).content.decode()
    assert "unpacks to far more than its size" in page
    assert not survey.answers.exists()


def test_a_member_of_another_network_cannot_import_here(client, other_network_member, runkst_network):
    client.force_login(other_network_member)
    assert _upload(client, "list.csv", (HEADER + "Jan;;runkst;;;;;;;nl\n").encode()).status_code == 403


def test_survey_answers_are_imported_per_resident_and_flags_become_signals(
    client, care_coordinator, resident, make_resident, runkst_network
):
    from samen.care.models import Signal, SurveyRound

    other = make_resident(nearby_1="1", nearby_2="2", nearby_3="3")
    survey = SurveyRound.objects.create(network=runkst_network, name="Bevraging 84+", held_on="2015-11-15")
    client.force_login(care_coordinator)
    url = f"/en/care/surveys/{survey.pk}/"
    bad = f"reference;visits;can_call_someone\n{resident.reference};never;nee\nR-NOBODY00;sometimes;ja\n"
    page = client.post(
        url, {"action": "import", "file": SimpleUploadedFile("answers.csv", bad.encode())}
    ).content.decode()
    assert "line 3, reference" in page and "line 3, visits" in page
    assert not survey.answers.exists()
    good = f"reference;visits;can_call_someone\n{resident.reference};never;nee\n{other.reference};daily;ja\n"
    assert (
        client.post(url, {"action": "import", "file": SimpleUploadedFile("answers.csv", good.encode())}).status_code
        == 302
    )
    flags = {a.resident_id: a.flags for a in survey.answers.all()}
    assert flags[resident.pk] == [
        "visited-less-than-weekly",
        "never-visited",
        "nobody-to-call",
        "fewer-than-three-numbers",
    ]
    assert flags[other.pk] == []
    client.post(url, {"action": "flag"})
    client.post(url, {"action": "flag"})  # twice: still one signal
    signal = Signal.objects.get()
    assert (signal.resident, signal.source, signal.urgency) == (resident, "survey", "urgent")
