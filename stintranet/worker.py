"""The queue consumer's entry point: ``huey_consumer stintranet.worker.huey``.

Importing it builds the app, so the consumer refuses to start on the same
problems as the server (start-up checks), and creates the queue's tables.
"""
from . import create_app, tasks

app = create_app()
tasks.create_queue(app)
huey = app.extensions['queue'].huey
