"""Navigation: each capability registers its entries with the roles that see them."""
from collections import namedtuple

NavItem = namedtuple('NavItem', 'order label endpoint roles section')

_items = []


def register(order, label, endpoint, roles, section=None):
    """Show ``label`` linking to ``endpoint`` to users holding any of ``roles``. The item
    is the current one on the pages whose endpoint starts with ``section`` (by default
    its blueprint's name and a dot); the longest matching section wins."""
    if not any(item.endpoint == endpoint for item in _items):
        _items.append(NavItem(order, label, endpoint, tuple(roles),
                              section or endpoint.split('.')[0] + '.'))
        _items.sort()


def current(items, endpoint):
    """The item of ``items`` that the page at ``endpoint`` belongs to, or None."""
    matching = [item for item in items if endpoint and endpoint.startswith(item.section)]
    return max(matching, key=lambda item: len(item.section)) if matching else None


def items_for(user):
    if not user.is_authenticated:
        return []
    return [item for item in _items if user.has_role(*item.roles)]
