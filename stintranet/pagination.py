"""Page through a peewee query: one COUNT and one SELECT, whatever the size."""
import math

from flask import abort, request

from .inputs import int_arg


class Page:
    def __init__(self, query, per_page, number=None):
        if number is None:
            number = int_arg(request.args.get('page', '1'), minimum=1)
            if number is None:
                abort(404)
        self.per_page = per_page
        self.total = query.count()
        self.pages = max(1, math.ceil(self.total / per_page))
        if number > self.pages:
            abort(404)
        self.number = number
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
