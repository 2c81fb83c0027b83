from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.network.areas import AreaFileError, load_areas_file


class Command(BaseCommand):
    help = "Load or update the area tree (city › district › neighbourhood) from a GeoJSON or CSV file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            count = load_areas_file(path)
        except AreaFileError as exc:
            raise CommandError(f"Nothing was loaded from {path}:\n{exc}") from None
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} areas from {path}."))
