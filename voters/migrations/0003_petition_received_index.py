from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("voters", "0002_constraint_messages_text_limits"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["-received_on", "-id"], name="petition_received"),
        ),
    ]
