"""Ids and page numbers beyond the database's integer range are not found, never a server error."""

from __future__ import annotations

import pytest

HUGE = "9223372036854775808"  # one more than the largest 64-bit integer


@pytest.mark.parametrize("path", [
    f"/admin/rueckrufe/{HUGE}",
    f"/admin/rueckrufe/{HUGE}/nachricht",
    "/admin/rueckrufe/2147483648",
    f"/admin/personen/{HUGE}",
    f"/admin/inhalte/{HUGE}",
    f"/admin/protokoll?seite={HUGE}",
])
def test_ids_beyond_the_integer_range_are_not_found(login_as, path):
    assert login_as("admin").get(path).status_code == 404


@pytest.mark.parametrize("page", ["abc", "-3", "0", ""])
def test_a_junk_page_number_shows_the_first_page(login_as, page):
    assert login_as("admin").get(f"/admin/protokoll?seite={page}").status_code == 200


def test_a_post_to_an_id_beyond_the_range_is_not_found(login_as):
    assert login_as("admin").post(f"/admin/rueckrufe/{HUGE}/uebernehmen").status_code == 404
