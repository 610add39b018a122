"""Conversions between the office's zone (Asia/Tokyo) and stored UTC."""
import datetime
from zoneinfo import ZoneInfo

from flask import current_app


def office_zone():
    return ZoneInfo(current_app.config['TIMEZONE'])


def local_date_to_utc(day):
    """Midnight of ``day`` in the office's zone, as naive UTC (None stays None)."""
    if day is None:
        return None
    local = datetime.datetime.combine(day, datetime.time(), tzinfo=office_zone())
    return local.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def today_local():
    return datetime.datetime.now(office_zone()).date()
