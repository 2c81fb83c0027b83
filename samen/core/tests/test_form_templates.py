"""Forms are drawn by the form renderer (samen.core.forms.FormRenderer): a page writes `{{ form }}` or a
field's `as_field_group`, never a loop of its own over the field template (issue 10: it had come back
in 17 templates of the later apps)."""

import re
from pathlib import Path

import samen

# A template that includes the field template itself draws fields its own way; only the renderer may.
FIELD_TEMPLATE = re.compile(r"""\{%\s*include\s+["']includes/field\.html["']""")
THE_RENDERERS_OWN = {"includes/form.html", "includes/field.html"}


def test_no_page_draws_fields_with_a_loop_of_its_own():
    root = Path(samen.__file__).parent
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.html")
        if "/".join(path.parts[-2:]) not in THE_RENDERERS_OWN
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FIELD_TEMPLATE.search(line)
    ]
    assert not found, f"draw these with {{{{ form }}}} or field.as_field_group: {found}"


def test_the_check_finds_a_pasted_loop():
    assert FIELD_TEMPLATE.search('{% for field in form %}{% include "includes/field.html" %}{% endfor %}')
