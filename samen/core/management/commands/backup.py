"""`samen backup FILE`: a consistent online copy of the database, the media, the secret key and the care keys."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup archive (database, uploaded media, secret key, care keys) while the site runs."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            manifest = backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        media = "" if manifest["media_elsewhere"] else " and the media"
        self.stdout.write(
            f"Backed up the {manifest['engine']} database{media} to {file} "
            "(keep it secret: it holds the secret key and the care keys)."
        )
        if manifest["media_elsewhere"]:
            self.stdout.write(
                f"The media are in {manifest['media_elsewhere']}, not in the archive: keep the bucket's versioning on "
                "(docs/deployment.md)."
            )
