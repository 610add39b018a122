"""The forms the app actually renders: signed in as an account, follow the app's links and
collect every POST form with its fields as the page gives them (hidden ones included).

Used by the bad-input tests so that a form, or a hidden field, added later is covered
without a list to keep up to date.
"""
from collections import namedtuple
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException
from wtforms import HiddenField
from wtforms.fields.core import UnboundField

# Paths not followed: leaving the session, files rather than pages.
SKIPPED = ('/logout', '/static/', '.csv', '.xlsx', '.pdf', '/download', '/documents/')

Form = namedtuple('Form', 'page action endpoint fields hidden')


class _Page(HTMLParser):
    """Links and POST forms of one page: each form's fields as (name, value) pairs in
    page order, and the names of its hidden inputs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms, self._form, self._select, self._textarea = [], [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'a' and a.get('href'):
            self.links.append(a['href'])
        elif tag == 'form':
            post = (a.get('method') or '').lower() == 'post' or 'hx-post' in a
            self._form = {'actions': [a.get('hx-post') or a.get('action') or ''],
                          'fields': [], 'hidden': [], 'post': post}
        elif self._form is None:
            return
        elif tag == 'button' and (a.get('formaction') or a.get('hx-post')):
            self._form['actions'].append(a.get('formaction') or a.get('hx-post'))
        elif tag == 'input' and a.get('name'):
            kind = (a.get('type') or 'text').lower()
            if kind in ('checkbox', 'radio') and 'checked' not in a:
                return
            if kind in ('submit', 'button', 'file'):
                return
            self._form['fields'].append((a['name'], a.get('value') or ''))
            if kind == 'hidden' and a['name'] != 'csrf_token':
                self._form['hidden'].append(a['name'])
        elif tag == 'select' and a.get('name'):
            self._select = [a['name'], None, None]  # name, first value, selected value
        elif tag == 'option' and self._select is not None:
            value = a.get('value', '')
            if self._select[1] is None:
                self._select[1] = value
            if 'selected' in a:
                self._select[2] = value
        elif tag == 'textarea' and a.get('name'):
            self._textarea = [a['name'], '']

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == 'select' and self._select is not None:
            name, first, selected = self._select
            self._form['fields'].append((name, selected if selected is not None else first or ''))
            self._select = None
        elif tag == 'textarea' and self._textarea is not None:
            self._form['fields'].append(tuple(self._textarea))
            self._textarea = None
        elif tag == 'form':
            if self._form['post']:
                self.forms.append(self._form)
            self._form = None


def _match(app, path, method):
    try:
        return app.url_map.bind('localhost').match(path, method=method)
    except HTTPException:
        return None, None


def crawl(client, app, start='/', per_endpoint=2, limit=400):
    """The POST forms found on the pages reachable from ``start`` by the signed-in client:
    at most ``per_endpoint`` pages of each endpoint are read, ``limit`` pages in all."""
    queue, seen, visits, forms = [start], set(), {}, []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or any(s in url for s in SKIPPED):
            continue
        endpoint, _args = _match(app, path, 'GET')
        if endpoint is None or visits.get(endpoint, 0) >= per_endpoint:
            continue
        seen.add(url)
        visits[endpoint] = visits.get(endpoint, 0) + 1
        response = client.get(url)
        if response.status_code != 200 or 'text/html' not in response.content_type:
            continue
        page = _Page()
        page.feed(response.get_data(as_text=True))
        for href in page.links:
            target = urljoin(url, href)
            if target.startswith('/') and target not in seen:
                queue.append(target.split('#')[0])
        for found in page.forms:
            for action in found['actions']:
                target = urljoin(url, action) if action else url
                endpoint, _args = _match(app, urlsplit(target).path, 'POST')
                if endpoint is not None:
                    forms.append(Form(url, target, endpoint, list(found['fields']),
                                      list(found['hidden'])))
    return forms


def hidden_names(form_class):
    """The names of ``form_class``'s hidden fields (inherited ones included), read from
    the class, so that a test's field list follows the form."""
    names = set()
    for name in dir(form_class):
        value = getattr(form_class, name, None)
        if isinstance(value, UnboundField) and issubclass(value.field_class, HiddenField):
            names.add(name)
    return sorted(names)
