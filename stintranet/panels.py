"""Home-page panels: each capability registers what its roles should see below the work list.

A panel is a fragment of its own at ``/home/panels/<name>`` (``dashboard.views.panel``),
loaded by htmx once the page is there, so a slow panel never holds the page. Its
``context(user)`` reads what the template shows, as ``panel``, with ordinary queries.
"""
from collections import namedtuple

Panel = namedtuple('Panel', 'name title template roles context')

# The order of the panels on the page: those that call for a decision first, the
# reference figures next, the person's own records and account last.
ORDER = (
    'incidents-open',
    'disclosure-due',
    'inquiries-due',
    'ledger-health',
    'audits-inspections',
    'corrective-overdue',
    'management-review',
    'registers-media',
    'registers-contractors',
    'serverarea-flags',
    'training-compliance',
    'pledges-compliance',
    'incidents-own',
    'admin',
    'auditlog',
    'account',
)

_panels = {}


def register(name, template, roles, context, title):
    """Show ``template`` below the work list of users holding any of ``roles``.

    ``context(user)`` returns the dict the template reads as ``panel``; ``title`` is
    the heading of the placeholder the page shows until the panel arrives. ``name``
    must be listed in ``ORDER``.
    """
    if name not in ORDER:
        raise ValueError('home panel %r is not listed in stintranet.panels.ORDER' % name)
    _panels[name] = Panel(name, title, template, tuple(roles), context)


def get(name):
    """The panel called ``name``, or None."""
    return _panels.get(name)


def visible_to(user):
    """The panels ``user``'s roles may see, in page order."""
    return [_panels[name] for name in ORDER
            if name in _panels and user.has_role(*_panels[name].roles)]


def context_for(name, user):
    """The dict panel ``name`` shows to ``user`` (for tests and other pages)."""
    return _panels[name].context(user)
