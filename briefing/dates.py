"""Which days an episode may carry: refused up front, not half-way through publishing it."""

from __future__ import annotations

import datetime as dt

from briefing.errors import DateError

# Feeds, file times and podcast apps count from the Unix epoch: an older date cannot be
# published whole (year 1 overflowed in the retention maths after the MP3 was written).
EARLIEST = dt.date(1970, 1, 1)
# A day ahead covers every time zone and a briefing made the evening before; further
# ahead is a typo, and dated episodes decide what retention keeps.
FUTURE_DAYS = 1


def check_date(day: dt.date, *, force: bool = False, today: dt.date | None = None) -> dt.date:
    """`day` if an episode may be dated so; DateError (exit 2) says which days may."""
    today = today or dt.date.today()
    if day < EARLIEST:
        raise DateError(f"--date {day.isoformat()} is before {EARLIEST.isoformat()}: "
                        "give a date from 1970 on")
    if day > today + dt.timedelta(days=FUTURE_DAYS) and not force:
        raise DateError(f"--date {day.isoformat()} is more than a day after today "
                        f"({today.isoformat()}): give today's date or an earlier one, or add "
                        "--force to date it ahead anyway")
    return day
