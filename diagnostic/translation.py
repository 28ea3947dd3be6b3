from modeltranslation.translator import TranslationOptions, register

from .models import (
    Area,
    Campaign,
    Competency,
    Framework,
    LevelDescriptor,
    Option,
    PrivacyNotice,
    ProficiencyLevel,
    Question,
)


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ProficiencyLevel)
class ProficiencyLevelTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Area)
class AreaTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Competency)
class CompetencyTranslation(TranslationOptions):
    fields = ("name", "description")


@register(LevelDescriptor)
class LevelDescriptorTranslation(TranslationOptions):
    fields = ("text",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text",)


@register(Option)
class OptionTranslation(TranslationOptions):
    fields = ("text",)


@register(PrivacyNotice)
class PrivacyNoticeTranslation(TranslationOptions):
    fields = ("short_text", "full_text")


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("name",)
