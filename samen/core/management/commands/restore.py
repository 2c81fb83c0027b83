"""`samen restore FILE [--force]`: put a backup back; refuses a database with data without --force."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.core.backup import BackupError, media_elsewhere, restore


class Command(BaseCommand):
    help = "Restore a backup made by samen backup (database, media, secret key, care keys)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="Overwrite a database that holds data.")

    def handle(self, *args, file: Path, force: bool, **options):
        try:
            manifest = restore(file, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if manifest["media_restored"]:
            self.stdout.write(f"Restored the {manifest['engine']} database of {manifest['created']} and its media.")
        else:
            self.stdout.write(
                f"Restored the {manifest['engine']} database of {manifest['created']}. The media are in "
                f"{media_elsewhere()} and were left as they are: restore them to the same moment with the "
                "bucket's versioning (docs/deployment.md)."
            )
        if manifest.get("media_not_restored"):
            self.stdout.write(
                f"The archive holds {manifest['media_not_restored']} media files that were not put back: this site keeps "
                f"its media in {media_elsewhere()}. Copy them there (tar -xzf {file} media/, then aws s3 sync media/ to "
                "the bucket), or the restored pages name files that are in neither place."
            )
        if manifest["care_values_reencrypted"]:
            self.stdout.write(
                f"The backup's care data was encrypted with other keys: re-encrypted {manifest['care_values_reencrypted']} "
                "values with this site's first key of SAMEN_CARE_KEYS."
            )
        if not manifest["secret_key_matches"]:
            self.stdout.write(
                f"The backup's secret key differs from this site's: it is in {manifest['secret_key_file']}. "
                "Set SECRET_KEY to it (production) so links sent before the backup keep working."
            )
