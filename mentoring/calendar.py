"""Meetings as an iCalendar file (RFC 5545) for any calendar application.

Built with the icalendar library: it escapes, folds and ends lines as the
standard says. A topic typed before control characters were refused may
still hold one; a lone carriage return read by a lenient calendar as a line
end would start a property or an event of the topic's choosing, so line
breaks become the escaped `\\n` and other control characters go.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from mentoring.models import Meeting

_LINE_BREAK = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _text(value: str) -> str:
    lines = _LINE_BREAK.sub("\n", str(value))
    return "".join(
        char for char in lines if char == "\n" or unicodedata.category(char) != "Cc"
    )


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def meetings_ics(meetings: Iterable[Meeting], *, host: str = "nastavnik") -> str:
    """One VCALENDAR; each meeting is a VEVENT with a stable UID, so importing
    the file again updates the events instead of doubling them."""
    stamp = _utc(timezone.now())
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//Nastavnik//Meetings//RU")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        end = meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes)
        event = Event()
        event.add("uid", _text(f"meeting-{meeting.pk}@{host}"))
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(meeting.starts_at))
        event.add("dtend", _utc(end))
        event.add("summary", _text(f"{meeting.get_kind_display()}: {meeting.topic}"))
        event.add("description", _text(meeting.get_format_display()))
        cancelled = meeting.status == Meeting.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
