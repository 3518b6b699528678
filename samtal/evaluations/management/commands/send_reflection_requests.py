from django.core.management.base import BaseCommand, CommandError

from samtal.evaluations.services import NotAllReached, NotFinished, invite_to_reflection
from samtal.meetings.models import Meeting


class Command(BaseCommand):
    help = (
        "Skickar utvärderingen (individuell slutreflektion) med personlig länk till de "
        "medverkande i ett avslutat samtal. Ingen får den två gånger."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting_ids", nargs="*", type=int)
        parser.add_argument(
            "--alla-avslutade",
            action="store_true",
            dest="all_finished",
            help="Alla avslutade samtal som fortfarande kan utvärderas.",
        )

    def handle(self, *args, meeting_ids, all_finished, **options):
        if not meeting_ids and not all_finished:
            raise CommandError("Ange samtalens id eller --alla-avslutade.")
        meetings = (
            Meeting.objects.finished()
            if all_finished
            else Meeting.objects.filter(pk__in=meeting_ids)
        )
        not_reached = 0
        for meeting in meetings.select_related("unit"):
            try:
                sent = invite_to_reflection(meeting)
            except NotFinished:
                if not all_finished:
                    self.stderr.write(f"{meeting}: inte avslutat eller stängt för utvärdering.")
                continue
            except NotAllReached as error:
                not_reached += len(error.participations)
                names = ", ".join(p.person.email for p in error.participations)
                self.stderr.write(f"{meeting}: kunde inte skicka till {names}.")
                continue
            self.stdout.write(f"{meeting}: skickade till {len(sent)}.")
        if not_reached:
            raise CommandError(f"{not_reached} utvärderingar kunde inte skickas; försök igen.")
