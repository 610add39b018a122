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
