"""The app factory wires everything; /healthz tells whether web and database answer."""

from dataclasses import replace

from hotline import create_app


def test_factory_uses_given_settings(app, settings):
    assert app.config["SECRET_KEY"] == settings.secret_key
    assert app.extensions["hotline.settings"] is settings
    assert app.testing


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(settings, tmp_path):
    broken = replace(settings, database_url=f"sqlite:///{tmp_path}/missing-dir/db.sqlite3")
    response = create_app(broken).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}

