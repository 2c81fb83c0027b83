from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from samen.core.menu import MenuEntry


class CoreConfig(AppConfig):
    name = "samen.core"
    label = "core"
    verbose_name = _("Core")
    menu = (
        MenuEntry(
            _("Curate"), "admin:index", order=100, group="backbone", visible=lambda request: request.user.is_staff
        ),
    )

    def ready(self) -> None:
        from samen.core import (
            checks,  # noqa: F401 (registers the deploy checks)
            database_cache,  # noqa: F401 (declares its periodic job: not in a tasks module)
        )
        from samen.core.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="samen-role-groups")
        post_migrate.connect(_create_cache_tables, sender=self, dispatch_uid="samen-cache-tables")
        _connect_visible_titles()


def _connect_visible_titles() -> None:
    """Every model of the project with a title or a name stores it without invisible characters."""
    from django.apps import apps
    from django.db.models.signals import pre_save

    from samen.core.text import clean_titles_before_save, title_and_name_fields

    for model in apps.get_models():
        if model.__module__.startswith("samen.") and title_and_name_fields(model):
            pre_save.connect(clean_titles_before_save, sender=model, dispatch_uid="samen-visible-titles")


def _create_cache_tables(using="default", **kwargs) -> None:
    """The database cache (shared limits without Redis) needs its table; made, when missing, by migrate."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
