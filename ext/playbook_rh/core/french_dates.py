"""Dates written the French way: ``1er décembre 2026``, ``mars 2024``, ``2015``.

Written by hand because it is ours: Python's ``strftime`` follows the machine's locale
(which a build machine rarely has in French) and knows nothing of ``1er``.
"""

from __future__ import annotations

import datetime
import re

#: A date as the playbook's sources and fields write it: YYYY, YYYY-MM or YYYY-MM-DD.
PARTIAL_DATE = re.compile(
    r"^(?P<year>[12][0-9]{3})(?:-(?P<month>0[1-9]|1[0-2])(?:-(?P<day>[0-3][0-9]))?)?$"
)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def french_day(day: datetime.date) -> str:
    """``2026-12-01`` -> ``1er décembre 2026``."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def french_date(value: str) -> str:
    """``2013-11-29`` -> ``29 novembre 2013``; ``2024-03`` -> ``mars 2024``; ``2015``
    stays ``2015``; anything else is returned as it is."""
    match = PARTIAL_DATE.match(value)
    if match is None:
        return value
    year, month, day = match["year"], match["month"], match["day"]
    if day:
        try:
            return french_day(datetime.date(int(year), int(month), int(day)))
        except ValueError:
            return value
    if month:
        return f"{MONTHS[int(month) - 1]} {year}"
    return year


def date_problem(value: str) -> str | None:
    """What is wrong with a date written YYYY, YYYY-MM or YYYY-MM-DD, or None: the
    pattern lets ``2024-02-30`` through, the calendar does not."""
    match = PARTIAL_DATE.match(value)
    if match is None:
        return "is not YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = int(match["year"]), match["month"], match["day"]
    if day:
        try:
            datetime.date(year, int(month), int(day))
        except ValueError:
            return f"is no real day: {MONTHS[int(month) - 1]} {year} has no day {int(day)}"
    return None


def first_day(value: str) -> datetime.date:
    """The first day a valid partial date covers: ``2024-03`` -> 1 March 2024."""
    year, _, rest = value.partition("-")
    month, _, day = rest.partition("-")
    return datetime.date(int(year), int(month or 1), int(day or 1))
