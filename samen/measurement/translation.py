from modeltranslation.translator import TranslationOptions, register

from samen.measurement.models import Dimension, DimensionValue, Indicator, IndicatorVersion, Narrative


@register(Dimension)
class DimensionTranslation(TranslationOptions):
    fields = ("name",)


@register(DimensionValue)
class DimensionValueTranslation(TranslationOptions):
    fields = ("name",)


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "definition", "people_sentence", "population_group")


@register(IndicatorVersion)
class IndicatorVersionTranslation(TranslationOptions):
    fields = ("definition",)


@register(Narrative)
class NarrativeTranslation(TranslationOptions):
    fields = ("text",)
