from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = (
        "What ./run does before starting: migrate, load the demo data on first start, compile "
        "translations, collect static files (served by WhiteNoise), cut the PDFs' static font faces "
        "(once per machine)."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", if_empty=True)
        call_command("compilemessages_if_needed")
        from hdnd_portal.core.pdf_fonts import font_files

        font_files()  # made once, so that the first PDF a user asks for does not wait for them
        if not settings.DEBUG and _static_files_changed():
            # Production mode serves hashed, compressed files from STATIC_ROOT (manifest storage);
            # compressing them takes minutes on a small machine, so only when a source changed.
            self.stdout.write("Collecting and compressing static files…")
            call_command("collectstatic", interactive=False, verbosity=0)


def _static_files_changed() -> bool:
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            if Path(storage.path(path)).stat().st_mtime > built:
                return True
    return False
