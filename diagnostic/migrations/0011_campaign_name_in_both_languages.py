"""Campaign names in Spanish and English (modeltranslation): the existing name becomes the
Spanish one; the English one stays empty and falls back to it (MODELTRANSLATION_FALLBACK_LANGUAGES)."""

from django.db import migrations, models
from django.db.models import F


def copy_name_to_spanish(apps, schema_editor):
    Campaign = apps.get_model("diagnostic", "Campaign")
    Campaign.objects.filter(name_es_mx__isnull=True).update(name_es_mx=F("name"))


class Migration(migrations.Migration):

    dependencies = [
        ('diagnostic', '0010_invitation_short_code'),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='name_en',
            field=models.CharField(max_length=200, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='name_es_mx',
            field=models.CharField(max_length=200, null=True, verbose_name='name'),
        ),
        migrations.RunPython(copy_name_to_spanish, migrations.RunPython.noop),
    ]
