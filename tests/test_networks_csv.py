"""`hotline networks import/export`: networks by spreadsheet, all rows or none, on an install with no demo."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hotline.models import AuditEvent, Network, OfficeHours, PhoneNumber

from tests.factories import make_line_number, make_network

HEADER = "slug;name;phone_numbers;stadtteile;address;forwarding_number;postal_codes;office_hours"
TWO_NETWORKS = "\n".join([
    HEADER,
    "flingern;Netzwerk Flingern;0211 5550100 | +49 211 5550102;Flingern-Nord | flingern-süd;Ackerstraße 1;"
    "0211 5550101;40233 | 40235;Mo 10:00-12:00 | Do 14:00-16:00",
    "hamm;Netzwerk Hamm;+492115550200;Hamm;Hammer Dorfstraße 5;;40221;Di 9:00-11:30",
]) + "\n"


@pytest.fixture
def csv_file(tmp_path):
    """Write a CSV file (text, encoding) and return its path."""

    def write(text: str, encoding: str = "utf-8", name: str = "netzwerke.csv"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


def _networks(db_session) -> dict[str, Network]:
    db_session.expire_all()
    return {network.slug: network for network in db_session.scalars(select(Network))}


def _rows_written(db_session) -> tuple[int, int, int]:
    return tuple(db_session.scalar(select(func.count()).select_from(model))
                 for model in (Network, PhoneNumber, OfficeHours))


def test_two_networks_import_and_a_second_import_changes_nothing(runner, db_session, csv_file):
    path = csv_file(TWO_NETWORKS)
    first = runner.invoke(args=["networks", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == ["neu: flingern", "neu: hamm", "2 neu, 0 geändert, 0 unverändert."]
    networks = _networks(db_session)
    flingern = networks["flingern"]
    assert [number.e164 for number in flingern.phone_numbers] == ["+492115550100", "+492115550102"]
    assert (flingern.stadtteile, flingern.postal_codes) == (["Flingern-Nord", "Flingern-Süd"], ["40233", "40235"])
    assert (flingern.address, flingern.forwarding_number) == ("Ackerstraße 1", "+492115550101")
    assert [(h.weekday, h.opens, h.closes) for h in flingern.office_hours] == [
        (0, time(10), time(12)), (3, time(14), time(16))]
    assert networks["hamm"].forwarding_number is None
    audited = db_session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.object_type == "network"))

    second = runner.invoke(args=["networks", "import", str(path)])
    assert second.exit_code == 0, second.output
    assert second.output.splitlines() == [
        "unverändert: flingern", "unverändert: hamm",
        "Keine Änderungen: alle Netzwerke sind schon so wie in der Datei."]
    assert db_session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.object_type == "network")) == audited == 2


def test_two_rows_sharing_a_number_are_refused_and_nothing_is_written(runner, db_session, csv_file):
    path = csv_file(TWO_NETWORKS.replace("+492115550200", "0211 5550102"))
    result = runner.invoke(args=["networks", "import", str(path)])
    assert result.exit_code == 1
    assert ("netzwerke.csv, Zeile 3, Spalte phone_numbers: Die Nummer 0211 5550102 steht schon in Zeile 2 "
            "(flingern).") in result.output
    assert "1 Fehler; nichts wurde geändert." in result.output
    assert _rows_written(db_session) == (0, 0, 0)


def test_a_bom_and_comma_delimiter_are_accepted(runner, db_session, csv_file):
    text = ('slug,phone_numbers,name,stadtteile\n'
            'flingern,"0211 5550100 | 0211 5550102","Netzwerk Flingern, Nord",Flingern-Nord\n')
    result = runner.invoke(args=["networks", "import", str(csv_file(text, "utf-8-sig"))])
    assert result.exit_code == 0, result.output
    assert _networks(db_session)["flingern"].name == "Netzwerk Flingern, Nord"


def test_a_file_that_is_not_utf8_is_refused(runner, db_session, csv_file):
    result = runner.invoke(args=["networks", "import", str(csv_file(TWO_NETWORKS, "cp1252"))])
    assert result.exit_code == 1
    assert "keine UTF-8-Datei" in result.output
    assert _rows_written(db_session) == (0, 0, 0)


def test_every_error_is_named_with_file_row_and_column(runner, db_session, csv_file):
    holder = make_network(db_session, slug="bilk", name="Netzwerk Bilk")
    make_line_number(db_session, holder, "+492115550200")
    db_session.commit()
    text = "\n".join([
        HEADER,
        "flingern;Netzwerk Flingern;0211 5550100;Flingern-Nord | Schickeria;;;40233;Mo 10:00-12:00",
        "hamm;Netzwerk Hamm;0211 5550200;Hamm;;;40221;Dienstag 9-11",
        "flingern;;0211 5550300;;;;4022;",
    ])
    result = runner.invoke(args=["networks", "import", str(csv_file(text))])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:-1] == [
        "netzwerke.csv, Zeile 2, Spalte stadtteile: „Schickeria“ ist kein Düsseldorfer Stadtteil.",
        "netzwerke.csv, Zeile 3, Spalte office_hours: „Dienstag 9-11“ ist keine Sprechzeit wie „Mo 10:00-12:00“ "
        "(Wochentage: Mo Di Mi Do Fr Sa So).",
        "netzwerke.csv, Zeile 3, Spalte phone_numbers: Die Nummer 0211 5550200 gehört schon zum Netzwerk "
        "„Netzwerk Bilk“ (bilk).",
        "netzwerke.csv, Zeile 4, Spalte name: Darf nicht leer sein.",
        "netzwerke.csv, Zeile 4, Spalte postal_codes: „4022“ ist keine Postleitzahl (fünf Ziffern).",
        "netzwerke.csv, Zeile 4, Spalte slug: „flingern“ steht schon in Zeile 2.",
    ]
    assert _rows_written(db_session) == (1, 1, 0)


def test_a_duplicate_slug_is_named(runner, db_session, csv_file):
    text = "slug;name;phone_numbers\nhamm;Hamm;0211 5550100\nhamm;Hamm;0211 5550101\n"
    result = runner.invoke(args=["networks", "import", str(csv_file(text))])
    assert "netzwerke.csv, Zeile 3, Spalte slug: „hamm“ steht schon in Zeile 2." in result.output
    assert result.exit_code == 1


def test_unknown_and_missing_columns_are_named_in_the_header(runner, db_session, csv_file):
    text = "slug;name;telefon\nhamm;Hamm;0211 5550100\n"
    result = runner.invoke(args=["networks", "import", str(csv_file(text))])
    assert result.exit_code == 1
    assert "netzwerke.csv, Zeile 1, Spalte telefon: Unbekannte Spalte." in result.output
    assert "netzwerke.csv, Zeile 1, Spalte phone_numbers: Die Pflichtspalte fehlt." in result.output
    assert _rows_written(db_session) == (0, 0, 0)


def test_dry_run_shows_the_changes_and_writes_nothing(runner, db_session, csv_file):
    runner.invoke(args=["networks", "import", str(csv_file(TWO_NETWORKS))])
    edited = TWO_NETWORKS.replace("Ackerstraße 1", "Ackerstraße 3").replace("Di 9:00-11:30", "Di 9:00-12:00")
    edited += "benrath;Netzwerk Benrath;0211 5550300\n"
    result = runner.invoke(args=["networks", "import", "--dry-run", str(csv_file(edited))])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "geändert: flingern: address", "geändert: hamm: office_hours", "neu: benrath",
        "Probelauf: nichts wurde geschrieben."]
    networks = _networks(db_session)
    assert (sorted(networks), networks["flingern"].address) == (["flingern", "hamm"], "Ackerstraße 1")


def test_export_edit_import_round_trips(runner, db_session, csv_file, tmp_path):
    runner.invoke(args=["networks", "import", str(csv_file(TWO_NETWORKS))])
    make_network(db_session, slug="alt", name="Altes Netzwerk", active=False)
    db_session.commit()
    exported = tmp_path / "export.csv"
    result = runner.invoke(args=["networks", "export", str(exported)])
    assert result.output == f"2 Netzwerke geschrieben: {exported}\n"
    raw = exported.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    assert "alt;" not in raw.decode("utf-8-sig")
    assert runner.invoke(args=["networks", "import", str(exported)]).output.endswith("Keine Änderungen: alle "
                                                                                     "Netzwerke sind schon so "
                                                                                     "wie in der Datei.\n")
    edited = csv_file(raw.decode("utf-8-sig").replace("Hammer Dorfstraße 5", "Hammer Dorfstraße 7"), "utf-8-sig")
    assert "geändert: hamm: address" in runner.invoke(args=["networks", "import", str(edited)]).output
    assert _networks(db_session)["hamm"].address == "Hammer Dorfstraße 7"
    assert runner.invoke(args=["networks", "export"]).output.splitlines() == \
        raw.decode("utf-8-sig").replace("Hammer Dorfstraße 5", "Hammer Dorfstraße 7").splitlines()


def test_the_bare_command_lists_numbers_in_e164_and_marks_deactivated_networks(runner, db_session, csv_file):
    runner.invoke(args=["networks", "import", str(csv_file(TWO_NETWORKS))])
    db_session.scalar(select(Network).where(Network.slug == "hamm")).active = False
    db_session.commit()
    assert runner.invoke(args=["networks"]).output.splitlines() == [
        "flingern\tNetzwerk Flingern\t+492115550100 +492115550102",
        "hamm\tNetzwerk Hamm\t+492115550200\tdeaktiviert",
    ]


def test_the_readme_example_imports(runner, db_session, csv_file):
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    example = readme.split("```csv\n", 1)[1].split("```", 1)[0]
    result = runner.invoke(args=["networks", "import", str(csv_file(example))])
    assert result.exit_code == 0, result.output
    assert sorted(_networks(db_session)) == ["flingern", "hamm"]
