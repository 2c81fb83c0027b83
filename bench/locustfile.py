"""The clients of bench/load.py: visitors who read, members who sign in and write (locust); and, when
the targets name a call campaign (`python -m bench.calls --http`), callers who reserve batches and
record their calls, beside a visitor on the trivial page."""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections import deque

from locust import FastHttpUser, HttpUser, between, constant, events, task

TARGETS = json.load(open(os.environ["BENCH_TARGETS"]))  # noqa: SIM115
WRITES = open(os.environ["BENCH_WRITES"], "a")  # noqa: SIM115 (closed when locust stops)
# Without --think every client sends its next request when the answer comes: 50 concurrent clients
# then measure the server, not the clients' pauses (with pauses of 0.2–1 s, 50 clients can never ask
# more than about 75 requests a second, however fast the server).
THINK = os.environ.get("BENCH_THINK") == "1"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The public forms' rate limits (settings.ACCOUNT_RATE_LIMITS: 10 a minute and 60 or 50 an hour per
# address for event registrations and invitations): a person keeps under them, so a client does too and
# reads the calendar instead (counted as "calendar (member, paced)"); a 429 in the results is then a real
# error, not the harness outrunning a person. The writes' rate is therefore set by these caps.
PACE = ((60, 8), (3600, 45))  # (window in seconds, at most this many in it)


@events.quitting.add_listener
def _close(environment, **kwargs):
    WRITES.close()


def _record(kind: str, **fields) -> None:
    WRITES.write(json.dumps({"kind": kind, **fields}) + "\n")
    WRITES.flush()


def _address() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def _sign_in(client, email: str) -> None:
    page = client.get("/en/account/login/", name="sign-in form (trivial)")
    token = CSRF.search(page.text).group(1)
    client.post(
        "/en/account/login/",
        {"login": email, "password": TARGETS["password"], "csrfmiddlewaretoken": token},
        name="sign in",
        allow_redirects=False,
    )


def _csrf_token(client) -> str:
    """The CSRF cookie of either kind of client (requests' session or locust's fast one)."""
    jar = getattr(client, "cookiejar", None)
    if jar is None:
        return client.cookies.get("csrftoken", "")
    return next((cookie.value for cookie in jar if cookie.name == "csrftoken"), "")


def _post(client, url: str, name: str, data: dict | None = None, **options):
    token = _csrf_token(client)
    return client.post(
        url,
        {"csrfmiddlewaretoken": token, **(data or {})},
        headers={"Referer": client.base_url + url, "X-CSRFToken": token},
        name=name,
        allow_redirects=False,
        **options,
    )


def _post_expecting_redirect(client, url: str, name: str, data: dict) -> None:
    """A form answered with the page again (200) did not do its work: counted as a failure."""
    with _post(client, url, name, data, catch_response=True) as answer:
        if answer.status_code != 302:
            answer.failure(f"answered {answer.status_code}, not a redirect")


class Visitor(FastHttpUser):
    """locust's fast client (geventhttpclient): with python-requests the load tool itself took about
    as much CPU per request as the server, on the same two cores."""

    weight = 4
    wait_time = between(0.2, 1.0) if THINK else constant(0)

    def __init__(self, environment) -> None:
        self.default_headers = {"X-Forwarded-For": _address()}  # each visitor its own address
        super().__init__(environment)

    @task(3)
    def home(self):
        self.client.get("/en/", name="home")

    @task(1)
    def trivial(self):
        self.client.get("/en/account/login/", name="sign-in form (trivial)")

    @task(2)
    def dashboard(self):
        self.client.get("/en/dashboard/", name="dashboard")

    @task(2)
    def indicator(self):
        self.client.get(f"/en/indicators/{random.choice(TARGETS['indicators'])}/", name="indicator page")

    @task(2)
    def challenge(self):
        self.client.get(f"/en/challenges/{random.choice(TARGETS['challenges'])}/", name="challenge page")

    @task(2)
    def activities(self):
        self.client.get("/en/activities/", name="activities")

    @task(1)
    def calendar(self):
        self.client.get("/en/events/", name="calendar")

    @task(1)
    def growth(self):
        self.client.get("/en/network/growth/", name="growth")

    @task(1)
    def map_data(self):
        self.client.get("/en/network/map/data.json", name="map data")

    @task(1)
    def api(self):
        self.client.get("/api/v1/indicators", name="api indicators")


