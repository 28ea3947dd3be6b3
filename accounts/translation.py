from modeltranslation.translator import TranslationOptions, register

from .models import JobRole


@register(JobRole)
class JobRoleTranslationOptions(TranslationOptions):
    fields = ("name", "description")
