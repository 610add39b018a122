"""INQUIRY_DUE_DAYS sets the default due date."""
import datetime

import pytest

from stintranet.inquiries.models import Inquiry
from stintranet.timezone import today_local
from tests.inquiries.test_views import new_data


@pytest.fixture
def app_config():
    return {'INQUIRY_DUE_DAYS': 3}


def test_due_days_follow_the_setting(client, signed_in):
    """Is an inquiry due INQUIRY_DUE_DAYS after receipt, unless a due date is given?"""
    client.post('/inquiries/new', data=new_data())
    assert Inquiry.get().due_on == today_local() + datetime.timedelta(days=3)
    day = (today_local() + datetime.timedelta(days=20)).isoformat()
    client.post('/inquiries/new', data=new_data(due_on=day))
    assert Inquiry.select().order_by(Inquiry.id.desc()).first().due_on.isoformat() == day
