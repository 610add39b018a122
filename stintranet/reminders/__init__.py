"""Reminders from the daily job, one module per capability's events.

Every reminder goes through ``notifications.services.notify``: one notification
per (user, key), the key naming the object, the event and, where the event
repeats, the day. So ``flask jobs run`` can be run again safely and never sends
the same reminder twice for the same object and day. Messages carry a
reference (INC-2026-0003, LE-00012, DR-00004, a course title) and a link,
never an incident narrative, a reporter's or a requester's identity.

Events that their capability already reminds of are not repeated here:
the clocks of a reportable case on their last day and once overdue
(``incidents.jobs``), corrective actions due and overdue (``incidents.jobs``),
contractor agreements expiring within 30 days (``registers``) and requests
overdue (``disclosure.jobs``).

The package is registered as a blueprint (it has no pages) so its tasks load
with the app.
"""
from flask import Blueprint

bp = Blueprint('reminders', __name__)

from . import disclosure, incidents, ledger, pledges, training  # noqa: E402,F401
