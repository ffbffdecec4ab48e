"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, with AUTH for one user."""
from __future__ import annotations

import email
import socket
from email import policy

from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "kuaiji@example.gov.cn"
PASSWORD = "Secret-2025-Pa55"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd handler that keeps every delivered envelope and refuses @refused.example."""

    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def only_message(self) -> email.message.EmailMessage:
        assert len(self.envelopes) == 1
        return email.message_from_bytes(self.envelopes[0].content, policy=policy.default)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd sends the 535 reply
