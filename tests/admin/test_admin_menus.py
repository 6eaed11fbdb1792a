"""The menu as a draft checked by the engine, publishing and restoring, the key card, the Testanruf."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hotline.db import utcnow
from hotline.models import AuditEvent, Call, CallbackRequest, FlowVersion, PromptOverride
from hotline.services import drafts, flows
from ivr_flows import FlowError, load_flow_from_mapping
from ivr_flows.prompts import PROMPTS

from tests.factories import make_activity

STANDARD = ("label_activities", "label_newcomers", "label_message", "label_talk")


def _menu(offered=STANDARD, order=STANDARD, **labels: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for key in STANDARD:
        if key in offered:
            data[f"offered_{key}"] = "y"
        data[f"position_{key}"] = str(order.index(key) + 1)
        data[f"label_{key}"] = labels.get(key, f"Text {key}")
    return data


def _versions(db_session, network_id: int) -> list[tuple[int, bool]]:
    db_session.expire_all()
    return [(v.version, v.published) for v in db_session.scalars(
        select(FlowVersion).where(FlowVersion.network_id == network_id).order_by(FlowVersion.version))]


def _main_options(version: FlowVersion) -> list[tuple[str, str]]:
    main = version.definition["nodes"][version.definition["flow"]["main_menu"]]
    return [(option["key"], option["label"]) for option in main["options"]]


def _publish(web, network_id: int) -> None:
    assert web.post(f"/admin/inhalte/{network_id}/entwurf/menu/veroeffentlichen").status_code == 302


def test_a_draft_is_checked_by_the_loader_and_does_not_change_the_line(login_as, world, db_session):
    web = login_as("begleitung")
    order = ("label_talk", "label_activities", "label_newcomers", "label_message")
    response = web.post(f"/admin/inhalte/{world.bilk.id}/menue",
                        _menu(offered=("label_activities", "label_talk"), order=order,
                              label_talk="ein Gespräch mit Berta", label_activities=PROMPTS["label_activities"]))
    assert response.status_code == 302
    draft = drafts.draft_of(db_session, world.bilk.id, "menu")
    assert draft.snapshot == {"options": ["label_talk", "label_activities"],
                              "labels": {"label_talk": "ein Gespräch mit Berta"}}
    definition = flows.definition_of(draft.snapshot, 1)
    assert "newcomers" not in definition["nodes"]  # nothing leads there any more
    load_flow_from_mapping(definition, "test")
    assert _versions(db_session, world.bilk.id) == []
    assert db_session.scalars(select(PromptOverride)).all() == []  # labels wait for the release


@pytest.mark.parametrize(("data", "message"), [
    (_menu(offered=()), "Bitte bieten Sie mindestens eine Auswahl an."),
    ({**_menu(), "position_label_message": "1"}, "Diese Stelle ist doppelt vergeben."),
    (_menu(label_talk=" "), "Bitte geben Sie einen Text ein."),
    (_menu(label_talk="mit {wem}"), "Geschweifte Klammern { } sind in diesem Text nicht möglich."),
    (_menu(label_talk="x" * 101), "Höchstens 100 Zeichen."),
])
def test_menu_errors_are_shown_in_german_next_to_the_form(login_as, world, db_session, data, message):
    response = login_as("begleitung").post(f"/admin/inhalte/{world.bilk.id}/menue", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert drafts.draft_of(db_session, world.bilk.id, "menu") is None


def test_loader_problems_are_told_in_german():
    error = FlowError("x", ["x: node 'main', field 'options': 5 content options; at most 4 are allowed",
                            "x: node 'talk': unreachable: no path from the start leads here"])
    assert flows.german_problems(error) == ["Höchstens 4 Auswahlmöglichkeiten sind erlaubt.",
                                            "Ein Teil der Ansage wäre am Telefon nicht mehr erreichbar."]


def test_publish_then_restore_keeps_every_version(login_as, world, db_session):
    web = login_as("begleitung")
    base = f"/admin/inhalte/{world.bilk.id}/menue"
    web.post(base, _menu(label_activities="unsere Treffen"))
    _publish(web, world.bilk.id)
    web.post(base, _menu(offered=("label_message",)))
    _publish(web, world.bilk.id)
    assert _versions(db_session, world.bilk.id) == [(1, True), (2, True)]
    first = db_session.scalars(select(FlowVersion).where(FlowVersion.version == 1)).one()
    assert (first.author_id, first.definition["flow"]["version"]) == (world.begleitung.id, 1)
    override = db_session.scalars(select(PromptOverride).where(PromptOverride.key == "label_activities")).one()
    assert override.text == "unsere Treffen"
    menus = [v for v in drafts.history(db_session, world.bilk.id) if v.kind == "menu"]
    # The standard menu callers heard before, then the two published ones.
    assert [v.number for v in menus] == [3, 2, 1]
    assert menus[2].snapshot["options"] == list(flows.standard_options())

    web.post(base, _menu(offered=("label_talk",)))  # a draft, started before the restore
    assert web.post(f"/admin/inhalte/{world.bilk.id}/verlauf/{menus[1].id}/wiederherstellen").status_code == 302
    assert _versions(db_session, world.bilk.id) == [(1, True), (2, True), (3, True)]
    newest = flows.newest_published(db_session, world.bilk.id)
    assert _main_options(newest) == _main_options(first)
    assert newest.definition["flow"]["version"] == 3
    _publish(web, world.bilk.id)  # the older draft now comes after the restored version
    newest = flows.newest_published(db_session, world.bilk.id)
    assert (newest.version, _main_options(newest)) == (4, [("1", "label_talk")])
    assert drafts.draft_of(db_session, world.bilk.id, "menu") is None
    actions = db_session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("content_%"))).all()
    assert (actions.count("content_published"), actions.count("content_restored")) == (3, 1)


def test_discarding_a_draft_leaves_the_published_menu(login_as, world, db_session):
    web = login_as("begleitung")
    base = f"/admin/inhalte/{world.bilk.id}/menue"
    web.post(base, _menu())
    _publish(web, world.bilk.id)
    web.post(base, _menu(offered=("label_message",)))
    assert web.post(f"/admin/inhalte/{world.bilk.id}/entwurf/menu/verwerfen").status_code == 302
    assert _versions(db_session, world.bilk.id) == [(1, True)]
    assert drafts.draft_of(db_session, world.bilk.id, "menu") is None


def test_the_key_card_shows_the_published_menu_and_the_number(login_as, world, db_session):
    web = login_as("begleitung")
    base = f"/admin/inhalte/{world.bilk.id}"
    card = web.get(f"{base}/tastenkarte").get_data(as_text=True)
    assert "0221 4710100" in card
    for key, name in (("1", "Angebote"), ("2", "Neu hier"), ("3", "Nachricht"), ("4", "Gespräch"),
                      ("0", "Rückruf"), ("*", "Wiederholen"), ("9", "Hauptmenü")):
        assert f"<dt>{key}</dt><dd><strong>{name}</strong>" in card
    web.post(f"{base}/menue", _menu(offered=("label_message", "label_talk"),
                                    order=("label_talk", "label_message", "label_activities", "label_newcomers")))
    assert "<dt>2</dt><dd><strong>Neu hier</strong>" in web.get(f"{base}/tastenkarte").get_data(as_text=True)
    _publish(web, world.bilk.id)
    card = web.get(f"{base}/tastenkarte").get_data(as_text=True)
    assert "<dt>1</dt><dd><strong>Gespräch</strong>" in card
    assert "<dt>2</dt><dd><strong>Nachricht</strong>" in card
    assert "Angebote" not in card
    assert "key_card.css" in card


def _step(web, network_id: int, event: str, state: str = "", digits: str = "", fassung: str = "freigegeben"):
    response = web.post(f"/admin/inhalte/{network_id}/testanruf",
                        {"event": event, "state": state, "digits": digits, "fassung": fassung})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _said(step: dict) -> str:
    return " ".join(prompt["text"] for prompt in step["prompts"] if prompt["type"] == "say")


def test_the_test_call_steps_the_engine_with_the_line_s_content(login_as, world, db_session):
    make_activity(db_session, world.bilk, title="Tanztee", description="Mit Musik.",
                  starts_at=utcnow() + timedelta(days=2))
    db_session.commit()
    web = login_as("begleitung")
    start = _step(web, world.bilk.id, "start")
    assert "Guten Tag, hier ist die Anlaufstelle" in _said(start)
    assert "Für Angebote und Treffen drücken Sie die 1." in _said(start)
    assert (start["wait"], start["node"]) == ("keys", "main")
    assert {"type": "pause", "seconds": 1} in start["prompts"]
    offers = _step(web, world.bilk.id, "key", start["state"], "1")
    assert "Tanztee" in _said(offers)
    assert "Mit Musik." in _said(offers)
    silence = _step(web, world.bilk.id, "none", offers["state"])
    assert "Ich habe leider keine Eingabe gehört." in _said(silence)
    assert _step(web, world.bilk.id, "hangup", silence["state"])["wait"] == "end"


def test_recording_and_callback_are_simulated_and_nothing_is_stored(login_as, world, db_session):
    web = login_as("begleitung")
    requests_before = db_session.scalar(select(func.count()).select_from(CallbackRequest))
    step = _step(web, world.bilk.id, "start")
    step = _step(web, world.bilk.id, "key", step["state"], "3")
    assert "Wir nehmen Ihre Nachricht auf" in _said(step)
    step = _step(web, world.bilk.id, "key", step["state"], "1")
    assert step["wait"] == "record"
    assert any("Hier würde die Aufnahme beginnen" in note for note in step["notes"])
    step = _step(web, world.bilk.id, "key", step["state"], "#")
    assert "Vielen Dank für Ihre Nachricht." in _said(step)
    assert "endet auf" in _said(step)
    step = _step(web, world.bilk.id, "key", step["state"], "1")
    assert any("Hier würde ein Rückrufwunsch gespeichert" in note for note in step["notes"])
    assert "Wann passt Ihnen ein Anruf am besten?" in _said(step)
    step = _step(web, world.bilk.id, "key", step["state"], "1")
    assert step["wait"] == "end"
    assert "Hier würde die Wunschzeit „vormittags“ vermerkt." in step["notes"]
    assert db_session.scalar(select(func.count()).select_from(CallbackRequest)) == requests_before
    assert db_session.scalar(select(func.count()).select_from(Call)) == 0


def test_the_test_call_can_try_the_draft(login_as, world):
    web = login_as("begleitung")
    web.post(f"/admin/inhalte/{world.bilk.id}/menue", _menu(offered=("label_message",),
                                                            label_message="eine Nachricht an Berta"))
    assert "Für eine Nachricht an Berta drücken Sie die 1." in _said(_step(web, world.bilk.id, "start",
                                                                            fassung="entwurf"))
    assert "Für Angebote und Treffen drücken Sie die 1." in _said(_step(web, world.bilk.id, "start"))
    page = web.get(f"/admin/inhalte/{world.bilk.id}/testanruf?fassung=entwurf").get_data(as_text=True)
    assert 'data-version="entwurf"' in page
    assert "test_call.js" in page


@pytest.mark.parametrize(("event", "state", "digits"), [
    ("tanzen", "", ""), ("key", "kaputt!", "1"), ("key", "", "1; DROP"),
])
def test_the_test_call_refuses_what_the_line_would_never_send(login_as, world, event, state, digits):
    web = login_as("begleitung")
    if not state and event == "key":
        state = _step(web, world.bilk.id, "start")["state"]
    response = web.post(f"/admin/inhalte/{world.bilk.id}/testanruf",
                        {"event": event, "state": state, "digits": digits})
    assert response.status_code == 400
    assert "Bitte starten Sie neu" in response.get_json()["error"]


def test_the_admin_pages_may_run_static_scripts_only(login_as, world):
    response = login_as("begleitung").client.get(f"/admin/inhalte/{world.bilk.id}/testanruf")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.get_data(as_text=True)
