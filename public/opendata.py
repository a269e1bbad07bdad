"""Open-data renderings: JSON, CSV, iCalendar; every file says its licence and time."""

import csv
import io
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone

LICENCE = {"name": "Creative Commons Attribution 4.0 (CC BY 4.0)", "url": "https://creativecommons.org/licenses/by/4.0/"}
MAX_ROWS = 10000


def as_json(payload: dict, filename: str) -> HttpResponse:
    body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def envelope(council: dict | None, dataset: str, items: list[dict]) -> dict:
    return {
        "dataset": dataset,
        "council": {"name": council["name"], "code": council["code"]} if council else None,
        "licence": LICENCE,
        "generated_at": timezone.now(),
        "count": len(items),
        "items": items,
    }


def as_csv(rows: list[dict], columns: list[str], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that spreadsheet programs read the Vietnamese text as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


# --- iCalendar (RFC 5545), written by hand: a few fields, no dependency ---------------------------


def _escape(text: str) -> str:
    return (str(text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(day: date, at: time) -> str:
    local = datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def ical(name: str, events: list[dict], filename: str) -> HttpResponse:
    """events: uid, summary, location, description, url, and either day_start/day_end (all-day,
    inclusive) or day, start, end (local times)."""
    stamp = timezone.now().astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//HDND Portal//Cong khai//VI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}", f"X-WR-TIMEZONE:{settings.TIME_ZONE}"]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event['uid']}", f"DTSTAMP:{stamp}"]
        if "day_start" in event:
            lines.append(f"DTSTART;VALUE=DATE:{event['day_start']:%Y%m%d}")
            lines.append(f"DTEND;VALUE=DATE:{event['day_end'] + timedelta(days=1):%Y%m%d}")
        else:
            lines.append(f"DTSTART:{_utc(event['day'], event['start'])}")
            lines.append(f"DTEND:{_utc(event['day'], event['end'])}")
        lines.append(f"SUMMARY:{_escape(event['summary'])}")
        if event.get("location"):
            lines.append(f"LOCATION:{_escape(event['location'])}")
        if event.get("description"):
            lines.append(f"DESCRIPTION:{_escape(event['description'])}")
        if event.get("url"):
            lines.append(f"URL:{event['url']}")
        if event.get("cancelled"):
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    body = "\r\n".join(_fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response
