"""The time-zone pickers: a short list by region with today's offsets, not the whole tz
database; an older choice outside the list stays as it was."""

import re

from django.urls import reverse


def _options(body: str) -> list[str]:
    select = body[body.index('name="time_zone"') :]
    select = select[: select.index("</select>")]
    return re.findall(r'<option value="([^"]*)"', select)


def test_preferences_offer_a_short_list_grouped_by_region_with_offsets(client, member):
    client.force_login(member)
    body = client.get(reverse("teams:preferences")).content.decode()
    options = _options(body)
    assert "Europe/Helsinki" in options and "America/New_York" in options
    assert "Factory" not in options and "localtime" not in options
    assert len(options) < 100
    assert '<optgroup label="' in body
    assert re.search(r"Helsinki \(UTC\+0[23]:00\)", body)


def test_an_older_zone_outside_the_list_is_kept_when_saving(client, member):
    member.time_zone = "Asia/Yangon"
    member.save(update_fields=["time_zone"])
    client.force_login(member)
    body = client.get(reverse("teams:preferences")).content.decode()
    assert "Asia/Yangon" in _options(body)
    client.post(reverse("teams:preferences"), {"language": "fi", "time_zone": "Asia/Yangon"})
    member.refresh_from_db()
    assert member.time_zone == "Asia/Yangon"


def test_a_zone_that_does_not_exist_is_refused(client, member):
    client.force_login(member)
    client.post(reverse("teams:preferences"), {"language": "fi", "time_zone": "Factory/Nowhere"})
    member.refresh_from_db()
    assert member.time_zone == "Europe/Helsinki"
