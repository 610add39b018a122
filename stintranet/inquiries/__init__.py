"""Inquiries and complaints at /inquiries/ (APPI Art. 40: prompt and appropriate handling).

The Customer Center records and answers each one, with a due date and reminders, and links
it to the Request for Disclosure or the incident it became; the committee reads them and
their trends; nobody else does (the auditors included: Customer Center data).
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from .models import READERS

bp = Blueprint('inquiries', __name__, url_prefix='/inquiries')

nav.register(170, _l('Inquiries'), 'inquiries.index', READERS)

from . import panels, seed, views  # noqa: E402,F401
