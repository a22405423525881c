from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from devtools.demo.members import DEMO_PASSWORD, DEMO_SLUG

SEEDERS = [
    "devtools.demo.members.seed",
    "devtools.demo.notifications.seed",
    "devtools.demo.groups.seed",
    "devtools.demo.checkins.seed",
    "devtools.demo.matching.seed",
    "devtools.demo.family.seed",
    "devtools.demo.messaging.seed",
    "devtools.demo.resources.seed",
    "devtools.demo.plans.seed",
    "devtools.demo.dashboard.seed",  # last: the rollups of everything above
]


class Command(BaseCommand):
    help = "Create the `demo` organization with personas and realistic data. Safe to run twice."

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        # Each app's part, in dependency order; every builder goes through the real services.
        for path in SEEDERS:
            result = import_string(path)()
            counts = getattr(result, "counts", result)
            if getattr(result, "created", True) is False:
                self.stdout.write(f"Organization '{DEMO_SLUG}' already exists; demo data left as it is.")
                return
            if counts:
                self.stdout.write(f"{path}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        self.stdout.write(
            self.style.SUCCESS(f"Demo organization '{DEMO_SLUG}' ready. Every demo account's password: {DEMO_PASSWORD}")
        )
