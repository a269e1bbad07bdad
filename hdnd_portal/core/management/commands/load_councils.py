from django.core.management import BaseCommand, CommandError

from hdnd_portal.core.councils import create_province_with_communes, province_choices


class Command(BaseCommand):
    help = ("Create a province council and all its commune councils from the official list shipped by "
            "the vietnam-provinces package (34 provinces, 3,321 communes). Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("province", nargs="?", help="province code (e.g. 1) or name (e.g. 'Hà Nội')")
        parser.add_argument("--list", action="store_true", help="list the provinces")

    def handle(self, *args, province=None, list=False, **options):
        if list or not province:
            for code, name in province_choices():
                self.stdout.write(f"{code:>3}  {name}")
            return
        try:
            council, created = create_province_with_communes(province)
        except LookupError as error:
            raise CommandError(str(error))
        self.stdout.write(self.style.SUCCESS(
            f"{council.name}: {council.children.count()} commune councils ({created} new)."
        ))
