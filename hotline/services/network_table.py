"""Networks as a spreadsheet (CSV text): read and check a whole table, or write one.

All or nothing: a table is checked completely (every cell, numbers across rows and against the
networks already stored) before anything is written, and every error names its row and column.
The caller reads and writes the file; this module sees only its text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.services.networks import (
    FIELDS,
    REQUIRED,
    Change,
    NetworkSpec,
    SpecError,
    fields_of,
    networks_by_slug,
    numbers_taken,
    parse_phone_numbers,
    plan_changes,
    spec_from_fields,
    spec_of,
)
from hotline.services.numbers import written

DELIMITERS = (";", ",")
# Excel in German locales reads and writes ";" (the "," is the decimal comma there).
EXPORT_DELIMITER = ";"


@dataclass(frozen=True)
class TableError:
    """What is wrong in the table; row is the spreadsheet's row number (the header is row 1)."""

    row: int
    column: str | None
    message: str

    def describe(self, filename: str) -> str:
        """The error as the coordinator reads it, with file, row and column."""
        column = f", Spalte {self.column}" if self.column else ""
        return f"{filename}, Zeile {self.row}{column}: {self.message}"


@dataclass(frozen=True)
class TablePlan:
    """A checked table: the specs in row order and what they change, or the errors."""

    specs: tuple[NetworkSpec, ...]
    changes: tuple[Change, ...]
    errors: tuple[TableError, ...]


def read_table(session: Session, text: str) -> TablePlan:
    """Check a CSV table of networks against itself and the stored networks; change nothing."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    delimiter = next((d for d in DELIMITERS if lines and d in lines[0]), DELIMITERS[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    errors = _header_errors(header)
    if errors:
        return TablePlan((), (), tuple(errors))
    existing = networks_by_slug(session)
    rows: list[tuple[int, NetworkSpec]] = []
    # Every row's slug and numbers, also of rows in error, so clashes are found in the same run.
    claims: list[tuple[int, NetworkSpec]] = []
    for cells in reader:
        row = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets like to end a table with empty rows
        if len(cells) > len(header):
            errors.append(TableError(row, None, f"{len(cells)} Zellen, aber nur {len(header)} Spalten."))
            continue
        values = dict(zip(header, [cell.strip() for cell in cells] + [""] * (len(header) - len(cells)),
                          strict=True))
        current = existing.get(values["slug"])
        try:
            spec = spec_from_fields(values, spec_of(current) if current else None)
            rows.append((row, spec))
        except SpecError as error:
            errors.extend(TableError(row, field.field, field.message) for field in error.errors)
            spec = _claim(values)
        claims.append((row, spec))
    errors.extend(_clashes(claims))
    errors.extend(TableError(claims[index][0], field.field, field.message)
                  for index, field in numbers_taken(session, [claim for _row, claim in claims]))
    specs = [spec for _row, spec in rows]
    if not rows and not errors:
        errors.append(TableError(2, None, "Die Tabelle enthält kein Netzwerk."))
    if errors:
        return TablePlan((), (), tuple(sorted(errors, key=lambda error: error.row)))
    return TablePlan(tuple(specs), tuple(plan_changes(session, specs)), ())


def write_table(specs: Iterable[NetworkSpec]) -> str:
    """A CSV table (`;`, every column, one network a row) that read_table reads back unchanged."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=EXPORT_DELIMITER, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for spec in specs:
        fields = fields_of(spec)
        writer.writerow([fields[name] for name in FIELDS])
    return out.getvalue()


def _header_errors(header: list[str]) -> list[TableError]:
    errors = [TableError(1, name or f"{index + 1}. Spalte", f"Unbekannte Spalte. Erlaubt: {', '.join(FIELDS)}.")
              for index, name in enumerate(header) if name not in FIELDS]
    errors += [TableError(1, name, "Die Spalte kommt mehrmals vor.")
               for name in sorted({name for name in header if header.count(name) > 1})]
    errors += [TableError(1, name, "Die Pflichtspalte fehlt.") for name in REQUIRED if name not in header]
    return errors


def _claim(values: dict[str, str]) -> NetworkSpec:
    """The slug and the well-formed numbers of a row in error (its other cells are left empty)."""
    try:
        numbers = parse_phone_numbers(values["phone_numbers"])
    except ValueError:
        numbers = ()
    return NetworkSpec(slug=values["slug"], name="", phone_numbers=numbers)


def _clashes(rows: list[tuple[int, NetworkSpec]]) -> list[TableError]:
    """A slug or a number given in two rows: the later row is in error."""
    errors = []
    slug_rows: dict[str, int] = {}
    number_rows: dict[str, tuple[int, str]] = {}
    for row, spec in rows:
        if spec.slug in slug_rows:
            errors.append(TableError(row, "slug", f"„{spec.slug}“ steht schon in Zeile {slug_rows[spec.slug]}."))
            continue
        slug_rows[spec.slug] = row
        for number in spec.phone_numbers:
            if number in number_rows:
                first_row, slug = number_rows[number]
                errors.append(TableError(row, "phone_numbers", f"Die Nummer {written(number)} steht schon "
                                                               f"in Zeile {first_row} ({slug})."))
            else:
                number_rows[number] = (row, spec.slug)
    return errors
