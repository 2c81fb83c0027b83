from unittest import mock

from django.db import OperationalError


def test_it_reports_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_is_unreachable(client, db):
    with mock.patch("samen.core.views.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_it_is_not_behind_a_language_prefix(client, db):
    assert client.get("/nl/healthz").status_code == 404


def test_a_flood_of_requests_checks_the_parts_once_in_the_interval(client, db, settings, monkeypatch):
    from samen.core import views

    settings.SAMEN_HEALTHZ_CHECK_SECONDS = 5
    monkeypatch.setattr(views, "_last_check", None)
    clock = [1000.0]
    monkeypatch.setattr(views.time, "monotonic", lambda: clock[0])
    with mock.patch.object(views, "_database_answers", return_value=True) as checked:
        for _ in range(50):
            assert client.get("/healthz").status_code == 200
        assert checked.call_count == 1
        clock[0] += 5
        client.get("/healthz")
        assert checked.call_count == 2


def test_while_one_thread_checks_the_others_answer_from_the_last_result(client, db, settings, monkeypatch):
    from samen.core import views

    settings.SAMEN_HEALTHZ_CHECK_SECONDS = 5
    monkeypatch.setattr(views, "_last_check", (0.0, {"database": True}))
    monkeypatch.setattr(views.time, "monotonic", lambda: 1000.0)
    assert views._check_lock.acquire()  # another thread is checking (a slow broker)
    try:
        with mock.patch.object(views, "_check_parts") as checked:
            response = client.get("/healthz")
        assert response.status_code == 200
        checked.assert_not_called()
    finally:
        views._check_lock.release()
