from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "What ./run does before starting: migrate, load the demo data on first start, compile translations."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", if_empty=True)
        call_command("compilemessages_if_needed")
