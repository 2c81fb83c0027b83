"""Residents from a population list (CSV or XLSX): every row checked, then all stored or none.

The table is read by measurement's `read_table` (one reader for the whole project), which parses
workbooks safely: openpyxl reads its XML through defusedxml (entity tricks are refused), and a
workbook that unpacks to more than `SAMEN_IMPORT_MAX_UNPACKED_BYTES` (or far more than its size)
is refused from the zip's directory before anything is unpacked (a zip bomb). Problems name the line and the column, never the value: a row
of a population list is personal data and must not end up in a message or a log."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samen.care import services
from samen.care.models import CareNetwork, Resident
from samen.core.text import visible_text
from samen.measurement.importer import ImportRefused, read_table
from samen.network.models import Area, User

COLUMNS = (
    "name",
    "birth_date",
    "area",
    "address",
    "phone",
    "lives_alone",
    "nearby_1",
    "nearby_2",
    "nearby_3",
    "language",
)
REQUIRED = ("name", "area")
MAX_ROWS = 20_000
YES = {"1", "true", "yes", "ja", "j", "y", "x"}
NO = {"", "0", "false", "no", "nee", "n"}


@dataclass
class Problem:
    line: int
    column: str
    message: str


@dataclass
class ResidentImport:
    created: int = 0
    problems: list[Problem] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)  # those stored (a call campaign's imported list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _date(value: Any) -> datetime.date | None:
    if value in ("", None):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValueError


def residents_import(source: IO[bytes], *, name: str, network: CareNetwork, actor: User) -> ResidentImport:
    """Check every row; store them all when none has a problem, otherwise store nothing."""
    data = source.read()
    result = ResidentImport()
    areas = {a.code: a for a in Area.objects.filter(path__startswith=network.area.path)}
    areas.update({a.name.lower(): a for a in areas.values()})
    rows = read_table(io.BytesIO(data), name)
    try:
        _line, header = next(rows)
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    header = [str(h).strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused(_("These columns are missing: %(columns)s") % {"columns": ", ".join(missing)})
    index = {c: header.index(c) for c in COLUMNS if c in header}
    residents: list[Resident] = []
    for line, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue
        if len(residents) + len(result.problems) >= MAX_ROWS:
            raise ImportRefused(_("A list holds at most %(rows)s residents.") % {"rows": MAX_ROWS})
        values = {c: (cells[i] if i < len(cells) else "") for c, i in index.items()}
        resident = _resident(line, values, network, areas, result)
        if resident is not None:
            residents.append(resident)
    if result.ok:
        services.residents_created_in_bulk(network=network, residents=residents, actor=actor, source="import")
        result.created = len(residents)
        result.residents = residents
    return result


def _resident(
    line: int, values: dict[str, Any], network: CareNetwork, areas: dict, result: ResidentImport
) -> Resident | None:
    problems_before = len(result.problems)

    def text(column: str) -> str:
        return str(values.get(column, "") or "").strip()

    area = areas.get(text("area").lower())
    if area is None:
        result.problems.append(Problem(line, "area", _("not an area of this care network")))
    try:
        birth_date = _date(values.get("birth_date"))
    except ValueError:
        result.problems.append(Problem(line, "birth_date", _("not a date (use YYYY-MM-DD or DD/MM/YYYY)")))
        birth_date = None
    lives_alone = text("lives_alone").lower()
    if lives_alone not in YES | NO:
        result.problems.append(Problem(line, "lives_alone", _("answer yes or no")))
    language = text("language").lower() or Resident.Language.NL
    if language not in Resident.Language.values:
        result.problems.append(Problem(line, "language", _("not a known language code")))
    resident = Resident(
        network=network,
        area=area,
        name=visible_text(text("name")),  # cleaned before full_clean, so only-invisible counts as empty
        birth_date=birth_date,
        address=text("address"),
        phone=text("phone"),
        lives_alone=lives_alone in YES,
        nearby_1=text("nearby_1"),
        nearby_2=text("nearby_2"),
        nearby_3=text("nearby_3"),
        language=language,
    )
    if area is not None:
        try:
            resident.full_clean(exclude=["area", "network"])
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                result.problems.append(Problem(line, column, " ".join(str(m) for m in messages)))
    return resident if len(result.problems) == problems_before else None


SURVEY_COLUMNS = ("reference", "visits", "can_call_someone")


def survey_import(source: IO[bytes], *, name: str, survey: Any, actor: User) -> ResidentImport:
    """Answers of a survey round per resident (by reference): all rows or none."""
    from django.db import transaction

    from samen.care.models import SurveyAnswer

    data = source.read()
    result = ResidentImport()
    rows = read_table(io.BytesIO(data), name)
    try:
        _line, header = next(rows)
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    header = [str(h).strip().lower() for h in header]
    missing = [c for c in SURVEY_COLUMNS if c not in header]
    if missing:
        raise ImportRefused(_("These columns are missing: %(columns)s") % {"columns": ", ".join(missing)})
    index = {c: header.index(c) for c in SURVEY_COLUMNS}
    residents = {
        r.reference: r
        for r in survey.network.residents.filter(erased_at__isnull=True).only("reference", "nearby_count", "network_id")
    }
    answers = []
    for line, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue
        if len(answers) + len(result.problems) >= MAX_ROWS:
            raise ImportRefused(_("A list holds at most %(rows)s residents.") % {"rows": MAX_ROWS})
        values = {c: str(cells[i] if i < len(cells) else "").strip().lower() for c, i in index.items()}
        resident = residents.get(values["reference"].upper())
        if resident is None:
            result.problems.append(Problem(line, "reference", _("not a resident of this care network")))
        if values["visits"] not in SurveyAnswer.Visits.values:
            result.problems.append(Problem(line, "visits", _("use daily, weekly, less or never")))
        if values["can_call_someone"] not in YES | NO:
            result.problems.append(Problem(line, "can_call_someone", _("answer yes or no")))
        answers.append((resident, values["visits"], values["can_call_someone"] in YES))
    if result.ok:
        with transaction.atomic():
            for resident, visits, can_call in answers:
                services.survey_answer_record(
                    survey=survey, resident=resident, visits=visits, can_call_someone=can_call, actor=actor
                )
        result.created = len(answers)
    return result
