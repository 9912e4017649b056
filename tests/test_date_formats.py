"""Dates are printed through Django's formats (config/formats/ru/formats.py),
never with a format string of their own: one place says how a date reads."""

import datetime
import re
from pathlib import Path

from django.utils.formats import date_format

ROOT = Path(__file__).resolve().parents[1]
# A date written by hand: strftime/f-string "%d.%m.%Y", template |date:"d.m.Y".
HAND_WRITTEN = re.compile(r"%d\.%m\.%Y|\|date:\"d\.m\.Y")
# Where a fixed format is meant: the formats themselves, data that is not
# printed (demo data and generators, migrations), and documents' file names
# (`FILE_DATE`).
FILE_NAMES = re.compile(r"^FILE_DATE = ")
FIXED = {
    "config/formats/ru/formats.py",
    "demo/data.py",
    "demo/management/commands/load_demo.py",
    "demo/management/commands/generate_district.py",
    "demo/roadmap.py",
    "demo/surveys.py",
}


def test_no_date_is_formatted_by_hand():
    offenders = []
    for folder in ("config", "mentoring", "roadmap", "surveys", "demo", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            name = path.relative_to(ROOT).as_posix()
            if (
                path.suffix not in (".py", ".html", ".txt")
                or name in FIXED
                or "/migrations/" in name
            ):
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if HAND_WRITTEN.search(line) and not FILE_NAMES.match(line):
                    offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == [], (
        "Use date_format(day, 'SHORT_DATE_FORMAT') or |date:'SHORT_DATE_FORMAT'"
    )


def test_a_day_of_a_month_reads_in_the_genitive():
    # The admin's drill-down over a list by date (date_hierarchy) names days so.
    assert date_format(datetime.date(2026, 10, 12), "MONTH_DAY_FORMAT") == (
        "12 октября"
    )
