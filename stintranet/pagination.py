"""Lists a page at a time: one COUNT and one SELECT, whatever the size.

Every list view pages through the same helper::

    page = paginate(LedgerEntry.search(current_user, **filters))
    page.items, page.total, page.number, page.pages

The page number comes from ``?page=``; a page beyond the last (or a malformed
number) is a 404. The size is the ``PAGE_SIZE`` setting.
"""
import math

from flask import abort, current_app, request

from .inputs import int_arg


class Page:
    """``per_page`` rows of ``query`` at page ``number`` (from 1), with the total."""

    def __init__(self, query, number, per_page):
        self.number = number
        self.per_page = per_page
        self.total = query.count()
        self.pages = max(1, math.ceil(self.total / per_page))
        if number > self.pages:
            abort(404)
        self.items = list(query.paginate(number, per_page))

    @property
    def has_prev(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages

    @property
    def first_index(self):
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self):
        return self.first_index + len(self.items) - 1 if self.total else 0


def page_size():
    return current_app.config['PAGE_SIZE']


def paginate(query, per_page=None):
    """The page of ``query`` the request asks for (``?page=N``); 404 beyond the last."""
    number = int_arg(request.args.get('page', '1'), minimum=1)
    if number is None:
        abort(404)
    return Page(query, number, per_page or page_size())
