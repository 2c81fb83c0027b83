"""The call script: one question a line, each with where a yes and a no lead. Pure functions on its
text and on the stored list of questions (the form reads it, the call page follows it); no reads, no writes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def script_parse(text: str) -> list[dict[str, Any]]:
    """One question a line: `question | if yes, go to N | if no, go to M` (0 or empty: the needs
    checklist). Branches go forward only, so a script never loops; problems name the line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    questions, errors = [], []
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in (1, 3) or not parts[0]:
            errors.append(
                _("Line %(n)s: write a question, or a question | yes → number | no → number.") % {"n": number}
            )
            continue
        targets = []
        for part in parts[1:] or ["", ""]:
            target = part.lstrip("→>- ").strip()
            if target in ("", "0"):
                targets.append(0)
            elif target.isdigit() and number < int(target) <= len(lines):
                targets.append(int(target))
            else:
                errors.append(
                    _("Line %(n)s: “%(target)s” is not a later question (use its number, or 0 for the needs).")
                    % {"n": number, "target": target[:20]}
                )
                targets.append(0)
        questions.append({"text": parts[0][:300], "yes": targets[0], "no": targets[1]})
    if errors:
        raise ValidationError({"script": errors})
    return questions


def script_path(script: list[dict[str, Any]], answers: dict[str, str]) -> list[int]:
    """The questions the answers so far lead to: the first, then each answer's branch, up to the
    first question not answered yet, or the needs (0). Branches go forward, so this ends."""
    path: list[int] = []
    number = 1 if script else 0
    while 0 < number <= len(script) and number not in path:
        path.append(number)
        answer = answers.get(str(number))
        if answer not in ("yes", "no"):
            break
        number = script[number - 1][answer]
    return path


def script_text(script: list[dict[str, Any]]) -> str:
    return "\n".join(f"{q['text']} | {q['yes']} | {q['no']}" for q in script)
