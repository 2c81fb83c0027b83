from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.network.models import Organisation


class ApiToken(models.Model):
    """A secret that lets a partner's system write through the API for its organisation.

    Only a digest is stored; the secret itself is shown once, when it is made."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What uses it, e.g. “registration system”."))
    prefix = models.CharField(_("starts with"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("made on"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["organisation", "-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name} ({self.prefix}…)"
