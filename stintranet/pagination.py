"""Page through a peewee query: one COUNT and one SELECT, whatever the size.

Given a ``Reads`` (``stintranet.batch``), the COUNT and the page's SELECT are added to
it instead and go out with whatever else the view collected, in one statement::

    reads = Reads()
    page = Page(query, 50, reads=reads)
    departments = reads.rows(Department.select().order_by(Department.code))
    reads.run()
    page.check()   # 404 for a page beyond the last (also done on first use)
"""
import math

from flask import abort, request

from .inputs import int_arg


class Page:
    def __init__(self, query, per_page, number=None, reads=None):
        if number is None:
            number = int_arg(request.args.get('page', '1'), minimum=1)
            if number is None:
                abort(404)
        self.per_page = per_page
        self.number = number
        self._batched = None
        if reads is None:
            self._take(query.count(), lambda: query.paginate(number, per_page))
        else:
            self._batched = (reads.count(query), reads.rows(query.paginate(number, per_page)))

    def _take(self, total, rows):
        self._total = total
        self._pages = max(1, math.ceil(total / self.per_page))
        if self.number > self._pages:
            abort(404)
        self._items = list(rows())

    def check(self):
        """Take the batched results (after ``reads.run()``); 404 beyond the last page."""
        if self._batched is not None:
            total, rows = self._batched
            self._batched = None
            self._take(total.value, lambda: rows.value)
        return self

    # Read through check(), so that a batched page is never shown unchecked.
    @property
    def total(self):
        return self.check()._total

    @property
    def pages(self):
        return self.check()._pages

    @property
    def items(self):
        return self.check()._items

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
