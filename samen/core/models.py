from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One thing that mattered and who did it: approvals, permission changes, curation."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class PeriodicRun(models.Model):
    """When a periodic job last started: claimed with one conditional update, so two schedulers
    (two beats, or a beat and `samen periodic`) never start the same job twice in one interval."""

    name = models.CharField(_("job"), max_length=200, unique=True)
    last_started_at = models.DateTimeField(_("last started at"))

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return self.name
