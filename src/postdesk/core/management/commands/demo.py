from django.core.management.base import BaseCommand

from postdesk.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo facility (idempotent: parts already loaded are left as they are)."

    def handle(self, *args, **options):
        for line in load_demo():
            self.stdout.write(line)
