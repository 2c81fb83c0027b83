"""What every permission-matrix test shares: the roles, the answers, and how an answer is checked."""

ROLES = ["visitor", "member", "editor", "coordinator", "admin"]
OK, LOGIN, DENIED = 200, "login", 403  # "login": a redirect to the sign-in page


def assert_answer(response, want, page: str, role: str) -> None:
    if want == LOGIN:
        assert response.status_code == 302, f"{page} as {role}: {response.status_code}"
        assert "/login/" in response["Location"], f"{page} as {role}: redirected to {response['Location']}"
    else:
        assert response.status_code == want, f"{page} as {role}: {response.status_code}"
