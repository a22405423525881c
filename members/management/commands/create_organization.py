from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.errors import DomainError
from members.services import organization_create


class Command(BaseCommand):
    help = "Create an organization (a treatment program) and its first staff user. Idempotent on SLUG."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", required=True)
        parser.add_argument("--self-signup", action="store_true", help="Let members create their own accounts")
        parser.add_argument("--require-2fa", action="store_true", help="Staff and clinicians must use two-factor sign-in (TOTP)")
        parser.add_argument("--timezone", default="America/New_York", help="IANA time zone, e.g. America/Chicago")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            org, created = organization_create(
                slug=options["slug"],
                name=options["name"],
                admin_email=options["admin_email"],
                admin_password=options["admin_password"],
                allow_self_signup=options["self_signup"],
                timezone_name=options["timezone"],
                require_two_factor=options["require_2fa"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        if created:
            self.stdout.write(
                self.style.SUCCESS(f"Created organization {org.slug} ({org.name}) with staff user {options['admin_email']}.")
            )
        else:
            self.stdout.write(f"Organization {org.slug} already exists; nothing changed.")
