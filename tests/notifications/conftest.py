"""A loopback SMTP server (``smtp``) that keeps what it receives."""
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What the loopback SMTP server received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return '250 OK'

    def texts(self):
        """Subject and body of each message (the To header is the recipient's own address)."""
        texts = []
        for envelope in self.messages:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            texts.append('%s\n%s' % (message['Subject'], message.get_content()))
        return texts


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname='127.0.0.1', port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER='127.0.0.1', MAIL_PORT=controller.port)
    yield inbox
    controller.stop()
