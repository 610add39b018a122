"""The stack's limits: a bare WSGI hello and a Flask hello, served like the app."""
from flask import Flask


def wsgi_app(environ, start_response):
    body = b'Hello, world!'
    start_response('200 OK', [('Content-Type', 'text/plain'),
                              ('Content-Length', str(len(body)))])
    return [body]


flask_app = Flask(__name__)


@flask_app.route('/')
def hello():
    return 'Hello, world!'
