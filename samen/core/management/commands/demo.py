"""`samen demo`: fill the database with the Hasselt demo. Each app adds its part in its `demo` package:
`load(today=…)` for its own data, then (optionally) `link(today=…)` for what needs other apps' data."""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from samen.core.errors import DemoRefused


def demo_modules() -> list:
    """The `demo` module of each Samen app, in INSTALLED_APPS order (base apps first)."""
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if config.name.startswith("samen.") and importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


class Command(BaseCommand):
    help = "Load the Hasselt demo (fictional people and organisations). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Only load when the database has no users yet.")

    def handle(self, *args, if_empty: bool, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo fills the database with fictional people; it does not run in production.")
        modules = demo_modules()
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("The database has data already; the demo was not loaded again.")
        else:
            today = timezone.localdate()
            try:
                with transaction.atomic():  # all apps' demo data, or none
                    for module in modules:
                        self.stdout.write(f"  {module.load(today=today)}")
                    # Second phase: what an app links to other apps' data, once every app has loaded its own.
                    for module in modules:
                        if hasattr(module, "link"):
                            self.stdout.write(f"  {module.link(today=today)}")
            except DemoRefused as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(self.style.SUCCESS("The Hasselt demo is loaded."))
        self._print_logins(modules)

    def _print_logins(self, modules: list) -> None:
        logins = [login for module in modules for login in getattr(module, "logins", lambda: [])()]
        if not logins:
            return
        self.stdout.write("\nDemo logins (demo data only; change or remove before real use):")
        width = max(len(role) for role, _email, _password in logins)
        for role, email, password in logins:
            self.stdout.write(f"  {role:<{width}}  {email}  password: {password}")
        if not settings.SAMEN_REQUIRE_MFA:
            self.stdout.write(
                "  Second factor: not required here (SAMEN_REQUIRE_MFA is off). In production the "
                "coordinator and the admin must set up an authenticator app on first sign-in."
            )
