"""Guards on raw input, so that no odd value reaches the database and a 500.

Ids in URLs and query strings stay within the database's 32-bit integer range
(SQLite overflows past 64 bits, PostgreSQL's ``integer`` past 31), and a NUL
byte, which nobody types and PostgreSQL cannot store, ends the request.
"""
from flask import abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2 ** 31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` limited to the integer column range: a larger number is a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault('max', MAX_ID)
        super().__init__(map, *args, **kwargs)


def int_arg(raw, minimum=0):
    """``raw`` as an int when it is a plain decimal number in range, else None."""
    raw = (raw or '').strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if minimum <= value <= MAX_ID else None


def refuse_nul_bytes():
    """400 for a query string or form carrying a NUL byte."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if '\x00' in key or '\x00' in value:
                abort(400)


def init_app(app):
    app.url_map.converters['int'] = IdConverter
    app.before_request(refuse_nul_bytes)
