"""The few htmx helpers the views need."""
import json

from flask import request


def is_htmx():
    """An htmx request, and not a history restore (which wants the full page)."""
    return (request.headers.get('HX-Request') == 'true'
            and request.headers.get('HX-History-Restore-Request') != 'true')


def hx_trigger(response, event, detail=None):
    response.headers['HX-Trigger'] = json.dumps({event: detail}) if detail else event
    return response


def hx_redirect(response, url):
    response.headers['HX-Redirect'] = url
    return response


def vary_on_htmx(response):
    response.vary.add('HX-Request')
    return response


# The page's message area (base.html), emptied out of band.
EMPTY_FLASHES = '<div id="flashes" class="flashes" role="status" hx-swap-oob="true"></div>'


def clear_flashes_on_refusal(response):
    """After an htmx change that was refused (422, 409), empty the page's message area: a
    "Saved." shown when the page loaded must not stand above the fields now marked
    wrong. An ``after_request`` hook; other responses pass untouched."""
    if (response.status_code in (409, 422) and is_htmx() and response.mimetype == 'text/html'
            and not response.direct_passthrough):
        response.set_data(response.get_data() + EMPTY_FLASHES.encode())
    return response
