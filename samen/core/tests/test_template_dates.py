"""Dates follow the page's language in every template (issue 11): "1 dec 2026" on a Dutch page, not "1 Dec 2026"."""

import datetime
import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

import samen

# "M" is Django's English-style capitalised abbreviation in every language ("Dec"); "N" is the page's ("dec").
FORMAT = re.compile(r"""\|date:["']([^"']*)["']""")


def test_no_template_writes_a_month_the_english_way():
    found = []
    for path in Path(samen.__file__).parent.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            found += [f"{path.name}:{number} {f}" for f in FORMAT.findall(line) if "M" in f]
    assert not found


def test_a_short_date_is_in_the_pages_language():
    template = Template('{{ day|date:"j N Y" }}')
    day = datetime.date(2026, 12, 1)
    with translation.override("nl"):
        assert template.render(Context({"day": day})) == "1 dec 2026"
