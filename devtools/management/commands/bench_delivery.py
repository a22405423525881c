from django.core.management.base import BaseCommand

from devtools.bench import delivery as bench
from devtools.bench.targets import target_line


class Command(BaseCommand):
    help = "Notifications per second through one real worker process on Redis (file email backend). Leaves no data behind."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--notifications", type=int, default=3000)

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        r = bench.run(notifications=options["notifications"])
        self.stdout.write(
            f"delivery: {r.sent}/{r.notifications} emails sent by 1 worker process in {r.seconds:.2f} s "
            f"({r.emails_written} written by the file backend)"
        )
        self.stdout.write(target_line("notifications per second per worker process", r.per_second, 300, "/s", at_most=False))
