"""Loading the area tree from GeoJSON or CSV: all or nothing, every problem named."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samen.network.areas import AreaFileError, load_areas_file
from samen.network.models import Area, AreaPopulation
from samen.network.services import area_save

SQUARE = {"type": "Polygon", "coordinates": [[[5.3, 50.9], [5.4, 50.9], [5.4, 51.0], [5.3, 50.9]]]}


def _feature(code, kind, parent=None, **props):
    return {
        "type": "Feature",
        "geometry": SQUARE,
        "properties": {"code": code, "name": code.title(), "kind": kind, "parent": parent, **props},
    }


def _geojson(tmp_path: Path, *features) -> Path:
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


@pytest.fixture
def tree(tmp_path):
    return _geojson(
        tmp_path,
        _feature("hasselt", "city"),
        _feature(
            "runkst", "neighbourhood", "centrum", population_date="2017-01-01", population={"80+": 210, "0-17": 900}
        ),
        _feature("centrum", "district", "hasselt"),
    )


def test_it_loads_a_tree_parents_first_whatever_the_order(db, tree):
    assert load_areas_file(tree) == 3
    runkst = Area.objects.get(code="runkst")
    assert runkst.path == "/hasselt/centrum/runkst/"
    assert runkst.depth == 2
    assert runkst.geometry["type"] == "Polygon"
    assert AreaPopulation.objects.get(area=runkst, age_band="80+").count == 210
    assert [a.code for a in Area.objects.filter(path__startswith="/hasselt/centrum/")] == ["centrum", "runkst"]


def test_loading_again_updates_and_adds_nothing_twice(db, tree):
    load_areas_file(tree)
    load_areas_file(tree)
    assert Area.objects.count() == 3
    assert AreaPopulation.objects.count() == 2


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ([_feature("x", "village")], "feature 2 (x): kind must be city, district or neighbourhood, not 'village'"),
        ([_feature("a", "city"), _feature("b", "neighbourhood", "nowhere")], "parent 'nowhere' is neither in the file"),
        ([_feature("a", "city"), _feature("b", "neighbourhood", "a")], "a neighbourhood cannot be part of a city"),
        ([_feature("a", "district")], "only a city may have no parent"),
        ([_feature("a", "city"), _feature("a", "city")], "These codes appear more than once: a"),
        (
            [_feature("a", "city", population={"80+": "many"}, population_date="2017-01-01")],
            "population 80+ must be a whole number",
        ),
        ([_feature("a", "city", population={"90+": 1}, population_date="2017-01-01")], "unknown age band '90+'"),
        ([_feature("a", "city", population={"80+": 1}, population_date="1/1/2017")], "population_date must be a date"),
    ],
)
def test_a_bad_file_names_the_problem_and_loads_nothing(db, tmp_path, features, message):
    good = _feature("ok", "city")
    with pytest.raises(AreaFileError, match=re.escape(message)):
        load_areas_file(_geojson(tmp_path, good, *features))
    assert not Area.objects.exists()


def test_a_file_that_is_not_geojson_is_named_so(db, tmp_path):
    path = tmp_path / "areas.geojson"
    path.write_text("{not json")
    with pytest.raises(AreaFileError, match="not valid GeoJSON"):
        load_areas_file(path)


def test_it_loads_a_semicolon_csv_with_a_bom(db, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_bytes(
        "\ufeffcode;name;kind;parent;population_date;pop_80_plus\n"
        "hasselt;Hasselt;city;;2017-01-01;5070\n"
        "kermt;Kermt;district;hasselt;2017-01-01;600\n".encode()
    )
    assert load_areas_file(path) == 2
    assert Area.objects.get(code="kermt").population.get().count == 600


def test_a_csv_without_the_needed_columns_is_refused(db, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("naam,soort\nHasselt,stad\n")
    with pytest.raises(AreaFileError, match="lacks the column"):
        load_areas_file(path)


def test_the_command_reports_errors_and_success(db, tree, tmp_path, capsys):
    call_command("load_areas", str(tree))
    assert "Loaded 3 areas" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_areas", str(_geojson(tmp_path, _feature("a", "district"))))
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_areas", str(tmp_path / "missing.geojson"))


def test_renaming_an_areas_code_moves_everything_under_it(db, tree):
    load_areas_file(tree)
    centrum = Area.objects.get(code="centrum")
    centrum.code = "hasselt-centrum"
    area_save(area=centrum)
    assert Area.objects.get(code="runkst").path == "/hasselt/hasselt-centrum/runkst/"


def test_moving_a_district_to_another_city_moves_its_neighbourhoods(db, tree):
    load_areas_file(tree)
    genk = area_save(area=Area(code="genk", name="Genk", kind="city"))
    centrum = Area.objects.get(code="centrum")
    centrum.parent = genk
    area_save(area=centrum)
    assert Area.objects.get(code="runkst").path == "/genk/centrum/runkst/"


def test_an_area_cannot_be_put_inside_itself(db, tree):
    from django.core.exceptions import ValidationError

    load_areas_file(tree)
    hasselt = Area.objects.get(code="hasselt")
    hasselt.parent = Area.objects.get(code="runkst")
    with pytest.raises(ValidationError):
        area_save(area=hasselt)


def test_a_code_too_long_for_the_database_is_named(db, tmp_path):
    with pytest.raises(AreaFileError, match="code must be at most 50"):
        load_areas_file(_geojson(tmp_path, _feature("x" * 60, "city")))


def test_a_failure_half_way_leaves_nothing_written(db, tree):
    from unittest import mock

    from django.core.exceptions import ValidationError

    from samen.network import areas

    calls = []

    def fail_on_the_third(*, area):
        calls.append(area.code)
        if len(calls) == 3:
            raise ValidationError("the database said no")
        return area_save(area=area)

    with (
        mock.patch.object(areas, "area_save", fail_on_the_third),
        pytest.raises(AreaFileError, match="database said no"),
    ):
        load_areas_file(tree)
    assert len(calls) == 3
    assert not Area.objects.exists()
