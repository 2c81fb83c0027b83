"""Plurals right in both languages: "1 activiteit", "1 lid", never "1 leden".

A count beside a word is one `{% blocktranslate count %}` (or `ngettext`), so Dutch and English
each choose their own form. The static check finds the two ways a template can get it wrong."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
# {{ n }}</span> {% translate "members" %}: the word never follows the count.
WORD_AFTER_COUNT = re.compile(r'\{\{ ?[\w.]+(?:\|[\w:"]+)* ?\}\}(?:</span>|</strong>)? \{% translate "[^"]*s" %\}')
# {% blocktranslate with n=… %}{{ n }} rows{% endblocktranslate %}: one form for every count.
UNCOUNTED = re.compile(
    r"\{% blocktranslate (?![^%]*\bcount\b)[^%]*%\}(?:(?!\{% endblocktranslate).)*?\{\{ ?(\w+) ?\}\} [a-z]+s\b", re.S
)
# Counts that are never 1: thresholds and settings of at least 2, dates, references, and counts
# of people shown as "< 5" below the threshold (the report card's members who joined).
NEVER_ONE = {"members", "months", "n", "low", "high", "name", "reference", "joined"}


def test_no_template_puts_a_count_beside_a_word_in_one_form():
    wrong = []
    for path in ROOT.rglob("*.html"):
        text = path.read_text()
        wrong += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in WORD_AFTER_COUNT.finditer(text)]
        wrong += [
            f"{path.relative_to(ROOT)}: {m.group(0)[-80:]}"
            for m in UNCOUNTED.finditer(text)
            if m.group(1) not in NEVER_ONE
        ]
    assert not wrong, "use {% blocktranslate count %}:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("nl", "1 rij: 1 nieuw, 0 gewijzigd, 0 ongewijzigd.", "2 rijen: 2 nieuw"),
        ("en", "1 row: 1 new, 0 changed, 0 unchanged.", "2 rows: 2 new"),
    ],
)
def test_the_import_preview_says_one_row_or_rows(language, one, many):
    from types import SimpleNamespace

    def preview(rows):
        result = SimpleNamespace(rows=rows, new=rows, changed=0, unchanged=0, problems=[], ok=True)
        with translation.override(language):
            return render_to_string("measurement/import.html", {"result": result, "form": None})

    assert one in preview(1)
    assert many in preview(2)


def test_the_map_and_the_home_page_count_one_in_dutch(client, org):
    """One organisation: "1 organisatie" on the network map, "1 partnerorganisatie" on the home page."""
    from samen.agenda.models import Initiative

    Initiative.objects.create(name="Samen", baseline="b", vision="v", region="r", start_date="2020-01-01")
    map_page = client.get("/nl/network/map/").content.decode()
    assert re.search(r"Getoond: 1 organisatie, 0 activiteiten, 0 mensen en 0 lijnen\.", map_page)
    home = client.get("/nl/").content.decode()
    assert re.search(r'<span class="figure">1</span> partnerorganisatie<', home)
