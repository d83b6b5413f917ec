"""A short list of the time zones people live in, grouped by region, each with its offset now,
instead of every name in the tz database ("Factory", "localtime", old aliases...)."""

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _in(area: str, cities: str) -> list[str]:
    return [f"{area}/{city}" for city in cities.split()]


REGIONS = [
    (
        _("Europe"),
        _in(
            "Europe",
            "London Dublin Lisbon Amsterdam Berlin Brussels Copenhagen Madrid Oslo Paris Prague "
            "Rome Stockholm Vienna Warsaw Zurich Athens Bucharest Helsinki Kyiv Riga Tallinn "
            "Vilnius Istanbul Moscow",
        )
        + ["Atlantic/Reykjavik"],
    ),
    (
        _("Americas"),
        _in(
            "America",
            "Anchorage Los_Angeles Vancouver Denver Phoenix Chicago Mexico_City New_York Toronto "
            "Bogota Lima Halifax Santiago Argentina/Buenos_Aires Sao_Paulo St_Johns",
        ),
    ),
    (_("Africa"), _in("Africa", "Casablanca Lagos Accra Cairo Johannesburg Nairobi")),
    (
        _("Asia"),
        _in(
            "Asia",
            "Jerusalem Riyadh Dubai Tehran Karachi Kolkata Kathmandu Dhaka Bangkok Ho_Chi_Minh "
            "Jakarta Kuala_Lumpur Singapore Manila Hong_Kong Shanghai Taipei Seoul Tokyo",
        ),
    ),
    (
        _("Australia and the Pacific"),
        _in("Australia", "Perth Adelaide Brisbane Sydney Melbourne")
        + ["Pacific/Auckland", "Pacific/Honolulu"],
    ),
]


def _offset(zone: str, at: dt.datetime) -> str:
    seconds = int(at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset().total_seconds())
    sign, seconds = ("+" if seconds >= 0 else "−"), abs(seconds)
    return f"UTC{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def label(zone: str, at: dt.datetime | None = None) -> str:
    """`Helsinki (UTC+02:00)`: the city and the offset at `at` (now)."""
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} ({_offset(zone, at or timezone.now())})"


def choices(current: str | None = None) -> list:
    """Grouped choices, each region's zones from west to east; `current`, if not listed (an
    older choice), is kept under its own name so saving a form does not change it."""
    now = timezone.now()
    grouped = [("UTC", "UTC")]
    listed = {"UTC"}
    for region, zones in REGIONS:
        zones = sorted(zones, key=lambda z: now.astimezone(zoneinfo.ZoneInfo(z)).utcoffset())
        grouped.append((region, [(zone, label(zone, now)) for zone in zones]))
        listed.update(zones)
    if current and current not in listed and current in zoneinfo.available_timezones():
        grouped.append((_("Other"), [(current, current)]))
    return grouped


class TimeZoneSelect(forms.Select):
    def get_context(self, name, value, attrs):
        # Built at each render: offsets as of now, and the form's own value listed.
        self.choices = choices(value if isinstance(value, str) else None)
        return super().get_context(name, value, attrs)


class TimeZoneField(forms.ChoiceField):
    """Shows the curated list (plus the form's value if it is not on it); accepts any real
    zone, so an older choice stays valid."""

    widget = TimeZoneSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Time zone"))
        super().__init__(choices=choices, **kwargs)

    def valid_value(self, value) -> bool:
        return value in zoneinfo.available_timezones()
