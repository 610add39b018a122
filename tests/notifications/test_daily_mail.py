"""The daily job's mail: reminders go out by SMTP once per event and day, and no message
carries personal data."""
import datetime
import json
import re

from stintranet import seed
from stintranet.auth.models import User
from stintranet.disclosure.models import DisclosureRequest
from stintranet.incidents.models import Incident
from stintranet.notifications.models import Notification, OutboxMessage
from stintranet.timezone import today_local
from tests.disclosure.factories import make_request
from tests.incidents.factories import make_incident

PASSWORD = 'Demo-password-for-tests-2026'


def run_jobs(runner, day):
    result = runner.invoke(args=['jobs', 'run', '--today', day.isoformat()])
    assert result.exit_code == 0, result.output
    return result


def test_job_sends_mail_through_smtp_once_per_day(app, runner, smtp):
    """Does the daily job send its reminders by SMTP, nothing again on a second run the same day, and on the next day only the day-keyed ones again?"""
    seed.seed_demo(PASSWORD)
    today = today_local()
    run_jobs(runner, today)
    first_keys = {(n.user_id, n.key) for n in Notification.select()}
    sent = len(smtp.messages)
    assert sent > 0
    assert sent == OutboxMessage.select().where(OutboxMessage.status == 'sent').count()
    assert sent == Notification.select().count()
    run_jobs(runner, today)
    assert Notification.select().count() == len(first_keys)
    assert len(smtp.messages) == sent
    tomorrow = today + datetime.timedelta(days=1)
    run_jobs(runner, tomorrow)
    again = [(n.user_id, n.key) for n in Notification.select()
             if (n.user_id, n.key) not in first_keys]
    events_of_day_one = {key.rsplit(':', 1)[0] for _, key in first_keys}
    for _, key in again:
        # a repeat of a day-one event is keyed with the new day
        event, last = key.rsplit(':', 1)
        if event in events_of_day_one and re.fullmatch(r'\d{4}-\d{2}-\d{2}', last):
            assert last == tomorrow.isoformat(), key
    assert any(key.endswith(tomorrow.isoformat()) for _, key in again)
    assert len(smtp.messages) == sent + len(again)


def test_no_personal_data_in_any_message(app, runner, smtp):
    """Do notifications and mails carry no requester's identity, incident narrative or reporter name?"""
    seed.seed_demo(PASSWORD)
    make_request(name='Kazuko Shimizu', requester_email='kazuko@example.net',
                 received_on=today_local() - datetime.timedelta(days=12))
    make_incident(narrative='Ms Fujiwara lost the payroll binder on the Yamanote line.',
                  reporter=User.get(User.email == seed.demo_email('bob')))
    for day in range(3):
        run_jobs(runner, today_local() + datetime.timedelta(days=day * 10))
    texts = [n.subject + '\n' + n.body + '\n' + n.link for n in Notification.select()]
    texts += [m.subject + '\n' + m.body for m in OutboxMessage.select()]
    texts += smtp.texts()
    assert len(smtp.messages) > 5
    forbidden = set()
    for req in DisclosureRequest.select():
        for value in (req.requester_name, req.requester_address, req.requester_email,
                      req.requester_phone, req.proxy_name):
            if value:
                forbidden.add(value)
    for incident in Incident.select():
        forbidden.add(incident.narrative[:40])
        identity = json.loads(incident.reporter_identity or '{}')
        forbidden.update({identity.get('name'), identity.get('email')})
    forbidden.update({'Kazuko Shimizu', 'kazuko@example.net', 'Fujiwara'})
    blob = '\n'.join(texts)
    leaked = [value for value in forbidden if value and value in blob]
    assert not leaked
