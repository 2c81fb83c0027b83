"""How every form on the site is drawn: one field template and one form template, through Django's
form renderer (settings.FORM_RENDERER), so a page writes `{{ form }}` instead of a loop of its own."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
