"""Server-made PDF documents: a page's Jinja template laid out by WeasyPrint.

A document template extends ``_documents/base.html``; the same template is the print view
in the browser and, rendered with ``pdf=True``, the PDF (WeasyPrint reads the ``print``
media rules). ``static/print.css`` sets A4, the margins, the fonts (named explicitly, so a
character never falls back to a box: Noto Sans CJK JP or IPAexGothic first for Japanese,
Liberation Sans or DejaVu Sans first for English, each with the other as fallback), the
page number "1 / 3" and the running footer with the document's reference and date. The
fonts come from the system (fontconfig; ``make`` installs them) and WeasyPrint embeds the
glyphs used.

The stylesheets a template links (``url_for('static', ...)``) are read from ``static/``
on disk; every other URL is refused, so rendering never reaches the network or a file
outside ``static/``.

A view answers with ``download`` (render, name, log, respond); one that keeps a copy of
what it made calls ``render``, names the file with ``file_name``, logs it with ``log`` (an
'export' row, as ``exports.export_response`` writes for CSV) where it keeps the copy, and
answers with ``pdf_response``.
"""
import datetime
import mimetypes
import os
from collections import namedtuple
from contextlib import nullcontext
from urllib.parse import quote, urlsplit

from flask import Response, current_app, render_template
from flask_babel import force_locale, get_locale
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

from . import auditlog
from .db import database

MIMETYPE = 'application/pdf'
# The documents' base URL: a host that cannot resolve, so that only the fetcher below
# answers (static files), and nothing is ever requested over the network.
BASE_URL = 'http://stintranet.invalid/'

# ``data``: the PDF; ``pages``: its number of pages.
Rendered = namedtuple('Rendered', 'data pages')
# The download's name in the document's language and its ASCII fallback (English).
FileName = namedtuple('FileName', 'name ascii')


class StaticFiles(URLFetcher):
    """Reads ``/static/...`` from the app's static folder; refuses every other URL."""

    def __init__(self, static_folder):
        super().__init__()
        self.static_folder = static_folder

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = None
        if (parts.scheme, parts.netloc) == ('http', 'stintranet.invalid') and \
                parts.path.startswith('/static/'):
            path = safe_join(self.static_folder, parts.path[len('/static/'):])
        if path is None or not os.path.isfile(path):
            raise ValueError('a document only reads its own static files, not %s' % url)
        with open(path, 'rb') as f:
            body = f.read()
        mime = mimetypes.guess_type(path)[0] or 'application/octet-stream'
        return URLFetcherResponse(url, body, headers={'Content-Type': mime})


def render(template, *, locale=None, **context):
    """The PDF of ``template`` (rendered with ``pdf=True``), in ``locale`` when given
    (a customer's letter follows the customer's language), else the person's."""
    with force_locale(locale) if locale else nullcontext():
        html = render_template(template, pdf=True, **context)
    document = HTML(string=html, base_url=BASE_URL,
                    url_fetcher=StaticFiles(current_app.static_folder)).render()
    return Rendered(document.write_pdf(), len(document.pages))


def render_pdf(template, **context):
    """The PDF of ``template`` as bytes."""
    return render(template, **context).data


def _safe(text):
    """A file-name part: no path separators, quotes or spaces."""
    cleaned = ''.join('-' if ch in '/\\:*?"<>|' or ch.isspace() else ch for ch in str(text))
    return '-'.join(part for part in cleaned.split('-') if part) or 'document'


def file_name(reference, title, day, *, locale=None):
    """``DR-00012_回答書_2026-12-03.pdf``: reference, the document's title (a lazy
    string, in ``locale`` or the person's language) and date; with the ASCII fallback
    ``DR-00012_Response-letter_2026-12-03.pdf`` (the English title)."""
    day = day.isoformat() if isinstance(day, datetime.date) else str(day)
    with force_locale(locale) if locale else nullcontext():
        name = '%s_%s_%s.pdf' % (_safe(reference), _safe(title), day)
    with force_locale('en'):
        english = '%s_%s_%s.pdf' % (_safe(reference), _safe(title), day)
    ascii_name = english.encode('ascii', 'ignore').decode() or 'document.pdf'
    return FileName(name, ascii_name)


def stored_name(name):
    """The FileName of a kept copy from its stored name: the ASCII fallback keeps the
    reference and the date (``DR-00012_2026-12-03.pdf``)."""
    parts = [part for part in name.split('_') if part.isascii()]
    return FileName(name, '_'.join(parts) or 'document.pdf')


def pdf_response(data, name):
    """The PDF as an attachment named ``name`` (a FileName): ``filename`` carries the
    ASCII fallback and ``filename*`` the UTF-8 name (RFC 6266, RFC 5987)."""
    response = Response(bytes(data), mimetype=MIMETYPE)
    response.headers.set('Content-Disposition', 'attachment', filename=name.ascii,
                         **{'filename*': "UTF-8''" + quote(name.name, safe="!#$&+-.^_`|~")})
    response.headers['Content-Security-Policy'] = "default-src 'none'; sandbox"
    return response


def download(template, *, report, reference, title, day, obj=None, object_type=None,
             object_id=None, details=None, locale=None, **context):
    """The whole of a document view: ``template`` as a PDF (in ``locale`` when given),
    named by ``reference``, ``title`` and ``day``, logged as the ``report`` exported,
    answered as an attachment."""
    rendered = render(template, locale=locale, **context)
    name = file_name(reference, title, day, locale=locale)
    log(report, rendered, name, obj=obj, object_type=object_type, object_id=object_id,
        details=details, locale=locale)
    return pdf_response(rendered.data, name)


def log(report, rendered, name, *, obj=None, object_type=None, object_id=None, details=None,
        locale=None):
    """One 'export' row in the audit log for a PDF made: the report, the format, the file
    name, its pages and size, the language, and ``details`` (ids, never personal data)."""
    logged = {'report': report, 'format': 'pdf', 'file': name.ascii,
              'pages': rendered.pages, 'bytes': len(rendered.data),
              'locale': str(locale or get_locale() or '')}
    logged.update(details or {})
    with database.atomic():
        auditlog.record('export', obj, object_type=object_type, object_id=object_id,
                        details=logged)
