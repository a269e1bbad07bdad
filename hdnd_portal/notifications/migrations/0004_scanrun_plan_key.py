from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="scanrun",
            name="full",
            field=models.BooleanField(db_default=True, default=True, verbose_name="every deadline read"),
        ),
        migrations.AddField(
            model_name="scanrun",
            name="plan_key",
            field=models.CharField(blank=True, db_default="", default="", editable=False, max_length=64),
        ),
    ]
