import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "Compile .po translations whose .mo is missing or older (needs msgfmt; the .mo files are committed)."

    def handle(self, *args, **options):
        if not shutil.which("msgfmt"):
            return
        stale = []
        for po in Path(settings.BASE_DIR).glob("**/locale/*/LC_MESSAGES/django.po"):
            if ".venv" in po.parts:
                continue
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                stale.append(po)
        if stale:
            call_command("compilemessages", verbosity=0, ignore=[".venv"])
