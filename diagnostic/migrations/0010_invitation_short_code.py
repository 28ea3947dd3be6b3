"""Short codes for QR cards (issue 10), given to every invitation that exists, and the date
the mail server refused an invitation's address."""

import secrets

from django.db import migrations, models

import diagnostic.models

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def backfill_short_codes(apps, schema_editor):
    Invitation = apps.get_model("diagnostic", "Invitation")
    taken = set()
    batch = []
    for invitation in Invitation.objects.filter(short_code__isnull=True).only("pk").iterator():
        code = None
        while code is None or code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        taken.add(code)
        invitation.short_code = code
        batch.append(invitation)
        if len(batch) >= 2000:
            Invitation.objects.bulk_update(batch, ["short_code"])
            batch = []
    if batch:
        Invitation.objects.bulk_update(batch, ["short_code"])


class Migration(migrations.Migration):
    # PostgreSQL refuses ALTER TABLE after rows changed in the same transaction (pending
    # trigger events), so the backfill commits on its own.
    atomic = False

    dependencies = [
        ("diagnostic", "0007_response_results_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="short_code",
            field=models.CharField(max_length=12, null=True, verbose_name="short code"),
        ),
        migrations.RunPython(backfill_short_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation",
            name="short_code",
            field=models.CharField(
                default=diagnostic.models.new_short_code,
                max_length=12,
                unique=True,
                verbose_name="short code",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="bounced_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="e-mail refused at"),
        ),
    ]
