"""Sending e-mail through SMTP (``MAIL_*`` settings)."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app


def configured():
    return bool(current_app.config.get('MAIL_SERVER'))


def send(to_address, subject, body):
    """Send one plain-text message; raises on failure (the outbox retries)."""
    config = current_app.config
    message = EmailMessage()
    message['From'] = config['MAIL_FROM']
    message['To'] = to_address
    message['Subject'] = subject
    message['Date'] = formatdate(localtime=False)
    message['Message-ID'] = make_msgid(domain=config['MAIL_FROM'].rpartition('@')[2] or None)
    message.set_content(body)
    timeout = config['MAIL_TIMEOUT_SECONDS']
    if config['MAIL_USE_SSL']:
        smtp = smtplib.SMTP_SSL(config['MAIL_SERVER'], config['MAIL_PORT'], timeout=timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(config['MAIL_SERVER'], config['MAIL_PORT'], timeout=timeout)
    with smtp:
        if config['MAIL_USE_TLS'] and not config['MAIL_USE_SSL']:
            smtp.starttls(context=ssl.create_default_context())
        if config['MAIL_USERNAME']:
            smtp.login(config['MAIL_USERNAME'], config['MAIL_PASSWORD'])
        smtp.send_message(message)
