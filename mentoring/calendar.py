"""Meetings as an iCalendar file (RFC 5545) for any calendar application.

Written by hand: a handful of VEVENTs needs escaping, CRLF and line folding,
not a library.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from mentoring.models import Meeting

_UTC = "%Y%m%dT%H%M%SZ"


def _escape(text: str) -> str:
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue after CRLF and a space (§3.1),
    never splitting a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime(_UTC)


def meetings_ics(meetings: Iterable[Meeting], *, host: str = "nastavnik") -> str:
    """One VCALENDAR; each meeting is a VEVENT with a stable UID, so importing
    the file again updates the events instead of doubling them."""
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Nastavnik//Meetings//RU",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    for meeting in meetings:
        end = meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes)
        status = (
            "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(meeting.starts_at)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{_escape(meeting.get_kind_display() + ': ' + meeting.topic)}",
            f"DESCRIPTION:{_escape(meeting.get_format_display())}",
            f"STATUS:{status}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
