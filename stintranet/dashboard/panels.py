"""Home-page panels: each capability registers what its roles should see first."""
from collections import namedtuple

Panel = namedtuple('Panel', 'order name template roles context')

_panels = []


def register(order, name, template, roles, context=None):
    """Show ``template`` on the home page of users holding any of ``roles``.

    ``context(user)`` returns the dict the template reads as ``panel``; it must
    use a constant number of queries whatever the data size.
    """
    if not any(p.name == name for p in _panels):
        _panels.append(Panel(order, name, template, tuple(roles), context))
        _panels.sort(key=lambda p: p.order)


def for_user(user):
    """[(template, data)] of the panels this user's roles may see."""
    return [(p.template, p.context(user) if p.context else {})
            for p in _panels if user.has_role(*p.roles)]