class Member(FastHttpUser):
    weight = 1
    wait_time = between(0.5, 2.0) if THINK else constant(0)

    def __init__(self, environment) -> None:
        self.default_headers = {"X-Forwarded-For": _address()}
        super().__init__(environment)
        self.recent: dict[str, deque[float]] = {}

    def on_start(self) -> None:
        self.email = random.choice(TARGETS["members"])
        _sign_in(self.client, self.email)

    def _post(self, url: str, name: str, data: dict | None = None):
        return _post(self.client, url, name, data)

    def _under_limit(self, action: str) -> bool:
        """True (and counted) when one more `action` keeps this person under every PACE window."""
        now = time.monotonic()
        recent = self.recent.setdefault(action, deque())
        while recent and now - recent[0] > PACE[-1][0]:
            recent.popleft()
        if any(sum(1 for at in recent if now - at <= window) >= most for window, most in PACE):
            self.client.get("/en/events/", name="calendar (member, paced)")
            return False
        recent.append(now)
        return True

    @task(3)
    def register(self):
        if not TARGETS["events"] or not self._under_limit("register"):
            return
        slug = random.choice(TARGETS["events"])
        answer = self._post(f"/en/events/{slug}/register/", "write: register for an event")
        if answer.status_code in (302, 303):
            _record("register", event=slug, email=self.email)

    @task(2)
    def join_role(self):
        if not TARGETS["roles"]:
            return
        slug, pk = random.choice(TARGETS["roles"])
        answer = self._post(f"/en/activities/{slug}/roles/{pk}/join/", "write: join a role")
        if answer.status_code in (302, 303) and "full" not in answer.headers.get("Location", ""):
            _record("role_attempt", role=pk, email=self.email)

    @task(2)
    def support(self):
        if not TARGETS["proposals"]:
            return
        pk = random.choice(TARGETS["proposals"])
        answer = self._post(f"/en/proposals/{pk}/support/", "write: support a proposal")
        if answer.status_code in (302, 303):
            _record("support_attempt", proposal=pk, email=self.email)

    @task(1)
    def invite(self):
        if not self._under_limit("invite"):
            return
        email = f"friend-{random.randint(0, 10**9)}@bench.invalid"
        # `action=email` is what the page's form sends; without it the view only shows the page again.
        answer = self._post("/en/network/invite/", "write: invite", {"action": "email", "email": email, "message": ""})
        if answer.status_code in (302, 303):
            _record("invite", email=email, inviter=self.email)

    @task(2)
    def read_profile(self):
        self.client.get("/en/profile/", name="my profile")


if "campaign" in TARGETS:  # only in bench.calls --http, which names the two kinds below
    CALLERS = iter(TARGETS["callers"])
    ENTRY = re.compile(r'href="(/en/calls/\d+/call/\d+/)"')

    class Caller(HttpUser):
        """A caller of the campaign, one account each, working as fast as the server answers: reserve a
        batch, open each person, record the call (two in three reached, else no answer: back in 4 h)."""

        fixed_count = len(TARGETS["callers"])
        wait_time = constant(0)

        def on_start(self) -> None:
            self.client.headers["X-Forwarded-For"] = _address()
            host = self.host.split("//", 1)[1].split(":")[0]
            self.client.cookies.set(TARGETS["session_cookie"], next(CALLERS), domain=host)  # signed in
            self.page = f"/en/calls/{TARGETS['campaign']}/call/"
            self.client.get(self.page, name="calls: the batch")  # and the form's token
            self.calls = 0

        @task
        def batch(self):
            _post_expecting_redirect(self.client, self.page, "calls: reserve a batch", {"action": "reserve"})
            people = ENTRY.findall(self.client.get(self.page, name="calls: the batch").text)
            for url in people:
                self.client.get(url, name="calls: one person")
                self.calls += 1
                outcome = "reached" if self.calls % 3 else "no-answer"
                _post_expecting_redirect(self.client, url, "calls: record the call", {"outcome": outcome})

    class Glancer(HttpUser):
        """The trivial page of the same run, to compare with."""

        fixed_count = 2
        wait_time = between(0.2, 1.0)

        @task
        def trivial(self):
            self.client.get("/en/account/login/", name="sign-in form (trivial)")
