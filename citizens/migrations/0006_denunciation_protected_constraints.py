from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("citizens", "0005_protect_existing_identities")]

    operations = [
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'denunciation'), _negated=True), ('identity_protected', True), ('protection_lifted_at__isnull', False), _connector='OR'), name='letter_denunciation_protected', violation_error_message="A denunciation keeps its denouncer's identity protected unless the protection is lifted."),
        ),
        migrations.AddConstraint(
            model_name='visit',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'denunciation'), _negated=True), ('identity_protected', True), ('protection_lifted_at__isnull', False), _connector='OR'), name='visit_denunciation_protected', violation_error_message="A denunciation keeps its denouncer's identity protected unless the protection is lifted."),
        ),
    ]
