"""Home-page panels: each capability registers what its roles should see first.

The whole home page reads the database in one statement (``batch.Reads``): every
panel puts its queries on the page's shared ``reads`` and gets its rows back once
they have all run together.
"""
from collections import namedtuple

from ..batch import Reads

Panel = namedtuple('Panel', 'order name template roles context')

_panels = []


def register(order, name, template, roles, context=None):
    """Show ``template`` on the home page of users holding any of ``roles``.

    ``context(user, reads)`` registers the panel's queries on ``reads`` (a
    ``batch.Reads`` shared by the page) without running anything, and returns a
    function of no argument that, once the reads have run, builds the dict the
    template reads as ``panel`` from the handles. A query whose rows depend on
    another's results is written as a subquery, so that one statement serves
    the whole page whatever the data size.
    """
    if not any(p.name == name for p in _panels):
        _panels.append(Panel(order, name, template, tuple(roles), context))
        _panels.sort(key=lambda p: p.order)


def for_user(user, reads=None):
    """[(template, data)] of the panels this user's roles may see.

    Their queries join those already on ``reads`` (the home view's own), and
    everything runs as one statement.
    """
    reads = Reads() if reads is None else reads
    builders = [(p.template, p.context(user, reads) if p.context else None)
                for p in _panels if user.has_role(*p.roles)]
    reads.run()
    return [(template, build() if build else {}) for template, build in builders]


def build(context, user):
    """One panel's dict on its own (one statement): for tests and other pages."""
    reads = Reads()
    make = context(user, reads)
    reads.run()
    return make()
