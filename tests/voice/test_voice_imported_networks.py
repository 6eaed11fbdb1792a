"""Networks imported from a spreadsheet answer on the phone, and a deactivated one answers as the city line."""

from __future__ import annotations

from sqlalchemy import select

from hotline.models import Call, Network

from tests.voice_support import CITY_LINE

TABLE = (
    "slug;name;phone_numbers;stadtteile;postal_codes;office_hours\n"
    "flingern;Netzwerk Flingern;0211 5550100;Flingern-Nord | Flingern-Süd;40233 | 40235;Di 10:00-12:00\n"
    "hamm;Netzwerk Hamm;0211 5550200;Hamm;40221;Mi 10:00-12:00\n"
)
FLINGERN_LINE = "+492115550100"


def _import(runner, tmp_path) -> None:
    path = tmp_path / "netzwerke.csv"
    path.write_text(TABLE, encoding="utf-8")
    result = runner.invoke(args=["networks", "import", str(path)])
    assert result.exit_code == 0, result.output


def test_a_call_to_an_imported_number_hears_that_networks_line(runner, tmp_path, phone, db_session):
    _import(runner, tmp_path)
    call = phone(to=FLINGERN_LINE).dial()
    assert call.text.startswith("Guten Tag, hier ist die Anlaufstelle Flingern-Nord.")
    db_session.expire_all()
    flingern = db_session.scalar(select(Network).where(Network.slug == "flingern"))
    assert db_session.scalar(select(Call.network_id)) == flingern.id


def test_the_city_line_routes_an_imported_postal_code_to_its_network(runner, tmp_path, phone, db_session):
    _import(runner, tmp_path)
    call = phone(to=CITY_LINE).dial().press("40221")
    assert "Sie sind jetzt bei der Anlaufstelle Hamm." in call.text
    db_session.expire_all()
    hamm = db_session.scalar(select(Network).where(Network.slug == "hamm"))
    assert db_session.scalar(select(Call.network_id)) == hamm.id


def test_a_deactivated_network_answers_as_the_city_line_until_reactivated(runner, tmp_path, phone, db_session):
    _import(runner, tmp_path)
    flingern = db_session.scalar(select(Network).where(Network.slug == "flingern"))
    flingern.active = False
    db_session.commit()

    call = phone(to=FLINGERN_LINE).dial()
    assert call.text.startswith("Guten Tag, hier ist das Telefon der Netzwerke in Düsseldorf.")
    call.press("40233")  # its own postal code: the city line no longer routes to it
    assert "Anlaufstelle Flingern" not in call.text
    assert [n.e164 for n in flingern.phone_numbers] == [FLINGERN_LINE]  # nothing was deleted

    flingern.active = True
    db_session.commit()
    call = phone(to=FLINGERN_LINE).dial()
    assert call.text.startswith("Guten Tag, hier ist die Anlaufstelle Flingern-Nord.")
