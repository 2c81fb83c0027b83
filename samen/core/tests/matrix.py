"""What every permission-matrix test shares: the roles, the answers, and how an answer is checked."""

ROLES = ["visitor", "member", "editor", "coordinator", "admin"]
OK, LOGIN, DENIED = 200, "login", 403  # "login": a redirect to the sign-in page
# An editor membership without the group `partner-editors` (factories.make_former_editor): edits nothing.
FORMER_EDITOR = "former editor"


def former_editor_pages(answers: dict[str, dict]) -> list[str]:
    """The pages a matrix asks of a former editor: those where an editor's answer is not a member's (what
    editing an organisation opens), and those whose row names FORMER_EDITOR. Pass {page: {role: answer}}."""
    return [
        page
        for page, expected in answers.items()
        if FORMER_EDITOR in expected or expected["editor"] != expected["member"]
    ]


def answer_of(expected: dict, role: str):
    """The answer a row wants for a role; a former editor gets a member's unless the row names them."""
    if role == FORMER_EDITOR:
        return expected.get(FORMER_EDITOR, expected["member"])
    return expected[role]


def assert_answer(response, want, page: str, role: str) -> None:
    if want == LOGIN:
        assert response.status_code == 302, f"{page} as {role}: {response.status_code}"
        assert "/login/" in response["Location"], f"{page} as {role}: redirected to {response['Location']}"
    else:
        assert response.status_code == want, f"{page} as {role}: {response.status_code}"
