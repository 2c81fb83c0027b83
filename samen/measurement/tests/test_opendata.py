"""The open data package is valid for the frictionless validator and protects small counts."""

import json

from frictionless import validate


def test_the_data_package_is_valid(client, visits, tmp_path):
    descriptor = json.loads(client.get("/open-data/datapackage.json").content)
    # Serve the files from disk so the validator reads what the site serves.
    for resource in descriptor["resources"]:
        path = resource["path"].replace("http://testserver", "")
        name = path.rsplit("/", 1)[-1]
        (tmp_path / name).write_bytes(client.get(path).content)
        resource["path"] = name
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])


def test_small_counts_are_hidden_in_the_open_data(client, visits):
    lines = client.get("/open-data/eld-visit-weekly.csv").content.decode().splitlines()
    kiewit = next(line for line in lines if ",kiewit," in line)
    assert ",,,,true,false,false," in kiewit  # no value, numerator nor denominator; suppressed
    assert ",3.0," not in kiewit
