from modeltranslation.translator import TranslationOptions, register

from samen.agenda.models import ActionDomain, Challenge, Goal, Initiative, Milestone


@register(Initiative)
class InitiativeTranslation(TranslationOptions):
    fields = ("baseline", "vision")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("label",)


@register(ActionDomain)
class ActionDomainTranslation(TranslationOptions):
    fields = ("name", "summary")


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = ("title", "target")


@register(Challenge)
class ChallengeTranslation(TranslationOptions):
    fields = ("title", "summary", "story", "image_alt")
