from modeltranslation.translator import TranslationOptions, register

from samen.network.models import Organisation, Sector, Skill


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register(Skill)
class SkillTranslation(TranslationOptions):
    fields = ("name",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("description",)
