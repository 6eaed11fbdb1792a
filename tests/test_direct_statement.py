"""Statements run straight on the DBAPI cursor write and read what the ORM would."""

from datetime import UTC, datetime

from sqlalchemy import Integer, bindparam, insert, literal, select

from hotline.db import DirectStatement, UTCDateTime
from hotline.models import Call

_calls = Call.__table__
_INSERT_CALL = DirectStatement(lambda _dialect: insert(_calls).values(
    call_sid=bindparam("call_sid"), to_number=bindparam("to_number"), status=bindparam("status"),
    started_at=bindparam("started_at", type_=UTCDateTime()),
).returning(_calls.c.id))


def test_an_aware_datetime_written_directly_reads_back_through_the_orm(db_session):
    started = datetime(2026, 12, 3, 14, 5, 6, 789000, tzinfo=UTC)
    [call_id] = _INSERT_CALL.first(db_session, {
        "call_sid": "CA" + "d" * 32, "to_number": "+492214710100", "status": "in-progress", "started_at": started})
    call = db_session.get(Call, call_id)
    assert (call.call_sid, call.started_at, call.status) == ("CA" + "d" * 32, started, "in-progress")


def test_literals_of_the_statement_are_bound_with_the_given_values(db_session):
    add = DirectStatement(lambda _dialect: select(literal(40, Integer) + bindparam("more", type_=Integer) + 1))
    assert add.first(db_session, {"more": 2}) == (43,)


def test_a_statement_without_rows_returns_none(db_session):
    started = datetime(2026, 12, 3, 9, tzinfo=UTC)
    no_rows = DirectStatement(lambda _dialect: insert(_calls).values(
        call_sid=bindparam("call_sid"), to_number="+492214710100", status="in-progress",
        started_at=bindparam("started_at", type_=UTCDateTime())).inline())
    assert no_rows.first(db_session, {"call_sid": "CA" + "e" * 32, "started_at": started}) is None
    assert db_session.scalar(select(Call.started_at).where(Call.call_sid == "CA" + "e" * 32)) == started
