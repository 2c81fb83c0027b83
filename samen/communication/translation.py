from modeltranslation.translator import TranslationOptions, register

from samen.communication.models import WorkingGroup


@register(WorkingGroup)
class WorkingGroupTranslation(TranslationOptions):
    fields = ("name", "description")
