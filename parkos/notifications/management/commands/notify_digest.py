"""`parkos notify_digest`: e-mail each user the day's notifications still unread (run it once a day)."""

from django.core.management.base import BaseCommand

from parkos.notifications.digest import digest_send


class Command(BaseCommand):
    help = "E-mail every user with an address the unread notifications of the last 24 hours."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="how far back to look (default 24)")

    def handle(self, *args, hours: int, **options):
        sent = digest_send(hours=hours)
        self.stdout.write(f"notify_digest: {sent} e-mails sent.")
