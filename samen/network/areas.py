"""Loading the area tree from a GeoJSON or CSV file: all areas or none, with clear errors.

GeoJSON: a FeatureCollection whose features have the properties `code`, `name`, `kind`
(city, district or neighbourhood), `parent` (a code, or null for the root), and optionally
`population_date` (YYYY-MM-DD) and `population` ({"0-17": n, "18-64": n, "65-79": n, "80+": n}).
CSV: the columns code, name, kind, parent, population_date and one column per age band
(pop_0_17, pop_18_64, pop_65_79, pop_80_plus); no geometry.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from samen.core.signals import reference_data_changed
from samen.network.models import Area, AreaPopulation
from samen.network.services import area_save

CODE = re.compile(r"[-a-zA-Z0-9_]{1,50}")
KIND_DEPTH = {Area.Kind.CITY: 0, Area.Kind.DISTRICT: 1, Area.Kind.NEIGHBOURHOOD: 2}
AGE_BANDS = [band.value for band in AreaPopulation.AgeBand]
CSV_BAND_COLUMNS = {"pop_0_17": "0-17", "pop_18_64": "18-64", "pop_65_79": "65-79", "pop_80_plus": "80+"}


class AreaFileError(ValueError):
    """The file cannot be loaded; the message lists every problem found, by row or feature."""


@dataclass
class AreaRow:
    where: str
    code: str
    name: str
    kind: str
    parent: str | None
    geometry: dict | None = None
    population_date: datetime.date | None = None
    population: dict[str, int] = field(default_factory=dict)


def load_areas_file(path: Path) -> int:
    data = path.read_bytes()
    rows = parse_geojson(data) if path.suffix.lower() in (".geojson", ".json") else parse_csv(data)
    return areas_import(rows)


def parse_geojson(data: bytes) -> list[AreaRow]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AreaFileError(f"The file is not valid GeoJSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise AreaFileError("The file must be a GeoJSON FeatureCollection with a list of features.")
    rows, errors = [], []
    for number, feature in enumerate(doc["features"], start=1):
        props = feature.get("properties") or {} if isinstance(feature, dict) else {}
        try:
            rows.append(_row(f"feature {number}", props, feature.get("geometry")))
        except AreaFileError as exc:
            errors.append(str(exc))
    if errors:
        raise AreaFileError("\n".join(errors))
    return rows


def parse_csv(data: bytes) -> list[AreaRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AreaFileError("The CSV file must be UTF-8 encoded.") from None
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = {"code", "name", "kind", "parent"} - set(reader.fieldnames or [])
    if missing:
        raise AreaFileError(f"The CSV file lacks the column(s): {', '.join(sorted(missing))}.")
    rows, errors = [], []
    for number, record in enumerate(reader, start=2):
        props: dict[str, Any] = {k: (v or "").strip() for k, v in record.items() if k}
        bands = {band: props.pop(col) for col, band in CSV_BAND_COLUMNS.items() if props.get(col)}
        props["population"] = bands or None
        props["parent"] = props.get("parent") or None
        try:
            rows.append(_row(f"line {number}", props, None))
        except AreaFileError as exc:
            errors.append(str(exc))
    if errors:
        raise AreaFileError("\n".join(errors))
    return rows


def _row(where: str, props: dict[str, Any], geometry: Any) -> AreaRow:
    problems = []
    code, name, kind = (str(props.get(k) or "").strip() for k in ("code", "name", "kind"))
    if not code:
        problems.append("code is missing")
    elif not CODE.fullmatch(code):
        problems.append(f"code must be at most 50 letters, digits, - or _, not {code!r}")
    if not name:
        problems.append("name is missing")
    elif len(name) > 120:
        problems.append("name is longer than 120 characters")
    if kind not in KIND_DEPTH:
        problems.append(f"kind must be city, district or neighbourhood, not {kind!r}")
    if geometry is not None and (
        not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon")
    ):
        problems.append("geometry must be a Polygon or MultiPolygon")
    population: dict[str, int] = {}
    for band, value in (props.get("population") or {}).items():
        if band not in AGE_BANDS:
            problems.append(f"unknown age band {band!r} (use {', '.join(AGE_BANDS)})")
            continue
        try:
            population[band] = int(value)
            if population[band] < 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"population {band} must be a whole number of at least 0, not {value!r}")
    population_date = None
    if population:
        try:
            population_date = datetime.date.fromisoformat(str(props.get("population_date")))
        except ValueError:
            problems.append(f"population_date must be a date like 2017-01-01, not {props.get('population_date')!r}")
    if problems:
        raise AreaFileError(f"{where} ({code or '?'}): " + "; ".join(problems))
    return AreaRow(where, code, name, kind, props.get("parent"), geometry, population_date, population)


@transaction.atomic
def areas_import(rows: list[AreaRow]) -> int:
    """Create or update every area of the file, parents first; on any error, nothing changes."""
    codes = [r.code for r in rows]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise AreaFileError(f"These codes appear more than once: {', '.join(duplicates)}.")
    by_code = {r.code: r for r in rows}
    existing = {a.code: a for a in Area.objects.all()}
    errors = []
    for row in rows:
        parent_kind = (
            by_code[row.parent].kind if row.parent in by_code else getattr(existing.get(row.parent or ""), "kind", None)
        )
        if row.parent and parent_kind is None:
            errors.append(f"{row.where} ({row.code}): parent {row.parent!r} is neither in the file nor loaded before")
        elif row.parent and KIND_DEPTH[parent_kind] != KIND_DEPTH[row.kind] - 1:
            errors.append(f"{row.where} ({row.code}): a {row.kind} cannot be part of a {parent_kind}")
        elif not row.parent and row.kind != Area.Kind.CITY:
            errors.append(f"{row.where} ({row.code}): only a city may have no parent")
    if errors:
        raise AreaFileError("\n".join(errors))
    for row in sorted(rows, key=lambda r: KIND_DEPTH[r.kind]):
        parent = existing.get(row.parent) if row.parent else None
        area = existing.get(row.code) or Area(code=row.code)
        area.name, area.kind, area.parent, area.geometry = row.name, row.kind, parent, row.geometry
        try:
            existing[row.code] = area_save(area=area)
        except ValidationError as exc:  # the transaction rolls back every area saved before
            raise AreaFileError(f"{row.where} ({row.code}): {'; '.join(exc.messages)}") from None
        for band, count in row.population.items():
            AreaPopulation.objects.update_or_create(
                area=area, age_band=band, reference_date=row.population_date, defaults={"count": count}
            )
    reference_data_changed.send(sender=AreaPopulation)
    return len(rows)
