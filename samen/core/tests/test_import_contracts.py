"""The import-linter contracts (pyproject.toml, run by `make lint`) hold every app of Samen, so an app added later is
kept to the same layers and to "no import cycle between the modules of an app" as the first ones were."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def contract(type_: str) -> dict:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [found] = [c for c in contracts if c["type"] == type_]
    return found


def our_apps() -> set[str]:
    return {app for app in settings.INSTALLED_APPS if app.startswith("samen.")}


def test_every_app_has_its_layer():
    layered = {name for layer in contract("layers")["layers"] for name in re.findall(r"samen\.[a-z_.]+", layer)}
    assert our_apps() <= layered


def test_no_app_and_no_package_inside_one_is_left_out_of_the_acyclic_contract():
    # A package with models of its own (activities/events) is an app inside an app: its modules are siblings too.
    packages = {".".join(models.parent.relative_to(ROOT).parts) for models in ROOT.glob("samen/*/*/models.py")}
    assert our_apps() | packages <= set(contract("acyclic_siblings")["ancestors"])


NOT_SPLIT_MODULES = {"tests", "migrations", "management", "templatetags"}  # Django's folders, not our splits


def test_a_module_split_into_a_package_is_in_the_acyclic_contract():
    # `network/views/`, `network/selectors/`, an app's `demo/`: a module that grew into a package keeps its
    # parts free of cycles too, whatever its name.
    split = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in ROOT.glob("samen/*/*/__init__.py")
        if init.parent.name not in NOT_SPLIT_MODULES
    }
    assert {"samen.network.views", "samen.care.demo", "samen.core.sqlite"} <= split
    assert split <= set(contract("acyclic_siblings")["ancestors"])
