"""Navigation: each capability registers its entries with the roles that see them."""
from collections import namedtuple

NavItem = namedtuple('NavItem', 'order label endpoint roles')

_items = []


def register(order, label, endpoint, roles):
    """Show ``label`` linking to ``endpoint`` to users holding any of ``roles``."""
    if not any(item.endpoint == endpoint for item in _items):
        _items.append(NavItem(order, label, endpoint, tuple(roles)))
        _items.sort()


def items_for(user):
    if not user.is_authenticated:
        return []
    return [item for item in _items if user.has_role(*item.roles)]
