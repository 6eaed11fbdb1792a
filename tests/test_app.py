"""The app factory wires everything; /healthz tells whether web, database and worker answer."""

from dataclasses import replace
from datetime import timedelta

from hotline import create_app
from hotline.db import utcnow
from hotline.models import WorkerHeartbeat

from tests.factories import make_voicemail


def test_factory_uses_given_settings(app, settings):
    assert app.config["SECRET_KEY"] == settings.secret_key
    assert app.extensions["hotline.settings"] is settings
    assert app.testing


def test_healthz_is_ok_when_the_database_answers_and_a_worker_was_seen(client, db_session):
    seen = utcnow().replace(microsecond=0) - timedelta(minutes=2)
    db_session.add(WorkerHeartbeat(id=1, seen_at=seen))
    waiting = make_voicemail(db_session, created_at=seen - timedelta(hours=1))
    make_voicemail(db_session, state="transcribed", created_at=seen - timedelta(hours=3))
    db_session.commit()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok", "database": "ok", "worker": {"status": "ok", "last_seen": seen.isoformat()},
        "waiting": {"voicemails": 1, "oldest_voicemail": waiting.created_at.isoformat(), "mails": 0,
                    "oldest_mail": None},
    }


def test_healthz_is_503_when_the_worker_has_been_gone_for_ten_minutes(client, db_session):
    db_session.add(WorkerHeartbeat(id=1, seen_at=utcnow() - timedelta(minutes=11)))
    db_session.commit()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.get_json()["worker"]["status"] == "gone"


def test_healthz_gives_a_fresh_install_ten_minutes_to_start_its_worker(app, client):
    assert client.get("/healthz").status_code == 200
    app.extensions["hotline.web_started_at"] = utcnow() - timedelta(minutes=11)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["worker"] == {"status": "gone", "last_seen": None}


def test_the_heartbeat_job_records_the_worker_as_seen(app, db_session):
    jobs = app.extensions["hotline.jobs"]
    before = utcnow()

    jobs.heartbeat()
    jobs.queue.execute(jobs.queue.dequeue())
    jobs.heartbeat()
    jobs.queue.execute(jobs.queue.dequeue())

    (beat,) = db_session.query(WorkerHeartbeat).all()
    assert beat.seen_at >= before


def test_healthz_is_503_when_the_database_is_unreachable(settings, tmp_path):
    broken = replace(settings, database_url=f"sqlite:///{tmp_path}/missing-dir/db.sqlite3")
    response = create_app(broken).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}



def test_every_answer_says_nosniff(app, client, twilio, settings):
    (settings.data_dir / "prompt-audio").mkdir(exist_ok=True)
    answers = [client.get("/healthz"), client.get("/audio/fehlt.wav"), twilio.post("/twilio/voice"),
               twilio.post("/twilio/status"), client.get("/admin/login")]
    assert [answer.headers.get("X-Content-Type-Options") for answer in answers] == ["nosniff"] * 5


def test_without_public_base_url_only_a_loopback_host_is_served(client):
    for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"):
        assert client.get("/admin/login", headers={"Host": host}).status_code == 200, host
    for host in ("hotline.example.org", "10.0.0.5:8000", "localhost.example.org"):
        assert client.get("/admin/login", headers={"Host": host}).status_code == 400, host


def test_with_public_base_url_any_host_is_served(settings):
    app = create_app(replace(settings, public_base_url="https://hotline.example.org"))
    try:
        answer = app.test_client().get("/admin/login", headers={"Host": "hotline.example.org"})
        assert answer.status_code == 200
    finally:
        app.extensions["hotline.db"].dispose()
