from django.core.management import BaseCommand

from hdnd_portal.core.rules_defaults import DEFAULT_RULES
from hdnd_portal.core.rules_loader import load_default_rules


class Command(BaseCommand):
    help = "Add any shipped default rule that is missing (never overwrites edited rules)."

    def handle(self, *args, **options):
        added = load_default_rules()
        self.stdout.write(f"{added} of {len(DEFAULT_RULES)} default rules added.")
