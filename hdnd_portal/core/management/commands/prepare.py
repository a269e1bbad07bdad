from django.conf import settings
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = (
        "What ./run does before starting: migrate, load the demo data on first start, compile "
        "translations, collect static files (served by WhiteNoise)."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", if_empty=True)
        call_command("compilemessages_if_needed")
        if not settings.DEBUG:
            # Production mode serves hashed, compressed files from STATIC_ROOT (manifest storage).
            call_command("collectstatic", interactive=False, verbosity=0)
