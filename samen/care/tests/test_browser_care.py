"""The care loop in a real browser (Debian's Chromium), on a phone and a desk, with axe on every new page.

A visitor reports a worry on a phone; the network coordinator assigns it; the owner refers it to the
pharmacy with the resident's consent; the pharmacy accepts, records consent for the visit, completes
the referral and closes the case linking the resident to a visiting volunteer; the audit trail shows
every read."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from samen.core.tests.test_browser import DESKTOP, PHONE, axe_report, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _axe(page: Page, reports: list[str]) -> None:
    violations = axe_violations(page)
    if violations:
        reports.append(axe_report(page.url, violations))


def test_a_worry_is_followed_up_to_a_volunteer_and_every_read_is_in_the_trail(
    page: Page, live_server, areas, resident, care_coordinator, care_member, partner_member, visiting_activity
):
    from samen.care.models import Case, Referral, Signal
    from samen.core.models import AuditEntry

    base = live_server.url
    reports: list[str] = []

    # A visitor, on a phone, in Dutch.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/nl/care/worried/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezorgd om iemand?")
    _axe(page, reports)
    page.get_by_label("Wijk").select_option(str(areas["runkst"].pk))
    page.get_by_label("Wie, of welk adres?").fill("Mevrouw Peeters, Kempische Steenweg 1")
    page.get_by_label("de post stapelt zich op").check()
    page.get_by_label("al dagen niet gezien").check()
    page.get_by_label("vandaag").check()
    page.get_by_role("button", name="Verstuur de melding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt om om te geven")
    _axe(page, reports)
    signal = Signal.objects.get()

    # The coordinator, at a desk, in English, assigns it.
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, care_coordinator.email)
    page.goto(f"{base}/en/care/networks/runkst/")
    _axe(page, reports)
    page.get_by_role("link", name=signal.reference).click()
    _axe(page, reports)
    page.locator("#id_owner").select_option(str(care_member.pk))
    page.locator("#id_resident").select_option(resident.reference)
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("The signal is assigned")
    case = Case.objects.get()

    # The owner records the resident's consent to a referral and refers to the pharmacy.
    page.context.clear_cookies()
    sign_in(page, base, care_member.email)
    page.goto(f"{base}/en/care/residents/{resident.reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maria Peeters")
    _axe(page, reports)
    page.locator("#id_scope").select_option("referral")
    page.locator("#id_how").select_option("spoken")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("The consent is recorded.")
    page.goto(f"{base}/en/care/cases/{case.reference}/")
    page.locator("#id_to_organisation").select_option("apotheek-de-linde")
    page.get_by_role("button", name="Request the referral").click()
    expect(page.locator(".messages")).to_contain_text("The referral is requested.")
    referral = Referral.objects.get()

    # The pharmacy, on a phone, accepts, records consent for the visit, completes and closes with a volunteer.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in(page, base, partner_member.email)
    page.goto(f"{base}/en/care/cases/{case.reference}/")
    _axe(page, reports)
    for state in ("accepted", "in-progress", "completed"):
        page.locator(f"#to-{referral.pk}").select_option(state)
        page.locator(f"#note-{referral.pk}").fill("Bezoek afgesproken." if state == "completed" else "")
        page.get_by_role("button", name="Save the state").click()
        expect(page.locator(".messages")).to_contain_text("The referral's state is saved.")
    page.goto(f"{base}/en/care/residents/{resident.reference}/")
    page.locator("#id_scope").select_option("contact")
    page.locator("#id_how").select_option("signed")
    page.get_by_role("button", name="Record", exact=True).click()
    page.goto(f"{base}/en/care/cases/{case.reference}/")
    page.locator("#id_outcome").select_option("volunteer")
    page.locator("#id_activity").select_option(visiting_activity.slug)
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".messages")).to_contain_text("The case is closed with its outcome.")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.activity) == ("closed", "volunteer", visiting_activity)

    # The coordinator reads the trail: every read of the resident, the signal and the case, by whom.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, care_coordinator.email, lang="nl")
    page.goto(f"{base}/nl/care/residents/{resident.reference}/audit/")
    _axe(page, reports)
    trail = page.locator("main table tbody")
    expect(trail).to_contain_text("care.signal.viewed")
    expect(trail).to_contain_text("care.resident.viewed")
    expect(trail).to_contain_text("care.case.viewed")
    reads = AuditEntry.objects.filter(
        action__in=["care.resident.viewed", "care.case.viewed", "care.signal.viewed", "care.audit.viewed"]
    ).count()
    expect(trail.locator("tr", has_text=".viewed")).to_have_count(reads)
    for path in ("/nl/care/", "/en/care/worried/", "/nl/care/reviews/", "/nl/care/networks/runkst/"):
        page.goto(base + path)
        _axe(page, reports)
    assert not reports, "\n".join(reports)


def _no_sideways_scroll(page: Page, reports: list[str]) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        reports.append(f"{page.url}: scrolls sideways ({width} px at {PHONE['width']})")


def test_the_backbone_sets_a_network_up_and_hands_it_a_worry_on_a_phone(
    page: Page, live_server, areas, org, other_org, coordinator, make_user
):
    from samen.care import services
    from samen.care.models import CareNetwork, NetworkMember, Signal, WatchAgreement

    nora = make_user("nora@example.org", first_name="Nora")
    worry = services.signal_report(
        network=None, area=areas["kiewit"], source="public", observations=["lonely"], urgency="normal", about="Iemand"
    )
    base = live_server.url
    reports: list[str] = []
    page.set_viewport_size(PHONE)
    sign_in(page, base, coordinator.email, lang="nl")

    def check() -> None:
        _axe(page, reports)
        _no_sideways_scroll(page, reports)

    page.goto(f"{base}/nl/care/")
    page.get_by_role("link", name="Zorgnetwerken opzetten").click()
    check()
    page.get_by_role("link", name="Een nieuw zorgnetwerk").click()
    check()
    page.locator("#id_name").fill("Buurtnetwerk Kiewit")
    page.locator("#id_slug").fill("kiewit")
    page.locator("#id_area").select_option(str(areas["kiewit"].pk))
    page.locator(f"input[name=organisations][value='{org.pk}']").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".messages")).to_contain_text("Het zorgnetwerk is bewaard.")
    check()
    page.locator("#id_email").fill(nora.email)
    page.locator("#id_organisation").select_option(org.slug)
    page.locator("#id_is_coordinator").check()
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".messages")).to_contain_text("Het lid is toegevoegd.")
    check()
    network = CareNetwork.objects.get(slug="kiewit")
    assert NetworkMember.objects.get(network=network).user == nora
    page.get_by_role("link", name="Voeg een waakafspraak toe").click()
    check()
    page.locator("#id_business").fill("Apotheek Kiewit")
    page.locator("#id_kind").select_option("pharmacy")
    page.locator("#id_since").fill("2026-01-05")
    page.locator("#id_watches_for").fill("Medicijnen niet opgehaald")
    page.locator("#id_calls").fill("de coördinator")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register van waakafspraken")
    check()
    assert WatchAgreement.objects.get().network == network
    page.goto(f"{base}/nl/care/worries/")
    check()
    page.locator(f"#network-{worry.reference}").select_option("kiewit")
    page.get_by_role("button", name="Overdragen").click()
    expect(page.locator(".messages")).to_contain_text("De zorg is overgedragen")
    assert Signal.objects.get(pk=worry.pk).network == network
    for path in ("/en/care/setup/", "/en/care/agreements/", "/nl/care/worried/thanks/"):
        page.goto(base + path)
        check()
    assert not reports, "\n".join(reports)
