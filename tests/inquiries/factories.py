"""Inquiries with keyword defaults, recorded through the services as the Customer Center
would."""
import datetime

from stintranet.inquiries import services
from stintranet.timezone import today_local
from tests import factories


def cc_user():
    return factories.make_user(roles=('employee', 'customer_center'), department='CC')


def make_inquiry(actor=None, *, kind='inquiry', channel='phone', category='policy',
                 subject='About the privacy policy', name='Hanako Sato',
                 contact='090-0000-1122', content='What changed in the policy?',
                 received=None, due_on=None, hour=10):
    actor = actor or cc_user()
    received = received or today_local()
    return services.create({
        'kind': kind, 'channel': channel, 'category': category, 'subject': subject,
        'contact_name': name, 'contact_details': contact, 'content': content,
        'received_local': datetime.datetime.combine(received, datetime.time(hour)),
        'due_on': due_on}, actor)


def answer(inquiry, actor, on=None, text='Explained by telephone.'):
    return services.answer(inquiry, text, on or today_local(), inquiry.version, actor)
